"""Matches domain: feeds the matching engine from the database and stores ranked matches."""
