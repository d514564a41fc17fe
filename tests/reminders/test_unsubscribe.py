"""The unsubscribe link needs no sign-in and works once; the e-mail choices page is each
person's own."""

from django.test import Client
from django.urls import reverse

from reminders.models import EmailPreference, Frequency, Reminder, Topic

from .conftest import sent


def _link_of(message) -> str:
    line = next(line for line in message.body.splitlines() if "/e-mails/unsubscribe/" in line)
    return line.split("http://127.0.0.1:8000")[-1]


def test_it_asks_on_a_get_and_unsubscribes_on_the_post_without_sign_in(term, run):
    run()
    (message,) = sent("teacher.a@example.org")
    url, anonymous = _link_of(message), Client()
    page = anonymous.get(url)
    assert page.status_code == 200
    assert b"Stop e-mails to teacher.a@example.org" in page.content
    assert not EmailPreference.objects.filter(email="teacher.a@example.org").exists()
    done = anonymous.post(url)
    assert b"will get no more e-mails about cpd events" in done.content
    assert EmailPreference.objects.get(email="teacher.a@example.org").stopped == [Topic.EVENTS]


def test_it_works_once(term, run):
    run()
    url = _link_of(sent("teacher.a@example.org")[0])
    Client().post(url)
    EmailPreference.objects.filter(email="teacher.a@example.org").update(stopped=[])
    again = Client().post(url)
    assert b"has been used already" in again.content
    assert EmailPreference.objects.get(email="teacher.a@example.org").stopped == []


def test_it_answers_404_to_a_link_it_never_sent(db):
    response = Client().get(
        reverse("reminders:unsubscribe", args=["0" * 8 + "-0000-0000-0000-" + "0" * 12])
    )
    assert response.status_code == 404


def test_it_stops_everything_from_a_weekly_digest(term, run):
    EmailPreference.objects.create(email="mathslead.a@example.org", frequency=Frequency.WEEKLY)
    run()
    (digest,) = sent("mathslead.a@example.org")
    Client().post(_link_of(digest))
    assert set(EmailPreference.objects.get(email="mathslead.a@example.org").stopped) == set(
        Topic.values
    )


def test_it_keeps_each_persons_choices(term, client, django_assert_max_num_queries):
    client.force_login(term.sle)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("reminders:preferences"))
    assert b'<label for="id_wanted_0"' in page.content or b"id_wanted_0" in page.content
    client.post(
        reverse("reminders:preferences"),
        {"wanted": [Topic.EVENTS], "frequency": Frequency.WEEKLY},
    )
    choice = EmailPreference.objects.get(email="sle@example.org")
    assert choice.frequency == Frequency.WEEKLY
    assert set(choice.stopped) == set(Topic.values) - {Topic.EVENTS}
    assert not Reminder.objects.filter(email="sle@example.org").exists()


def test_it_refuses_the_choices_page_to_someone_not_signed_in(db):
    assert Client().get(reverse("reminders:preferences")).status_code == 302
