"""The classifier as the registers of producers ask for it: a product's name and HS code in,
the most likely KP VED class out.

An HS code says what a product is made of; its chapter keeps the class within the KP VED
divisions that make such products (`matching.concordance`), so «Кисть крыла ЦБ» with HS
0207 is classed as poultry, not as a brush.
"""

from __future__ import annotations

from collections.abc import Callable

from seriktes.matching.classifier import Classifier
from seriktes.matching.concordance import divisions_for_hs

# (product name, HS code or None) → KP VED class, None when the classifier finds nothing
ProductClassify = Callable[[str, str | None], str | None]


def product_classifier(classifier: Classifier) -> ProductClassify:
    """The function that classes a register's product with `classifier`."""

    def classify(text: str, hs_code: str | None) -> str | None:
        # no class of the HS code's divisions names it: better none than a contradicting one
        best = classifier.classify(text, 1, within=divisions_for_hs(hs_code))
        return best[0].code if best else None

    return classify
