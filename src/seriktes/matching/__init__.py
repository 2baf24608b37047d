"""Matching engine: a pure library (no web, no database) for text analysis, product
classification and need ↔ offer retrieval and ranking with explanations."""
