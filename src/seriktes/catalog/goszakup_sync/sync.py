"""Pulling a buyer's or a region's plans from goszakup into needs, page by page.

A buyer's plans are read from `/v3/plans/{BIN}`, a region's from `/v3/plans/all`, keeping
the items of its buyers (an organisation registered in the region, or one the register does
not know whose name places it there — the rule a file import uses for new buyers). Every
page's items go through the file import's parsing and writing (`catalog.goszakup`,
`catalog.importer.import_lines`, invalid items skipped and reported), so a sync and a file
import give the same needs.

Each page is written with the sync's state (`GoszakupSync`) in one transaction: the page to
read next and the highest item id read. A run that stops (a crash, the service failing past
its retries) resumes from the page it had not written; a run that went through to the end
leaves the highest id it read, and the next run asks only for the items after it
(`?page=next&search_after=<id>`, and skips any at or below it: goszakup gives a changed plan
point a new id). `full` reads every page again; unchanged lines are counted unchanged.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from seriktes.catalog.goszakup import parse_plan_items
from seriktes.catalog.goszakup_sync.client import PlanClient, SyncFailed
from seriktes.catalog.goszakup_sync.models import GoszakupSync
from seriktes.catalog.importer import NEEDS, LinesReport, import_lines
from seriktes.kit import clock
from seriktes.kit.errors import ValidationFailed
from seriktes.kit.i18n import N_
from seriktes.kit.importing import CellError
from seriktes.kit.values import is_digits
from seriktes.registry import repository as registry_repository
from seriktes.registry.kato import oblast_of
from seriktes.registry.service import check_bin, guess_region_kato

T = TypeVar("T")
# runs `write` in a transaction of its own, committed when it returns
Writer = Callable[[Callable[[Session], T]], T]
Progress = Callable[[int, int | None], None]


@dataclass(frozen=True)
class Target:
    """What to sync: one buyer (`bin`) or the buyers of a region (`region`, a top-level
    KATO code), the plans of one year or of every year (`year` None)."""

    bin: str | None = None
    region: str | None = None
    year: int | None = None

    @property
    def key(self) -> str:
        """The state's name of the target."""
        return f"bin:{self.bin}" if self.bin else f"region:{self.region}"

    @property
    def path(self) -> str:
        """The listing the target's plans are read from."""
        return f"/v3/plans/{self.bin}" if self.bin else "/v3/plans/all"


def check_target(
    session: Session, bin_value: str | None, region: str | None, year: int | None
) -> Target:
    """The target the caller named, checked: one BIN or one top-level region, a sane year."""
    if bool(bin_value) == bool(region):
        raise ValidationFailed(N_("name one buyer's BIN or one region to sync, not both"))
    if year is not None and not 2000 <= year <= clock.today().year + 5:
        raise ValidationFailed(N_("%(year)s is not a plan year"), params={"year": year})
    if bin_value:
        try:
            return Target(bin=check_bin(bin_value), year=year)
        except CellError as exc:
            raise ValidationFailed(exc.template, params=exc.params) from None
    kato = str(region).strip()
    found = registry_repository.region_by_kato(session, kato) if is_digits(kato) else None
    if found is None or found.level != "oblast":
        raise ValidationFailed(
            N_("no region with KATO code %(kato)s; name a region by its KATO code (63)"),
            params={"kato": kato},
        )
    return Target(region=found.kato, year=year)


@dataclass
class SyncReport(LinesReport):
    """A sync's counts: the import's (`LinesReport`) and the pages and items it read."""

    pages: int = 0
    fetched: int = 0  # items the service gave
    seen_before: int = 0  # items at or below the highest id of the previous runs
    other_year: int = 0  # items of another plan year than the one asked for
    other_region: int = 0  # items of buyers outside the region
    resumed: bool = False  # the run went on from where an interrupted one stopped
    waits: list[float] = field(default_factory=list, repr=False)

    def as_dict(self) -> dict[str, object]:
        """The import's counts, and the pages and items read."""
        return {
            **super().as_dict(),
            "pages": self.pages,
            "fetched": self.fetched,
            "seen_before": self.seen_before,
            "other_year": self.other_year,
            "other_region": self.other_region,
            "resumed": self.resumed,
            "retries": len(self.waits),
        }


@dataclass(frozen=True)
class _Start:
    path: str
    skip_upto: int  # items at or below this id were read by a run before
    resumed: bool


def sync_plans(
    target: Target,
    client: PlanClient,
    write: Writer[Any],
    *,
    full: bool = False,
    progress: Progress | None = None,
) -> SyncReport:
    """Read the target's plan pages from `client` and write each page's needs with the
    sync's state in a transaction of its own (`write`); the report sums the pages'."""
    start: _Start = write(lambda session: _begin(session, target, full))
    report = SyncReport("needs", f"goszakup {target.key}", resumed=start.resumed)
    path, seen = start.path, set()
    while path:
        if path in seen:  # a service that sends a page back as its own next would loop
            raise SyncFailed(
                N_("goszakup gave %(path)s as the next page a second time"),
                params={"path": path[:200]},
            )
        seen.add(path)
        page = client.page(path)
        first = report.fetched + 1
        report.pages += 1
        report.fetched += len(page.items)
        numbered = list(enumerate(page.items, start=first))

        def step(
            session: Session,
            numbered: list[tuple[int, Any]] = numbered,
            after: str = page.next_page,
        ) -> LinesReport:
            return _write_page(session, target, report, numbered, after, start.skip_upto)

        part: LinesReport = write(step)
        report.add(part)
        path = page.next_page
        if progress is not None:
            progress(report.fetched, page.total)
    report.waits = list(client.waits)
    return report


