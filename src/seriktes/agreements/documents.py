"""Signed documents of memoranda: which files are accepted, and how they are served safely.

A document is accepted by what its bytes are (PDF, PNG, JPEG, DOCX, XLSX, ODT), never by
the type or name the uploader's browser sent, so an HTML page or an SVG image with a script
cannot be stored as a "document" and later run on this site's origin. It is served with the
fixed content type of its kind, as an attachment, under a cleaned file name.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from urllib.parse import quote

PDF, PNG, JPEG, DOCX, XLSX, ODT = "pdf", "png", "jpeg", "docx", "xlsx", "odt"
CONTENT_TYPES = {
    PDF: "application/pdf",
    PNG: "image/png",
    JPEG: "image/jpeg",
    DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ODT: "application/vnd.oasis.opendocument.text",
}
EXTENSIONS = {PDF: ".pdf", PNG: ".png", JPEG: ".jpg", DOCX: ".docx", XLSX: ".xlsx", ODT: ".odt"}
UNKNOWN_TYPE = "application/octet-stream"  # a document stored before kinds were checked
ACCEPTED = "a PDF, a PNG or JPEG image, or a DOCX, XLSX or ODT document"
_UNSAFE = re.compile(r"[^\w .()+,\-]")  # keeps letters of any script, digits and a few marks
MAX_NAME = 120


def kind_of(content: bytes) -> str | None:
    """The kind of a document from its first bytes (and, for ZIP-based office files, the
    parts inside); None for anything else."""
    if content.startswith(b"%PDF-"):
        return PDF
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if content.startswith(b"\xff\xd8\xff"):
        return JPEG
    if content.startswith(b"PK\x03\x04"):
        return _office_kind(content)
    return None


def _office_kind(content: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                mimetype = archive.read("mimetype").strip().decode("ascii", "replace")
                return ODT if mimetype == CONTENT_TYPES[ODT] else None
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    if "word/document.xml" in names:
        return DOCX
    if "xl/workbook.xml" in names:
        return XLSX
    return None


def content_type(content: bytes) -> str:
    """The content type a stored document is served with: fixed by its kind."""
    kind = kind_of(content)
    return CONTENT_TYPES[kind] if kind else UNKNOWN_TYPE


def clean_name(name: str, kind: str | None) -> str:
    """A file name safe to show and to send: no folders, control or quoting characters, at
    most MAX_NAME characters, ending in the extension of its kind."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = unicodedata.normalize("NFC", base)
    base = _UNSAFE.sub("_", base).strip(" .") or "document"
    extension = EXTENSIONS.get(kind or "", "")
    stem = base
    if extension and base.lower().endswith(extension):
        stem = base[: -len(extension)]
    elif kind == JPEG and base.lower().endswith(".jpeg"):
        stem, extension = base[:-5], ".jpeg"
    stem = stem[: MAX_NAME - len(extension)].rstrip(" .") or "document"
    return stem + extension


def disposition(name: str) -> str:
    """`Content-Disposition` of a download: an attachment with an ASCII fallback name and
    the full name in RFC 5987 encoding."""
    fallback = name.encode("ascii", "replace").decode("ascii").replace("?", "_")
    fallback = fallback.replace('"', "_")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"
