"""Cells of the producer registers: combined cells split, statuses, shares, capacities, names.

Registers write several values in one cell: «KZ EA 4 102 00005 от 12.03.2021» (number and
date), «ТОО «Ромашка»\n(г. Алматы, ул. Абая, 1)» (producer and address), «Филе ЦБ
(0207141001)» (product and HS code), «Действителен до 31.12.2025» (status and end date).
Every function here is pure: text in, values out, `CellError` for what cannot be read.
"""

from __future__ import annotations

import hashlib
import re
from datetime import date
from decimal import Decimal

from seriktes.catalog.models import CertificateStatus
from seriktes.kit.i18n import N_
from seriktes.kit.importing import CellError, date_value, decimal_value, text
from seriktes.kit.tabular import Cell

PLACEHOLDERS = {"-", "—", "–", "нет", "н/д", "отсутствует"}
DATE = re.compile(
    r"\b(\d{1,2}[./]\d{1,2}[./]\d{2,4}|\d{4}[-.]\d{2}[-.]\d{2})\b(?:\s*(?:г\.|года|ж\.))?"
)
DATE_AFTER = re.compile(r"(?:^|\s)(?:от|from)\s+\S", re.IGNORECASE)
DATE_LIKE = re.compile(r"\d{1,4}[./-]\d{1,2}[./-]\d{1,4}")
NUMBER_TAIL = re.compile(r"[\s,;:(]*(?:от|from|выдан[а-я]*|дата выдачи)?[\s:(]*$", re.IGNORECASE)
CHAMBER_CODE = re.compile(r"^KZ\s*(?:[A-ZА-Я]{2}\s*)?\d\s*(\d{3})\s*\d{5}$", re.IGNORECASE)
ADDRESS_MARKERS = re.compile(
    r"\d|\b(?:г|обл|ул|пр|пр-т|мкр|с|п|пос|р-н|д|қ|көш)\.|\b(?:рк|республика|область|"
    r"район|улица|проспект|село|поселок|облысы|ауданы|ауылы|қаласы|казахстан|қазақстан)\b",
    re.IGNORECASE,
)
HS_LABEL = re.compile(r"(?:код\s*)?тн\s*вэд(?:\s*еаэс)?\s*[:№]?\s*", re.IGNORECASE)
HS_DIGITS = re.compile(r"^\d[\d\s.]{2,14}\d$")
LEGAL_FORMS = (
    ("товарищество с ограниченной ответственностью", "тоо"),
    ("жауапкершілігі шектеулі серіктестігі", "тоо"),
    ("жауапкершілігі шектеулі серіктестік", "тоо"),
    ("жшс", "тоо"),
    ("акционерное общество", "ао"),
    ("акционерлік қоғамы", "ао"),
    ("акционерлік қоғам", "ао"),
    ("индивидуальный предприниматель", "ип"),
    ("жеке кәсіпкер", "ип"),
)
STATUS_WORDS: tuple[tuple[str, CertificateStatus], ...] = (
    # longest first: «недействителен» must not be read as «действителен»
    ("срок действия истек", CertificateStatus.EXPIRED),
    ("мерзімі өтті", CertificateStatus.EXPIRED),
    ("недействител", CertificateStatus.EXPIRED),
    ("не действ", CertificateStatus.EXPIRED),
    ("истек", CertificateStatus.EXPIRED),
    ("expired", CertificateStatus.EXPIRED),
    ("приостановлен", CertificateStatus.SUSPENDED),
    ("тоқтатыл", CertificateStatus.SUSPENDED),
    ("suspended", CertificateStatus.SUSPENDED),
    ("отозван", CertificateStatus.REVOKED),
    ("аннулирован", CertificateStatus.REVOKED),
    ("прекращен", CertificateStatus.REVOKED),
    ("кері қайтарыл", CertificateStatus.REVOKED),
    ("revoked", CertificateStatus.REVOKED),
    ("действ", CertificateStatus.VALID),
    ("жарамды", CertificateStatus.VALID),
    ("қолданыста", CertificateStatus.VALID),
    ("valid", CertificateStatus.VALID),
)


def clean(value: Cell) -> str | None:
    """The cell as one line of text; None when empty or a placeholder such as «-»."""
    raw = text(value)
    if raw is None:
        return None
    raw = " ".join(raw.split())
    return None if raw.lower() in PLACEHOLDERS else raw


