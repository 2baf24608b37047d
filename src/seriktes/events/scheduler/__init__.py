"""The B2B meeting scheduler: a pure library (no web, no database)."""
