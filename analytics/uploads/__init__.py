"""Uploads: reading a file whatever its system exported, checking every row, previewing what it changes,
committing it to the Delta tables of the runtime store, and undoing it."""
