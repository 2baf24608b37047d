"""The audit log's words: each audited field's label and how its value is read (or that it
is hidden), the names of statuses, KPIs, sectors and roles, and the sentence of each change
with the grammatical gender of its object — message ids translated in `audit.po`.

A new column of an audited table needs one line in `FIELDS` (a label and a `Show`, or
`HIDDEN`); tests/agreements/test_auditlog.py names every column that has neither."""

from __future__ import annotations

import enum
from typing import NamedTuple

from seriktes.agreements.labels import KPIS, ROLES, SECTORS
from seriktes.kit.i18n import N_


class Show(enum.StrEnum):
    """How a field's stored value is shown to a reader."""

    TEXT = "text"
    NUMBER = "number"
    DATE = "date"
    MOMENT = "moment"  # a stored UTC time, shown in Kazakhstan's time
    YES_NO = "yes_no"
    ORG = "org"
    REGION = "region"
    USER = "user"
    UNIT = "unit"
    EVENT = "event"
    NEED = "need"
    OFFER = "offer"
    MEETING = "meeting"
    MEMORANDUM = "memorandum"
    COMMITMENTS = "commitments"  # a list of commitment ids
    CLASS = "class"  # a KP VED code, with its name
    MONEY = "money"  # an amount in the row's `currency`
    KZT = "kzt"
    RATE = "rate"  # KZT per unit of the row's `currency`
    TARGET = "target"  # in the measure of the row's KPI
    QUANTITY = "quantity"  # in the row's `unit_code`
    REPORT_VALUE = "report_value"  # in the measure of the report's commitment's KPI
    PARTIES = "parties"  # a memorandum's parties, each shown by the party fields
    SECTORS = "sectors"
    CHOICE = "choice"  # a stored code named by `CHOICES[field]`


class Field(NamedTuple):
    """A field's label (an English message id) and how its value is shown."""

    label: str
    show: Show


HIDDEN = None  # a field the log keeps but a reader does not need (an internal column)

