"""HTML: feedback on a need's matches (suitable / not suitable, withdrawn) and corrections of
the KP VED class of needs and offers. Plain POST forms (no JavaScript needed) that go back to
the page with a message; what the need page shows of the answers (`need_feedback`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse
from pydantic import ValidationError
from sqlalchemy.orm import Session

from seriktes.accounts.models import User
from seriktes.accounts.policy import can_edit_organisation
from seriktes.catalog.editing import update_need, update_offer
from seriktes.catalog.models import Need, Offer
from seriktes.http.auth import RequiredUser, verify_csrf
from seriktes.http.deps import DbSession
from seriktes.kit import clock
from seriktes.kit.db import MAX_ID
from seriktes.kit.errors import NotFound, ValidationFailed
from seriktes.kit.i18n import N_, translate
from seriktes.matches import feedback, repository
from seriktes.matches.cache import cached_classifier
from seriktes.matches.models import MatchFeedback, Reason
from seriktes.matches.policy import can_judge_matches, can_read_feedback
from seriktes.web.flash import flash
from seriktes.web.forms import Form
from seriktes.web.listing import Fmt, blank

router = APIRouter()
CSRF = [Depends(verify_csrf)]
SUGGESTED = 5  # classes the classifier proposes in the correction form
REASONS = {
    Reason.WRONG_PRODUCT: N_("wrong product"),
    Reason.WRONG_CLASS: N_("wrong class"),
    Reason.CANNOT_SUPPLY: N_("cannot supply"),
}


@dataclass(frozen=True)
class AnswerView:
    """One answer as the need page shows it: what was said of which offer, by whom, when."""

    offer: Offer
    suitable: bool
    reason: str  # translated; empty for a suitable match
    comment: str
    who: str
    when: str


@dataclass(frozen=True)
class FeedbackPanel:
    """The answers on a need's matches that the user may read, and whether they may mark."""

    need_id: int
    may_mark: bool
    may_read: bool
    by_offer: dict[int, AnswerView] = field(default_factory=dict)
    reasons: list[tuple[str, str]] = field(default_factory=list)

    def hidden(self, shown: Iterable[Any]) -> list[AnswerView]:
        """The answers on offers not among the `shown` (match, explanation) pairs: offers
        marked not suitable have left the list."""
        listed = {match.offer_id for match, _ex in shown}
        return [a for offer_id, a in self.by_offer.items() if offer_id not in listed]


@dataclass(frozen=True)
class ClassForm:
    """The form that corrects a need's or an offer's KP VED class, with the classes the
    classifier proposes for its text."""

    action: str
    code: str
    suggestions: list[tuple[str, str]]


def short_name(full_name: str) -> str:
    """«Иванов Алексей Петрович» → «Иванов А. П.»."""
    parts = full_name.split()
    return " ".join([parts[0], *(part[0] + "." for part in parts[1:3])]) if parts else ""


def _view(row: MatchFeedback, lang: str) -> AnswerView:
    who = short_name(row.user.full_name) if row.user else translate(lang, N_("a former user"))
    when = Fmt(lang).day(row.updated_at.astimezone(clock.ZONE).date())
    reason = translate(lang, REASONS[row.reason]) if row.reason else ""
    return AnswerView(row.offer, row.suitable, reason, row.comment or "", who, when)


def need_feedback(session: Session, user: User | None, need: Need, lang: str) -> dict[str, Any]:
    """The need page's context for feedback: `feedback` (answers and buttons) and
    `class_form` (for those who may correct the need's class)."""
    panel = FeedbackPanel(need.id, can_judge_matches(user, need), can_read_feedback(user, need))
    if panel.may_read:
        rows = repository.feedback_of_need(session, need.id)
        panel.by_offer.update({row.offer_id: _view(row, lang) for row in rows})
        panel.reasons.extend((reason.value, translate(lang, REASONS[reason])) for reason in Reason)
    form = None
    if can_edit_organisation(user, need.buyer):
        text = " ".join(filter(None, [need.title, need.description]))
        form = ClassForm(f"/needs/{need.id}/class", need.class_code or "", _suggest(session, text))
    return {"feedback": panel, "class_form": form}


