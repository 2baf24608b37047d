"""Creating, changing and deleting needs and offers, with the access rules applied."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from seriktes.accounts.models import User
from seriktes.accounts.policy import can_create_for, can_edit_organisation
from seriktes.catalog.changes import LinesWritten, announce
from seriktes.catalog.models import ClassSource, Need, NeedStatus, Offer, OfferStatus, Origin
from seriktes.catalog.parsing import class_from_enstru, hs_code, parse_enstru, parse_kpved
from seriktes.catalog.queries import get_need, get_offer, get_organisation
from seriktes.kit import versions
from seriktes.kit.errors import Conflict, ErrorItem, Forbidden, Message, ValidationFailed
from seriktes.kit.i18n import N_
from seriktes.kit.importing import CellError
from seriktes.kit.values import NUMBERS, known_currency, plain_number, sane_day
from seriktes.registry.models import ClassifierSystem, Organisation
from seriktes.registry.repository import has_code, has_codes
from seriktes.registry.service import Lookups


def _cell(parser: Callable[[str | None], str | None], value: str | None) -> str | None:
    try:
        return parser(value)
    except CellError as exc:
        raise ValueError(str(exc)) from None


Row = TypeVar("Row", Need, Offer)
# columns of needs and offers by the names clients send them under
ALIASES = {"delivery_region_id": "delivery_region", "class_source": "class_code"}


class _Line(BaseModel):
    """Fields shared by needs and offers."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    title: str = Field(min_length=1, max_length=500)
    description: str | None = Field(default=None, max_length=20_000)
    class_code: str | None = Field(default=None, description="KP VED code, e.g. 28.15.10")
    unit_code: str | None = Field(default=None, description="MKEI code or name, e.g. 796 or шт")
    currency: str = Field(default="KZT", pattern=r"^[A-Z]{3}$")

    @field_validator("class_code")
    @classmethod
    def _kpved(cls, value: str | None) -> str | None:
        return _cell(parse_kpved, value)

    @field_validator("currency")
    @classmethod
    def _currency(cls, value: str) -> str:
        return known_currency(value)

    @field_validator(*NUMBERS, mode="before", check_fields=False)
    @classmethod
    def _plain(cls, value: object) -> object:
        return plain_number(value)


class NeedIn(_Line):
    """A need as a client sends it."""

    buyer_id: int
    external_id: str | None = Field(default=None, max_length=128)
    enstru_code: str | None = None
    quantity: Decimal | None = Field(default=None, ge=0, max_digits=18, decimal_places=3)
    unit_price: Decimal | None = Field(default=None, ge=0, max_digits=18, decimal_places=2)
    delivery_region: str | None = Field(default=None, description="KATO code of delivery")
    needed_by: date | None = None
    origin: Origin = Origin.UNKNOWN
    status: NeedStatus = NeedStatus.DRAFT

    @field_validator("enstru_code")
    @classmethod
    def _enstru(cls, value: str | None) -> str | None:
        return _cell(parse_enstru, value)

    @field_validator("needed_by")
    @classmethod
    def _day(cls, value: date | None) -> date | None:
        return sane_day(value)


class OfferIn(_Line):
    """An offer as a client sends it."""

    producer_id: int
    external_id: str | None = Field(default=None, max_length=128)
    hs_code: str | None = None
    capacity_per_year: Decimal | None = Field(default=None, ge=0, max_digits=18, decimal_places=3)
    price: Decimal | None = Field(default=None, ge=0, max_digits=18, decimal_places=2)
    certificates: list[str] = Field(default_factory=list, max_length=50)
    status: OfferStatus = OfferStatus.DRAFT

    @field_validator("hs_code")
    @classmethod
    def _hs(cls, value: str | None) -> str | None:
        return _cell(hs_code, value)


