from django.urls import reverse

from accounts.models import Role
from tests.factories import EnrolmentFactory, SchoolFactory, give_role


def test_it_shows_school_leaders_and_governors_their_own_school(client, world):
    url = reverse("dashboards:school", args=[world.school_a.urn])
    for persona in ["head_a", "maths_lead_a", "governor_a", "sle", "hub_lead", "admin"]:
        client.force_login(getattr(world, persona))
        response = client.get(url)
        assert response.status_code == 200, persona
        assert world.school_a.name in response.content.decode()
        assert world.programme.name in response.content.decode()


def test_it_hides_another_school(client, world):
    url = reverse("dashboards:school", args=[world.school_b.urn])
    for persona in ["head_a", "maths_lead_a", "governor_a", "sle", "hub_lead", "outsider"]:
        client.force_login(getattr(world, persona))
        assert client.get(url).status_code == 404, persona


def test_it_lists_an_sles_schools_only(client, world, django_assert_max_num_queries):
    for _ in range(12):
        enrolment = EnrolmentFactory(cohort=world.cohort)
        give_role(world.sle, Role.SLE, programme=world.programme, school=enrolment.school)
    unassigned = SchoolFactory(name="Unassigned Primary")
    client.force_login(world.sle)
    with django_assert_max_num_queries(13):  # 10, and 3 for what is overdue
        page = client.get(reverse("dashboards:mine")).content.decode()
    assert world.school_a.name in page
    assert page.count(reverse("dashboards:school", args=[world.school_a.urn])) == 1
    assert unassigned.name not in page
    assert world.school_b.name not in page


def test_it_shows_the_sle_page_empty_to_others(client, world):
    client.force_login(world.head_a)
    page = client.get(reverse("dashboards:mine")).content.decode()
    assert "not assigned to any school" in page
