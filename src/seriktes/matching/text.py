"""Text analysis for procurement lines: normalisation, technical-code-aware tokenizing,
lemmatisation, procurement stop words and abbreviations."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

# Token kinds: a word (lemmatised), a technical code kept whole, a number with its unit.
WORD, CODE, MEASURE = "w", "c", "m"

# Cyrillic letters that look like Latin ones; inside part numbers both spellings occur.
_LOOKALIKE = str.maketrans("авекмнорстухі", "abekmhopctyxi")
_DASHES = str.maketrans(
    {
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u00d7": "х",
        "\u2116": " № ",
    }
)
_TOKEN = re.compile(r"[0-9a-zа-яәғқңөұүһі]+(?:[-./,*х×x/][0-9a-zа-яәғқңөұүһі]+)*", re.IGNORECASE)
_LATIN = re.compile(r"[a-z]")
_CYRILLIC = re.compile(r"[а-я]")
_KAZAKH = re.compile(r"[әғқңөұүһі]")
_KAZAKH_SUFFIX = re.compile(
    r"(лар|лер|дар|дер|тар|тер)?(ның|нің|дың|дің|тың|тің|ға|ге|қа|ке|да|де|та|те|ды|ді|ты|ті)?$"
)
_BOILERPLATE_PHRASES = re.compile(
    r"согласно\s+(технической\s+)?(спецификаци|тс\b|тз\b)\w*|"
    r"в\s+соответствии\s+с\s+(технической\s+)?\w+|"
    r"(технической|технических)\s+спецификаци\w*"
)
_NUMBER = re.compile(r"^\d+(?:[.,]\d+)?$")
_HAS_DIGIT = re.compile(r"\d")
UNITS = {
    "мм": "мм",
    "см": "см",
    "м": "м",
    "км": "км",
    "кг": "кг",
    "г": "г",
    "т": "т",
    "тн": "т",
    "л": "л",
    "мл": "мл",
    "в": "в",
    "кв": "кв",
    "вт": "вт",
    "квт": "квт",
    "а": "а",
    "мпа": "мпа",
    "атм": "атм",
    "бар": "бар",
    "дюйм": "дюйм",
    "гб": "гб",
    "тб": "тб",
    "мб": "мб",
    "ггц": "ггц",
    "гц": "гц",
    "об": "об",
    "%": "%",
}

FUNCTION_WORDS = frozenset(
    """и в во на с со из по для от до к ко не без или а также о об при под над за как что
    это его их ее ли бы же то у через между либо а также так которые который которая
    согласно соответствии наличие наличии иной иные прочий прочие другой другие""".split()
)
# Procurement boilerplate: words that say how something is bought, not what.
BOILERPLATE = frozenset(
    """приобретение приобрести закуп закупка закупки поставка поставки поставить
    спецификация спецификации тс тз задание заказчик заказчика
    необходимость количество кол во штука единица год срок сроки
    соответствие требование требования качество качественный
    склад ddp dap exw cpt fca оплата факт календарный рабочий течение самовывоз покупатель
    день отгрузка транспортный компания базироваться выезд ранее закупаться текущий поставщик
    рассматриваться аналог договор заключение момент собственный""".split()
)
ABBREVIATIONS: dict[str, str] = {
    "акб": "аккумуляторная батарея",
    "дт": "дизельное топливо",
    "гсм": "горюче-смазочные материалы",
    "пк": "персональный компьютер",
    "мфу": "многофункциональное устройство",
    "лкм": "лакокрасочные материалы",
    "сиз": "средства индивидуальной защиты",
    "пп": "полипропилен",
    "г/к": "горячекатаный",
    "х/к": "холоднокатаный",
    "ж/б": "железобетонный",
    "эл": "электрический",
    "к-т": "комплект",
    "компл": "комплект",
    "р-р": "раствор",
    "рвд": "рукав высокого давления",
    "кипиа": "контрольно-измерительные приборы автоматика",
    "ибп": "источник бесперебойного питания",
    "свп": "светильник",
    "ппу": "пенополиуретан",
    "пнд": "полиэтилен низкого давления",
    "пвх": "поливинилхлорид",
    "эд": "электродвигатель",
    "тэн": "трубчатый электронагреватель",
    "аи": "бензин",
    "цб": "цыпленок бройлер",
    "шт": "",
    "ед": "",
}


# Abbreviations that keep their meaning when glued to a number (a grade, a material);
# others (ПК-8,5, ЭД-20) are model designations. «Ст3сп» is steel, a bare «СТ» is a standard
# («СТ РК 2059-2010»).
CODE_PREFIXES = {
    "ст": "сталь",
    **{short: ABBREVIATIONS[short] for short in "аи дт пп пнд пвх ппу акб".split()},
}


# Abbreviations that are also ordinary words in lower case («по», «то»): upper case only.
UPPER_ABBREVIATIONS = re.compile(r"\b(ПО|ТО|ТОиР)\b")
UPPER_EXPANSIONS = {
    "ПО": "программное обеспечение",
    "ТО": "техническое обслуживание",
    "ТОиР": "техническое обслуживание и ремонт",
}


@dataclass(frozen=True)
class Token:
    """One token: its normalised text, its kind and, for words, the part of speech."""

    text: str
    kind: str
    pos: str = ""
    nominative: bool = False


# «г. Усть-Каменогорск», «п. Глубокое»: where to deliver, not what.
_PLACE = re.compile(r"\b(?:г|гор|п|пос|с|пгт)\.\s*[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)*")


def normalise(text: str) -> str:
    """Lower-case, ё→е, one kind of dash and multiplication sign, `*` between numbers → х;
    place names after «г.», «п.» and procurement boilerplate phrases removed."""
    expanded = UPPER_ABBREVIATIONS.sub(
        lambda m: UPPER_EXPANSIONS[m.group(1)], _PLACE.sub(" ", text)
    )
    folded = expanded.lower().replace("ё", "е").translate(_DASHES)
    folded = re.sub(r"\b([мm])\s+(?=\d)", r"\1", folded)  # «М 12» is the thread M12
    folded = re.sub(r"(?<=\d)\s*[*xх]\s*(?=\d)", "х", folded)
    return _BOILERPLATE_PHRASES.sub(" ", folded)


def fold_code(token: str) -> str:
    """Fold a technical code: Cyrillic look-alikes to Latin, commas to dots (М27х2 = M27x2)."""
    return token.translate(_LOOKALIKE).replace(",", ".").replace("*", "x")


Lemmatizer = Callable[[str], tuple[str, str, bool]]


@lru_cache(maxsize=1)
def _morph() -> object:
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


@lru_cache(maxsize=400_000)
def pymorphy_lemma(word: str) -> tuple[str, str, bool]:
    """Return (lemma, part of speech, is nominative) by pymorphy3's most likely parse."""
    parse = _morph().parse(word)[0]  # type: ignore[attr-defined]
    tag = parse.tag
    return str(parse.normal_form).replace("ё", "е"), str(tag.POS or ""), tag.case == "nomn"


