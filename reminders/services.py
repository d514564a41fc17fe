"""The ledger's writes: recording what is due, sending it once, weekly digests, unsubscribing
and each person's choices."""

import logging
from collections import defaultdict
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from . import digest, selectors
from .models import TOPIC_OF, EmailPreference, Frequency, Kind, Reminder, Topic

logger = logging.getLogger(__name__)

# Weekly e-mails (the hub leads' summary, and digests for those who chose them) go from this
# hour on Monday; a sweep that runs later in the week, after a worker was down, still sends them.
DIGEST_HOUR = 7
# Sent at once whatever the person chose: the summary is weekly already, and an event's
# reminder the day before cannot wait for Monday.
NEVER_IN_A_DIGEST = (Kind.HUB_DIGEST, Kind.EVENT_TOMORROW)


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _stopped(emails) -> dict[str, set[str]]:
    found = EmailPreference.objects.filter(email__in=emails).values_list("email", "stopped")
    return {email: set(stopped) for email, stopped in found}


def _drop_stale(dues: list[selectors.Due]) -> None:
    """Unsent reminders of what is no longer due (an action done, an event past) go, so that
    a weekly digest does not carry them."""
    due = {(d.kind, d.about, d.email) for d in dues}
    waiting = Reminder.objects.filter(sent_at__isnull=True, kind__in=list(TOPIC_OF))
    stale = [
        pk
        for pk, *key in waiting.values_list("pk", "kind", "about", "email")
        if tuple(key) not in due
    ]
    Reminder.objects.filter(pk__in=stale).delete()


def reminders_plan(*, dues: list[selectors.Due]) -> int:
    """Record in the ledger what is due, except to addresses that stopped its topic. What is
    there already stays as it was: recorded once, it is sent once. How many were new."""
    _drop_stale(dues)
    stopped = _stopped({due.email for due in dues})
    rows = [
        Reminder(
            kind=due.kind,
            about=due.about,
            email=due.email,
            programme_id=due.programme_id,
            subject=due.subject[:200],
            lines=due.lines,
            link=due.link,
        )
        for due in dues
        if TOPIC_OF[due.kind] not in stopped.get(due.email, ())
    ]
    before = Reminder.objects.count()
    Reminder.objects.bulk_create(rows, ignore_conflicts=True)
    return Reminder.objects.count() - before


def _claimed(reminder: Reminder, now: datetime) -> bool:
    """Whether this process may send it: one UPDATE decides, so that of two workers running
    the same sweep, one sends and the other skips."""
    return bool(Reminder.objects.filter(pk=reminder.pk, sent_at__isnull=True).update(sent_at=now))


