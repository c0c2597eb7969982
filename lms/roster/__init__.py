"""The staff roster (Danh sách cán bộ): reading the Excel/CSV files HR imports, and their template."""
