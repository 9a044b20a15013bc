"""Reporting's SQL: one `.sql` file per area, and beside it one typed wrapper per query (named parameters in,
a Struct out). Reads only: circulation's read model, never written here."""
