"""USB bundle write/read/verify (the county exchange). Imports nothing of Qt."""
