from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from .models import AuditAction, AuditEvent, User
from .signin import normalise_email


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


def record_sign_in(sender, request, user, **kwargs) -> None:
    """user_logged_in receiver (see apps.py): the password step passed."""
    audit(user, AuditAction.SIGNED_IN, user.email)


def record_sign_out(sender, request, user, **kwargs) -> None:
    """user_logged_out receiver: nobody to name when the session had already ended."""
    if user is not None:
        audit(user, AuditAction.SIGNED_OUT, user.email)


def _failed_subject(typed) -> str:
    """The account a failed sign-in was for. An address no account has is often a typo of
    someone else's, or a password typed into the wrong box: only its domain is kept."""
    address = normalise_email(typed) if isinstance(typed, str) else ""
    if address and User.objects.filter(email=address).exists():
        return address
    try:
        validate_email(address)
    except ValidationError:
        return "an unknown account"
    return f"an unknown account at {address.rpartition('@')[2]}"


def record_failed_sign_in(sender, credentials, request=None, **kwargs) -> None:
    """user_login_failed receiver: the account tried, never the password nor the client
    (django-axes keeps the client's address for the lockout)."""
    typed = (credentials or {}).get(settings.AXES_USERNAME_FORM_FIELD)
    audit(None, AuditAction.SIGN_IN_FAILED, _failed_subject(typed))


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


# What each action says after the person's name; {subject} as recorded, {thing} the same with
# a small first letter ("All pupil data of …" inside a sentence).
_SENTENCES = {
    AuditAction.UPLOADED: "uploaded {subject}",
    AuditAction.IMPORTED: "imported {subject}",
    AuditAction.ROLLED_BACK: "rolled back {subject}",
    AuditAction.EXPORTED: "downloaded the {thing}",
    AuditAction.DELETED_PUPIL_DATA: "deleted {thing}",
    AuditAction.VISIT_CREATED: "wrote a {thing}",
    AuditAction.VISIT_CHANGED: "changed a record of visit: {thing}",
    AuditAction.VISIT_DELETED: "deleted a {thing}",
    AuditAction.SCHOOL_INVITED: "invited {subject}",
    AuditAction.INVITATION_ACCEPTED: "accepted the invitation of {subject}",
    AuditAction.INVITATION_DECLINED: "declined the invitation of {subject}",
    AuditAction.SCHOOL_ENROLLED: "enrolled {subject}",
    AuditAction.SCHOOL_UNENROLLED: "un-enrolled {subject}",
    AuditAction.COMPARISON_ADDED: "added {subject}",
    AuditAction.COMPARISON_REMOVED: "removed {subject}",
    AuditAction.TWO_FACTOR_SET_UP: "set up two-factor sign-in",
    AuditAction.TWO_FACTOR_VERIFIED: "signed in with an authenticator code",
    AuditAction.TWO_FACTOR_RECOVERY_USED: "signed in with a recovery code",
    AuditAction.TWO_FACTOR_CODES_RENEWED: "made new recovery codes",
    AuditAction.TWO_FACTOR_DISABLED: "turned off two-factor sign-in",
    AuditAction.TWO_FACTOR_RESET: "reset the {thing}",
    AuditAction.TARGET_SET: "set the target {subject}",
    AuditAction.SIGNED_IN: "signed in",
    AuditAction.SIGNED_OUT: "signed out",
}

# Counts worth a place in the sentence; hashes, file and row ids stay out of it.
_COUNTS = {
    "rows": ("row", "rows"),
    "pupils": ("pupil", "pupils"),
    "results": ("result", "results"),
    "codes_left": ("code left", "codes left"),
    "devices_deleted": ("device removed", "devices removed"),
}


def _counts(details: dict) -> str:
    parts = [
        f"{details[key]:,} {one if details[key] == 1 else many}"
        for key, (one, many) in _COUNTS.items()
        if isinstance(details.get(key), int)
    ]
    return f" ({', '.join(parts)})" if parts else ""


def person_name(event: AuditEvent) -> str:
    """The person's name where their account is kept (select_related("actor")), else the
    address recorded at the time."""
    if event.actor is not None:
        return str(event.actor)
    return "The portal" if event.actor_name == "system" else event.actor_name


def sentence(event: AuditEvent) -> str:
    """The event as one sentence: "Jo Smith enrolled Oakfield Primary School in …"."""
    if event.action == AuditAction.SIGN_IN_FAILED:
        return f"Failed sign-in for {event.subject}"
    words = _SENTENCES.get(event.action, "{subject}")
    what = words.format(subject=event.subject, thing=_lower_first(event.subject))
    return f"{person_name(event)} {what}{_counts(event.details)}"
