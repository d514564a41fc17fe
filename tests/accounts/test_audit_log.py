from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from accounts.audit import audit, sentence
from accounts.models import AuditAction, AuditEvent
from tests.factories import SchoolFactory

PASSWORD = "correct horse battery staple"


def _sign_in(client, username, password=PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password})


def _events(action):
    return list(AuditEvent.objects.filter(action=action))


def test_a_sign_in_and_a_sign_out_are_recorded_against_the_person(client, world):
    assert _sign_in(client, "Head.A@example.org").status_code == 302
    client.post(reverse("logout"))
    signed_in, signed_out = _events(AuditAction.SIGNED_IN), _events(AuditAction.SIGNED_OUT)
    assert [(e.actor, e.subject) for e in signed_in] == [(world.head_a, world.head_a.email)]
    assert [e.actor for e in signed_out] == [world.head_a]
    assert sentence(signed_in[0]) == f"{world.head_a.full_name} signed in"
    assert not _events(AuditAction.SIGN_IN_FAILED)


def test_a_failed_sign_in_names_the_account_but_never_the_password(client, world):
    assert _sign_in(client, "head.a@example.org", "my secret guess").status_code == 200
    [event] = _events(AuditAction.SIGN_IN_FAILED)
    assert (event.actor, event.subject, event.details) == (None, world.head_a.email, {})
    assert sentence(event) == f"Failed sign-in for {world.head_a.email}"
    stored = AuditEvent.objects.filter(pk=event.pk).values().get()
    assert "my secret guess" not in str(stored)
    assert not _events(AuditAction.SIGNED_IN)


def test_a_failed_sign_in_for_an_unknown_address_keeps_only_its_domain(client, world):
    _sign_in(client, "j.smith@oakfield.example.org", "hunter2")
    _sign_in(client, "correct horse battery", "typed in the wrong box")
    first, second = AuditEvent.objects.filter(action=AuditAction.SIGN_IN_FAILED).order_by("pk")
    assert first.subject == "an unknown account at oakfield.example.org"
    assert second.subject == "an unknown account"
    stored = str(list(AuditEvent.objects.values()))
    for typed in ["j.smith", "hunter2", "correct horse", "wrong box"]:
        assert typed not in stored


def test_events_read_as_sentences_without_hashes(world):
    event = audit(
        world.hub_lead,
        AuditAction.IMPORTED,
        "year2.csv for Baseline",
        programme=world.programme,
        upload=7,
        sha256="ab" * 32,
        rows=14400,
    )
    assert (
        sentence(event)
        == f"{world.hub_lead.full_name} imported year2.csv for Baseline (14,400 rows)"
    )
    deleted = audit(None, AuditAction.DELETED_PUPIL_DATA, "All pupil data of X", pupils=1)
    assert sentence(deleted) == "The portal deleted all pupil data of X (1 pupil)"


def test_the_page_shows_sentences_and_filters_by_person_action_and_date(
    client, world, django_assert_max_num_queries
):
    school = SchoolFactory(name="Oakfield Primary School")
    audit(world.hub_lead, AuditAction.SCHOOL_ENROLLED, f"{school.name} in London KS1 Mastery",
          school=school, sha256="cd" * 32)  # fmt: skip
    audit(world.sle, AuditAction.SIGNED_IN, world.sle.email)
    old = audit(world.sle, AuditAction.SIGNED_OUT, world.sle.email)
    AuditEvent.objects.filter(pk=old.pk).update(at=timezone.now() - timedelta(days=10))
    client.force_login(world.admin)
    url = reverse("audit_log")
    with django_assert_max_num_queries(12):
        page = client.get(url).content.decode()
    enrolled = f"{world.hub_lead.full_name} enrolled Oakfield Primary School in London KS1 Mastery"
    assert enrolled in page
    assert "cd" * 32 not in page
    by_person = client.get(url, {"person": world.sle.full_name}).content.decode()
    assert f"{world.sle.full_name} signed in" in by_person
    assert enrolled not in by_person
    by_action = client.get(url, {"action": AuditAction.SIGNED_OUT}).content.decode()
    assert f"{world.sle.full_name} signed out" in by_action
    assert f"{world.sle.full_name} signed in" not in by_action
    since = (timezone.localdate() - timedelta(days=1)).isoformat()
    recent = client.get(url, {"since": since}).content.decode()
    assert f"{world.sle.full_name} signed in" in recent
    assert f"{world.sle.full_name} signed out" not in recent
    until = client.get(url, {"until": since}).content.decode()
    assert f"{world.sle.full_name} signed out" in until
    assert enrolled not in until


def test_the_number_of_queries_does_not_grow_with_the_events(
    client, world, django_assert_max_num_queries
):
    client.force_login(world.admin)
    url = reverse("audit_log")
    audit(world.sle, AuditAction.SIGNED_IN, world.sle.email, school=world.school_a)
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    for person in [world.hub_lead, world.head_a, world.head_b, world.governor_a]:
        audit(person, AuditAction.SIGNED_IN, person.email, programme=world.programme)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)
