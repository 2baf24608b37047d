"""A preview is kept with its upload: another server process shows it, its errors and
confirms it without parsing the file again, unless the data it was checked against changed."""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable

import pytest
from sqlalchemy.orm import Session

from seriktes.accounts.models import Role, User
from seriktes.imports import uploads
from seriktes.imports.kinds import Parsed
from seriktes.imports.models import ImportUpload
from seriktes.imports.previews import kept_preview
from seriktes.imports.uploads import confirm_upload, preview_upload, store_upload
from seriktes.registry.models import Organisation
from tests.imports.test_uploads import EAST, count_needs, needs_csv
from tests.webkit import make_org, make_user


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the files parsed from now on."""
    seen: list[str] = []
    real: Callable[[Session, User, ImportUpload], Parsed] = uploads._checked

    def counted(session: Session, user: User, upload: ImportUpload) -> Parsed:
        seen.append(upload.filename)
        return real(session, user, upload)

    monkeypatch.setattr(uploads, "_checked", counted)
    return seen


def test_another_process_shows_and_confirms_the_kept_preview_without_parsing(
    db_session: Session, parses: list[str]
) -> None:
    admin = make_user(db_session, Role.ADMIN)
    buyer: Organisation = make_org(db_session, EAST)
    upload = store_upload(db_session, admin, "needs", "n.csv", needs_csv(buyer.bin, [2, "x", 5]))
    first = preview_upload(db_session, admin, upload.id)
    assert parses == ["n.csv"]

    db_session.expire_all()  # what another process reads: the upload's row, nothing in memory
    again = preview_upload(db_session, admin, upload.id)
    assert (again.rows, again.valid_rows, again.created) == (3, 2, 2)
    assert again.errors == first.errors and again.sample == first.sample
    report = confirm_upload(db_session, admin, upload.id, skip_invalid=True)
    assert parses == ["n.csv"], "confirmed from the kept rows"
    assert (report.created, report.skipped) == (2, 1)
    assert [str(e) for e in report.errors] == [str(e) for e in first.errors]
    assert count_needs(db_session, buyer) == 2
    assert (upload.preview, upload.checked) == (None, None)


def test_the_file_is_checked_again_when_the_data_changed_since_the_preview(
    db_session: Session, parses: list[str]
) -> None:
    admin = make_user(db_session, Role.ADMIN)
    buyer = make_org(db_session, EAST)
    upload = store_upload(db_session, admin, "needs", "n.csv", needs_csv(buyer.bin, [2]))
    assert preview_upload(db_session, admin, upload.id).created == 1
    other = store_upload(db_session, admin, "needs", "m.csv", needs_csv(buyer.bin, [3]))
    confirm_upload(db_session, admin, other.id)  # another import meanwhile: N-1 exists now
    report = confirm_upload(db_session, admin, upload.id)
    assert parses == ["n.csv", "m.csv", "n.csv"]
    assert (report.created, report.updated) == (0, 1)


def test_a_kept_preview_names_no_foreign_global(db_session: Session) -> None:
    admin = make_user(db_session, Role.ADMIN)
    upload = store_upload(db_session, admin, "needs", "n.csv", needs_csv("1", [2]))
    upload.preview = pickle.dumps(("key", os.system))
    with pytest.raises(pickle.UnpicklingError, match=r"posix\.system is not kept"):
        kept_preview(upload, "key")
