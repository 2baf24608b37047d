"""One exception hierarchy for every channel (API, HTML, CLI).

An error holds an English message template, the gettext msgid marked with `N_`, and its
parameters: `Conflict(N_("unknown unit of measure %(unit)s"), params={"unit": code})`. The
template is the error's stable `code`; each channel renders it in the user's language with
`render` (translation first, then the parameters). A parameter that is itself a message id
(a field name, a column label) is a `Message` and is translated too.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from types import MappingProxyType

from seriktes.kit.i18n import translate

Params = Mapping[str, object]
NO_PARAMS: Params = MappingProxyType({})  # immutable: a shared default


def keepable(params: Params) -> dict[str, object]:
    """`params` as a plain dict whose values are texts, numbers, dates or messages (anything
    else, such as an exception, as its text): what may be kept, compared and pickled."""
    return {
        key: value if isinstance(value, str | int | float | Decimal | date) else str(value)
        for key, value in params.items()
    }


class Message(str):
    """An English text that knows its template and parameters, so that it can be shown in
    another language: a form's error, or a parameter that is a message id itself (a field
    name, a column label: `Message(N_("need"))`). As a `str` it is the English text."""

    template: str
    params: Params

    def __new__(cls, template: str, params: Params = NO_PARAMS) -> Message:
        """The message of `template` with `params`."""
        made = super().__new__(cls, render("en", template, params))
        made.template, made.params = template, params
        return made

    def text(self, lang: str) -> str:
        """The message in `lang`."""
        return render(lang, self.template, self.params)

    def __reduce__(self) -> tuple[type[Message], tuple[str, dict[str, object]]]:
        """Pickled as its template and plain parameters (kept import previews hold messages)."""
        return (Message, (self.template, keepable(self.params)))


def render(lang: str, template: str, params: Params = NO_PARAMS) -> str:
    """`template` in `lang` with its `%(name)s` places filled from `params`; the English text
    when a translation names other places."""
    values = {name: _value(lang, value) for name, value in params.items()}
    for text in (translate(lang, template), template):
        try:
            return text % values if values else text
        except (KeyError, TypeError, ValueError):
            continue
    return template


def _value(lang: str, value: object) -> object:
    """A parameter as shown in `lang`: a `Message` or a located error (anything with
    `text(lang)`) rendered in `lang`, a tuple of them joined with «; »."""
    if isinstance(value, tuple):
        return "; ".join(str(_value(lang, part)) for part in value)
    text = getattr(value, "text", None)
    return text(lang) if callable(text) else value


def plain(params: Params) -> dict[str, str]:
    """`params` as English JSON text values (what the API shows next to the code)."""
    return {name: str(_value("en", value)) for name, value in params.items()}


@dataclass(frozen=True)
class ErrorItem:
    """One located problem: where (`loc`) and what (`template` with `params`)."""

    loc: tuple[str | int, ...]
    template: str
    params: Params = field(default_factory=dict, hash=False)

    @property
    def code(self) -> str:
        """The stable code of the problem: its English template."""
        return self.template

    @property
    def msg(self) -> str:
        """The message in English."""
        return self.text("en")

    def text(self, lang: str) -> str:
        """The message in `lang`."""
        return render(lang, self.template, self.params)

    def as_dict(self, lang: str = "en") -> dict[str, object]:
        """Return the JSON shape used by the API, the message in `lang`."""
        shape: dict[str, object] = {"loc": list(self.loc), "msg": self.text(lang)}
        return shape | {"code": self.code, "params": plain(self.params)}


@dataclass
class SeriktesError(Exception):
    """Base of every error a user may see; never shown as a traceback."""

    template: str
    errors: list[ErrorItem] = field(default_factory=list)
    params: Params = field(default_factory=dict)
    status_code = 400

    def __post_init__(self) -> None:
        super().__init__(self.template)

    @property
    def kind(self) -> str:
        """Return the error kind name used in the API payload."""
        return type(self).__name__

    @property
    def code(self) -> str:
        """The stable code of the error: its English template."""
        return self.template

    @property
    def detail(self) -> str:
        """The message in English."""
        return self.message("en")

    def message(self, lang: str) -> str:
        """The message in `lang`."""
        return render(lang, self.template, self.params)

    def as_dict(self, lang: str = "en") -> dict[str, object]:
        """Return `{"error", "code", "detail", "params", "errors"}` as the API answers it,
        the texts in `lang`."""
        return {
            "error": self.kind,
            "code": self.code,
            "detail": self.message(lang),
            "params": plain(self.params),
            "errors": [item.as_dict(lang) for item in self.errors],
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
