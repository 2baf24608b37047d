"""Who reads personal data and deal amounts, which the public (anonymous visitors) never does.

Organisations' contact person, phone and e-mail, and the names of the people an
organisation sends to an event, are for signed-in users. A participant's agenda (whom it
meets and when) is for those who act for it and for those who read everything
(coordinators, administrators). What a commitment's linked deals add up to is for those who
read every deal (coordinators, administrators) and for members of an organisation that is a
party to each of them; the others see the commitment's status.
These sit beside `accounts.policy` (which they call) and are used by the pages and the JSON
routes alike.
"""

from __future__ import annotations

from seriktes.accounts.models import User
from seriktes.accounts.policy import acts_for_participant, can_read_all_drafts
from seriktes.agreements.models import Commitment
from seriktes.events.models import Participant


def signed_in(user: User | None) -> bool:
    """An active user is signed in (a session or an API token)."""
    return user is not None and user.is_active


def may_read_contacts(user: User | None) -> bool:
    """Organisations' contact person, phone and e-mail: signed-in users only."""
    return signed_in(user)


def may_read_representatives(user: User | None) -> bool:
    """The names of an event participant's representatives: signed-in users only."""
    return signed_in(user)


def may_read_agenda(user: User | None, participant: Participant) -> bool:
    """A participant's agenda: its own organisation's members, the event's organisers, and
    coordinators and administrators."""
    return acts_for_participant(user, participant) or can_read_all_drafts(user)


def may_read_deal_sums(user: User | None, commitment: Commitment) -> bool:
    """What the deals linked to a commitment add up to: those who read every deal, and
    members of an organisation that is the buyer or the supplier of each of them (the sum
    then tells them nothing about another organisation's deals)."""
    if can_read_all_drafts(user):
        return True
    if user is None or not user.is_active or user.organisation_id is None:
        return False
    return all(user.organisation_id in (d.buyer_id, d.supplier_id) for d in commitment.deals)
