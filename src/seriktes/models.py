"""Imports every domain's tables so that the metadata knows them all."""

from seriktes.accounts.models import ApiToken, ImportUpload, LoginAttempt, User
from seriktes.catalog.models import Need, Offer
from seriktes.matches.models import Match
from seriktes.registry.models import ClassifierCode, Organisation, Region, Unit

__all__ = [
    "ApiToken",
    "ClassifierCode",
    "ImportUpload",
    "LoginAttempt",
    "Match",
    "Need",
    "Offer",
    "Organisation",
    "Region",
    "Unit",
    "User",
]
