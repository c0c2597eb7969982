"""Load and speed scripts that print their figures (see README, "Đo hiệu năng")."""
