"""The offer index built once into files that every process maps (`matching.snapshot`),
followed by the changes logged since (`matches.changelog`).

`build_snapshot` (a job, or `seriktes index build`) builds the matcher in memory from the
database, writes its offers into a new snapshot in the index folder
(`Settings.index_folder`) and makes it current; it records the last change it includes. A
process opens the current snapshot (`open_shared`) and applies the offers, answers and needs
changed after that change (`catch_up`), a few at a time, into its overlay. A snapshot holds
only for the database it was read from and while the classifier codes are those it was
built with; after a `reset` change (offers written in bulk, ids unknown) it no longer
holds: the process builds its matcher in memory until the next snapshot.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from seriktes.catalog.certificates import certified_offer_ids
from seriktes.catalog.models import OfferStatus
from seriktes.config import Settings, get_settings
from seriktes.kit import clock
from seriktes.matches import changelog, repository
from seriktes.matches.changelog import Change, Cursor
from seriktes.matches.models import ChangeKind, MatchFeedback, Verdict
from seriktes.matches.service import (
    COORDS,
    build_classifier,
    build_matcher,
    load_feedback,
    need_doc,
    offer_doc,
    parse_partners,
)
from seriktes.matching.classifier import Classifier
from seriktes.matching.documents import OfferDoc
from seriktes.matching.matcher import Matcher
from seriktes.matching.ranking import Geography, UnitTable
from seriktes.matching.snapshot import (
    Snapshot,
    SnapshotIndex,
    open_current,
    read_meta,
    snapshot_matcher,
    write_snapshot,
)
from seriktes.registry.facts import UNIT_TO_BASE
from seriktes.registry.models import ClassifierCode
from seriktes.registry.repository import units as all_units

REBUILD_SHARE = 0.05  # changes since the snapshot, as a share of its offers, that ask a new one
REBUILD_CHANGES = 50_000  # ... or as a count
KEEP_UNSNAPSHOTTED = timedelta(days=1)  # changes kept when there is no snapshot


@dataclass
class Shared:
    """A process's matcher over a snapshot and where it is in the change log."""

    matcher: Matcher
    name: str
    cursor: Cursor
    offers: int  # live offers in the snapshot
    codes: int  # classifier codes when it was built
    reset: bool = False  # a reset change was read: the snapshot no longer holds
    applied: int = 0  # changes applied since the snapshot

    @property
    def rebuild_due(self) -> bool:
        """Whether the changes since the snapshot call for a new one."""
        index = self.matcher.index
        changed = index.changed if isinstance(index, SnapshotIndex) else self.applied
        return self.reset or changed > min(REBUILD_CHANGES, REBUILD_SHARE * max(self.offers, 1))


def database_key(session: Session) -> str:
    """Which database a snapshot was read from (its URL without the password)."""
    return str(session.get_bind().engine.url)


def codes_count(session: Session) -> int:
    """How many classifier codes there are (the classes guessed at the build depend on them)."""
    return int(session.scalar(select(func.count(ClassifierCode.id))) or 0)


def index_folder(settings: Settings | None = None) -> Path | None:
    """The folder of the snapshots, None when there is none."""
    return (settings or get_settings()).index_folder()


def usable_meta(session: Session, root: Path | None) -> dict[str, Any] | None:
    """The meta of the current snapshot under `root` when it holds for this database."""
    meta = read_meta(root) if root is not None else None
    if meta is None or meta.get("database") != database_key(session):
        return None
    if meta.get("codes") != codes_count(session):
        return None
    return meta


def engines(session: Session, partners: Mapping[str, frozenset[str]]) -> dict[str, Any]:
    """The geography and unit table a matcher of this database ranks with (as
    `service.build_matcher` makes them)."""
    geography = Geography(coords=COORDS, partners=partners or {})
    unit_table = UnitTable({u.code: u.kind for u in all_units(session)}, UNIT_TO_BASE)
    return {"geography": geography, "units": unit_table}


def build_snapshot(
    session: Session,
    settings: Settings | None = None,
    built: Callable[[Matcher], None] | None = None,
    prune: bool = True,
) -> Path:
    """Build the matcher in memory and write its offers as the current snapshot; the
    changes up to the previous snapshot's last one are then deleted from the log. Return
    the new snapshot's folder. `built` is shown the matcher before it is written (a
    benchmark measures it). Without `prune` it only reads the database (a job prunes the log
    with `prune_log` in the short transaction that ends it)."""
    settings = settings or get_settings()
    root = settings.index_folder()
    if root is None:
        raise RuntimeError("no index folder: set SERIKTES_INDEX_DIR or SERIKTES_STATE_DIR")
    previous = read_meta(root)
    last = changelog.last_id(session)  # read first: a change made meanwhile is applied again
    gaps = changelog.missing_below(session, last)
    classifier = build_classifier(session)
    matcher = build_matcher(session, parse_partners(settings.partner_regions), classifier)
    if built is not None:
        built(matcher)
    info = {
        "last_change": last,
        "gaps": gaps,
        "codes": codes_count(session),
        "database": database_key(session),
    }
    folder = write_snapshot(root, matcher, info)
    changelog.bulk_included(session)
    del matcher
    gc.unfreeze()  # build_matcher froze what it built; let the collector have it back
    gc.collect()
    if prune and previous is not None and database_key(session) == previous.get("database"):
        changelog.prune(session, int(previous.get("last_change", 0)))
    return folder


