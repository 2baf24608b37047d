"""The audit log as people read it: each entry a sentence in the reader's language («Сделка
№ Д-1 создана», «№ Д-1 мәміле құрылды»), the object by its human identity, and its changed
fields in words, values as names (organisations, regions, people, KPIs, statuses), money
with its currency and dates as the language writes them. The rows the entries point at are
loaded once for a whole page (`Names.load`), one query per kind."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import inspect
from sqlalchemy.orm import Session

from seriktes.accounts.models import User
from seriktes.agreements import audit_queries as queries
from seriktes.agreements.audit import SKIPPED, plain
from seriktes.agreements.audit_labels import (
    CHOICES,
    DELETED,
    FIELDS,
    MONEY_KPIS,
    NO,
    SENTENCES,
    STATUSES,
    SYSTEM,
    UNKNOWN_CHANGE,
    YES,
    Field,
    Show,
)
from seriktes.agreements.labels import KINDS
from seriktes.agreements.models import AuditAction, AuditEntry, Commitment, Memorandum
from seriktes.catalog.models import Need, Offer
from seriktes.events.models import Event, MeetingRequest
from seriktes.kit import clock
from seriktes.kit.db import Base
from seriktes.kit.i18n import N_, translate
from seriktes.registry import repository as registry_repository
from seriktes.registry.models import Organisation, Region, Unit

NONE = "—"
MONTHS_EN = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
REFERENCES: dict[Show, type[Base]] = {
    Show.ORG: Organisation,
    Show.REGION: Region,
    Show.USER: User,
    Show.EVENT: Event,
    Show.NEED: Need,
    Show.OFFER: Offer,
    Show.MEETING: MeetingRequest,
    Show.MEMORANDUM: Memorandum,
    Show.COMMITMENTS: Commitment,
}
NUMBERED = N_("No. {number}")


@dataclass(frozen=True)
class Change:
    """One field of an entry: its label and its values before and after, as read."""

    field: str
    before: str
    after: str


@dataclass(frozen=True)
class Readable:
    """An entry as a reader reads it."""

    entry: AuditEntry
    when: str  # in Kazakhstan's time
    who: str
    kind: str  # «Сделка»
    sentence: str  # «Сделка № Д-1 создана»
    short: str  # «Сделка создана»
    identity: str  # «№ Д-1 — ТОО «А» → ТОО «Б»»
    changes: list[Change]


# --- numbers, money and dates -----------------------------------------------------------
def number(value: Any, lang: str, places: int = 3) -> str:
    """1 500,5 (ru, kk) or 1,500.5 (en); trailing zeros dropped."""
    try:
        amount = round(Decimal(str(value)), places)
    except (InvalidOperation, ValueError):
        return str(value)
    text = f"{amount.normalize():,f}" if amount != amount.to_integral() else f"{int(amount):,}"
    return text if lang == "en" else text.replace(",", "\u202f").replace(".", ",")


def money(value: Any, currency: str | None, lang: str) -> str:
    """An amount with its currency: 1 500 000 ₸, 25 000 USD."""
    code = currency or "KZT"
    return f"{number(value, lang, 2)}\u00a0{'₸' if code == 'KZT' else code}"


def day(value: date | str | None, lang: str) -> str:
    """01.12.2026 (ru, kk) or 1 Dec 2026 (en)."""
    if value is None:
        return NONE
    if isinstance(value, str):
        try:
            return day(date.fromisoformat(value[:10]), lang)
        except ValueError:
            return value
    if lang == "en":
        return f"{value.day} {MONTHS_EN[value.month - 1]} {value.year}"
    return value.strftime("%d.%m.%Y")


def moment(value: datetime | str | None, lang: str) -> str:
    """A stored time in Kazakhstan's time: 01.12.2026 14:05."""
    if value is None:
        return NONE
    if isinstance(value, str):
        try:
            return moment(datetime.fromisoformat(value), lang)
        except ValueError:
            return value
    aware = value if value.tzinfo else value.replace(tzinfo=UTC)  # stored times are UTC
    local = aware.astimezone(clock.ZONE)
    return f"{day(local.date(), lang)} {local:%H:%M}"


