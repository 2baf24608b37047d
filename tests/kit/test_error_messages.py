"""Every message a service raises is a marked English template with its three translations,
and is shown in the language of whoever reads it."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from seriktes.kit.errors import Conflict, ErrorItem, Message, ValidationFailed, render
from seriktes.kit.i18n import N_, catalog
from seriktes.kit.importing import ImportFailed, RowError

SRC = Path(__file__).resolve().parents[2] / "src" / "seriktes"
# the calls that take a user-facing message, and the position of that message
ERRORS = {
    "SeriktesError", "NotFound", "Conflict", "ValidationFailed", "Forbidden",
    "NotAuthenticated", "TooManyAttempts", "Busy", "ImportFailed", "StaleWrite", "CellError",
}  # fmt: skip
POSITION = {**dict.fromkeys(ERRORS, 0), "ErrorItem": 1, "invalid": 1, "_refuse": 1}
METHODS = {"of": 3, "error": 2}  # RowError.of(file, row, column, message), parsed.error(...)
PLACE = re.compile(r"%\((\w+)\)s")


def _sources() -> Iterator[tuple[Path, ast.Module]]:
    for path in sorted(SRC.rglob("*.py")):
        yield path, ast.parse(path.read_text(encoding="utf-8"))


def _message_argument(call: ast.Call) -> ast.expr | None:
    """The argument of `call` that holds a user-facing message, when it is such a call."""
    func = call.func
    if isinstance(func, ast.Name) and func.id in POSITION:
        index = POSITION[func.id]
    elif isinstance(func, ast.Attribute) and func.attr in METHODS:
        if func.attr == "of" and not (
            isinstance(func.value, ast.Name) and func.value.id == "RowError"
        ):
            return None
        index = METHODS[func.attr]
    else:
        return None
    return call.args[index] if len(call.args) > index else None


def _is_marked(node: ast.expr) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "N_"
        and len(node.args) == 1
        and isinstance(node.args[0], ast.Constant)
        and isinstance(node.args[0].value, str)
    )


def _formatted(node: ast.expr) -> bool:
    """An f-string, a `%`/`+` expression, a `.format()` call or a bare (unmarked) text."""
    if isinstance(node, ast.JoinedStr | ast.BinOp):
        return True
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in {"format", "join", "replace"}
    )


def _assigned_texts(tree: ast.Module) -> dict[str, list[ast.expr]]:
    """name → the values assigned to it anywhere in the module (messages kept in a name)."""
    found: dict[str, list[ast.expr]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    found.setdefault(target.id, []).append(node.value)
                elif isinstance(target, ast.Tuple) and isinstance(node.value, ast.Tuple):
                    for name, value in zip(target.elts, node.value.elts, strict=False):
                        if isinstance(name, ast.Name):
                            found.setdefault(name.id, []).append(value)
    return found


def unmarked_messages() -> list[str]:
    """Raise sites whose message is formatted, or a text not marked with N_."""
    bad = []
    for path, tree in _sources():
        assigned = _assigned_texts(tree)
        for node in ast.walk(tree):
            message = _message_argument(node) if isinstance(node, ast.Call) else None
            if message is None or _is_marked(message):
                continue
            values = assigned.get(message.id, []) if isinstance(message, ast.Name) else [message]
            if any(_formatted(value) for value in values):
                bad.append(f"{path.relative_to(SRC)}:{node.lineno}: {ast.unparse(message)[:80]}")
    return bad


def marked_messages() -> dict[str, str]:
    """Every text marked with N_ in the source → where it is marked first."""
    found: dict[str, str] = {}
    for path, tree in _sources():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _is_marked(node):
                text = node.args[0].value  # type: ignore[attr-defined]
                found.setdefault(text, f"{path.relative_to(SRC)}:{node.lineno}")
    return found


def test_no_raise_site_formats_its_message() -> None:
    # a message built with an f-string cannot be translated: give N_("... %(name)s ...") and
    # params={"name": value} instead
    assert unmarked_messages() == []


def test_the_guard_sees_the_messages_services_raise() -> None:
    marked = marked_messages()
    assert "these two participants already have an open request" in marked
    assert "unknown unit of measure %(value)s; use an MKEI code or a name" in marked
    assert "required column missing: one of %(names)s" in marked
    assert "Not Found" in marked


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_every_marked_message_has_its_translation(lang: str) -> None:
    translated = catalog(lang)
    missing = {m: where for m, where in marked_messages().items() if m not in translated}
    assert missing == {}, f"add to src/seriktes/locales/{lang}/errors.po"


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_translations_keep_the_places_of_their_template(lang: str) -> None:
    translated = catalog(lang)
    wrong = [
        (m, translated[m])
        for m in marked_messages()
        if m in translated and sorted(PLACE.findall(m)) != sorted(PLACE.findall(translated[m]))
    ]
    assert wrong == []


def test_an_error_is_shown_in_each_language_with_its_parameters() -> None:
    error = Conflict(N_("no event with id %(event_id)s"), params={"event_id": 7})
    assert error.detail == "no event with id 7"
    assert error.message("ru") == "нет мероприятия с идентификатором 7"
    assert error.message("kk") == "7 идентификаторы бар іс-шара жоқ"
    payload = error.as_dict("kk")
    assert payload["code"] == "no event with id %(event_id)s"
    assert payload["detail"] == "7 идентификаторы бар іс-шара жоқ"
    assert payload["params"] == {"event_id": "7"}


def test_a_parameter_that_is_a_message_is_translated_too() -> None:
    template = N_("this %(kind)s was changed by someone else at the same moment; nothing was saved")
    error = Conflict(template, params={"kind": Message(N_("need"))})
    assert error.detail.startswith("this need was changed")
    assert "(потребность)" in error.message("ru")
    assert "(қажеттілік)" in error.message("kk")


def test_located_items_and_row_errors_are_translated() -> None:
    item = ErrorItem(("body", "unit"), N_("unknown KATO code %(kato)s"), {"kato": "'9'"})
    refused = ValidationFailed(N_("invalid request"), [item])
    assert refused.as_dict("ru")["errors"] == [
        {"loc": ["body", "unit"], "msg": "неизвестный код КАТО '9'",
         "code": "unknown KATO code %(kato)s", "params": {"kato": "'9'"}}
    ]  # fmt: skip
    row = RowError.of("a.csv", 3, "Ед.", N_("required column missing: one of %(names)s"),
                      {"names": "«unit»"})  # fmt: skip
    assert row.message == "required column missing: one of «unit»"
    assert (
        row.located("kk")
        == "a.csv, жол 3, «Ед.» бағаны: міндетті баған жоқ: мыналардың бірі «unit»"
    )
    failed = ImportFailed.from_errors("a.csv", [row])
    assert failed.detail.startswith("a.csv: 1 invalid row(s), nothing was imported")
    assert failed.message("ru").splitlines() == [
        "a.csv: строк с ошибками — 1, ничего не импортировано "
        "(чтобы импортировать верные строки, укажите --skip-invalid)",
        "a.csv, строка 3, столбец «Ед.»: нет обязательного столбца: одного из «unit»",
    ]


def test_a_translation_that_names_other_places_falls_back_to_english() -> None:
    assert render("ru", "no such %(thing)s here", {"thing": 1}) == "no such 1 here"
    assert render("ru", "100% sure") == "100% sure"  # no parameters: no formatting
