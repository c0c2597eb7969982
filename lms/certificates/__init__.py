"""Certificates: competence standards, the register, PDFs, signing and verification."""

from lms.certificates import external_views  # noqa: F401  (registers its routes on views.bp)
