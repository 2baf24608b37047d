"""Texts and number formats of the pair report in Russian, Kazakh and English.

The texts are English message ids translated by the catalogues (`kit.i18n`,
`locales/<lang>/reports.po`), as the pages' texts are; the CLI, the API and the pages
produce the same files. A report speaks Russian when asked for a language it does not speak.
"""

from __future__ import annotations

from decimal import Decimal

from seriktes.kit.i18n import N_, Translator, translate

REPORT_LANGUAGES = ("ru", "kk", "en")
MILLION = Decimal(1_000_000)
# The message context of the report's texts whose English means something else elsewhere
# in the product (as "Needs" or "energy" on the pages).
REPORT_CONTEXT = "report"
Translate = Translator

# Long texts that the HTML report, its page and its workbook all show.
RULES = {
    "confirmed": N_(
        "Only confirmed deals are counted: confirmed by both sides, or by a coordinator of a "
        "party region of the memorandum on the contract's number or document. Deals awaiting "
        "confirmation or disputed are in no figure."
    ),
    "turnover": N_(
        "Turnover: for every deal not cancelled, the KZT value of its deliveries on their "
        "dates, or, while nothing is delivered, the contract amount on the signing date (the "
        "rule of the memoranda's commitments), from the supplier's region to the buyer's."
    ),
    "potential": N_(
        "Import substitution: open needs bought from far abroad today (quantity × price, KZT) "
        "and the part with a strong or possible match from a partner-region producer (weak "
        "matches do not count: they are often wrong)."
    ),
    "sme": N_(
        "SMEs are micro, small and medium enterprises by the registry. Matched: a large "
        "buyer's open need's value goes to the producer of its best match; contracts: amounts "
        "of the year's deals not cancelled."
    ),
    "status": N_(
        "Commitment status: achieved — value ≥ target; overdue — deadline passed; at risk — "
        "with milestones, value below the latest milestone due; without them, value < target × "
        "elapsed share × 0.8, never before a quarter of the period has passed; on track "
        "otherwise. Withdrawn memoranda are left out."
    ),
    "tci": N_(
        "TCI = 100 × (1 − Σ|mᵢ − xᵢ| / 2): mᵢ is class i's share of the value of the buyers' "
        "open needs, xᵢ its share of the value of a year's capacity (capacity × price) of the "
        "producers' published offers."
    ),
    "tci_count": N_("No producer offer has both a price and a capacity: xᵢ counts offers."),
    "no_grp": N_("GRP not shown: the statistics data file is absent."),
}

STATUSES = {
    "achieved": N_("achieved"),
    "on_track": N_("on track"),
    "at_risk": N_("at risk"),
    "overdue": N_("overdue"),
}
STATUS_ORDER = ("achieved", "on_track", "at_risk", "overdue")

SECTORS = {
    "industry": N_("industry"),
    "agriculture": N_("agriculture"),
    "trade": N_("trade"),
    "mining": N_("mining"),
    "construction_materials": N_("construction materials"),
    "food_processing": N_("food processing"),
    "education": N_("education"),
    "culture": N_("culture"),
    "tourism": N_("tourism"),
    "investment": N_("investment"),
    "health": N_("health"),
    "transport": N_("transport"),
    "energy": N_("energy"),  # in REPORT_CONTEXT: "энергетика" here, "энергия" on the pages
    "other": N_("other"),
}
SECTORS_IN_CONTEXT = frozenset({"energy"})  # their names are read in REPORT_CONTEXT


def language(lang: str) -> str:
    """`lang` when the report speaks it, Russian otherwise."""
    return lang if lang in REPORT_LANGUAGES else "ru"


def translator(lang: str) -> Translate:
    """`_` of a report in `lang`: an English text in the report's language (`_.pgettext`
    with `REPORT_CONTEXT` for a text whose English means something else elsewhere)."""
    return Translator(language(lang))


def label(lang: str, message: str, context: str | None = None, **values: object) -> str:
    """The report text `message` (English, in `context` if given) in `lang` with `values`
    filled in."""
    text = translate(language(lang), message, context)
    return text.format(**values) if values else text


def status_name(lang: str, status: str) -> str:
    """A commitment status in words."""
    return label(lang, STATUSES[status]) if status in STATUSES else status


def sector_name(lang: str, sector: str) -> str:
    """A memorandum sector in words."""
    if sector not in SECTORS:
        return sector.replace("_", " ")
    context = REPORT_CONTEXT if sector in SECTORS_IN_CONTEXT else None
    return label(lang, SECTORS[sector], context)


def _grouped(text: str, lang: str) -> str:
    return text if lang == "en" else text.replace(",", "\u202f").replace(".", ",")


def money(value: Decimal | float | int, lang: str) -> str:
    """KZT as a governor reads it: «12,3 млн ₸», «2,4 млрд ₸», «5,8 трлн ₸»; whole tenge
    below a million."""
    amount = Decimal(str(value))
    scales = ((MILLION**2, N_("{amount} tn KZT")), (MILLION * 1000, N_("{amount} bn KZT")))
    for scale, message in scales:
        if abs(amount) >= scale:
            return label(lang, message, amount=_grouped(f"{amount / scale:,.1f}", lang))
    if abs(amount) >= MILLION:
        number = _grouped(f"{amount / MILLION:,.1f}", lang)
        return label(lang, N_("{amount} M KZT"), amount=number)
    return label(lang, N_("{amount} KZT"), amount=_grouped(f"{amount:,.0f}", lang))


def percent(share: float | None, lang: str) -> str:
    """A share as whole percent («42 %»); a dash when there is none."""
    if share is None:
        return "—"
    number = f"{share * 100:.0f}"
    return f"{number}%" if lang == "en" else f"{number}\u202f%"


def signed_percent(share: float | None, lang: str) -> str:
    """A change as signed percent («+12 %», «−5 %»); a dash when there is none."""
    if share is None:
        return "—"
    text = percent(abs(share), lang)
    return ("+" if share >= 0 else "−") + text


def number(value: Decimal | float | int, lang: str, digits: int = 0) -> str:
    """A number grouped as `lang` writes it."""
    return _grouped(f"{Decimal(str(value)):,.{digits}f}", language(lang))
