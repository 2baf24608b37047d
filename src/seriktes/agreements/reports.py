"""Progress reports: dated progress on commitments whose KPI deals cannot show (investment,
jobs, events held), with evidence as text, a link or a file; access rules and audit log."""

from __future__ import annotations

from sqlalchemy.orm import Session

from seriktes.accounts.models import User
from seriktes.agreements import audit
from seriktes.agreements.models import AuditAction, ProgressReport
from seriktes.agreements.policy import can_read_memorandum, can_report_progress
from seriktes.agreements.schemas import ProgressReportIn
from seriktes.agreements.service import MAX_UPLOAD, get_commitment, invalid
from seriktes.kit.db import get_by_id
from seriktes.kit.errors import Forbidden, NotFound
from seriktes.kit.i18n import N_


def reports(session: Session, user: User | None, commitment_id: int) -> list[ProgressReport]:
    """A commitment's progress reports, oldest first."""
    return list(get_commitment(session, user, commitment_id).reports)


def add_report(
    session: Session,
    user: User | None,
    commitment_id: int,
    data: ProgressReportIn,
    evidence: tuple[str, str | None, bytes] | None = None,
) -> ProgressReport:
    """Report progress on a commitment whose KPI deals cannot show."""
    commitment = get_commitment(session, user, commitment_id)
    if not can_report_progress(user, commitment):
        raise Forbidden(N_("only the memorandum's coordinators and the responsible organisation"))
    if commitment.kpi.from_deals:
        raise invalid(
            ("body", "value"),
            N_("%(value)s is computed from linked deals; link a deal instead"),
            params={"value": commitment.kpi.value},
        )
    report = ProgressReport(
        commitment=commitment, author_id=user.id if user else None, **data.model_dump()
    )
    if evidence is not None:
        name, content_type, content = evidence
        if len(content) > MAX_UPLOAD:
            raise invalid(
                ("body", "file"),
                N_("the file is larger than %(value)s MB"),
                params={"value": MAX_UPLOAD // 2**20},
            )
        report.evidence_filename = name[-255:] or "evidence"
        report.evidence_content_type = (content_type or "application/octet-stream")[:100]
        report.evidence = content
    session.add(report)
    audit.record(session, user, AuditAction.CREATE, report, None)
    return report


def evidence(session: Session, user: User | None, report_id: int) -> tuple[str, str, bytes]:
    """File name, content type and bytes of a progress report's uploaded evidence."""
    report = get_by_id(session, ProgressReport, report_id)
    if report is None or not can_read_memorandum(user, report.commitment.memorandum):
        raise NotFound(
            N_("no progress report with id %(report_id)s"), params={"report_id": report_id}
        )
    if report.evidence is None:
        raise NotFound(N_("this progress report has no uploaded evidence"))
    return (
        report.evidence_filename or "evidence",
        report.evidence_content_type or "application/octet-stream",
        report.evidence,
    )


def delete_report(session: Session, user: User | None, report_id: int) -> None:
    """Withdraw a progress report."""
    report = get_by_id(session, ProgressReport, report_id)
    if report is None or not can_read_memorandum(user, report.commitment.memorandum):
        raise NotFound(
            N_("no progress report with id %(report_id)s"), params={"report_id": report_id}
        )
    if not can_report_progress(user, report.commitment):
        raise Forbidden(N_("only the memorandum's coordinators and the responsible organisation"))
    audit.record(session, user, AuditAction.DELETE, report, audit.snapshot(report))
    session.delete(report)
    session.flush()
