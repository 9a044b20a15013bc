"""The catalogue's SQL: one `.sql` file per area, and beside it its row Structs and one typed wrapper per query."""
