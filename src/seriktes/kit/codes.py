"""Structure of dotted KP VED / OKPD2 codes (pure helpers shared by registry and matching)."""

from __future__ import annotations


def format_classifier_code(digits: str) -> str:
    """Format digits as a dotted KP VED code: 011111 → 01.11.11, 011111110 → 01.11.11.110."""
    parts = [digits[:2], digits[2:4], digits[4:6], digits[6:]]
    return ".".join(part for part in parts if part)


def classifier_parent(code: str) -> str | None:
    """Return the parent of a dotted KP VED / OKPD2 code (01.11.11.110 → 01.11.11)."""
    digits = code.replace(".", "")
    if len(digits) <= 2:
        return None
    parent = digits[:6] if len(digits) > 6 else digits[:-1]
    return format_classifier_code(parent)


def digits_of(code: str) -> str:
    """Return the digits of a dotted code."""
    return code.replace(".", "")


def class_of(code: str, digits: int = 6) -> str:
    """Return the class of `code` cut to `digits` digits (six by default), dotted."""
    return format_classifier_code(digits_of(code)[:digits])


def agreement_level(a: str | None, b: str | None) -> int:
    """Return 6, 4, 2 or 0: the number of leading class digits two codes share."""
    if not a or not b:
        return 0
    da, db = digits_of(a), digits_of(b)
    for level in (6, 4, 2):
        if len(da) >= level and len(db) >= level and da[:level] == db[:level]:
            return level
    return 0
