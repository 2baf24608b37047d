"""One exception hierarchy for every channel (API, HTML, CLI)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ErrorItem:
    """One located problem: where (`loc`) and what (`msg`)."""

    loc: tuple[str | int, ...]
    msg: str

    def as_dict(self) -> dict[str, object]:
        """Return the JSON shape used by the API."""
        return {"loc": list(self.loc), "msg": self.msg}


@dataclass
class SeriktesError(Exception):
    """Base of every error a user may see; never shown as a traceback."""

    detail: str
    errors: list[ErrorItem] = field(default_factory=list)
    status_code = 400

    def __post_init__(self) -> None:
        super().__init__(self.detail)

    @property
    def kind(self) -> str:
        """Return the error kind name used in the API payload."""
        return type(self).__name__

    def as_dict(self) -> dict[str, object]:
        """Return `{"error", "detail", "errors"}` as the API answers it."""
        return {
            "error": self.kind,
            "detail": self.detail,
            "errors": [item.as_dict() for item in self.errors],
        }

    def __str__(self) -> str:
        return self.detail


class NotFound(SeriktesError):
    """The requested object does not exist."""

    status_code = 404


class Conflict(SeriktesError):
    """The request conflicts with the current state."""

    status_code = 409


class ValidationFailed(SeriktesError):
    """Input is invalid; `errors` locate each problem."""

    status_code = 422


class Forbidden(SeriktesError):
    """The user may not do this."""

    status_code = 403


class NotAuthenticated(SeriktesError):
    """The request needs a logged-in user or an API token."""

    status_code = 401


class TooManyAttempts(SeriktesError):
    """Too many failed logins; try again later."""

    status_code = 429


class Busy(SeriktesError):
    """The database is held by another change for longer than a request waits; try again."""

    status_code = 503
