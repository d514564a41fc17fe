"""One person, one address, whatever its case: the lockout counts every spelling as one
account, and every way of creating a user keeps one spelling, unique whatever the case."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse

from accounts.models import User
from tests.factories import UserFactory

PASSWORD = "correct horse battery staple"


def _sign_in(client, email, password):
    return client.post(reverse("login"), {"username": email, "password": password})


@pytest.fixture
def sle02(db):
    return UserFactory(email="sle02@example.org")


def test_it_locks_an_account_whatever_the_case_its_address_is_typed_in(sle02):
    client = Client()
    spellings = ["sle02@example.org", "SLE02@EXAMPLE.ORG", "Sle02@Example.org", "sLE02@example.ORG"]
    for spelling in spellings:
        assert _sign_in(client, spelling, "guess").status_code == 200
    assert _sign_in(client, "SLE02@example.org", "guess").status_code == 429
    for spelling in spellings:
        assert _sign_in(client, spelling, PASSWORD).status_code == 429


def test_a_correct_password_in_another_case_does_not_lift_the_lock(sle02):
    client = Client()
    for _ in range(5):
        _sign_in(client, "sle02@example.org", "guess")
    assert _sign_in(client, "SLE02@EXAMPLE.ORG", PASSWORD).status_code == 429
    assert _sign_in(client, "sle02@example.org", PASSWORD).status_code == 429


def test_a_correct_sign_in_in_another_case_resets_the_count(sle02):
    client = Client()
    for _ in range(4):
        _sign_in(client, "SLE02@example.org", "guess")
    assert _sign_in(client, "sle02@EXAMPLE.org", PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        assert _sign_in(client, "Sle02@example.org", "guess").status_code == 200


@pytest.mark.django_db
def test_every_way_of_saving_a_user_keeps_the_address_in_lower_case():
    assert User.objects.create_user("Helen.Marsh@Example.ORG", PASSWORD).email == (
        "helen.marsh@example.org"
    )
    assert UserFactory(email="Tom.Asante@Example.ORG").email == "tom.asante@example.org"
    user = User(email="  Ruth.Obi@EXAMPLE.org", full_name="Ruth Obi")
    user.save()
    user.refresh_from_db()
    assert user.email == "ruth.obi@example.org"
    assert User.objects.get_by_natural_key("RUTH.OBI@example.org") == user


@pytest.mark.django_db
def test_the_database_refuses_two_accounts_that_differ_only_by_case():
    UserFactory(email="head.a@example.org")
    # bulk_create writes past save(), as a loader might: the constraint still holds.
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.bulk_create([User(email="Head.A@example.org", full_name="Again")])


def _add_in_the_data_admin(client, email):
    return client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": email,
            "full_name": "New Person",
            "usable_password": "true",
            "password1": "a fresh pass phrase",
            "password2": "a fresh pass phrase",
            "role_assignments-TOTAL_FORMS": "0",
            "role_assignments-INITIAL_FORMS": "0",
        },
    )


@pytest.mark.django_db
def test_the_data_admin_adds_users_in_one_spelling_and_refuses_a_second_spelling(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert _add_in_the_data_admin(client, "New.Person@Example.ORG").status_code == 302
    assert User.objects.filter(email="new.person@example.org").exists()
    refused = _add_in_the_data_admin(client, "NEW.PERSON@example.org")
    assert refused.status_code == 200
    assert "Another account already uses this e-mail address" in refused.content.decode()
    assert User.objects.filter(email__iexact="new.person@example.org").count() == 1


BEFORE = [("accounts", "0002_initial")]
AFTER = [("accounts", "0003_email_in_one_spelling")]


@pytest.mark.django_db(transaction=True)
def test_the_migration_lower_cases_addresses_or_names_the_accounts_that_clash():
    executor = MigrationExecutor(connection)
    # With the records of visit back under schools' table names, as they were then: deleting
    # a user by that state's models looks for the visits that name them.
    executor.migrate([*BEFORE, ("visits", None)])
    OldUser = executor.loader.project_state(BEFORE).apps.get_model("accounts", "User")
    OldUser.objects.create(email="Helen.Marsh@Example.ORG", full_name="Helen", password="!")
    clash = OldUser.objects.create(email="HELEN.marsh@example.org", full_name="Dup", password="!")
    OldUser.objects.create(email="tom@example.org", full_name="Tom", password="!")

    with pytest.raises(RuntimeError, match="Helen.Marsh@Example.ORG, HELEN.marsh@example.org"):
        MigrationExecutor(connection).migrate(AFTER)
    assert OldUser.objects.filter(email="Helen.Marsh@Example.ORG").exists()  # nothing changed

    clash.delete()
    MigrationExecutor(connection).migrate(AFTER)
    assert sorted(User.objects.values_list("email", flat=True)) == [
        "helen.marsh@example.org",
        "tom@example.org",
    ]
    MigrationExecutor(connection).migrate(executor.loader.graph.leaf_nodes())