def _send(reminder: Reminder, template: str, context: dict) -> None:
    unsubscribe = _absolute(reverse("reminders:unsubscribe", args=[reminder.token]))
    context = {
        **context,
        "reminder": reminder,
        "site": _absolute(""),
        "page": _absolute(reminder.link),
        "unsubscribe": unsubscribe,
        "preferences": _absolute(reverse("reminders:preferences")),
    }
    message = EmailMultiAlternatives(
        subject=reminder.subject,
        body=render_to_string(f"reminders/email/{template}.txt", context),
        to=[reminder.email],
        headers={
            # RFC 8058: the mail client's own "unsubscribe" button, one click, no sign-in.
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(
        render_to_string(f"reminders/email/{template}.html", context), "text/html"
    )
    message.send()


def _send_once(reminder: Reminder, now: datetime, template: str = "reminder", **context) -> bool:
    if not _claimed(reminder, now):
        return False
    try:
        _send(reminder, template, context)
    except Exception:
        # Not sent: the next sweep tries again.
        Reminder.objects.filter(pk=reminder.pk).update(sent_at=None)
        logger.exception("Could not send reminder %s", reminder.pk)
        return False
    return True


def reminders_send_at_once(*, now: datetime) -> int:
    """Send what is recorded and unsent, but to those who chose a weekly digest only what
    never waits for one."""
    weekly = EmailPreference.objects.filter(frequency=Frequency.WEEKLY).values("email")
    pending = Reminder.objects.filter(sent_at__isnull=True).exclude(kind=Kind.WEEKLY_DIGEST)
    pending = pending.filter(Q(kind__in=NEVER_IN_A_DIGEST) | ~Q(email__in=weekly))
    return sum(_send_once(reminder, now) for reminder in pending.order_by("pk"))


def _monday_of(now: datetime):
    today = timezone.localdate(now)
    return today - timedelta(days=today.weekday())


def _weekly_mail_due(now: datetime) -> bool:
    start = datetime.combine(_monday_of(now), time(DIGEST_HOUR))
    return timezone.localtime(now) >= timezone.make_aware(start)


def reminders_send_weekly_digests(*, now: datetime) -> int:
    """One e-mail a week to each address that chose it, of every reminder waiting for it."""
    monday = _monday_of(now)
    weekly = EmailPreference.objects.filter(frequency=Frequency.WEEKLY).values("email")
    waiting = defaultdict(list)
    for reminder in Reminder.objects.filter(
        sent_at__isnull=True, email__in=weekly, kind__in=list(TOPIC_OF)
    ).exclude(kind__in=NEVER_IN_A_DIGEST):
        waiting[reminder.email].append(reminder)
    sent = 0
    for email, reminders in waiting.items():
        week, _ = Reminder.objects.get_or_create(
            kind=Kind.WEEKLY_DIGEST,
            about=f"week of {monday}",
            email=email,
            defaults={
                "subject": f"Your reminders for the week of {monday:%-d %B %Y}",
                "link": reverse("reminders:preferences"),
            },
        )
        if week.sent_at is not None:
            continue  # this week's went already: these wait for next week's
        ids = [reminder.pk for reminder in reminders]
        with transaction.atomic():
            if _send_once(week, now, "digest", included=reminders):
                Reminder.objects.filter(pk__in=ids).update(sent_at=now, digest=week)
                sent += 1
    return sent


def reminders_run(*, now: datetime | None = None) -> dict[str, int]:
    """Everything due now: record it, then send it. Safe to run twice, and late."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    dues = selectors.actions_due(today=today) + selectors.visits_due(today=today)
    dues += selectors.events_tomorrow(now=now) + selectors.governor_reports_ready(today=today)
    if _weekly_mail_due(now):
        dues += digest.hub_digests(today=today, monday=_monday_of(now))
    planned = reminders_plan(dues=dues)
    sent = reminders_send_at_once(now=now)
    digests = reminders_send_weekly_digests(now=now) if _weekly_mail_due(now) else 0
    return {"planned": planned, "sent": sent, "digests": digests}


def _drop_stopped(preference: EmailPreference) -> None:
    kinds = [kind for kind, topic in TOPIC_OF.items() if topic in preference.stopped]
    Reminder.objects.filter(email=preference.email, sent_at__isnull=True, kind__in=kinds).delete()


@transaction.atomic
def reminder_unsubscribe(*, token) -> Reminder | None:
    """The unsubscribe link of one e-mail: it stops that e-mail's topic (every topic, for a
    weekly digest) for its address, and works once. None when it was used already."""
    reminder = Reminder.objects.select_for_update().filter(token=token).first()
    if reminder is None or reminder.unsubscribed_at is not None:
        return None
    preference, _ = EmailPreference.objects.get_or_create(email=reminder.email)
    topics = [reminder.topic] if reminder.topic else Topic.values
    preference.stopped = sorted(set(preference.stopped) | set(topics))
    preference.save(update_fields=["stopped", "updated_at"])
    _drop_stopped(preference)
    reminder.unsubscribed_at = timezone.now()
    reminder.save(update_fields=["unsubscribed_at"])
    return reminder


@transaction.atomic
def email_preference_set(*, email: str, wanted, frequency: str) -> EmailPreference:
    """What a signed-in person chose on their e-mail page."""
    preference, _ = EmailPreference.objects.get_or_create(email=email.lower())
    preference.stopped = sorted(set(Topic.values) - set(wanted))
    preference.frequency = frequency
    preference.full_clean()
    preference.save(update_fields=["stopped", "frequency", "updated_at"])
    _drop_stopped(preference)
    return preference
