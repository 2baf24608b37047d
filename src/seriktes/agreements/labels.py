"""The names of the agreements' codes, as message ids to translate where they are shown:
sectors, KPIs, the parties' roles and the kinds of audited rows. Pages, the audit log and
the pair report read them from here, so that a code has one name everywhere."""

from __future__ import annotations

from seriktes.kit.i18n import N_

SECTORS = {
    "industry": N_("Industry"),
    "agriculture": N_("Agriculture"),
    "trade": N_("Trade"),
    "mining": N_("Mining"),
    "construction_materials": N_("Construction materials"),
    "food_processing": N_("Food processing"),
    "education": N_("Education"),
    "culture": N_("Culture"),
    "tourism": N_("Tourism"),
    "investment": N_("Investment"),
    "health": N_("Health care"),
    "transport": N_("Transport and logistics"),
    "energy": N_("Energy"),
    "other": N_("Other"),
}
KPIS = {
    "turnover_kzt": N_("Trade turnover, KZT"),
    "contracts_count": N_("Number of contracts"),
    "supply_volume": N_("Supply volume"),
    "investment_kzt": N_("Investment, KZT"),
    "jobs": N_("Jobs created"),
    "events_held": N_("Events held"),
}
ROLES = {"host": N_("Host region"), "guest": N_("Guest region"), "party": N_("Party")}
KINDS = {
    "memorandum": N_("Memorandum"),
    "commitment": N_("Commitment"),
    "milestone": N_("Milestone"),
    "deal": N_("Deal"),
    "delivery": N_("Delivery"),
    "progress_report": N_("Progress report"),
}
