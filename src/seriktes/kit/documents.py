"""Documents as files: HTML from Jinja2 templates, and PDF laid out from it by WeasyPrint.

One Jinja environment serves every document the product writes (the region-pair report,
agendas, the table plan); it is built once per process. A template is named by its package:
`"events/agenda.html"` is `seriktes/events/templates/agenda.html`. Each render binds `_` and
`pgettext(context, message)` to the document's language, so templates translate their English
texts through the catalogues (`kit.i18n`), with a message context where one is needed. PDFs
are laid out with Pango and the DejaVu fonts of the system (`scripts/ensure-pdf-libs`
installs them).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import BaseLoader, Environment, FileSystemLoader, TemplateNotFound, select_autoescape

from seriktes.kit.i18n import Translator

PACKAGE_ROOT = Path(__file__).resolve().parent.parent


class PackageTemplates(BaseLoader):
    """Finds `"<package>/<name>"` in `seriktes/<package>/templates/<name>`."""

    def get_source(
        self, environment: Environment, template: str
    ) -> tuple[str, str | None, Callable[[], bool] | None]:
        """The source of `template`, its file name and whether it is still up to date."""
        package, slash, name = template.partition("/")
        if not slash or not package.isidentifier():
            raise TemplateNotFound(template)
        folder = FileSystemLoader(PACKAGE_ROOT / package / "templates")
        return folder.get_source(environment, name)


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The documents' Jinja environment, built once; HTML templates are autoescaped."""
    return Environment(loader=PackageTemplates(), autoescape=select_autoescape(["html"]))


def render_html(template: str, lang: str, **context: Any) -> str:
    """`template` rendered in `lang`: `lang`, `_` (English text → `lang`) and
    `pgettext(context, text)` (the same in a message context) are in its context besides
    `context`."""
    found = environment().get_template(template)
    _ = Translator(lang)
    return found.render(lang=lang, _=_, pgettext=_.pgettext, **context)


def pdf(html: str) -> bytes:
    """An HTML document (with its own CSS, A4 pages) as PDF bytes."""
    from weasyprint import HTML  # imported on first use: it loads Pango

    result: bytes = HTML(string=html).write_pdf()
    return result
