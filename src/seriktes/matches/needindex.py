"""Open needs by their words and product class: the needs a new or changed offer may now rank
for, so that only those are matched again when an offer arrives.

A need ranks an offer when the offer covers enough of the need's words, or when their
classes agree (six digits alone, or four digits with a word in common). So the needs looked
at for an offer are those whose words it covers best, those of its four-digit group that
share a word with it and those of its class. On the demo data this finds over 99 % of the
needs that a full re-match gives the offer (the rest held it as a weak, last-ranked match);
the bounds keep a write fast when an offer shares a common word with thousands of needs.
"""

from __future__ import annotations

import heapq
import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Set
from itertools import islice

from seriktes.kit.codes import class_of
from seriktes.matching.matcher import NeedDoc

BEST_COVERED = 50  # needs whose words the offer covers best
SAME_GROUP = 200  # needs of the offer's four-digit group that share a word with it
SAME_CLASS = 200  # needs of the offer's class


class NeedIndex:
    """The published needs' words and classes; needs are added and removed one at a time."""

    def __init__(
        self,
        terms: Callable[[str], list[str]],
        need_class: Callable[[NeedDoc], str | None],
    ) -> None:
        self.terms = terms  # the matcher's analyzer: the same words as the offers'
        self.need_class = need_class  # the class the matcher gives a need
        self.words: dict[int, frozenset[str]] = {}
        self.postings: dict[str, set[int]] = defaultdict(set)
        self.groups: dict[int, str] = {}  # need → its class cut to four digits
        self.classes: dict[int, str] = {}  # need → its class (six digits)
        self.by_class: dict[str, dict[int, None]] = defaultdict(dict)

    def __len__(self) -> int:
        return len(self.words)

    def __contains__(self, need_id: object) -> bool:
        return need_id in self.words

    def add(self, need: NeedDoc) -> None:
        """Index a need (replacing an earlier version with the same id)."""
        self.remove(need.id)
        words = frozenset(self.terms(need.text))
        self.words[need.id] = words
        for word in words:
            self.postings[word].add(need.id)
        code = self.need_class(need)
        if code:
            self.groups[need.id] = class_of(code, 4)
            self.classes[need.id] = class_of(code)
            self.by_class[self.classes[need.id]][need.id] = None

    def remove(self, need_id: int) -> None:
        """Take a need out of the index (nothing happens when it is not there)."""
        words = self.words.pop(need_id, None)
        if words is None:
            return
        for word in words:
            holders = self.postings.get(word)
            if holders is not None:
                holders.discard(need_id)
                if not holders:
                    del self.postings[word]
        self.groups.pop(need_id, None)
        code = self.classes.pop(need_id, None)
        if code is not None:
            self.by_class[code].pop(need_id, None)

    def needs_for(self, text: str, offer_class: str | None) -> list[int]:
        """The needs an offer with this text and class may rank for, most likely first."""
        shared: dict[int, float] = defaultdict(float)
        for word in set(self.terms(text)):
            holders = self.postings.get(word)
            if holders:
                weight = self._idf(word)
                for need_id in holders:
                    shared[need_id] += weight
        covered = heapq.nlargest(
            BEST_COVERED, shared, key=lambda need_id: shared[need_id] / self._mass(need_id)
        )
        found = dict.fromkeys(covered)
        if offer_class:
            group = class_of(offer_class, 4)
            in_group = (need_id for need_id in shared if self.groups.get(need_id) == group)
            found.update(dict.fromkeys(islice(in_group, SAME_GROUP)))
            members = self.by_class.get(class_of(offer_class), {})
            found.update(dict.fromkeys(islice(members, SAME_CLASS)))
        return list(found)

    def alike(self, need_ids: Iterable[int], words: Set[str], group: str | None) -> set[int]:
        """The needs among `need_ids` that name one of `words` or whose class is of the
        four-digit `group`: those that feedback on a similar need moves."""
        return {
            need_id
            for need_id in need_ids
            if (group is not None and self.groups.get(need_id) == group)
            or not words.isdisjoint(self.words.get(need_id, ()))
        }

    def _idf(self, word: str) -> float:
        return math.log(1.0 + len(self.words) / max(len(self.postings.get(word, ())), 1))

    def _mass(self, need_id: int) -> float:
        """The weight of all of a need's words (what an offer covering them all would get)."""
        return sum(self._idf(word) for word in self.words[need_id]) or 1.0
