"""Reading the data folder through DuckDB: raw and staging views, validation, caches, the upload ledger, and
the named queries (queries/) and shared views (views/) over them. Nothing here writes a table of data."""
