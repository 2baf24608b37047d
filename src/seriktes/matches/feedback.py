"""Feedback on matches: the buyer's side marks a need's ranked producers suitable or not.

One current answer per pair (need, offer), with who gave it last and when. An answer given,
changed or withdrawn is fed to the cached matcher at once (`cache.matcher_with`), and in the
same transaction the need is matched again, and so are the needs that held the offer and
the similar needs (same product word or four-digit class) that the offer may rank for: a
pair marked not suitable leaves the need's matches, one marked suitable is shown strong, and
the same offer moves for similar needs. An engine built from the database loads every stored
answer (`service.load_feedback`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from seriktes.accounts.models import User
from seriktes.catalog.models import Need
from seriktes.catalog.queries import get_need, get_offer
from seriktes.kit.codes import class_of
from seriktes.kit.errors import NO_PARAMS, ErrorItem, Forbidden, NotFound, Params, ValidationFailed
from seriktes.kit.i18n import N_
from seriktes.matches import repository
from seriktes.matches.cache import (
    forget,
    matcher_with,
    reading,
    updated_matcher,
    updated_need_index,
)
from seriktes.matches.incremental import needs_for_offers, rematch
from seriktes.matches.models import MatchFeedback, Reason, Verdict
from seriktes.matches.policy import can_judge_matches, can_read_feedback
from seriktes.matches.service import MatchRun, need_doc
from seriktes.matching.matcher import Matcher
from seriktes.matching.precision import product_words

logger = logging.getLogger(__name__)
COMMENT_LENGTH = 1000


@dataclass(frozen=True)
class Answer:
    """What a person says of a pair: suitable or not, why not, and a comment."""

    suitable: bool
    reason: Reason | None = None
    comment: str | None = None

    def checked(self) -> Answer:
        """The answer when it is whole: a reason with «not suitable» and only then."""
        comment = (self.comment or "").strip() or None
        if self.suitable and self.reason is not None:
            _refuse("reason", N_("a suitable match has no reason; leave the reason empty"))
        if not self.suitable and self.reason is None:
            _refuse("reason", N_("say why the match is not suitable"))
        if comment is not None and len(comment) > COMMENT_LENGTH:
            _refuse(
                "comment",
                N_("the comment is longer than %(limit)s characters"),
                {"limit": COMMENT_LENGTH},
            )
        return Answer(self.suitable, self.reason, comment)


def _refuse(field: str, detail: str, params: Params = NO_PARAMS) -> None:
    raise ValidationFailed(detail, [ErrorItem(("body", field), detail, params)], params)


def judged_need(session: Session, user: User | None, need_id: int) -> Need:
    """The need whose matches `user` marks: NotFound when unreadable, Forbidden when the user
    is not of the buyer's side."""
    need = get_need(session, user, need_id)
    if not can_judge_matches(user, need):
        raise Forbidden(N_("only the buyer's members and coordinators may mark its matches"))
    return need


def record(
    session: Session, user: User, need_id: int, offer_id: int, answer: Answer
) -> MatchFeedback:
    """Give or change the answer on a pair; the need's matches follow it at once."""
    need = judged_need(session, user, need_id)
    offer = get_offer(session, user, offer_id)
    answer = answer.checked()
    updated_matcher(session)  # checked before the answer is written: changed, not rebuilt
    row = repository.feedback_on(session, need.id, offer.id)
    if row is None:
        row = MatchFeedback(need_id=need.id, offer_id=offer.id)
        session.add(row)
    row.verdict = Verdict.SUITABLE if answer.suitable else Verdict.NOT_SUITABLE
    row.reason, row.comment, row.user_id = answer.reason, answer.comment, user.id
    session.flush()
    doc = need_doc(need)
    _follow(session, need, offer.id, lambda m: m.add_feedback(doc, offer.id, answer.suitable))
    return row


def withdraw(session: Session, user: User, need_id: int, offer_id: int) -> None:
    """Take back the answer on a pair; the need's matches are as the engine ranks them."""
    need = judged_need(session, user, need_id)
    row = repository.feedback_on(session, need.id, offer_id)
    if row is None:
        raise NotFound(
            N_("no answer on offer %(offer_id)s for need %(id)s"),
            params={"offer_id": offer_id, "id": need.id},
        )
    updated_matcher(session)  # checked before the answer is deleted: changed, not rebuilt
    session.delete(row)
    session.flush()
    _follow(session, need, offer_id, lambda m: m.remove_feedback(need.id, offer_id))


def answers(session: Session, user: User | None, need_id: int) -> list[MatchFeedback]:
    """The answers on a need's pairs, latest first, for those who may read them."""
    need = get_need(session, user, need_id)
    if not can_read_feedback(user, need):
        raise Forbidden(N_("only the buyer's members and coordinators read who marked its matches"))
    return repository.feedback_of_need(session, need.id)


def _follow(
    session: Session, need: Need, offer_id: int, change: Callable[[Matcher], None]
) -> MatchRun | None:
    """Give the cached matcher the change and match again the needs it may move; a failure
    leaves the matches as they were (logged) rather than refuse the answer."""
    try:
        with session.begin_nested():
            matcher = matcher_with(session, change)
            return rematch(session, matcher, _moved(session, matcher, need, offer_id), None)
    except Exception:
        logger.exception("matching after feedback on need %s failed", need.id)
        forget(session)
        return None


def _moved(session: Session, matcher: Matcher, need: Need, offer_id: int) -> list[int]:
    """The needs an answer on (need, offer) may move: the need, those holding the offer, and
    those the offer may rank for that name the need's product word or share its class."""
    moved = {need.id} | repository.needs_holding(session, [offer_id])
    index = updated_need_index(session)
    if index is not None:
        doc = need_doc(need)
        with reading():
            words = frozenset(product_words(matcher.analyzer.tokens(doc.text)))
            code = matcher.need_class(doc)
        candidates = needs_for_offers(session, matcher, index, [offer_id])
        moved |= index.alike(candidates, words, class_of(code, 4) if code else None)
    return sorted(moved)
