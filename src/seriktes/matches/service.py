"""Feeds the matching engine from the database and stores what it finds."""

from __future__ import annotations

import gc
from collections.abc import Callable, Container, Iterable, Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from seriktes.catalog.certificates import certified_offer_ids, is_certified
from seriktes.catalog.models import Need, Offer, OfferStatus
from seriktes.kit import clock
from seriktes.kit.codes import class_of, digits_of
from seriktes.kit.errors import NotFound, ValidationFailed
from seriktes.kit.i18n import N_
from seriktes.matches import repository
from seriktes.matches.models import Match
from seriktes.matches.needindex import NeedIndex
from seriktes.matching.classifier import Classifier
from seriktes.matching.matcher import Matcher, NeedDoc, OfferDoc
from seriktes.matching.ranking import Geography, UnitTable
from seriktes.registry.facts import TOP_LEVEL_REGIONS, UNIT_TO_BASE, RegionFact
from seriktes.registry.kato import oblast_kato, padded
from seriktes.registry.models import Organisation
from seriktes.registry.repository import units as all_units

Progress = Callable[[int, int | None], None]
TOP = 10  # offers kept per need
NEAREST = 3  # regions named when a need's class has no producer in its partner regions
REGIONS = {fact.kato: fact for fact in TOP_LEVEL_REGIONS}
COORDS = {fact.kato: (fact.lat, fact.lon) for fact in TOP_LEVEL_REGIONS}


def parse_partners(pairs: Sequence[str]) -> dict[str, frozenset[str]]:
    """Parse partner pairs "630000000:590000000" (either way round) into a mapping."""
    partners: dict[str, set[str]] = {}
    for pair in pairs:
        parts = [part.strip() for part in pair.split(":")]
        if len(parts) != 2 or not all(p.isdigit() for p in parts):
            raise ValidationFailed(
                N_("partner regions must be two KATO codes A:B, got %(pair)s"),
                params={"pair": repr(pair)},
            )
        a, b = (padded(part) for part in parts)
        partners.setdefault(a, set()).add(b)
        partners.setdefault(b, set()).add(a)
    return {region: frozenset(others) for region, others in partners.items()}


def top_region(org: Organisation | None) -> str | None:
    """Return the KATO code of the oblast-level region of an organisation."""
    if org is None or org.region is None:
        return None
    return oblast_kato(org.region.kato)


def build_classifier(session: Session, learn: bool = True) -> Classifier | None:
    """A classifier over the registry's KP VED codes, learning from labelled needs."""
    entries = repository.classifier_entries(session)
    if not entries:
        return None
    classifier = Classifier(entries)
    if learn:
        classifier.learn(repository.labelled_needs(session))
    return classifier


def build_matcher(
    session: Session,
    partners: Mapping[str, frozenset[str]] | None = None,
    classifier: Classifier | None = None,
) -> Matcher:
    """A matcher holding every published offer of the database and every stored answer on
    a pair (feedback)."""
    geography = Geography(coords=COORDS, partners=partners or {})
    unit_table = UnitTable({u.code: u.kind for u in all_units(session)}, UNIT_TO_BASE)
    matcher = Matcher(classifier=classifier, geography=geography, units=unit_table)
    certified = certified_offer_ids(session, clock.today())
    matcher.add_offers(
        offer_doc(offer, certified) for offer in repository.published_offers(session)
    )
    load_feedback(session, matcher)
    # The index lives as long as the process: keep the collector from walking it again and
    # again (full collections over a million offers took up to a second per query).
    gc.collect()
    gc.freeze()
    return matcher


def load_feedback(session: Session, matcher: Matcher) -> int:
    """Give the matcher every stored answer on a pair (suitable or not), with the needs as
    they are now; return how many."""
    answers = repository.feedback_answers(session)
    wanted = {need_id for need_id, _offer, _suitable in answers}
    needs = {need.id: need_doc(need) for need in repository.needs_by_id(session, wanted)}
    for need_id, offer_id, suitable in answers:
        matcher.add_feedback(needs[need_id], offer_id, suitable)
    return len(answers)


def offer_doc(offer: Offer, certified: Container[int] = frozenset()) -> OfferDoc:
    """The matcher's view of an offer; `certified` holds the ids of the offers a certificate
    in force backs (`catalog.certificates.certified_offer_ids`)."""
    return OfferDoc(
        id=offer.id,
        producer_id=offer.producer_id,
        text=" ".join(filter(None, [offer.title, offer.description])),
        class_code=offer.class_code,
        unit_code=offer.unit_code,
        capacity=float(offer.capacity_per_year) if offer.capacity_per_year is not None else None,
        region=top_region(offer.producer),
        certified=is_certified(offer, certified),
        hs_code=offer.hs_code,
    )


def need_doc(need: Need) -> NeedDoc:
    """The matcher's view of a need."""
    region = oblast_kato(need.delivery_region.kato) if need.delivery_region else None
    return NeedDoc(
        id=need.id,
        buyer_id=need.buyer_id,
        text=" ".join(filter(None, [need.title, need.description])),
        class_code=need.class_code,
        unit_code=need.unit_code,
        quantity=float(need.quantity) if need.quantity is not None else None,
        region=region or top_region(need.buyer),
        origin=need.origin.value,
    )


@dataclass
class MatchRun:
    """What one matching run did."""

    needs: int = 0
    matches: int = 0
    needs_without_match: int = 0


