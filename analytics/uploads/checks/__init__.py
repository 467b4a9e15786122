"""The checks of each kind of upload, one module per kind, each with its columns and its reference: what
checking a file of that kind needs from the store. analytics/uploads/kinds.py declares the kinds from them."""
