"""Signed documents of memoranda: accepted by their bytes (PDF, PNG, JPEG, DOCX, XLSX, ODT),
served as attachments with the content type of their kind and a cleaned file name."""

from __future__ import annotations

import io
import zipfile
from urllib.parse import unquote

import pytest
from fastapi.testclient import TestClient
from openpyxl import Workbook
from sqlalchemy.orm import Session

from seriktes.agreements import documents
from tests.api.agreementkit import Scene, make_scene
from tests.api.conftest import World


@pytest.fixture
def scene(world: World, db_session: Session) -> Scene:
    """The agreements API scene."""
    return make_scene(world, db_session)


def _zip(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _xlsx() -> bytes:
    buffer = io.BytesIO()
    Workbook().save(buffer)
    return buffer.getvalue()


DOCX = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
ODT = _zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"})
ACCEPTED = [
    (b"%PDF-1.7 signed", "application/pdf", ".pdf"),
    (b"\x89PNG\r\n\x1a\n" + b"\0" * 16, "image/png", ".png"),
    (b"\xff\xd8\xff\xe0" + b"\0" * 16, "image/jpeg", ".jpg"),
    (DOCX, documents.CONTENT_TYPES["docx"], ".docx"),
    (_xlsx(), documents.CONTENT_TYPES["xlsx"], ".xlsx"),
    (ODT, documents.CONTENT_TYPES["odt"], ".odt"),
]
REFUSED = [
    ("page.html", b"<html><script>alert(1)</script></html>", "text/html"),
    ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "image/svg+xml"),
    ("fake.pdf", b"<script>alert(1)</script>", "application/pdf"),  # the name and type lie
    ("other.zip", _zip({"readme.txt": b"hello"}), "application/zip"),
    ("broken.docx", b"PK\x03\x04 not really a zip", documents.CONTENT_TYPES["docx"]),
]


def _url(scene: Scene) -> str:
    return f"/api/v1/memoranda/{scene.memo.id}/document"


@pytest.mark.parametrize(("content", "content_type", "extension"), ACCEPTED)
def test_each_accepted_kind_is_served_with_its_own_type_as_an_attachment(
    client: TestClient,
    world: World,
    scene: Scene,
    content: bytes,
    content_type: str,
    extension: str,
) -> None:
    # the browser's type is ignored: what the bytes are decides
    files = {"file": ("Меморандум", content, "text/html")}
    stored = client.put(_url(scene), files=files, headers=world.headers("coordinator"))
    assert stored.status_code == 200, stored.text
    assert stored.json()["document_filename"] == f"Меморандум{extension}"
    download = client.get(_url(scene))
    assert download.content == content
    assert download.headers["content-type"] == content_type
    assert download.headers["x-content-type-options"] == "nosniff"
    disposition = download.headers["content-disposition"]
    assert disposition.startswith("attachment;")
    assert unquote(disposition.split("filename*=UTF-8''")[1]) == f"Меморандум{extension}"


@pytest.mark.parametrize(("name", "content", "content_type"), REFUSED)
def test_html_svg_and_other_files_are_refused(
    client: TestClient, world: World, scene: Scene, name: str, content: bytes, content_type: str
) -> None:
    files = {"file": (name, content, content_type)}
    answer = client.put(_url(scene), files=files, headers=world.headers("coordinator"))
    assert answer.status_code == 422
    body = answer.json()
    assert body["error"] == "ValidationFailed"
    assert body["errors"][0]["loc"] == ["body", "file"]
    assert client.get(_url(scene)).status_code == 404  # nothing was stored


def test_a_file_name_loses_folders_quotes_and_control_characters(
    client: TestClient, world: World, scene: Scene
) -> None:
    name = '..\\..\\evil"\r\nX-Injected: 1; name.pdf'
    files = {"file": (name, b"%PDF-1.4", "application/pdf")}
    stored = client.put(_url(scene), files=files, headers=world.headers("coordinator"))
    assert stored.status_code == 200, stored.text
    cleaned = stored.json()["document_filename"]
    assert cleaned.endswith(".pdf") and not set(cleaned) & set('\\/"\r\n;:')
    download = client.get(_url(scene))
    assert "x-injected" not in download.headers
    fallback = download.headers["content-disposition"].split('filename="')[1].split('"')[0]
    assert fallback == cleaned


def test_a_document_stored_before_the_check_is_served_by_what_it_is(
    client: TestClient, scene: Scene, db_session: Session
) -> None:
    scene.memo.document = b"<html><script>alert(1)</script></html>"
    scene.memo.document_filename = "page.html"
    scene.memo.document_content_type = "text/html"
    db_session.flush()
    download = client.get(_url(scene))
    assert download.headers["content-type"] == "application/octet-stream"
    assert download.headers["content-disposition"].startswith("attachment;")
    assert "sandbox" in download.headers["content-security-policy"]
