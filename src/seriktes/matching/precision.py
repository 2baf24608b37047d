"""Whether a ranked offer is one a procurement officer would accept, and how sure we are.

The ranking orders offers; these rules decide which of them may be shown at all and in
which band (strong, possible, weak). They look at what the two texts name, not at how
similar they are: the product word must agree (or the classes to four digits), a generic
word never makes a match alone, a service is not goods, and conflicting materials or
purposes count against a match.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from seriktes.matching.text import CODE, MEASURE, Token

STRONG, POSSIBLE, WEAK = "strong", "possible", "weak"
# Content words at the start of an offer that name what it is; a word further on is a detail.
OPENING = 3
BANDS = (STRONG, POSSIBLE, WEAK)

# Words that name no product of their own: a match on them alone says nothing.
GENERIC = frozenset(
    """сорт высший высокий первый второй категория тип марка размер вид класс группа цвет
    новый свежий качественный стандартный хороший производство изготовление услуга работа
    поставка товар материал изделие продукция прочий комплект набор система средство
    предмет штука единица объект деятельность обеспечение предоставление оказание
    выполнение проведение организация использование необходимый различный разный
    отечественный казахстанский российский импортный собственный технический специальный
    универсальный обычный""".split()
)

# Work done on a thing rather than the thing: the object of the work must agree as well.
WORK_WORDS = frozenset(
    """ремонт обслуживание монтаж демонтаж установка наладка пусконаладка диагностика
    испытание поверка калибровка замена заправка перезаправка перезарядка чистка очистка
    уборка вывоз перевозка доставка аренда прокат охрана страхование обучение разработка
    проектирование экспертиза оценка техобслуживание сопровождение консультирование
    подписка печать проверка изготовление пошив""".split()
)

# Words that open a line of works or services («Услуги по …», «Проведение …»).
SERVICE_OPENERS = frozenset(
    "услуга работа проведение организация оказание предоставление выполнение обеспечение".split()
)

# Work that makes goods to order: a producer of those goods can take it.
MAKE_WORDS = frozenset("изготовление пошив производство печать".split())

# Materials: a line that names one is not served by an offer that names only others.
MATERIALS: dict[str, str] = {
    **dict.fromkeys(("сталь", "стальной", "нержавеющий"), "steel"),
    **dict.fromkeys(("чугун", "чугунный"), "cast iron"),
    **dict.fromkeys(("медь", "медный"), "copper"),
    **dict.fromkeys(("латунь", "латунный"), "brass"),
    **dict.fromkeys(("алюминий", "алюминиевый"), "aluminium"),
    **dict.fromkeys(("полипропилен", "полипропиленовый"), "polypropylene"),
    **dict.fromkeys(("полиэтилен", "полиэтиленовый"), "polyethylene"),
    **dict.fromkeys(("поливинилхлорид", "поливинилхлоридный"), "pvc"),
    **dict.fromkeys(("резина", "резиновый", "резинотехнический"), "rubber"),
    **dict.fromkeys(("дерево", "деревянный", "древесина"), "wood"),
    **dict.fromkeys(("стекло", "стеклянный"), "glass"),
    **dict.fromkeys(("бетон", "бетонный", "железобетонный"), "concrete"),
    **dict.fromkeys(("бумага", "бумажный"), "paper"),
    **dict.fromkeys(("хлопок", "хлопчатобумажный"), "cotton"),
    **dict.fromkeys(("кожа", "кожаный"), "leather"),
}

# What a product is for: oils, filters, gloves of one purpose do not replace another's.
PURPOSES: dict[str, str] = {
    **dict.fromkeys(("моторный",), "engine"),
    **dict.fromkeys(("трансмиссионный",), "transmission"),
    **dict.fromkeys(("гидравлический",), "hydraulic"),
    **dict.fromkeys(("компрессорный",), "compressor"),
    **dict.fromkeys(("трансформаторный",), "transformer"),
    **dict.fromkeys(("масляный",), "oil"),
    **dict.fromkeys(("воздушный",), "air"),
    **dict.fromkeys(("топливный",), "fuel"),
    **dict.fromkeys(("лабораторный", "обеззоленный"), "laboratory"),
    **dict.fromkeys(("медицинский", "хирургический", "смотровой"), "medical"),
    **dict.fromkeys(("пищевой",), "food"),
    **dict.fromkeys(("шлифовальный", "отрезной", "абразивный"), "abrasive"),
    **dict.fromkeys(("волейбольный", "футбольный", "баскетбольный", "теннисный"), "sport"),
    **dict.fromkeys(("мостовой", "козловой", "башенный", "автокран"), "lifting"),
    **dict.fromkeys(("шаровой", "запорный", "водоразборный"), "valve"),
}


@dataclass(frozen=True)
class BandLimits:
    """Relevance from which a match is strong or possible (chosen on the real-lines
    benchmark, `make bench-matching`); below `possible` it is weak."""

    strong: float = 0.55
    possible: float = 0.4


@dataclass(frozen=True)
class Verdict:
    """Whether an offer may be shown for a need, the best band it may reach and why."""

    shown: bool
    ceiling: str
    reason: str
    confirmed: bool = False  # a person marked the pair suitable: strong whatever the score


def head_word(tokens: Sequence[Token]) -> str | None:
    """The word that names the product: the first noun in the nominative, else the first noun."""
    nouns = [t for t in tokens if t.pos == "NOUN" and t.text not in GENERIC]
    for token in nouns:
        if token.nominative:
            return token.text
    return nouns[0].text if nouns else None


def content_words(tokens: Sequence[Token]) -> list[str]:
    """Words that can name a product: not generic, not bare numbers or measures."""
    return [t.text for t in tokens if t.kind not in (CODE, MEASURE) and t.text not in GENERIC]


def product_words(tokens: Sequence[Token]) -> list[str]:
    """The words that name what a line wants: its head noun and, when the head names work
    (repair, installation, rent…), the thing worked on as well."""
    nouns = [t for t in tokens if t.pos == "NOUN" and t.text not in GENERIC]
    if not nouns:
        words = content_words(tokens)
        return words[:1]
    head = next((t for t in nouns if t.nominative), nouns[0])
    if head.text not in WORK_WORDS:
        return [head.text]
    after = [t for t in nouns[nouns.index(head) + 1 :] if t.text not in WORK_WORDS]
    return [head.text, after[0].text] if after else [head.text]


def kind_of(tokens: Sequence[Token]) -> str:
    """What a text asks for or offers, from its opening words (a description further on
    may mention delivery or installation without changing what is sold): "make" for goods
    made to order, "work" for works and services, else "goods"."""
    opening = [t.text for t in tokens[:4]]
    if any(word in MAKE_WORDS for word in opening):
        return "make"
    head = product_words(tokens[:8])
    if any(word in SERVICE_OPENERS for word in opening[:3]) or (head and head[0] in WORK_WORDS):
        return "work"
    return "goods"


def kinds_agree(need: str, offer: str) -> bool:
    """Work serves work and goods serve goods; goods made to order are served by both."""
    return need == offer or ("make" in (need, offer) and "work" not in (need, offer))


def _kinds(words: Collection[str], table: dict[str, str]) -> set[str]:
    return {table[w] for w in words if w in table}


def conflicts(need_words: Collection[str], offer_words: Collection[str]) -> list[str]:
    """Materials or purposes the need names that the offer contradicts."""
    found = []
    for label, table in (("material", MATERIALS), ("purpose", PURPOSES)):
        wanted, offered = _kinds(need_words, table), _kinds(offer_words, table)
        if wanted and offered and not wanted & offered:
            found.append(f"{label}: {', '.join(sorted(wanted))} vs {', '.join(sorted(offered))}")
    return found


@dataclass(frozen=True)
class Wanted:
    """What a need asks for, read once from its tokens and judged against many offers."""

    words: frozenset[str]  # every token
    product: tuple[str, ...]  # `product_words`
    content: frozenset[str]  # `content_words`
    kind: str  # `kind_of`

    @classmethod
    def of(cls, tokens: Sequence[Token]) -> Wanted:
        """Read a need's tokens."""
        return cls(
            frozenset(t.text for t in tokens),
            tuple(product_words(tokens)),
            frozenset(content_words(tokens)),
            kind_of(tokens),
        )