def match_needs(
    session: Session,
    matcher: Matcher,
    need_ids: Sequence[int] | None = None,
    top: int = TOP,
    progress: Progress | None = None,
) -> MatchRun:
    """Match open needs (or the given ones) and store their ranked offers."""
    needs = repository.open_needs(session, need_ids)
    if need_ids is not None and len(needs) != len(set(need_ids)):
        missing = sorted(set(need_ids) - {need.id for need in needs})
        raise NotFound(
            N_("no need with id %(value)s"), params={"value": ", ".join(map(str, missing))}
        )
    run, rows = MatchRun(needs=len(needs)), list[dict[str, object]]()
    for done, need in enumerate(needs, start=1):
        found = ranked_rows(matcher, need_doc(need), top)
        run.needs_without_match += not found
        rows.extend(found)
        if progress and (done % 50 == 0 or done == len(needs)):
            progress(done, len(needs))
    repository.replace_matches(session, [need.id for need in needs], rows)
    run.matches = len(rows)
    return run


def ranked_rows(matcher: Matcher, need: NeedDoc, top: int = TOP) -> list[dict[str, object]]:
    """The match rows of a need's `top` offers, best first, with their explanations."""
    found = matcher.match(need, top=top)
    need_class = matcher.need_class(need) if found else None
    return [
        {
            "need_id": need.id,
            "offer_id": m.offer_id,
            "rank": rank,
            "score": m.score,
            "class_level": m.class_level,
            "need_class": need_class,
            "explanation": m.explanation(),
        }
        for rank, m in enumerate(found, start=1)
    ]


@dataclass(frozen=True)
class RegionAway:
    """A region with published offers of a class, and how far its centre is."""

    region: RegionFact
    km: int
    offers: int


@dataclass(frozen=True)
class Coverage:
    """Where producers of a need's four-digit class are: how many published offers of the
    class its region and partner regions hold and, when none, the nearest regions that do."""

    group: str  # the four-digit class, dotted: "28.15"
    regions: tuple[RegionFact, ...]  # the need's region, then its partner regions
    offers: int
    nearest: tuple[RegionAway, ...] = ()

    @property
    def missing(self) -> bool:
        """No published offer of the class in the need's region or its partner regions."""
        return self.offers == 0


def coverage(
    session: Session,
    region: str | None,
    class_code: str | None,
    partners: Mapping[str, frozenset[str]],
    nearest: int = NEAREST,
) -> Coverage | None:
    """Whether producers of a need's four-digit class are in the need's region (a KATO code)
    or its partner regions and, when not, the `nearest` regions (centre to centre) where
    they are; None when the region or a class of four digits is not known."""
    top = oblast_kato(region or "")
    if top not in REGIONS or not class_code or len(digits_of(class_code)) < 4:
        return None
    group = class_of(class_code, 4)
    here = (top, *sorted(partners.get(top, frozenset()) & REGIONS.keys()))
    by_region = repository.class_offers_by_region(session, group)
    found = Coverage(
        group, tuple(REGIONS[kato] for kato in here), sum(by_region.get(k, 0) for k in here)
    )
    if not found.missing:
        return found
    geography = Geography(coords=COORDS)
    away = [
        RegionAway(REGIONS[kato], round(geography.distance_km(top, kato) or 0), count)
        for kato, count in by_region.items()
        if kato in REGIONS and kato not in here and count
    ]
    away.sort(key=lambda item: (item.km, item.region.kato))
    return Coverage(found.group, found.regions, 0, tuple(away[:nearest]))


def matches_for_need(session: Session, need_id: int) -> list[Match]:
    """Return the stored matches of a need, best first."""
    return repository.matches_for_need(session, need_id)


def offer_changes(session: Session, ids: Iterable[int]) -> Callable[[Matcher], None]:
    """What re-indexing these offers does to a matcher, read now and applied later (under
    the engine's lock): published offers added or replaced, the others taken out."""
    wanted = sorted(set(ids))
    certified = certified_offer_ids(session, clock.today(), wanted)
    docs = {
        offer.id: offer_doc(offer, certified)
        for offer in repository.offers_by_id(session, wanted)
        if offer.status is OfferStatus.PUBLISHED
    }

    def apply(matcher: Matcher) -> None:
        for offer_id in wanted:
            doc = docs.get(offer_id)
            if doc is None:
                matcher.remove_offer(offer_id)
            else:
                matcher.add_offer(doc)

    return apply


def build_need_index(session: Session, classifier: Classifier | None) -> NeedIndex:
    """The published needs with their words and classes as a matcher with `classifier` sees
    them (an empty one, kept for its analyzer and its classes of needs)."""
    probe = Matcher(classifier=classifier)
    index = NeedIndex(probe.analyzer.terms, probe.need_class)
    for row in repository.published_need_texts(session):
        index.add(NeedDoc(*row))
    return index


def need_changes(session: Session, ids: Iterable[int]) -> Callable[[NeedIndex], None]:
    """What re-indexing these needs does to a need index, read now and applied later:
    published needs added or replaced, the others (drafts, closed, deleted) taken out."""
    wanted = sorted(set(ids))
    docs = {row[0]: NeedDoc(*row) for row in repository.published_need_texts(session, wanted)}

    def apply(index: NeedIndex) -> None:
        for need_id in wanted:
            doc = docs.get(need_id)
            if doc is None:
                index.remove(need_id)
            else:
                index.add(doc)

    return apply
