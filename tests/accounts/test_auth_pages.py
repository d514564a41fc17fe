import re

from django.core import mail
from django.urls import reverse


def test_it_signs_in_by_email_and_out_by_post(client, world):
    response = client.post(
        reverse("login"),
        {"username": "HEAD.A@example.org", "password": "correct horse battery staple"},
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 302  # on to the dashboard, not back to login
    assert client.get("/")["Location"] == reverse("dashboards:school", args=[world.school_a.urn])
    assert client.post(reverse("logout")).status_code == 302
    assert client.get("/")["Location"].startswith(reverse("login"))


def test_it_refuses_a_wrong_password_with_a_message(client, world):
    response = client.post(reverse("login"), {"username": "head.a@example.org", "password": "x"})
    assert response.status_code == 200
    assert "Please enter a correct email and password" in response.content.decode()


def test_it_resets_a_forgotten_password_by_email(client, world):
    response = client.post(reverse("password_reset"), {"email": "head.a@example.org"})
    assert response["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    form_url = client.get(link)["Location"]
    response = client.post(
        form_url,
        {"new_password1": "a new maths hub phrase", "new_password2": "a new maths hub phrase"},
    )
    assert response["Location"] == reverse("password_reset_complete")
    world.head_a.refresh_from_db()
    assert world.head_a.check_password("a new maths hub phrase")


def test_it_rejects_a_weak_new_password(client, world):
    client.force_login(world.head_a)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "correct horse battery staple",
            "new_password1": "password1",
            "new_password2": "password1",
        },
    )
    assert response.status_code == 200
    assert "too short" in response.content.decode()
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "correct horse battery staple",
            "new_password1": "seven tables of fractions",
            "new_password2": "seven tables of fractions",
        },
    )
    assert response["Location"] == reverse("password_change_done")
