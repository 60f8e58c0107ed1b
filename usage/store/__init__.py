"""The SQLite store: schema, one transaction per ingest, and what the report reads back."""
