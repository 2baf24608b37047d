"""Imports of every kind in one home.

The registry of import kinds, uploads awaiting confirmation and their previews.
"""