# --- the rows entries point at ----------------------------------------------------------
@dataclass
class Names:
    """The rows a page of entries points at, each kind loaded with one query, and the
    objects' own fields (`facts`: their current values, or their last full snapshot)."""

    lang: str
    refs: dict[Show, dict[int, Any]] = field(default_factory=dict)
    units: dict[str, Unit] = field(default_factory=dict)
    classes: dict[str, str] = field(default_factory=dict)
    facts: dict[tuple[str, int], dict[str, Any]] = field(default_factory=dict)

    @classmethod
    def load(
        cls,
        session: Session,
        entries: Sequence[AuditEntry],
        lang: str,
        objects: Iterable[tuple[str, int]] = (),
    ) -> Names:
        """Everything `entries` point at, and what names `objects` (kind, id)."""
        names = cls(lang)
        wanted_objects = {(e.entity_kind, e.entity_id) for e in entries} | set(objects)
        names._load_facts(session, wanted_objects)
        wanted: dict[Show, set[Any]] = defaultdict(set)
        for entry in entries:
            for values in (entry.before, entry.after):
                names._collect(entry.entity_kind, values or {}, wanted)
        for (kind, _id), facts in names.facts.items():
            names._collect(kind, facts, wanted)
        for show, model in REFERENCES.items():
            names.refs[show] = queries.by_id(session, model, wanted[show])
        names.units = queries.by_code(session, Unit, wanted[Show.UNIT])
        classes = registry_repository.class_names(session, wanted[Show.CLASS])
        names.classes = {c: kk if lang == "kk" and kk else ru for c, (ru, kk) in classes.items()}
        return names

    def _load_facts(self, session: Session, objects: set[tuple[str, int]]) -> None:
        ids: dict[str, set[int]] = defaultdict(set)
        for kind, entity_id in objects:
            ids[kind].add(entity_id)
        for kind, model in queries.ENTITIES.items():
            for row in queries.by_id(session, model, ids.get(kind, ())).values():
                self.facts[(kind, row.id)] = columns(row)  # type: ignore[attr-defined]
        missing = {(k, i) for k, found in ids.items() for i in found} - set(self.facts)
        self.facts.update(queries.full_snapshots(session, missing))
        # a delivery is named by its deal, a report by its commitment
        named_by = (
            ("deal", "delivery", "deal_id"),
            ("commitment", "progress_report", "commitment_id"),
            ("commitment", "milestone", "commitment_id"),
        )
        for parent, child, key in named_by:
            parents = {f.get(key) for (k, _i), f in self.facts.items() if k == child}
            parents -= {i for (k, i) in self.facts if k == parent}
            model = queries.ENTITIES[parent]
            for row in queries.by_id(session, model, (p for p in parents if p)).values():
                self.facts[(parent, row.id)] = columns(row)  # type: ignore[attr-defined]

    def _collect(self, kind: str, values: dict[str, Any], wanted: dict[Show, set[Any]]) -> None:
        for key, value in values.items():
            found = FIELDS.get(kind, {}).get(key)
            if found is None or value is None:
                continue
            if found.show is Show.PARTIES:
                for party in value if isinstance(value, list) else ():
                    self._collect("memorandum_party", party, wanted)
            elif found.show is Show.COMMITMENTS and isinstance(value, list):
                wanted[Show.COMMITMENTS].update(value)
            elif found.show in REFERENCES or found.show in (Show.UNIT, Show.CLASS):
                wanted[found.show].add(value)

    def of(self, kind: str, entity_id: int | None) -> dict[str, Any]:
        """The object's own fields (empty when unknown)."""
        return self.facts.get((kind, entity_id), {}) if entity_id is not None else {}

    def name(self, show: Show, value: Any) -> str:
        """The name of the row `value` points at."""
        row = self.refs.get(show, {}).get(value)
        if row is None:
            return translate(self.lang, DELETED).format(id=value)
        return _row_name(row, self.lang)

    def unit(self, code: Any) -> str:
        """A unit of measure by name."""
        unit = self.units.get(code)
        if unit is None:
            return str(code)
        return unit.name_kk if self.lang == "kk" and unit.name_kk else unit.name_ru


def _row_name(row: Any, lang: str) -> str:
    """A row's name in `lang`."""
    if isinstance(row, Organisation):
        return row.name_kk if lang == "kk" and row.name_kk else row.name_ru
    if isinstance(row, Region):
        return row.name(lang)
    if isinstance(row, User):
        return row.full_name or row.email
    if isinstance(row, Memorandum):
        return translate(lang, NUMBERED).format(number=row.number)
    if isinstance(row, MeetingRequest):
        return row.topic or translate(lang, NUMBERED).format(number=row.id)
    return str(row.title)


def columns(row: Base) -> dict[str, Any]:
    """A row's stored fields as the log keeps them (no bytes, no relationships)."""
    return {
        attr.key: plain(getattr(row, attr.key))
        for attr in inspect(type(row)).column_attrs
        if attr.key not in SKIPPED
    }


