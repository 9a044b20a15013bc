"""Circulation's SQL: one `.sql` file per area, and beside it one typed wrapper per query (named parameters
in, a Struct out). Use cases call these; nothing else sends SQL."""
