import pytest
from django.urls import reverse

from accounts.models import Role
from tests.factories import ProgrammeFactory, give_role


def test_it_sends_a_signed_out_visitor_to_login(client, db):
    for url in ["/", "/programmes/", "/schools/mine/"]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(f"{reverse('login')}?next=")


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("admin", lambda w: reverse("programmes:list")),
        ("hub_lead", lambda w: reverse("dashboards:programme", args=[w.programme.slug])),
        ("sle", lambda w: reverse("dashboards:mine")),
        ("head_a", lambda w: reverse("dashboards:school", args=[w.school_a.urn])),
        ("maths_lead_a", lambda w: reverse("dashboards:school", args=[w.school_a.urn])),
        ("governor_a", lambda w: reverse("dashboards:school", args=[w.school_a.urn])),
        ("head_b", lambda w: reverse("dashboards:school", args=[w.school_b.urn])),
    ],
)
def test_it_sends_each_role_to_its_own_dashboard(client, world, persona, expected):
    client.force_login(getattr(world, persona))
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == expected(world)
    assert client.get(response["Location"]).status_code == 200


def test_it_lets_a_user_with_several_roles_choose(client, world):
    second = ProgrammeFactory(name="Mastery Readiness 2026")
    give_role(world.hub_lead, Role.HUB_LEAD, programme=second)
    give_role(world.hub_lead, Role.GOVERNOR, school=world.school_b)
    client.force_login(world.hub_lead)
    response = client.get("/")
    assert response.status_code == 200
    page = response.content.decode()
    assert reverse("dashboards:programme", args=[world.programme.slug]) in page
    assert reverse("dashboards:programme", args=[second.slug]) in page
    assert reverse("dashboards:school", args=[world.school_b.urn]) in page
    assert "Governor" in page


def test_it_tells_a_user_without_roles_who_to_ask(client, world):
    client.force_login(world.outsider)
    response = client.get("/")
    assert response.status_code == 200
    assert "no role yet" in response.content.decode()


def test_it_shows_each_role_its_own_navigation(client, world):
    client.force_login(world.head_a)
    page = client.get(reverse("dashboards:school", args=[world.school_a.urn])).content.decode()
    assert world.school_a.name in page
    assert reverse("programmes:list") not in page
    assert reverse("dashboards:mine") not in page
    client.force_login(world.admin)
    page = client.get(reverse("programmes:list")).content.decode()
    assert reverse("admin:index") not in page  # a site admin without is_staff has no data admin
    world.admin.is_staff = True
    world.admin.save()
    page = client.get(reverse("programmes:list")).content.decode()
    assert reverse("admin:index") in page