# --- values -----------------------------------------------------------------------------
def value_text(names: Names, kind: str, key: str, value: Any, context: dict[str, Any]) -> str:
    """A field's value as read; `context` holds the object's other fields (its currency,
    KPI, unit)."""
    if value is None or value in ("", []):
        return NONE
    found = FIELDS.get(kind, {}).get(key)
    if found is None:
        return str(value)
    return _shown(names, found, kind, key, value, context)


def _shown(  # noqa: PLR0911, PLR0912 — one branch per way of showing
    names: Names, found: Field, kind: str, key: str, value: Any, context: dict[str, Any]
) -> str:
    lang, show = names.lang, found.show
    if show is Show.DATE:
        return day(value, lang)
    if show is Show.MOMENT:
        return moment(value, lang)
    if show is Show.YES_NO:
        return translate(lang, YES if value else NO)
    if show is Show.NUMBER:
        return number(value, lang)
    if show is Show.MONEY:
        return money(value, context.get("currency"), lang)
    if show is Show.KZT:
        return money(value, "KZT", lang)
    if show is Show.RATE:  # said only of another currency than the tenge
        currency = context.get("currency") or "KZT"
        return NONE if currency == "KZT" else f"{money(value, 'KZT', lang)} / {currency}"
    if show is Show.TARGET:
        return _measure(names, value, context.get("kpi"), context.get("unit_code"))
    if show is Show.REPORT_VALUE:
        owner = names.of("commitment", context.get("commitment_id"))
        return _measure(names, value, owner.get("kpi"), owner.get("unit_code"))
    if show is Show.QUANTITY:
        unit = context.get("unit_code")
        return f"{number(value, lang)} {names.unit(unit)}" if unit else number(value, lang)
    if show is Show.UNIT:
        return names.unit(value)
    if show is Show.CLASS:
        return f"{value} {names.classes[value]}" if value in names.classes else str(value)
    if show is Show.CHOICE:
        labels = STATUSES.get(kind, {}) if key == "status" else CHOICES.get(key, {})
        return translate(lang, labels[value]) if value in labels else str(value)
    if show is Show.SECTORS:
        sectors = CHOICES["sector"]
        return ", ".join(translate(lang, sectors.get(s, s)) for s in value)
    if show is Show.PARTIES:
        return "; ".join(_party(names, party) for party in value)
    if show is Show.COMMITMENTS:
        return "; ".join(names.name(Show.COMMITMENTS, i) for i in value) or NONE
    if show in REFERENCES:
        return names.name(show, value)
    return str(value)


def _measure(names: Names, value: Any, kpi: Any, unit: Any) -> str:
    if kpi in MONEY_KPIS:
        return money(value, "KZT", names.lang)
    if kpi == "supply_volume" and unit:
        return f"{number(value, names.lang)} {names.unit(unit)}"
    return number(value, names.lang)


def _party(names: Names, party: dict[str, Any]) -> str:
    """«ТОО «Альфа» (Сторона), подписант: …»: the party's name, role and other fields."""
    who = [
        value_text(names, "memorandum_party", key, party.get(key), party)
        for key in ("organisation_id", "region_id")
        if party.get(key) is not None
    ]
    text = ", ".join(who) or NONE
    if party.get("role"):
        text += f" ({value_text(names, 'memorandum_party', 'role', party['role'], party)})"
    for key, found in FIELDS["memorandum_party"].items():
        if found is None or key in ("organisation_id", "region_id", "role"):
            continue
        if party.get(key) not in (None, ""):
            label = translate(names.lang, found.label)
            text += f", {label}: {value_text(names, 'memorandum_party', key, party[key], party)}"
    return text


# --- entries ----------------------------------------------------------------------------
def _only_changed(before: Any, after: Any) -> tuple[Any, Any]:
    """Of two lists, the items only the first holds and those only the second holds: a
    party whose signatory changed reads as the old line removed and the new one added."""
    if not isinstance(before, list) or not isinstance(after, list):
        return before, after
    return [x for x in before if x not in after], [x for x in after if x not in before]