def offer_class_form(session: Session, user: User | None, offer: Offer) -> ClassForm | None:
    """The class form of an offer's page, for those who may change the offer."""
    if not can_edit_organisation(user, offer.producer):
        return None
    text = " ".join(filter(None, [offer.title, offer.description]))
    return ClassForm(f"/offers/{offer.id}/class", offer.class_code or "", _suggest(session, text))


def _suggest(session: Session, text: str) -> list[tuple[str, str]]:
    """(code, name) of the classes the classifier proposes for a text; none without one."""
    classifier = cached_classifier(session)
    if classifier is None:
        return []
    return [(found.code, found.name) for found in classifier.classify(text, SUGGESTED)]


def _back(need_id: int) -> RedirectResponse:
    return RedirectResponse(f"/needs/{need_id}#producers", status_code=303)


def _checked_ids(*ids: int) -> None:
    if not all(1 <= value <= MAX_ID for value in ids):
        raise NotFound(N_("no such need or offer"))


@router.post("/needs/{need_id}/matches/{offer_id}/feedback", dependencies=CSRF)
def mark(
    request: Request,
    session: DbSession,
    user: RequiredUser,
    need_id: int,
    offer_id: int,
    form: Form,
) -> RedirectResponse:
    """Mark a match suitable or not suitable (with a reason); back to the need's page."""
    _checked_ids(need_id, offer_id)
    verdict, reason = form.get("verdict"), blank(form.get("reason"))
    if verdict not in {"suitable", "not_suitable"} or reason not in {None, *Reason}:
        raise ValidationFailed(N_("choose «suitable» or «not suitable» and a reason from the list"))
    suitable = verdict == "suitable"
    why = Reason(reason) if reason and not suitable else None
    feedback.record(
        session, user, need_id, offer_id, feedback.Answer(suitable, why, form.get("comment"))
    )
    if suitable:
        flash(request, N_("Marked as suitable: the offer stays among the producers as strong."))
    else:
        flash(request, N_("Marked as not suitable: the offer has left the list."))
    return _back(need_id)


@router.post("/needs/{need_id}/matches/{offer_id}/feedback/withdraw", dependencies=CSRF)
def unmark(
    request: Request, session: DbSession, user: RequiredUser, need_id: int, offer_id: int
) -> RedirectResponse:
    """Withdraw the answer on a match; back to the need's page."""
    _checked_ids(need_id, offer_id)
    feedback.withdraw(session, user, need_id, offer_id)
    flash(request, N_("Answer withdrawn: the producers are ranked as the engine finds them."))
    return _back(need_id)


@router.post("/needs/{need_id}/class", dependencies=CSRF)
def correct_need_class(
    request: Request, session: DbSession, user: RequiredUser, need_id: int, form: Form
) -> RedirectResponse:
    """Correct a need's KP VED class: the need is matched again at once."""
    _checked_ids(need_id)
    code = blank(form.get("class_code"))
    if _corrected(request, lambda: update_need(session, user, need_id, {"class_code": code})):
        flash(request, N_("KP VED class saved: the producers were ranked again."))
    return RedirectResponse(f"/needs/{need_id}", status_code=303)


@router.post("/offers/{offer_id}/class", dependencies=CSRF)
def correct_offer_class(
    request: Request, session: DbSession, user: RequiredUser, offer_id: int, form: Form
) -> RedirectResponse:
    """Correct an offer's KP VED class: the needs it may rank for are matched again."""
    _checked_ids(offer_id)
    code = blank(form.get("class_code"))
    if _corrected(request, lambda: update_offer(session, user, offer_id, {"class_code": code})):
        flash(request, N_("KP VED class saved: the buyers' needs were matched again."))
    return RedirectResponse(f"/offers/{offer_id}", status_code=303)


def _corrected(request: Request, change: Callable[[], object]) -> bool:
    """Run a class change; a code that is malformed or not in the classifier is a message
    on the page rather than an error page."""
    try:
        change()
    except (ValidationError, ValidationFailed):
        flash(
            request,
            N_("Unknown KP VED class: enter a code of the classifier such as 28.15.10."),
            "error",
        )
        return False
    return True
