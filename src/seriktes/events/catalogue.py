"""The catalogue of an event's participants: each one's profile — what its organisation
buys (published needs) and sells (published offers), its domestic-producer certificates in
force, languages, representatives (under `accounts.policy`) — and its strong and possible
matches with the reader's organisation, best first; filtered by region, KP VED class,
role and language, and paged. Public for published events; a participant's members also
see whom they may still ask for a meeting."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from seriktes.accounts.models import User
from seriktes.accounts.policy import may_read_representatives
from seriktes.catalog.certificates import numbers_in_force
from seriktes.catalog.models import Need, Offer
from seriktes.catalog.repository import published_lines_of
from seriktes.events import repository, requests
from seriktes.events.models import Event, Participant, ParticipantStatus
from seriktes.events.policy import side_of
from seriktes.events.service import get_event
from seriktes.kit import clock
from seriktes.kit.pagination import Page
from seriktes.matches.bands import band_of
from seriktes.matches.models import Match
from seriktes.registry.kato import oblast_of

ROLES = ("buyer", "producer")
LANGUAGES = ("ru", "kk", "en")
PER_PAGE = 20


@dataclass(frozen=True)
class CatalogueFilters:
    """Filters of the catalogue; None means no filter."""

    region: str | None = None  # a KATO code: the organisation's top-level region
    class_code: str | None = None  # a KP VED prefix of a line it buys or sells: 10, 10.51
    role: str | None = None  # "buyer" (has published needs) or "producer" (offers)
    language: str | None = None  # "ru", "kk" or "en"


@dataclass
class Entry:
    """A participant as the catalogue shows it."""

    participant: Participant
    side: str
    needs: list[Need]
    offers: list[Offer]
    certificates: list[str]
    matches: list[Match] = field(default_factory=list)  # with the reader's organisation
    askable: bool = False  # the reader's participant may still ask it

    @property
    def lines(self) -> list[Need | Offer]:
        """Its needs and offers."""
        return [*self.needs, *self.offers]

    @property
    def best(self) -> Match | None:
        """The best match with the reader's organisation, if any."""
        return self.matches[0] if self.matches else None

    @property
    def roles(self) -> list[str]:
        """ "buyer" when it buys anything, "producer" when it sells anything."""
        return [role for role, lines in zip(ROLES, (self.needs, self.offers), strict=True) if lines]

    def topic(self) -> str:
        """A request's topic from the best match (the need's title), else empty."""
        return self.best.need.title[:200] if self.best is not None else ""


@dataclass
class Catalogue:
    """One page of the catalogue, with what its filters offer and who reads it."""

    event: Event
    found: Page[Entry]
    my_organisation_id: int | None
    asker: Participant | None  # the reader's organisation's participant, when active
    asker_side: str | None  # "host" or "guest": the asker's side
    divisions: list[str]  # two-digit KP VED divisions of the participants' lines
    representatives: bool  # may the reader see representatives' names


def _passes(entry: Entry, filters: CatalogueFilters) -> bool:
    org = entry.participant.organisation
    if filters.region and (
        org.region is None or oblast_of(org.region.kato) != oblast_of(filters.region)
    ):
        return False
    if filters.role in ROLES and filters.role not in entry.roles:
        return False
    if filters.language in LANGUAGES and filters.language not in (
        entry.participant.languages or []
    ):
        return False
    if filters.class_code:
        codes = [line.class_code or "" for line in entry.lines]
        if not any(code.startswith(filters.class_code) for code in codes):
            return False
    return True


def _matches_with(session: Session, mine: int, others: list[int]) -> dict[int, list[Match]]:
    """Strong and possible matches between the organisation `mine` and each of `others`
    (its needs to their offers and their needs to its offers), best first."""
    found: dict[int, list[Match]] = {}
    pairs = (
        repository.ranked_matches(session, [mine], others),
        repository.ranked_matches(session, others, [mine]),
    )
    for matches in pairs:
        for match in matches:
            other = match.offer.producer_id if match.need.buyer_id == mine else match.need.buyer_id
            found.setdefault(other, []).append(match)
    for matches in found.values():
        matches.sort(key=_strength)
    return found


def _strength(match: Match) -> tuple[int, float, int, int]:
    """Strong matches first, then by score, then by the offer's rank for its need."""
    return (band_of(match.explanation, match.score) != "strong", -match.score, match.rank, match.id)


def band(match: Match) -> str:
    """The band of a match shown in the catalogue: "strong" or "possible"."""
    return band_of(match.explanation, match.score)


def catalogue(
    session: Session,
    user: User | None,
    event_id: int,
    filters: CatalogueFilters,
    page: int = 1,
    per_page: int = PER_PAGE,
) -> Catalogue:
    """The catalogue of an event's active participants as `user` may read it: ranked by
    their best match with the user's organisation (then by name), filtered, one page."""
    event = get_event(session, user, event_id)
    active = [
        p
        for p in repository.participants(session, event_id)
        if p.status is ParticipantStatus.ACTIVE
    ]
    mine = user.organisation_id if user is not None and user.is_active else None
    asker = next((p for p in active if p.organisation_id == mine), None)
    others = [p for p in active if p.organisation_id != mine]
    org_ids = [p.organisation_id for p in others]
    needs = published_lines_of(session, Need, org_ids)
    offers = published_lines_of(session, Offer, org_ids)
    certificates = numbers_in_force(session, org_ids, clock.today())
    matches = _matches_with(session, mine, org_ids) if mine is not None else {}
    askable = {p.id for p in requests.askable(session, event, asker)} if asker else set()
    entries = [
        Entry(
            participant=p,
            side=side_of(event, p.organisation) or "",
            needs=needs.get(p.organisation_id, []),
            offers=offers.get(p.organisation_id, []),
            certificates=certificates.get(p.organisation_id, []),
            matches=matches.get(p.organisation_id, []),
            askable=p.id in askable,
        )
        for p in others
    ]
    divisions = sorted({(line.class_code or "")[:2] for e in entries for line in e.lines} - {""})
    kept = [e for e in entries if _passes(e, filters)]
    kept.sort(
        key=lambda e: (
            e.best is None,
            _strength(e.best)[:2] if e.best else (True, 0.0),
            e.participant.organisation.name_ru,
            e.participant.id,
        )
    )
    start = (page - 1) * per_page
    return Catalogue(
        event=event,
        found=Page(kept[start : start + per_page], len(kept), page, per_page),
        my_organisation_id=mine,
        asker=asker,
        asker_side=side_of(event, asker.organisation) if asker is not None else None,
        divisions=divisions,
        representatives=may_read_representatives(user),
    )