def prune_log(session: Session, settings: Settings | None = None) -> int:
    """Delete the changes no process needs (a job's work): those the current snapshot
    includes, and without a snapshot those older than `KEEP_UNSNAPSHOTTED` (a snapshot
    being built reads the log from where it started). Return how many."""
    meta = read_meta(root) if (root := (settings or get_settings()).index_folder()) else None
    if meta is not None and meta.get("database") == database_key(session):
        return changelog.prune(session, int(meta.get("last_change", 0)))
    return changelog.prune(session, changelog.last_id(session), clock.now() - KEEP_UNSNAPSHOTTED)


def open_shared(
    session: Session,
    snapshot: Snapshot,
    classifier: Classifier | None,
    partners: Mapping[str, frozenset[str]],
) -> Shared:
    """A matcher over `snapshot` with the stored answers, caught up with the change log."""
    meta = snapshot.meta
    matcher = snapshot_matcher(snapshot, classifier=classifier, **engines(session, partners))
    load_feedback(session, matcher)
    now = time.monotonic()
    gaps = [(int(lo), int(hi), now) for lo, hi in meta.get("gaps", [])]
    cursor = Cursor(int(meta["last_change"]), gaps[-changelog.MAX_GAPS :])
    shared = Shared(matcher, snapshot.name, cursor, int(meta["live"]), int(meta["codes"]))
    apply, shared.cursor, reset = catch_up(session, shared)
    apply(matcher)
    shared.reset = reset
    return shared


def open_current_shared(
    session: Session,
    root: Path,
    classifier: Classifier | None,
    partners: Mapping[str, frozenset[str]],
) -> Shared | None:
    """The matcher over the current snapshot under `root`, None when none holds for this
    database (its `reset` tells whether one was logged after it)."""
    if usable_meta(session, root) is None:
        return None
    snapshot = open_current(root)
    if snapshot is None or snapshot.meta.get("database") != database_key(session):
        return None
    return open_shared(session, snapshot, classifier, partners)


def catch_up(session: Session, shared: Shared) -> tuple[Callable[[Matcher], None], Cursor, bool]:
    """What the changes logged since `shared`'s cursor do to its matcher (read now, applied
    later under the engines' lock), the cursor after them, and whether one was a reset."""
    changes, cursor = changelog.read(session, shared.cursor)
    reset = any(change.kind is ChangeKind.RESET for change in changes)
    apply = changes_apply(session, changes)

    def counted(matcher: Matcher) -> None:
        apply(matcher)
        shared.applied += len(changes)

    return counted, cursor, reset


def changes_apply(session: Session, changes: list[Change]) -> Callable[[Matcher], None]:
    """What these changes do to a matcher: the offers named are indexed as they are now (in
    the order they were last changed) or taken out, the answers on the pairs named are
    given again or forgotten, the answers on deleted needs forgotten."""
    offers = list(
        dict.fromkeys(reversed([c.offer_id for c in changes if c.offer_id and c.need_id is None]))
    )[::-1]
    pairs = list(
        dict.fromkeys(
            (c.need_id, c.offer_id) for c in changes if c.need_id and c.offer_id is not None
        )
    )
    deleted_needs = {
        c.need_id
        for c in changes
        if c.need_id and c.offer_id is None and c.kind is ChangeKind.DELETE
    }
    docs = _published_docs(session, offers)
    answers = _answers(session, pairs)
    wanted_needs = {need for need, _offer in answers} | deleted_needs
    needs = {need.id: need_doc(need) for need in repository.needs_by_id(session, wanted_needs)}
    gone = deleted_needs - needs.keys()

    def apply(matcher: Matcher) -> None:
        for offer_id in offers:
            doc = docs.get(offer_id)
            if doc is None:
                matcher.remove_offer(offer_id)
            else:
                matcher.add_offer(doc)
        for need_id, offer_id in pairs:
            matcher.remove_feedback(need_id, offer_id)
            suitable = answers.get((need_id, offer_id))
            if suitable is not None and need_id in needs:
                matcher.add_feedback(needs[need_id], offer_id, suitable)
        for answers_on_offer in matcher.feedback.by_offer.values():
            for need_id in gone & answers_on_offer.keys():
                del answers_on_offer[need_id]

    return apply


def _published_docs(session: Session, ids: list[int]) -> dict[int, OfferDoc]:
    if not ids:
        return {}
    certified = certified_offer_ids(session, clock.today(), ids)
    return {
        offer.id: offer_doc(offer, certified)
        for offer in repository.offers_by_id(session, ids)
        if offer.status is OfferStatus.PUBLISHED
    }


def _answers(session: Session, pairs: list[tuple[int, int]]) -> dict[tuple[int, int], bool]:
    found: dict[tuple[int, int], bool] = {}
    wanted = set(pairs)
    for i in range(0, len(pairs), 400):
        needs = {need for need, _offer in pairs[i : i + 400]}
        stmt = select(MatchFeedback.need_id, MatchFeedback.offer_id, MatchFeedback.verdict).where(
            MatchFeedback.need_id.in_(needs)
        )
        for need_id, offer_id, verdict in session.execute(stmt):
            if (need_id, offer_id) in wanted:
                found[(need_id, offer_id)] = verdict is Verdict.SUITABLE
    return found
