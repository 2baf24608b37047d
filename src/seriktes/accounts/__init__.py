"""Accounts domain: users, roles, API tokens, login throttling, access rules."""
