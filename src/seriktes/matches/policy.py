"""Who judges a need's matches and reads the answers.

The buyer's side judges the producers ranked for its need: members of the buyer
organisation, coordinators of its region and administrators mark a match suitable or not
and read who marked what; coordinators of other regions read the answers too. Producers
never mark the matches of their own offers.
"""

from __future__ import annotations

from seriktes.accounts.models import User
from seriktes.accounts.policy import can_edit_organisation, can_read_all_drafts
from seriktes.catalog.models import Need


def can_judge_matches(user: User | None, need: Need) -> bool:
    """May `user` mark the matches of this need suitable or not suitable?"""
    return can_edit_organisation(user, need.buyer)


def can_read_feedback(user: User | None, need: Need) -> bool:
    """May `user` read who marked the matches of this need, and how?"""
    return can_judge_matches(user, need) or can_read_all_drafts(user)
