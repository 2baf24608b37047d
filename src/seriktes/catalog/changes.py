"""Needs and offers written by the catalog, announced in the same transaction to whoever keeps
data derived from them: the matches domain keeps the stored matches current without the
catalog importing it (it listens; the catalog only announces)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session


@dataclass(frozen=True)
class LinesWritten:
    """Needs and offers just created or changed (flushed), or about to be deleted."""

    needs: tuple[int, ...] = ()
    offers: tuple[int, ...] = ()
    deleting: bool = False  # announced before the delete; the same ids follow once it is done


Listener = Callable[[Session, LinesWritten], None]
_listeners: list[Listener] = []


def listen(listener: Listener) -> None:
    """Call `listener` with every announcement of this process (once however often added)."""
    if listener not in _listeners:
        _listeners.append(listener)


def announce(session: Session, written: LinesWritten) -> None:
    """Tell the listeners that these lines were written in `session`'s transaction."""
    for listener in tuple(_listeners):
        listener(session, written)
