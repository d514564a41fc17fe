import re

from django.urls import reverse

from tests.factories import CohortFactory, EnrolmentFactory, LocalAuthorityFactory


def test_it_shows_a_hub_lead_their_programme(client, world, django_assert_max_num_queries):
    second = CohortFactory(programme=world.programme, name="Cohort B")
    borough = LocalAuthorityFactory(code=316, name="Newham")
    for _ in range(3):
        EnrolmentFactory(cohort=second, school__local_authority=borough)
    client.force_login(world.hub_lead)
    with django_assert_max_num_queries(26):  # 22, 3 for what is overdue, 1 for trends
        response = client.get(reverse("dashboards:programme", args=[world.programme.slug]))
    page = response.content.decode()
    assert world.programme.name in page
    assert ">Cohort B</a></th>" in page
    assert re.search(r"Newham</a></th><td class=\"text-end\">3</td>", page)


def test_it_keeps_the_dashboard_to_a_constant_number_of_queries(
    client, world, django_assert_max_num_queries
):
    client.force_login(world.hub_lead)
    url = reverse("dashboards:programme", args=[world.programme.slug])
    for _ in range(30):
        EnrolmentFactory(cohort=CohortFactory(programme=world.programme))
    with django_assert_max_num_queries(26):  # 22, 3 for what is overdue, 1 for trends
        assert client.get(url).status_code == 200


def test_it_hides_a_programme_from_those_who_do_not_lead_it(client, world):
    url = reverse("dashboards:programme", args=[world.programme.slug])
    for persona in ["sle", "head_a", "governor_a", "outsider"]:
        client.force_login(getattr(world, persona))
        assert client.get(url).status_code == 404, persona
    client.force_login(world.admin)
    assert client.get(url).status_code == 200
