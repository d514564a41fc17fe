from .models import AuditAction, AuditEvent


def audit(actor, action: AuditAction, subject: str, *, programme=None, school=None, **details):
    """Record an event in the audit log (who, what, when). `details` must never hold a pupil's
    identity: counts, file names and hashes only."""
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_name=(actor.email if actor is not None and actor.is_authenticated else "system"),
        action=action,
        subject=subject[:300],
        programme=programme,
        school=school,
        details=details,
    )
