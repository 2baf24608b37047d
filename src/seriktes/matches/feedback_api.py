"""JSON API of feedback on matches (/api/v1): a need's answers, an answer given, changed or
withdrawn. A need's class is corrected through PATCH /needs/{id} (class_code)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response

from seriktes.http.auth import CurrentUser, RequiredUser
from seriktes.http.deps import DbSession
from seriktes.http.params import WRITE, errors
from seriktes.kit.db import MAX_ID
from seriktes.matches import feedback
from seriktes.matches.schemas import FeedbackIn, FeedbackOut

router = APIRouter(prefix="/api/v1", tags=["matches"])
NeedId = Annotated[int, Path(ge=1, le=MAX_ID, description="Need id")]
OfferId = Annotated[int, Path(ge=1, le=MAX_ID, description="Offer id")]
WRITE_ERRORS = errors(401, 403, 404, 422)


@router.get("/needs/{need_id}/feedback", responses=errors(401, 403, 404, 422))
def need_feedback(session: DbSession, user: CurrentUser, need_id: NeedId) -> list[FeedbackOut]:
    """The answers on a need's matches, latest first (the buyer's members, coordinators and
    administrators)."""
    return [FeedbackOut.of(row) for row in feedback.answers(session, user, need_id)]


@router.post(
    "/needs/{need_id}/matches/{offer_id}/feedback", dependencies=WRITE, responses=WRITE_ERRORS
)
def give_feedback(
    session: DbSession, user: RequiredUser, need_id: NeedId, offer_id: OfferId, data: FeedbackIn
) -> FeedbackOut:
    """Mark an offer suitable or not suitable for a need (replacing an earlier answer on the
    pair); the need's matches, and similar needs', follow at once."""
    answer = feedback.Answer(data.suitable, data.reason, data.comment)
    return FeedbackOut.of(feedback.record(session, user, need_id, offer_id, answer))


@router.delete(
    "/needs/{need_id}/matches/{offer_id}/feedback",
    status_code=204,
    dependencies=WRITE,
    responses=WRITE_ERRORS,
)
def withdraw_feedback(
    session: DbSession, user: RequiredUser, need_id: NeedId, offer_id: OfferId
) -> Response:
    """Withdraw the answer on a pair; the need is ranked as the engine finds it again."""
    feedback.withdraw(session, user, need_id, offer_id)
    return Response(status_code=204)
