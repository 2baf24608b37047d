"""JSON shapes of the audit log: the raw entry (`schemas.AuditEntryOut`) with its reading
in the request's language added."""

from __future__ import annotations

from pydantic import BaseModel, Field

from seriktes.agreements.auditlog import Readable
from seriktes.agreements.schemas import AuditEntryOut


class AuditChangeOut(BaseModel):
    """One field of a change as read: its label and its values before and after."""

    field: str
    before: str
    after: str


class ReadableAuditEntryOut(AuditEntryOut):
    """One change with its reading: who by name, what happened, the object, the fields."""

    who: str = Field(description="Who made the change, by name")
    text: str = Field(description="What happened, in the request's language")
    object: str = Field(description="The object by its human identity (number, parties)")
    changes: list[AuditChangeOut] = Field(description="The fields as read, hidden ones left out")

    @classmethod
    def read(cls, found: Readable) -> ReadableAuditEntryOut:
        """Build from an entry as read."""
        return cls(
            **AuditEntryOut.of(found.entry).model_dump(),
            who=found.who,
            text=found.sentence,
            object=found.identity,
            changes=[AuditChangeOut(**vars(c)) for c in found.changes],
        )
