"""Imports every domain's tables so that the metadata knows them all."""

from seriktes.catalog.models import Need, Offer
from seriktes.matches.models import Match
from seriktes.registry.models import ClassifierCode, Organisation, Region, Unit

__all__ = ["ClassifierCode", "Match", "Need", "Offer", "Organisation", "Region", "Unit"]
