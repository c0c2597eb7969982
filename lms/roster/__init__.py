"""The staff roster (Danh sách cán bộ): reading the Excel/CSV files HR imports (files, parse,
headers, fields, duplicates, records) and their template (template), finding what they name
(matching), planning and applying an import (importer), temporary passwords for the new
accounts (passwords), the pages (views, URL rules in blueprint) and the CLI (commands)."""
