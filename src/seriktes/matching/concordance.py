"""Which KP VED divisions can hold a product of an HS (TN VED EAEU) chapter.

A coarse concordance of the two systems' top levels: the first two digits of an HS code
say what a product is made of or what it is (meat, plastics, machinery…), and only a few
KP VED divisions make such products. Classifying a register's product name within those
divisions keeps «Кисть крыла ЦБ» (HS 0207, poultry) out of brushes and «Шкурки цыпленка»
out of abrasive paper.
"""

from __future__ import annotations

_CHAPTERS: dict[str, str] = {
    "01": "01",
    "02": "10",
    "03": "03 10",
    "04": "10 01",
    "05": "01 10",
    "06": "01",
    "07": "01 10",
    "08": "01 10",
    "09": "01 10",
    "10": "01",
    "11": "10",
    "12": "01 10",
    "13": "02 20",
    "14": "01 02",
    "15": "10 20",
    "16": "10",
    "17": "10",
    "18": "10",
    "19": "10",
    "20": "10",
    "21": "10",
    "22": "11 20",
    "23": "10",
    "24": "12",
    "25": "08 23",
    "26": "07",
    "27": "05 06 19 35",
    "28": "20",
    "29": "20",
    "30": "21",
    "31": "20",
    "32": "20",
    "33": "20",
    "34": "20",
    "35": "20 10",
    "36": "20",
    "37": "20",
    "38": "20",
    "39": "20 22",
    "40": "22 20",
    "41": "10 15",
    "42": "15",
    "43": "14 15",
    "44": "16 02",
    "45": "16",
    "46": "16",
    "47": "17",
    "48": "17",
    "49": "58 18",
    **dict.fromkeys(("50", "51", "52", "53", "54", "55", "56", "57", "58", "59", "60"), "13"),
    "61": "14",
    "62": "14",
    "63": "13 14",
    "64": "15",
    "65": "14",
    "66": "32",
    "67": "32 13",
    "68": "23",
    "69": "23",
    "70": "23",
    "71": "24 32",
    "72": "24",
    "73": "25 24 28",
    "74": "24 25",
    "75": "24",
    "76": "24 25",
    **dict.fromkeys(("78", "79", "80", "81"), "24"),
    "82": "25",
    "83": "25",
    "84": "28 25 26 27",
    "85": "26 27 29",
    "86": "30",
    "87": "29 30",
    "88": "30",
    "89": "30",
    "90": "26 32",
    "91": "26",
    "92": "32",
    "93": "25 30",
    "94": "31 27 25 16 22",
    "95": "32",
    "96": "32 22",
    "97": "90 32",
}


def divisions_for_hs(hs_code: str | None) -> frozenset[str] | None:
    """The two-digit KP VED divisions a product of this HS code can be in, or None when the
    code says nothing (missing, too short, or a chapter not in the table)."""
    digits = "".join(ch for ch in hs_code or "" if ch.isdigit())
    if len(digits) < 2 or digits[:2] not in _CHAPTERS:
        return None
    return frozenset(_CHAPTERS[digits[:2]].split())
