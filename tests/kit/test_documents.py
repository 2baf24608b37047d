"""Documents (the pair report, agendas, the table plan) share one Jinja environment, built
once, whose templates are named by their package and translate in the language of each
render."""

from __future__ import annotations

from pathlib import Path

import pytest
from jinja2 import TemplateNotFound

from seriktes.kit import documents


@pytest.fixture
def package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A package folder `demo` with a template that shows its language and a translated text."""
    folder = tmp_path / "demo" / "templates"
    folder.mkdir(parents=True)
    (folder / "note.html").write_text('{{ lang }}: {{ _("Table") }} {{ name }}')
    monkeypatch.setattr(documents, "PACKAGE_ROOT", tmp_path)
    return folder


def test_one_environment_serves_every_document() -> None:
    assert documents.environment() is documents.environment()
    for name in ("analytics/report.html", "events/agenda.html", "events/table_plan.html"):
        assert documents.environment().get_template(name).name == name


def test_each_render_speaks_its_own_language(package: Path) -> None:
    kazakh = documents.render_html("demo/note.html", "kk", name="<b>«A & B»</b>")
    russian = documents.render_html("demo/note.html", "ru", name="1")
    assert kazakh == "kk: Үстел &lt;b&gt;«A &amp; B»&lt;/b&gt;"  # values are escaped
    assert russian == "ru: Стол 1"
    assert documents.render_html("demo/note.html", "en", name="2") == "en: Table 2"


def test_a_render_translates_texts_in_their_context(package: Path) -> None:
    (package / "venue.html").write_text('{{ pgettext("agenda", "Venue") }} / {{ _("Venue") }}')
    assert documents.render_html("demo/venue.html", "ru") == "Место / Место проведения"
    assert documents.render_html("demo/venue.html", "en") == "Venue / Venue"


@pytest.mark.parametrize(
    "name", ["note.html", "demo/absent.html", "../demo/note.html", "demo/../../x", "/x"]
)
def test_a_template_outside_a_package_s_templates_is_not_found(package: Path, name: str) -> None:
    with pytest.raises(TemplateNotFound):
        documents.environment().get_template(name)
