"""The staff roster (Danh sách cán bộ): reading the Excel/CSV files HR imports and their
template (parse), finding what they name (matching), planning and applying an import
(importer), temporary passwords for the new accounts (passwords), the pages (views) and
the CLI commands (commands)."""
