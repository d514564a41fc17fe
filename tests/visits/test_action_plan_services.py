"""The named services of a school's action plan, and the pages that call them."""

import pytest
from django.urls import reverse

from visits import services
from visits.models import Action, ActionStatus, Risk

pytestmark = pytest.mark.django_db


def test_it_adds_and_edits_an_action_through_its_page(client, world):
    client.force_login(world.head_a)
    new = reverse("visits:action_create", args=[world.school_a.urn])
    client.post(new, {"description": "Daily fluency", "owner": "Ms Khan", "status": "amber"})
    action = Action.objects.get()
    assert (action.school, action.status) == (world.school_a, ActionStatus.AMBER)
    edit = reverse("visits:action_edit", args=[world.school_a.urn, action.pk])
    client.post(edit, {"description": "Daily fluency", "owner": "Mr Ode", "status": "green"})
    action.refresh_from_db()
    assert (action.owner, action.status) == ("Mr Ode", ActionStatus.GREEN)


def test_it_adds_a_risk_through_its_page(client, world):
    client.force_login(world.head_a)
    url = reverse("visits:risk_create", args=[world.school_a.urn])
    client.post(url, {"description": "Staff turnover", "mitigation": "Pair new staff"})
    assert Risk.objects.get().school == world.school_a


def test_an_action_keeps_the_visit_that_raised_it(world):
    action = services.action_create(school=world.school_a, description="Bar models")
    with pytest.raises(TypeError, match="raised_at_visit"):
        services.action_update(action=action, raised_at_visit=None, school=world.school_b)
    with pytest.raises(TypeError, match="school"):
        services.risk_update(risk=services.risk_create(school=world.school_a, description="x"),
                             school=world.school_b)  # fmt: skip
