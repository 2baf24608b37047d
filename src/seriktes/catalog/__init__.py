"""Catalog domain: needs (procurement lines) and offers (products and capacities)."""
