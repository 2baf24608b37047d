"""Seriktes: interregional business cooperation platform."""

__version__ = "0.1.0"
