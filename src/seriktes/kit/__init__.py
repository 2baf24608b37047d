"""Shared helpers used by every domain."""