def _begin(session: Session, target: Target, full: bool) -> _Start:
    """The state of the target, marked as under way; where to start reading."""
    state = _state(session, target)
    if state.next_page and not full:
        start = _Start(state.next_page, state.last_id, True)
    elif state.last_id and not full:
        start = _Start(
            f"{target.path}?page=next&search_after={state.last_id}", state.last_id, False
        )
    else:
        start = _Start(target.path, 0, False)
    if not start.resumed:
        state.running_id = state.last_id if not full else 0
    state.next_page = start.path
    session.flush()
    return start


def _state(session: Session, target: Target) -> GoszakupSync:
    year = target.year or 0
    found = session.scalar(
        select(GoszakupSync).where(GoszakupSync.target == target.key, GoszakupSync.year == year)
    )
    if found is None:
        found = GoszakupSync(target=target.key, year=year, last_id=0, running_id=0)
        session.add(found)
        session.flush()
    return found


def _write_page(
    session: Session,
    target: Target,
    report: SyncReport,
    numbered: list[tuple[int, Any]],
    next_page: str,
    skip_upto: int,
) -> LinesReport:
    """Write one page's wanted items as needs and move the state past the page."""
    items = [item for _number, item in numbered]
    wanted = _wanted(session, target, report, numbered, skip_upto)
    parsed = parse_plan_items(
        session, report.file, [item for _n, item in wanted], [n for n, _item in wanted]
    )
    part = import_lines(session, NEEDS, parsed, skip_invalid=True, source="goszakup")
    state = _state(session, target)
    ids = [_item_id(item) for item in items]
    state.running_id = max([state.running_id, *ids])
    stamps = [str(item.get("timestamp")) for item in items if isinstance(item, dict)]
    state.last_timestamp = max([state.last_timestamp or "", *stamps]) or None
    state.pages += 1
    state.items += len(items)
    if next_page:
        state.next_page = next_page
    else:  # the end: the next run asks for what came after
        state.next_page = None
        state.last_id = max(state.last_id, state.running_id)
        state.finished_at = clock.now()
    session.flush()
    return part


def _wanted(
    session: Session,
    target: Target,
    report: SyncReport,
    numbered: list[tuple[int, Any]],
    skip_upto: int,
) -> list[tuple[int, Any]]:
    """The page's items the target wants (with their numbers): new ones, of its year and
    of its buyers."""
    kept = []
    for number, item in numbered:
        if not isinstance(item, dict):
            kept.append((number, item))  # the parser names it
            continue
        if skip_upto and _item_id(item) <= skip_upto:
            report.seen_before += 1
        elif target.year is not None and str(item.get("pln_point_year")) != str(target.year):
            report.other_year += 1
        else:
            kept.append((number, item))
    if target.region is None:
        return kept
    in_region = _in_region(session, str(target.region), kept)
    report.other_region += len(kept) - len(in_region)
    return in_region


def _in_region(
    session: Session, kato: str, numbered: list[tuple[int, Any]]
) -> list[tuple[int, Any]]:
    """The items whose buyer is in the region: registered there, or, when not registered,
    named so that the name places it there."""
    oblast = oblast_of(kato)
    bins = {str(item.get("subject_biin")) for _n, item in numbered if isinstance(item, dict)}
    known = registry_repository.organisations_by_bin(session, bins)

    def buyer_oblast(item: dict[str, Any]) -> str | None:
        org = known.get(str(item.get("subject_biin")))
        if org is not None:
            return oblast_of(org.region.kato) if org.region is not None else None
        guessed = guess_region_kato(str(item.get("subject_name_ru") or ""))
        return oblast_of(guessed) if guessed else None

    return [
        (number, item)
        for number, item in numbered
        if not isinstance(item, dict) or buyer_oblast(item) == oblast
    ]


def target_oblast(session: Session, target: Target) -> str | None:
    """The two-digit oblast of a target (a buyer's: of its registered organisation), which
    decides who may sync it; None for a buyer the register does not know."""
    if target.region:
        return oblast_of(target.region)
    org = registry_repository.organisations_by_bin(session, [str(target.bin)]).get(str(target.bin))
    return oblast_of(org.region.kato) if org is not None and org.region is not None else None


def _item_id(item: Any) -> int:
    value = item.get("id") if isinstance(item, dict) else None
    text = str(value) if value is not None else ""
    return int(text) if is_digits(text) and len(text) < 19 else 0


def sync_states(session: Session, limit: int = 100) -> list[GoszakupSync]:
    """The sync targets, the last synced first."""
    stmt = select(GoszakupSync).order_by(GoszakupSync.updated_at.desc()).limit(limit)
    return list(session.scalars(stmt))