def changes(names: Names, entry: AuditEntry) -> list[Change]:
    """The entry's fields as read, in the order of `FIELDS`; hidden ones left out. A new
    object shows what it was made with, a deleted one what it held."""
    before, after = entry.before or {}, entry.after or {}
    kind = entry.entity_kind
    known = FIELDS.get(kind, {})
    keys = [k for k in known if k in before or k in after]
    keys += sorted(k for k in {*before, *after} if k not in known)  # not labelled yet
    facts = names.of(kind, entry.entity_id)
    found = []
    for key in keys:
        if key in known and known[key] is None:
            continue
        labelled = known.get(key)
        label = translate(names.lang, labelled.label) if labelled else key
        old, new = before.get(key), after.get(key)
        if labelled and labelled.show is Show.PARTIES and entry.before and entry.after:
            old, new = _only_changed(old, new)  # the parties removed, the parties added
        was = value_text(names, kind, key, old, {**facts, **before})
        now = value_text(names, kind, key, new, {**facts, **after})
        if entry.action is AuditAction.CREATE and now == NONE:
            continue
        if entry.action is AuditAction.DELETE and was == NONE:
            continue
        if entry.before is not None and entry.after is not None and was == now:
            continue  # a change a reader cannot see (a rate of the tenge to itself)
        found.append(
            Change(
                label,
                was if entry.before is not None else "",
                now if entry.after is not None else "",
            )
        )
    return found


def identity(names: Names, kind: str, entity_id: int) -> dict[str, str]:
    """What names the object: {number}, {title}, {date}, {deal} and a line that says it."""
    lang, facts = names.lang, names.of(kind, entity_id)
    numbered = translate(lang, NUMBERED)
    if kind == "deal":
        parties = " → ".join(
            names.name(Show.ORG, facts[k]) for k in ("buyer_id", "supplier_id") if facts.get(k)
        )
        line = numbered.format(number=facts.get("number", entity_id))
        return {"number": str(facts.get("number", "")), "line": f"{line} — {parties}"}
    if kind == "memorandum":
        line = numbered.format(number=facts.get("number", entity_id))
        title = facts.get("title")
        return {
            "number": str(facts.get("number", "")),
            "line": f"{line} — {title}" if title else line,
        }
    if kind == "commitment":
        return {"title": str(facts.get("title", "")), "line": str(facts.get("title", ""))}
    if kind == "delivery":
        deal = names.of("deal", facts.get("deal_id"))
        when = day(facts.get("delivered_on"), lang) if facts.get("delivered_on") else ""
        number_ = str(deal.get("number", ""))
        line = f"{when}, {numbered.format(number=number_)}" if number_ else when
        return {"date": when, "deal": number_, "line": line}
    if kind in ("progress_report", "milestone"):
        owner = names.of("commitment", facts.get("commitment_id"))
        dated = facts.get("reported_on" if kind == "progress_report" else "due_on")
        when = day(dated, lang) if dated else ""
        title = str(owner.get("title", ""))
        return {"date": when, "title": title, "line": f"{when} — {title}" if title else when}
    return {"line": numbered.format(number=entity_id)}


def sentence(lang: str, kind: str, action: str, named: dict[str, str]) -> tuple[str, str]:
    """The short and the full sentence of a change («Сделка создана», «Сделка № Д-1
    создана»); the full one only when the object's identity is known."""
    said = SENTENCES.get((kind, action), UNKNOWN_CHANGE)
    short = translate(lang, said.short)
    needed = {
        "memorandum": ("number",),
        "deal": ("number",),
        "commitment": ("title",),
        "milestone": ("date", "title"),
    }
    needed_keys = needed.get(kind, ("date", "deal") if kind == "delivery" else ("date",))
    if all(named.get(k) for k in needed_keys):
        return short, translate(lang, said.full).format(**named)
    return short, short


def readable(names: Names, entries: Iterable[AuditEntry]) -> list[Readable]:
    """Entries as their reader reads them."""
    lang = names.lang
    found = []
    for entry in entries:
        named = identity(names, entry.entity_kind, entry.entity_id)
        short, full = sentence(lang, entry.entity_kind, entry.action.value, named)
        who = entry.user.full_name or entry.user.email if entry.user else translate(lang, SYSTEM)
        kind = KINDS.get(entry.entity_kind)
        found.append(
            Readable(
                entry=entry,
                when=moment(entry.at, lang),
                who=who,
                kind=translate(lang, kind) if kind else entry.entity_kind,
                sentence=full,
                short=short,
                identity=named["line"],
                changes=changes(names, entry),
            )
        )
    return found


def read(session: Session, entries: Sequence[AuditEntry], lang: str) -> list[Readable]:
    """`entries` as read in `lang` (the rows they point at loaded once)."""
    return readable(Names.load(session, entries, lang), entries)
