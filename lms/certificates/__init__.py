"""Certificates: competence standards, the register, PDFs, signing and verification."""
