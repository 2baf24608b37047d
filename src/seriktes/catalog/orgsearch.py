"""Finding an organisation by name, BIN or product, wherever one is chosen (participants of
an event, deals' buyers and suppliers): the registry's names and BINs first, then what the
organisations sell or buy (their published offers' and needs' titles, and the KP VED
classes they fall in). Public data only: names, BINs, regions and published lines.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from sqlalchemy.orm import Session

from seriktes.catalog.repository import organisations_by_product
from seriktes.registry import repository as registry
from seriktes.registry.models import Organisation

MAX_WORDS = 6
MAX_LIMIT = 50
PRODUCT = 4  # the rank of a match by product, after the registry's (registry.BIN_EXACT …)
Why = Literal["bin", "name", "product"]
WHY: dict[int, Why] = {
    registry.BIN_EXACT: "bin",
    registry.BIN_PREFIX: "bin",
    registry.NAME_PREFIX: "name",
    registry.NAME_WORDS: "name",
    PRODUCT: "product",
}


@dataclass(frozen=True)
class Found:
    """An organisation found, with why: its BIN ("bin"), its name ("name") or one of its
    products ("product", the line named in `product`)."""

    organisation: Organisation
    rank: int
    product: str | None = None

    @property
    def why(self) -> Why:
        """What matched: "bin", "name" or "product"."""
        return WHY[self.rank]


def search_words(text: str) -> list[str]:
    """The words of a query as the searches compare them: lower case, ё as е, letters and
    digits only, at most `MAX_WORDS` of them."""
    folded = text.lower().replace("ё", "е")
    return re.findall(r"[^\W_]+", folded)[:MAX_WORDS]


def find_organisations(
    session: Session, q: str, limit: int = 10, oblasts: Sequence[str] = ()
) -> list[Found]:
    """Organisations matching `q`, best first: the exact BIN, a BIN prefix, the name
    beginning with the words, the words anywhere in the name (each at a word's start, in any
    order), then organisations selling or buying a product so named; at most `limit`, of the
    top-level regions `oblasts` (two-digit KATO prefixes) when given."""
    limit = max(1, min(limit, MAX_LIMIT))
    words = search_words(q)
    if not words:
        return []
    digits = "".join(words) if all(w.isdigit() and w.isascii() for w in words) else None
    name_words = [] if digits else words
    found = [
        Found(org, rank)
        for org, rank in registry.look_up_organisations(session, name_words, digits, limit, oblasts)
    ]
    if len(found) < limit and not digits:
        seen = {f.organisation.id for f in found}
        products = organisations_by_product(session, words, limit - len(found), oblasts, seen)
        orgs = registry.organisations_by_ids(session, products)
        found.extend(
            Found(orgs[org_id], PRODUCT, title)
            for org_id, title in products.items()
            if org_id in orgs
        )
    return found
