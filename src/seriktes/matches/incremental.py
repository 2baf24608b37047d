"""Matching as data arrives: the needs and offers a page, the API or an import writes are
matched in the same transaction, without a full re-match.

A need written is matched again, or loses its matches when it is no longer published (a
draft, closed or deleted). An offer written (created, changed, unpublished or deleted) is
changed in place in the cached matcher, and the needs it may now rank for are matched again:
those the need index finds for it and those that held it before. `match_lines` takes ids,
so that an import calls it once its rows are stored (and a job runner could call it later);
the editing service reaches it through `catalog.changes` (`keep_matches_current`).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from sqlalchemy.orm import Session

from seriktes.catalog.changes import LinesWritten, listen
from seriktes.catalog.importer import LinesReport, written_ids
from seriktes.catalog.models import NeedStatus, OfferStatus
from seriktes.matches import repository
from seriktes.matches.cache import forget, reading, updated_matcher, updated_need_index
from seriktes.matches.needindex import NeedIndex
from seriktes.matches.service import MatchRun, Progress, need_doc, offer_doc, ranked_rows
from seriktes.matching.matcher import Matcher, NeedDoc

logger = logging.getLogger(__name__)
HOLDERS = "seriktes_offer_holders"  # needs that held an offer about to be deleted


def match_lines(
    session: Session,
    need_ids: Iterable[int] = (),
    offer_ids: Iterable[int] = (),
    progress: Progress | None = None,
) -> MatchRun:
    """Bring the stored matches up to date with these needs and offers, just written."""
    needs, offers = sorted(set(need_ids)), sorted(set(offer_ids))
    matcher = updated_matcher(session, offers or None)
    affected = set(needs) | session.info.pop(HOLDERS, set())
    index = updated_need_index(session, needs or None, lazy=not offers)
    if offers and index is not None:
        affected |= repository.needs_holding(session, offers)
        affected |= needs_for_offers(session, matcher, index, offers)
    return rematch(session, matcher, sorted(affected), progress)


def needs_for_offers(
    session: Session, matcher: Matcher, index: NeedIndex, offer_ids: list[int]
) -> set[int]:
    """The needs the published offers among `offer_ids` may now rank for (as the index of
    published needs finds them)."""
    found: set[int] = set()
    for offer in repository.offers_by_id(session, offer_ids):
        if offer.status is not OfferStatus.PUBLISHED:
            continue
        doc = offer_doc(offer)
        with reading():
            # the class the matcher gives an offer is the one it gives a need of that text
            code = matcher.need_class(NeedDoc(doc.id, doc.producer_id, doc.text, doc.class_code))
            found.update(index.needs_for(doc.text, code))
    return found


def rematch(
    session: Session, matcher: Matcher, need_ids: list[int], progress: Progress | None
) -> MatchRun:
    """Match these needs again with `matcher` and store what is found; those not published
    lose their matches."""
    needs = [
        n for n in repository.needs_by_id(session, need_ids) if n.status is NeedStatus.PUBLISHED
    ]
    run, rows = MatchRun(needs=len(needs)), list[dict[str, object]]()
    for done, need in enumerate(needs, start=1):
        with reading():  # one need at a time: an offer written meanwhile waits no longer
            found = ranked_rows(matcher, need_doc(need))
        run.needs_without_match += not found
        rows.extend(found)
        if progress and (done % 50 == 0 or done == len(needs)):
            progress(done, len(needs))
    repository.replace_matches(session, need_ids, rows)
    run.matches = len(rows)
    return run


def match_import(
    session: Session, report: LinesReport, progress: Progress | None = None
) -> MatchRun:
    """Match the needs or offers an import created or changed (the step after it)."""
    ids = written_ids(session, report)
    if report.kind == "needs":
        return match_lines(session, need_ids=ids, progress=progress)
    return match_lines(session, offer_ids=ids, progress=progress)


def _on_lines_written(session: Session, written: LinesWritten) -> None:
    """Keep the stored matches of what the editing service wrote current; a failure leaves
    them as they were (logged) rather than refuse the user's change."""
    if written.deleting:
        if written.offers:  # its matches go with it: note who held them
            held = repository.needs_holding(session, written.offers)
            session.info.setdefault(HOLDERS, set()).update(held)
        return
    try:
        with session.begin_nested():
            match_lines(session, written.needs, written.offers)
    except Exception:
        logger.exception("matching %s failed; the matches stay as they were", written)
        forget(session)


def keep_matches_current() -> None:
    """Match the needs and offers the editing service writes, in the same transaction."""
    listen(_on_lines_written)
