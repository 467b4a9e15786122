"""What people look at or take away: one plotly theme, charts, maps, the briefing pack, calendar and table
exports. Pure functions of DataFrames; no DuckDB, no store, no uploads."""
