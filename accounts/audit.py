from .models import AuditAction, AuditEvent


def _actor_fields(actor) -> dict:
    signed_in = actor is not None and actor.is_authenticated
    return {
        "actor": actor if signed_in else None,
        "actor_name": actor.email if signed_in else "system",
    }


def audit(actor, action: AuditAction, subject: str, *, programme=None, school=None, **details):
    """Record an event in the audit log (who, what, when). `details` must never hold a pupil's
    identity: counts, file names and hashes only."""
    return AuditEvent.objects.create(
        **_actor_fields(actor),
        action=action,
        subject=subject[:300],
        programme=programme,
        school=school,
        details=details,
    )


def audit_all(actor, action: AuditAction, events) -> list[AuditEvent]:
    """Record several events of one kind by one person in one go (a bulk enrolment): each
    of `events` is (subject, programme, school, details)."""
    return AuditEvent.objects.bulk_create(
        AuditEvent(
            **_actor_fields(actor),
            action=action,
            subject=subject[:300],
            programme=programme,
            school=school,
            details=details,
        )
        for subject, programme, school, details in events
    )