def judge(
    need: Wanted,
    offer: Sequence[Token],
    level: int,
    class_given: bool,
    comparable: bool = True,
) -> Verdict:
    """Decide whether `offer` may be shown for `need` given their class agreement `level`
    (digits in common; `class_given` when the need's class is the buyer's own, not a guess;
    `comparable` when both classes are known, given or guessed)."""
    offer_words = {t.text for t in offer}
    wanted = need.product
    product = bool(wanted) and all(word in offer_words for word in wanted)
    shared = need.content & set(content_words(offer))
    if not kinds_agree(need.kind, kind_of(offer)) and level < 6:
        wanted_kind = "works or services" if need.kind == "work" else "goods"
        return Verdict(False, WEAK, f"the need asks for {wanted_kind}, the offer is not")
    named_alike = product and len(shared) >= 2
    if level < 2 and comparable and class_given and not named_alike:
        return Verdict(False, WEAK, "the classes differ and the texts name different products")
    if level < 4 and not product:
        missing = ", ".join(w for w in wanted if w not in offer_words) or "—"
        return Verdict(False, WEAK, f"the product word «{missing}» is not in the offer")
    if level < 2 and comparable and not named_alike:  # a guessed class: doubt, not refusal
        return Verdict(True, WEAK, "the classes differ and only the product word is shared")
    return _shown(need, offer, offer_words, product, level)


def _shown(
    need: Wanted, offer: Sequence[Token], offer_words: set[str], product: bool, level: int
) -> Verdict:
    """The verdict of an offer the rules let through: how high its band may go and why."""
    clash = conflicts(need.words, offer_words)
    if clash:
        return Verdict(True, WEAK, "; ".join(clash))
    opening = set(content_words(offer)[:OPENING]) | set(product_words(offer))
    if level < 4 and not all(word in opening for word in need.product):
        return Verdict(True, WEAK, "the product word is only in the offer's details")
    if not product:
        return Verdict(True, POSSIBLE, "same class, another product word")
    return Verdict(True, STRONG, "the product agrees")


def band(relevance: float, ceiling: str, limits: BandLimits, confirmed: bool = False) -> str:
    """The band of a match: its relevance against the limits, never above `ceiling`;
    strong when a person confirmed it."""
    if confirmed:
        return STRONG
    by_score = (
        STRONG if relevance >= limits.strong else POSSIBLE if relevance >= limits.possible else WEAK
    )
    return BANDS[max(BANDS.index(by_score), BANDS.index(ceiling))]
