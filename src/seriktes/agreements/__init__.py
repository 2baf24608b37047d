"""Agreements: memoranda, commitments, deals and deliveries, progress and the audit log."""