def _validated(model: type[_Line], values: dict[str, Any]) -> Any:
    """Validate changes like a new record; pydantic's errors become ValidationFailed."""
    try:
        return model.model_validate(values)
    except ValidationError as exc:
        items = [ErrorItem(("body", *map(str, e["loc"])), e["msg"]) for e in exc.errors()]
        fields = ", ".join(str(i.loc[-1]) for i in items)
        raise ValidationFailed(N_("invalid %(fields)s"), items, {"fields": fields}) from None


def _owner(session: Session, user: User | None, org_id: int) -> Organisation:
    org = get_organisation(session, org_id)
    if not can_create_for(user, org):
        raise Forbidden(N_("you may not add or change data of this organisation"))
    return org


def _resolve(session: Session, values: dict[str, Any]) -> dict[str, Any]:
    """Turn unit names and region codes into stored keys, with field-located errors."""
    lookups = Lookups.load(session)
    resolved = dict(values)
    for field, convert in (("unit_code", lookups.unit_code), ("delivery_region", lookups.region)):
        if resolved.get(field) is None:
            continue
        try:
            value = convert(str(resolved[field]))
        except CellError as exc:
            item = ErrorItem(("body", field), exc.template, exc.params)
            raise ValidationFailed(exc.template, [item], exc.params) from None
        if field == "delivery_region":
            resolved.pop(field)
            resolved["delivery_region_id"] = getattr(value, "id", None)
        else:
            resolved[field] = value
    if resolved.get("enstru_code") and not resolved.get("class_code"):
        resolved["class_code"] = class_from_enstru(str(resolved["enstru_code"]))
    return resolved


def create_need(session: Session, user: User | None, data: NeedIn) -> Need:
    """Add a need for an organisation the user may act for."""
    _owner(session, user, data.buyer_id)
    values = _resolve(session, data.model_dump(exclude={"external_id"}))
    values = _class_source(session, None, values, asked=data.class_code is not None)
    need = _add(session, Need(external_id=_external_id(data), source="web", **values), N_("a need"))
    announce(session, LinesWritten(needs=(need.id,)))
    return need


def _external_id(data: NeedIn | OfferIn) -> str:
    return data.external_id or f"web:{uuid.uuid4().hex[:12]}"


def _add(session: Session, line: Row, kind: str) -> Row:
    """Insert a need or an offer; an external id its organisation already uses is a 409."""
    model = type(line)
    owner = Need.buyer_id if isinstance(line, Need) else Offer.producer_id
    owner_id = line.buyer_id if isinstance(line, Need) else line.producer_id
    taken = select(model.id).where(owner == owner_id, model.external_id == line.external_id)
    if session.scalar(taken) is None:
        try:
            with session.begin_nested():
                session.add(line)
                session.flush()
            return line
        except IntegrityError:
            if session.scalar(taken) is None:  # not a repeated id: something else is wrong
                raise
    detail = N_("this organisation already has %(kind)s with external id %(external_id)s")
    params = {"kind": Message(kind), "external_id": repr(line.external_id)}
    raise Conflict(detail, [ErrorItem(("body", "external_id"), detail, params)], params)


def update_need(
    session: Session,
    user: User | None,
    need_id: int,
    changes: dict[str, Any],
    version: int | None = None,
) -> Need:
    """Change fields of a need (validated as NeedIn); the buyer cannot be changed. With
    `version` (the one the client read), a need changed since is refused (`StaleWrite`)."""
    need = get_need(session, user, need_id)
    if not can_edit_organisation(user, need.buyer):
        raise Forbidden(N_("you may not change this need"))
    versions.check(need, version, N_("need"), ALIASES)
    current = _validated(NeedIn, {**_need_fields(need), **changes, "buyer_id": need.buyer_id})
    values = _resolve(session, current.model_dump(exclude={"external_id"}))
    asked = "class_code" in changes
    versions.assign(need, _class_source(session, need.class_code, values, asked))
    versions.flush(session, "need")
    announce(session, LinesWritten(needs=(need.id,)))
    return need


