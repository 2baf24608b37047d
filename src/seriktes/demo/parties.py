"""Organisation rows: BINs with check digits, addresses, contacts and certificates."""

from __future__ import annotations

from dataclasses import dataclass
from random import Random
from typing import Any

from seriktes.demo.companies import OrgSpec
from seriktes.demo.places import (
    BUYER_POSITIONS,
    KAZAKH_MEN,
    KAZAKH_PATRONYMICS,
    KAZAKH_SURNAMES,
    KAZAKH_WOMEN,
    MOBILE_PREFIXES,
    RUSSIAN_MEN,
    RUSSIAN_PATRONYMICS,
    RUSSIAN_SURNAMES,
    RUSSIAN_WOMEN,
    SELLER_POSITIONS,
    TOWN_BY_NAME,
    Town,
)
from seriktes.registry.bin import complete_bin
from seriktes.registry.facts import REGION_BY_KATO
from seriktes.registry.models import SizeClass

Row = dict[str, Any]
LEGAL_ENTITY = "4"  # fifth BIN digit: a resident legal entity
HEAD_OFFICE = "0"  # sixth digit: 0 head office, 1 branch, 2 representative office, 3 farm
BIG = (SizeClass.LARGE, SizeClass.MEDIUM)


@dataclass(frozen=True)
class Party:
    """An organisation spec together with its generated row."""

    spec: OrgSpec
    row: Row

    @property
    def bin(self) -> str:
        """The organisation's BIN."""
        return str(self.row["bin"])

    @property
    def town(self) -> Town:
        """The town of the registered address."""
        return TOWN_BY_NAME[self.spec.town]


def make_parties(specs: tuple[OrgSpec, ...], rng: Random) -> list[Party]:
    """Draw BINs, contacts and certificates for every organisation spec, in order."""
    used: set[str] = set()
    return [Party(spec, organisation_row(spec, rng, used)) for spec in specs]


def organisation_row(spec: OrgSpec, rng: Random, used_bins: set[str]) -> Row:
    """Return the organisation's column values; the region is given by its KATO code."""
    town = TOWN_BY_NAME[spec.town]
    big = spec.size in BIG
    return {
        "bin": draw_bin(spec.founded, rng, used_bins),
        "name_ru": spec.name_ru,
        "name_kk": spec.name_kk,
        "region_kato": town.kato,
        "size_class": spec.size,
        "oked": spec.oked,
        "certificates": certificates(spec, town, rng),
        "address": address(town, rng),
        "contact_person": contact_person(rng, buyer=bool(spec.buys)),
        "phone": phone(town, rng, landline=big or rng.random() < 0.4),
        "email": email(spec, rng, own_domain=big),
        "website": f"www.{spec.slug}.kz" if big else None,
    }


def draw_bin(founded: int, rng: Random, used: set[str]) -> str:
    """Draw a unique head-office BIN registered in `founded`: YYMM, 4, 0, serial, check digit."""
    while True:
        month = rng.randint(1, 12)
        serial = rng.randint(0, 99999)
        first11 = f"{founded % 100:02d}{month:02d}{LEGAL_ENTITY}{HEAD_OFFICE}{serial:05d}"
        candidate = complete_bin(first11)
        if candidate is not None and candidate not in used:
            used.add(candidate)
            return candidate


def certificates(spec: OrgSpec, town: Town, rng: Random) -> list[str]:
    """Draw domestic-producer certificates: ST-KZ origin and industrial certificates."""
    if not spec.own_production or rng.random() < 0.2:
        return []
    region_digits = town.kato[:3]
    found = [
        f"KZ 7 {region_digits} {rng.randint(100, 99999):05d}" for _ in range(rng.randint(1, 3))
    ]
    if spec.size in BIG or rng.random() < 0.3:
        found.append(f"{rng.randint(101, 148)} 0 {rng.randint(1, 999):05d}")
    return found


def address(town: Town, rng: Random) -> str:
    """Return a postal address in the town, with the oblast unless it is a regional centre."""
    street = f"{rng.choice(town.streets)}, {rng.randint(1, 240)}"
    if rng.random() < 0.2:
        street += f"/{rng.randint(1, 9)}"
    place = f"{town.prefix} {town.name}"
    if not town.is_centre:
        place = f"{REGION_BY_KATO[town.kato].name_ru}, {place}"
    return f"{town.postcode}, {place}, {street}"


def contact_person(rng: Random, *, buyer: bool) -> str:
    """Return a full name in Kazakh or Russian style with a procurement or sales position."""
    woman = rng.random() < 0.45
    kazakh = rng.random() < 0.6
    surname = rng.choice(KAZAKH_SURNAMES if kazakh else RUSSIAN_SURNAMES)
    if woman and surname.endswith(("ов", "ев")):
        surname += "а"
    if kazakh:
        first = rng.choice(KAZAKH_WOMEN if woman else KAZAKH_MEN)
        patronymic = rng.choice(KAZAKH_PATRONYMICS)[1 if woman else 0]
    else:
        first = rng.choice(RUSSIAN_WOMEN if woman else RUSSIAN_MEN)
        patronymic = rng.choice(RUSSIAN_PATRONYMICS)[1 if woman else 0]
    position = rng.choice(BUYER_POSITIONS if buyer else SELLER_POSITIONS)
    return f"{surname} {first} {patronymic} ({position})"


def phone(town: Town, rng: Random, *, landline: bool) -> str:
    """Return a Kazakh phone number: the town's landline or a mobile number."""
    if not landline:
        digits = f"{rng.randint(0, 9_999_999):07d}"
        return f"+7 ({rng.choice(MOBILE_PREFIXES)}) {digits[:3]}-{digits[3:5]}-{digits[5:]}"
    local_length = 10 - len(town.phone_code)
    digits = f"{rng.randint(2 * 10 ** (local_length - 1), 10**local_length - 1)}"
    groups = [digits[:-4], digits[-4:-2], digits[-2:]]
    return f"+7 ({town.phone_code}) {'-'.join(groups)}"


def email(spec: OrgSpec, rng: Random, *, own_domain: bool) -> str:
    """Return a procurement or sales mailbox, on the company domain or a public mail service."""
    if own_domain:
        mailbox = rng.choice(
            ("snab", "zakup", "tender", "omts") if spec.buys else ("sales", "info", "office")
        )
        return f"{mailbox}@{spec.slug}.kz"
    return f"{spec.slug.replace('-', '.')}@{rng.choice(('mail.ru', 'gmail.com', 'inbox.kz'))}"
