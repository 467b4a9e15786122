"""Pure transforms of query results: goals, coverage, events, membership. No DuckDB, no store, no uploads."""
