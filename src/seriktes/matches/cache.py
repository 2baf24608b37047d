"""Process-wide engine instances built from the database and rebuilt only when it changed.

The matcher of the search box and the classifier are derived data: they are rebuilt from
the database when the offers (or classifier codes) change, never the only copy of anything.
"""

from __future__ import annotations

import threading
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from seriktes.catalog.models import Offer
from seriktes.matches.service import build_classifier, build_matcher
from seriktes.matching.classifier import Classifier
from seriktes.matching.matcher import Matcher
from seriktes.registry.models import ClassifierCode

_lock = threading.Lock()
_cache: dict[tuple[str, str], tuple[Any, Any]] = {}


def _offers_version(session: Session) -> Any:
    return tuple(session.execute(select(func.count(Offer.id), func.max(Offer.updated_at))).one())


def _codes_version(session: Session) -> Any:
    return session.scalar(select(func.count(ClassifierCode.id)))


def _database(session: Session) -> str:
    return str(session.get_bind().engine.url)


def cached_classifier(session: Session) -> Classifier | None:
    """The classifier of this database's KP VED codes and labelled needs."""
    key = (_database(session), "classifier")
    version = _codes_version(session)
    with _lock:
        hit = _cache.get(key)
        if hit and hit[0] == version:
            return hit[1]  # type: ignore[no-any-return]
        classifier = build_classifier(session)
        _cache[key] = (version, classifier)
        return classifier


def cached_matcher(session: Session) -> Matcher:
    """A matcher over this database's published offers."""
    key = (_database(session), "matcher")
    version = _offers_version(session)
    with _lock:
        hit = _cache.get(key)
        if hit and hit[0] == version:
            return hit[1]  # type: ignore[no-any-return]
    classifier = cached_classifier(session)
    matcher = build_matcher(session, classifier=classifier)
    with _lock:
        _cache[key] = (version, matcher)
    return matcher


def clear() -> None:
    """Forget every cached engine (tests)."""
    with _lock:
        _cache.clear()
