"""The vault: keys kept outside the database, encrypted fields, blind indexes, rotation, purge."""
