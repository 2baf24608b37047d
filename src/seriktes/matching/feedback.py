"""What buyers and coordinators said of shown matches, and how it moves later rankings.

A pair marked suitable is lifted (and shown even where the precision rules would refuse
it); a pair marked not suitable is dropped. The same offer for a similar need — one naming
the same product word, or of the same four-digit class — is lifted or lowered as well, so
one answer helps the next buyer of that product.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from seriktes.kit.codes import class_of

SAME_PAIR_LIFT = 1.3
SIMILAR_LIFT = 1.15
SIMILAR_DROP = 0.5


@dataclass(frozen=True)
class Feedback:
    """One answer on a pair: the need's product words and class group as they were then."""

    need_id: int
    offer_id: int
    suitable: bool
    need_words: frozenset[str]
    need_group: str | None = None


@dataclass(frozen=True)
class Effect:
    """How feedback moves one candidate: a score factor (0 drops it) and why."""

    factor: float
    note: str
    same_pair: bool = False


class FeedbackMemory:
    """Answers by offer; adding or taking back one is cheap."""

    def __init__(self) -> None:
        self.by_offer: dict[int, dict[int, Feedback]] = defaultdict(dict)

    def __len__(self) -> int:
        return sum(len(answers) for answers in self.by_offer.values())

    def add(self, feedback: Feedback) -> None:
        """Remember an answer, replacing an earlier one on the same pair."""
        self.by_offer[feedback.offer_id][feedback.need_id] = feedback

    def remove(self, need_id: int, offer_id: int) -> None:
        """Forget the answer on a pair."""
        self.by_offer.get(offer_id, {}).pop(need_id, None)

    def liked(self, need_id: int) -> list[int]:
        """Offers marked suitable for a need."""
        return [
            offer_id
            for offer_id, answers in self.by_offer.items()
            if (answer := answers.get(need_id)) is not None and answer.suitable
        ]

    def effect(
        self, need_id: int, words: frozenset[str], group: str | None, offer_id: int
    ) -> Effect | None:
        """The effect of the answers on `offer_id` for a need, None when there are none."""
        answers = self.by_offer.get(offer_id, {})
        own = answers.get(need_id)
        if own is not None:
            if own.suitable:
                return Effect(SAME_PAIR_LIFT, "marked suitable for this need", True)
            return Effect(0.0, "marked not suitable for this need", True)
        similar = [a for a in answers.values() if _similar(a, words, group)]
        liked = sum(a.suitable for a in similar)
        if liked * 2 > len(similar):
            return Effect(SIMILAR_LIFT, "marked suitable for a similar need")
        if liked * 2 < len(similar):
            return Effect(SIMILAR_DROP, "marked not suitable for a similar need")
        return None


def _similar(answer: Feedback, words: frozenset[str], group: str | None) -> bool:
    """Needs are similar when they name the same product word or share a four-digit class."""
    if answer.need_words & words:
        return True
    return bool(group and answer.need_group and class_of(answer.need_group, 4) == group)