@lru_cache(maxsize=1)
def _stemmer() -> object:
    import Stemmer

    return Stemmer.Stemmer("russian")


@lru_cache(maxsize=400_000)
def snowball_stem(word: str) -> tuple[str, str, bool]:
    """Return (Snowball Russian stem, "", False): no part of speech is known."""
    return str(_stemmer().stemWord(word)), "", False  # type: ignore[attr-defined]


LEMMATIZERS: dict[str, Lemmatizer] = {"pymorphy3": pymorphy_lemma, "snowball": snowball_stem}


class Analyzer:
    """Turns a procurement text into tokens: words lemmatised, codes and measures whole."""

    def __init__(
        self,
        lemmatizer: Literal["pymorphy3", "snowball"] = "pymorphy3",
        drop_boilerplate: bool = True,
    ) -> None:
        self.lemmatize = LEMMATIZERS[lemmatizer]
        self.stop = FUNCTION_WORDS | (BOILERPLATE if drop_boilerplate else frozenset())

    def tokens(self, text: str) -> list[Token]:
        """Return the tokens of `text` in order."""
        raw = _TOKEN.findall(normalise(text))
        out: list[Token] = []
        index = 0
        while index < len(raw):
            piece = raw[index]
            index += 1
            if _NUMBER.match(piece):
                unit = UNITS.get(raw[index]) if index < len(raw) else None
                if not unit and piece.isdigit() and len(piece) >= 3:
                    out.append(Token(piece, CODE))  # a part or catalogue number: 6205, 375059
                    continue
                if unit:
                    number = (
                        piece.replace(",", ".").rstrip("0").rstrip(".")
                        if "." in piece or "," in piece
                        else piece
                    )
                    out.append(Token(f"{number}{unit}", MEASURE))
                    index += 1
                continue
            if piece in ABBREVIATIONS:
                out.extend(self._words(ABBREVIATIONS[piece]))
                continue
            if _HAS_DIGIT.search(piece):
                code = fold_code(piece)
                out.append(Token(code, CODE))
                head = re.match(r"^[0-9a-z]*\d[0-9a-z]*", code)
                if head and head.group(0) != code and sum(c.isdigit() for c in head.group(0)) >= 3:
                    out.append(Token(head.group(0), CODE))  # 6205-2rs also matches 6205
                out.extend(self._code_words(piece))
                continue
            out.extend(self._words(piece))
        return out

    def _code_words(self, code: str) -> list[Token]:
        """Letters glued to a code often carry a word: ст3сп → сталь, аи-92 → бензин (only
        for abbreviations that name a material or a grade: ПК-8,5 is a seeder, not a PC)."""
        prefix = re.match(r"^([а-яa-z]{2,})[-.]?\d", code)
        if prefix and prefix.group(1) in CODE_PREFIXES:
            return self._words(CODE_PREFIXES[prefix.group(1)])
        return []

    def _words(self, text: str) -> list[Token]:
        out: list[Token] = []
        for part in re.split(r"[-./,]", text) if not text.isalpha() else [text]:
            for word in part.split():
                if word in ABBREVIATIONS and word not in self.stop:
                    expansion = ABBREVIATIONS[word]
                    if expansion:
                        out.extend(self._words(expansion))
                    continue
                if len(word) < 2 or word in self.stop or word.isdigit():
                    continue
                if _LATIN.search(word) and _CYRILLIC.search(word):
                    out.append(Token(fold_code(word), WORD))  # «СAT» typed in two alphabets
                    continue
                if _KAZAKH.search(word):
                    stem = _KAZAKH_SUFFIX.sub("", word)
                    out.append(Token(stem if len(stem) >= 3 else word, WORD))
                    continue
                lemma, pos, nominative = self.lemmatize(word)
                if lemma in self.stop:
                    continue
                out.append(Token(lemma, WORD, pos, nominative))
        return out

    def terms(self, text: str) -> list[str]:
        """Return just the token texts (for indexing)."""
        return [token.text for token in self.tokens(text)]