def register_date(value: Cell) -> date | None:
    """A date of a register: a spreadsheet date, 31.03.2026, 2026-03-31 or 2026.03.31; «-»
    is no date."""
    if isinstance(value, date):
        return date_value(value)
    return date_value(clean(value))


def _one_date(raw: str) -> tuple[str, date | None]:
    """Take the date out of `raw`: what is left and the date (a bad date is an error)."""
    found = DATE.search(raw)
    if found is None:
        if DATE_LIKE.search(raw):
            raise CellError(N_("cannot read the date in %(value)s"), params={"value": repr(raw)})
        return raw, None
    try:
        when = date_value(found.group(1).replace("/", "."))
    except CellError:
        raise CellError(
            N_("cannot read the date in %(value)s"), params={"value": repr(raw)}
        ) from None
    return (raw[: found.start()] + raw[found.end() :]).strip(), when


def number_and_date(value: Cell) -> tuple[str, date | None] | None:
    """Split «KZ EA 4 102 00005 от 12.03.2021» into the number and the date of issue."""
    raw = clean(value)
    if raw is None:
        return None
    rest, issued = _one_date(raw)
    if issued is None and DATE_AFTER.search(raw):
        raise CellError(N_("cannot read the date in %(value)s"), params={"value": repr(raw)})
    number = NUMBER_TAIL.sub("", rest.lstrip("№ ")).strip(" ,;()")
    if not number:
        raise CellError(N_("no certificate number in %(value)s"), params={"value": repr(raw)})
    if len(number) > 64:
        raise CellError(
            N_("certificate number %(value)s is longer than 64 characters"),
            params={"value": repr(number)},
        )
    return number, issued


def chamber_code(number: str) -> str | None:
    """The chamber's three-digit code inside an ST-KZ number (KZ 5 120 00012 → 120)."""
    found = CHAMBER_CODE.match(number.strip())
    return found.group(1) if found else None


def _last_group(raw: str) -> tuple[str, str] | None:
    """Split «text (group)» at its last balanced parenthesised group ending the text."""
    if not raw.endswith(")"):
        return None
    depth = 0
    for index in range(len(raw) - 1, -1, -1):
        depth += {")": 1, "(": -1}.get(raw[index], 0)
        if depth == 0:
            return raw[:index].strip(), raw[index + 1 : -1].strip()
    return None


def producer_and_address(value: Cell) -> tuple[str, str | None] | None:
    """Split «ТОО «X»\\n(г. Алматы, ул. Абая, 1)» into the producer's name and address."""
    raw = text(value)
    if raw is None:
        return None
    lines = [line.strip() for line in raw.splitlines() if line.strip()]
    if len(lines) > 1:
        address = " ".join(" ".join(lines[1:]).split()).strip()
        if address.startswith("(") and address.endswith(")"):
            address = address[1:-1].strip()
        return " ".join(lines[0].split()), address or None
    one = " ".join(raw.split())
    split = _last_group(one)
    if split and split[0] and ADDRESS_MARKERS.search(split[1]):
        return split[0], split[1]
    return one, None


def _hs_digits(candidate: str, labelled: bool) -> str | None:
    """The HS code in `candidate` when it is one (4-10 digits labelled, 6-10 otherwise)."""
    body = HS_LABEL.sub("", candidate).strip(" :") if labelled else candidate.strip()
    if not HS_DIGITS.match(body) and not body.isdigit():
        return None
    digits = re.sub(r"[\s.]", "", body)
    return digits if (4 if labelled else 6) <= len(digits) <= 10 else None


