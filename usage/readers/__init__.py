"""Readers: one file (CSV, TSV or XLSX) to checked rows ready to store, every problem located."""