# kind → field (a column, or a key `audit.snapshot` adds) → Field or HIDDEN. Bookkeeping
# columns (ids, version, created_at, updated_at, field_versions, bytes) are hidden, foreign
# keys shown by the name of what they point at.
FIELDS: dict[str, dict[str, Field | None]] = {
    "memorandum": {
        "id": HIDDEN,
        "number": Field(N_("Registration number"), Show.TEXT),
        "title": Field(N_("Title"), Show.TEXT),
        "summary": Field(N_("Summary of the agreement"), Show.TEXT),
        "signed_on": Field(N_("Date of signing"), Show.DATE),
        "place": Field(N_("Place of signing"), Show.TEXT),
        "event_id": Field(N_("Event"), Show.EVENT),
        "status": Field(N_("Status"), Show.CHOICE),
        "document_filename": Field(N_("Signed document"), Show.TEXT),
        "document_content_type": HIDDEN,
        "document": HIDDEN,  # the bytes; the snapshot's copy of document_filename
        "sectors": Field(N_("Sectors"), Show.SECTORS),
        "parties": Field(N_("Parties"), Show.PARTIES),
        "withdrawn_on": Field(N_("Withdrawn on"), Show.DATE),
        "withdrawal_reason": Field(N_("Reason for the withdrawal"), Show.TEXT),
        "version": HIDDEN,
        "field_versions": HIDDEN,
        "created_at": HIDDEN,
        "updated_at": HIDDEN,
    },
    "memorandum_party": {
        "id": HIDDEN,
        "memorandum_id": HIDDEN,
        "region_id": Field(N_("Region"), Show.REGION),
        "organisation_id": Field(N_("Organisation"), Show.ORG),
        "role": Field(N_("Role"), Show.CHOICE),
        "signatory": Field(N_("Signatory"), Show.TEXT),
        "signatory_post": Field(N_("Signatory's post"), Show.TEXT),
    },
    "memorandum_sector": {
        "memorandum_id": HIDDEN,
        "sector": Field(N_("Sector"), Show.CHOICE),
    },
    "commitment": {
        "id": HIDDEN,
        "memorandum_id": Field(N_("Memorandum"), Show.MEMORANDUM),
        "position": Field(N_("Order in the memorandum"), Show.NUMBER),
        "title": Field(N_("Title"), Show.TEXT),
        "kpi": Field(N_("Indicator"), Show.CHOICE),
        "sector": Field(N_("Sector"), Show.CHOICE),
        "target": Field(N_("Target"), Show.TARGET),
        "unit_code": Field(N_("Unit of measure"), Show.UNIT),
        "class_code": Field(N_("KP VED class"), Show.CLASS),
        "start_on": Field(N_("Counted from"), Show.DATE),
        "deadline": Field(N_("Deadline"), Show.DATE),
        "responsible_organisation_id": Field(N_("Responsible organisation"), Show.ORG),
        "responsible_region_id": Field(N_("Responsible region"), Show.REGION),
        "responsible_person": Field(N_("Responsible person"), Show.TEXT),
        "responsible_post": Field(N_("Post of the responsible person"), Show.TEXT),
        "responsible_contact": Field(N_("Contact of the responsible person"), Show.TEXT),
        "version": HIDDEN,
        "field_versions": HIDDEN,
        "created_at": HIDDEN,
        "updated_at": HIDDEN,
    },
    "deal": {
        "id": HIDDEN,
        "number": Field(N_("Contract number"), Show.TEXT),
        "signed_on": Field(N_("Date of signing"), Show.DATE),
        "buyer_id": Field(N_("Buyer"), Show.ORG),
        "supplier_id": Field(N_("Supplier"), Show.ORG),
        "subject": Field(N_("Subject"), Show.TEXT),
        "class_code": Field(N_("KP VED class"), Show.CLASS),
        "quantity": Field(N_("Quantity"), Show.QUANTITY),
        "unit_code": Field(N_("Unit of measure"), Show.UNIT),
        "amount": Field(N_("Contract amount"), Show.MONEY),
        "currency": Field(N_("Currency"), Show.TEXT),
        "rate_to_kzt": Field(N_("Exchange rate"), Show.RATE),
        "amount_kzt": Field(N_("Amount in tenge"), Show.KZT),
        "status": Field(N_("Status"), Show.CHOICE),
        "need_id": Field(N_("Need"), Show.NEED),
        "offer_id": Field(N_("Offer"), Show.OFFER),
        "meeting_id": Field(N_("B2B meeting"), Show.MEETING),
        "memorandum_id": Field(N_("Memorandum"), Show.MEMORANDUM),
        "source": Field(N_("How it was recorded"), Show.CHOICE),
        "confirmation": Field(N_("Confirmation"), Show.CHOICE),
        "buyer_confirmed": Field(N_("Confirmed by the buyer"), Show.YES_NO),
        "supplier_confirmed": Field(N_("Confirmed by the supplier"), Show.YES_NO),
        "confirmed_by_id": Field(N_("Confirmed by the coordinator"), Show.USER),
        "evidence": Field(N_("Evidence of the contract"), Show.TEXT),
        "confirmed_at": Field(N_("Confirmed at"), Show.MOMENT),
        "dispute_reason": Field(N_("Reason of the dispute"), Show.TEXT),
        "disputed_by_id": Field(N_("Disputed by"), Show.USER),
        "commitment_ids": Field(N_("Counts towards the commitments"), Show.COMMITMENTS),
        "version": HIDDEN,
        "field_versions": HIDDEN,
        "created_at": HIDDEN,
        "updated_at": HIDDEN,
    },
    "milestone": {
        "id": HIDDEN,
        "commitment_id": HIDDEN,  # the milestone's sentence names its commitment
        "due_on": Field(N_("Due on"), Show.DATE),
        "target": Field(N_("Target by then"), Show.REPORT_VALUE),
        "note": Field(N_("Note"), Show.TEXT),
        "created_at": HIDDEN,
        "updated_at": HIDDEN,
    },
    "delivery": {
        "id": HIDDEN,
        "deal_id": HIDDEN,  # the delivery's sentence names its deal
        "delivered_on": Field(N_("Date of delivery"), Show.DATE),
        "quantity": Field(N_("Quantity"), Show.QUANTITY),
        "unit_code": Field(N_("Unit of measure"), Show.UNIT),
        "amount_kzt": Field(N_("Value in tenge"), Show.KZT),
        "note": Field(N_("Note"), Show.TEXT),
        "created_at": HIDDEN,
        "updated_at": HIDDEN,
    },
    "progress_report": {
        "id": HIDDEN,
        "commitment_id": HIDDEN,  # the report's sentence names its commitment
        "reported_on": Field(N_("Date achieved"), Show.DATE),
        "value": Field(N_("Achieved"), Show.REPORT_VALUE),
        "evidence_text": Field(N_("Description of the evidence"), Show.TEXT),
        "evidence_url": Field(N_("Link to the evidence"), Show.TEXT),
        "evidence_filename": Field(N_("Evidence file"), Show.TEXT),
        "evidence_content_type": HIDDEN,
        "evidence": HIDDEN,  # the bytes; the snapshot's copy of evidence_filename
        "author_id": Field(N_("Reported by"), Show.USER),
        "created_at": HIDDEN,
        "updated_at": HIDDEN,
    },
}