def product_and_hs(value: Cell) -> tuple[str, str | None] | None:
    """Split «Филе ЦБ (0207141001)» or «Филе ЦБ\\nкод ТН ВЭД 0207141001» into the product
    and its HS code; a labelled code that is not 4-10 digits is an error."""
    raw = text(value)
    if raw is None:
        return None
    lines = [line.strip() for line in raw.splitlines() if line.strip()]
    title, tail = " ".join(" ".join(lines).split()), None
    last = lines[-1] if lines else ""
    group = _last_group(title)
    if group is not None:
        title, tail = group
    elif len(lines) > 1 and (HS_LABEL.search(last) or last.replace(" ", "").isdigit()):
        title, tail = " ".join(" ".join(lines[:-1]).split()), last
    if tail is None:
        labelled = HS_LABEL.search(title)
        if labelled is None:
            return title, None
        title, tail = title[: labelled.start()].strip(" ,;"), title[labelled.start() :]
    is_labelled = HS_LABEL.search(tail) is not None
    code = _hs_digits(tail, is_labelled)
    if code is None:
        if is_labelled:
            raise CellError(
                N_("HS code must be 4 to 10 digits, got %(value)s"), params={"value": repr(tail)}
            )
        return " ".join(raw.split()), None  # a parenthesised remark, not a code
    if not title:
        raise CellError(N_("no product name in %(value)s"), params={"value": repr(raw)})
    return title, code


def status_and_end(value: Cell) -> tuple[CertificateStatus, date | None]:
    """Read «Действителен до 31.12.2025», «Срок действия истек», «Действующий», ...
    (Russian, Kazakh or English); an empty cell means valid."""
    raw = clean(value)
    if raw is None:
        return CertificateStatus.VALID, None
    rest, until = _one_date(raw)
    words = rest.lower().replace("ё", "е")
    for word, status in STATUS_WORDS:
        if word in words:
            return status, until
    raise CellError(
        N_("unknown certificate status %(value)s; use valid, expired, suspended or revoked"),
        params={"value": repr(raw)},
    )


def share(value: Cell) -> Decimal | None:
    """A local-content share (ДВЦ) in percent, 0 to 100: «68,23», «68.23 %»."""
    raw = clean(value)
    if raw is None:
        return None
    try:
        number = decimal_value(raw.rstrip("% "))
    except CellError:
        raise CellError(
            N_("local-content share must be a percentage, got %(value)s"),
            params={"value": repr(raw)},
        ) from None
    if number is None or number > 100:
        raise CellError(
            N_("local-content share must be between 0 and 100 percent, got %(value)s"),
            params={"value": repr(raw)},
        )
    return number.quantize(Decimal("0.01"))


def capacity_and_unit(value: Cell) -> tuple[Decimal | None, str | None]:
    """Read a yearly capacity such as «492000», «1 968 000» or «49 договоров» (number, word)."""
    raw = clean(value)
    if raw is None:
        return None, None
    found = re.match(r"^([\d\s\u00a0.,]*\d)\s*(.*)$", raw)
    if found is None:
        raise CellError(N_("expected a number, got %(value)s"), params={"value": repr(raw)})
    try:
        number = decimal_value(found.group(1))
    except CellError:
        raise CellError(
            N_("expected a number, got %(value)s"), params={"value": repr(raw)}
        ) from None
    return number, found.group(2).strip(" .") or None


def normalise_name(name: str) -> str:
    """Fold an organisation's name for comparison: case, quotes, legal form, spaces."""
    folded = name.lower().replace("ё", "е")
    folded = re.sub(r"[«»\"'“”„`]", " ", folded)
    folded = " ".join(re.sub(r"[^\w\s-]", " ", folded).split())
    for long_form, short in LEGAL_FORMS:
        folded = folded.replace(long_form, short)
    return folded


def normalise_address(address: str | None) -> str:
    """Fold an address for comparison: case, punctuation and spaces."""
    if not address:
        return ""
    folded = address.lower().replace("ё", "е")
    return " ".join(re.sub(r"[^\w\s]", " ", folded).split())


def identity_key(name: str, address: str | None) -> str:
    """The key of an organisation without a BIN: a digest of its normalised name and address."""
    folded = f"{normalise_name(name)}|{normalise_address(address)}"
    return hashlib.sha1(folded.encode()).hexdigest()


def normalise_title(title: str) -> str:
    """Fold a product name for comparison: case, ё and spaces."""
    return " ".join(title.lower().replace("ё", "е").split())


def product_id(title: str, hs: str | None, kpved: str | None) -> str:
    """An offer's external id (a register has no ids): its normalised name with the HS and
    KP VED codes the register gives (one name may stand for two products of two classes)."""
    folded = f"{normalise_title(title)}|{hs or ''}|{kpved or ''}"
    return "p:" + hashlib.sha1(folded.encode()).hexdigest()[:20]
