"""Writes shared by every app: the audit log."""

from .models import AuditEvent


def record_event(action: str, subject: str, *, actor=None, **details) -> AuditEvent:
    return AuditEvent.objects.create(action=action, subject=subject[:200], actor=actor, details=details)