def _class_source(
    session: Session, before: str | None, values: dict[str, Any], asked: bool
) -> dict[str, Any]:
    """`values` with the class source set when a person changed the class (`asked`): then it
    must be a KP VED code of the registry (when it holds any), and it is marked manual (a
    corrected need's class teaches the classifier)."""
    code = values.get("class_code")
    if not asked or code == before:
        return values
    known = not code or not has_codes(session, ClassifierSystem.KPVED)
    if not known and not has_code(session, ClassifierSystem.KPVED, str(code)):
        detail, params = N_("%(code)s is not a KP VED class of the classifier"), {"code": code}
        raise ValidationFailed(detail, [ErrorItem(("body", "class_code"), detail, params)], params)
    return {**values, "class_source": ClassSource.MANUAL if code else None}


def delete_need(session: Session, user: User | None, need_id: int) -> None:
    """Delete a need (and its matches)."""
    need = get_need(session, user, need_id)
    if not can_edit_organisation(user, need.buyer):
        raise Forbidden(N_("you may not delete this need"))
    announce(session, LinesWritten(needs=(need_id,), deleting=True))
    session.delete(need)
    versions.flush(session, "need")
    announce(session, LinesWritten(needs=(need_id,)))


def create_offer(session: Session, user: User | None, data: OfferIn) -> Offer:
    """Add an offer for an organisation the user may act for."""
    _owner(session, user, data.producer_id)
    values = _resolve(session, data.model_dump(exclude={"external_id"}))
    values = _class_source(session, None, values, asked=data.class_code is not None)
    offer = _add(
        session, Offer(external_id=_external_id(data), source="web", **values), N_("an offer")
    )
    announce(session, LinesWritten(offers=(offer.id,)))
    return offer


def update_offer(
    session: Session,
    user: User | None,
    offer_id: int,
    changes: dict[str, Any],
    version: int | None = None,
) -> Offer:
    """Change fields of an offer (validated as OfferIn); the producer cannot be changed.
    With `version`, an offer changed since is refused (`StaleWrite`)."""
    offer = get_offer(session, user, offer_id)
    if not can_edit_organisation(user, offer.producer):
        raise Forbidden(N_("you may not change this offer"))
    versions.check(offer, version, N_("offer"), ALIASES)
    current = _validated(
        OfferIn, {**_offer_fields(offer), **changes, "producer_id": offer.producer_id}
    )
    values = _resolve(session, current.model_dump(exclude={"external_id"}))
    asked = "class_code" in changes
    versions.assign(offer, _class_source(session, offer.class_code, values, asked))
    versions.flush(session, "offer")
    announce(session, LinesWritten(offers=(offer.id,)))
    return offer


def delete_offer(session: Session, user: User | None, offer_id: int) -> None:
    """Delete an offer (and its matches)."""
    offer = get_offer(session, user, offer_id)
    if not can_edit_organisation(user, offer.producer):
        raise Forbidden(N_("you may not delete this offer"))
    announce(session, LinesWritten(offers=(offer_id,), deleting=True))
    session.delete(offer)
    versions.flush(session, "offer")
    announce(session, LinesWritten(offers=(offer_id,)))


def _need_fields(need: Need) -> dict[str, Any]:
    return {
        "title": need.title,
        "description": need.description,
        "class_code": need.class_code,
        "unit_code": need.unit_code,
        "currency": need.currency,
        "enstru_code": need.enstru_code,
        "quantity": need.quantity,
        "unit_price": need.unit_price,
        "delivery_region": need.delivery_region.kato if need.delivery_region else None,
        "needed_by": need.needed_by,
        "origin": need.origin,
        "status": need.status,
    }


def _offer_fields(offer: Offer) -> dict[str, Any]:
    return {
        "title": offer.title,
        "description": offer.description,
        "class_code": offer.class_code,
        "unit_code": offer.unit_code,
        "currency": offer.currency,
        "hs_code": offer.hs_code,
        "capacity_per_year": offer.capacity_per_year,
        "price": offer.price,
        "certificates": list(offer.certificates),
        "status": offer.status,
    }