MONEY_KPIS = {"turnover_kzt", "investment_kzt"}
# field → stored code → its name
CHOICES: dict[str, dict[str, str]] = {
    "sector": SECTORS,
    "kpi": KPIS,
    "role": ROLES,
    "confirmation": {
        "awaiting": N_("Awaiting confirmation"),
        "awaiting_coordinator": N_("Awaiting a coordinator"),
        "confirmed": N_("Confirmed"),
        "disputed": N_("Disputed"),
    },
    "source": {
        "manual": N_("by hand"),
        "import": N_("by a file import"),
        "demo": N_("demo data"),
    },
}
# `status` names differ by kind
STATUSES = {
    "memorandum": {
        "draft": N_("Draft"),
        "published": N_("Published"),
        "closed": N_("Closed"),
        "withdrawn": N_("Withdrawn"),
    },
    "deal": {
        "signed": N_("In force"),
        "completed": N_("Completed"),
        "cancelled": N_("Cancelled"),
    },
}


class Sentence(NamedTuple):
    """What happened, said of the object without naming it (`short`: «Сделка создана») and
    naming it (`full`: «Сделка № {number} создана»), in the object's grammatical gender."""

    short: str
    full: str


# (kind, action) → the sentence; placeholders: {number} (a memorandum's or a deal's),
# {title} (a commitment's), {date} (a delivery's or report's), {deal} (a delivery's deal)
SENTENCES: dict[tuple[str, str], Sentence] = {
    ("memorandum", "create"): Sentence(
        N_("Memorandum created"), N_("Memorandum No. {number} created")
    ),
    ("memorandum", "update"): Sentence(
        N_("Memorandum changed"), N_("Memorandum No. {number} changed")
    ),
    ("memorandum", "delete"): Sentence(
        N_("Memorandum deleted"), N_("Memorandum No. {number} deleted")
    ),
    ("commitment", "create"): Sentence(
        N_("Commitment created"), N_("Commitment “{title}” created")
    ),
    ("commitment", "update"): Sentence(
        N_("Commitment changed"), N_("Commitment “{title}” changed")
    ),
    ("commitment", "delete"): Sentence(
        N_("Commitment deleted"), N_("Commitment “{title}” deleted")
    ),
    ("milestone", "create"): Sentence(
        N_("Milestone created"), N_("Milestone of {date} of “{title}” created")
    ),
    ("milestone", "update"): Sentence(
        N_("Milestone changed"), N_("Milestone of {date} of “{title}” changed")
    ),
    ("milestone", "delete"): Sentence(
        N_("Milestone deleted"), N_("Milestone of {date} of “{title}” deleted")
    ),
    ("deal", "create"): Sentence(N_("Deal created"), N_("Deal No. {number} created")),
    ("deal", "update"): Sentence(N_("Deal changed"), N_("Deal No. {number} changed")),
    ("deal", "delete"): Sentence(N_("Deal deleted"), N_("Deal No. {number} deleted")),
    ("deal", "confirm"): Sentence(N_("Deal confirmed"), N_("Deal No. {number} confirmed")),
    ("deal", "dispute"): Sentence(N_("Deal disputed"), N_("Deal No. {number} disputed")),
    ("delivery", "create"): Sentence(
        N_("Delivery created"), N_("Delivery of {date} under deal No. {deal} created")
    ),
    ("delivery", "update"): Sentence(
        N_("Delivery changed"), N_("Delivery of {date} under deal No. {deal} changed")
    ),
    ("delivery", "delete"): Sentence(
        N_("Delivery deleted"), N_("Delivery of {date} under deal No. {deal} deleted")
    ),
    ("progress_report", "create"): Sentence(
        N_("Progress report created"), N_("Progress report of {date} created")
    ),
    ("progress_report", "update"): Sentence(
        N_("Progress report changed"), N_("Progress report of {date} changed")
    ),
    ("progress_report", "delete"): Sentence(
        N_("Progress report deleted"), N_("Progress report of {date} deleted")
    ),
}
UNKNOWN_CHANGE = Sentence(N_("Record changed"), N_("Record changed"))
SYSTEM = N_("system (import or command line)")
YES, NO = N_("yes"), N_("no")
DELETED = N_("deleted (No. {id})")  # a row the log points at that no longer exists
