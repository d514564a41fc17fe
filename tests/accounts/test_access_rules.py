"""Rules that pages once wrote for themselves, now in the permission layer."""

import pytest

from accounts import access
from tests.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db


def test_it_lets_a_programmes_hub_lead_upload_for_any_of_its_schools(world, window):
    others = ProgrammeFactory()
    window_elsewhere = others.assessment_windows.create(
        slug="b", name="B", kind="baseline", date=window.date
    )
    assert access.uploads_for_any_school(world.hub_lead, window)
    assert access.uploads_for_any_school(world.admin, window_elsewhere)
    assert not access.uploads_for_any_school(world.hub_lead, window_elsewhere)
    assert not access.uploads_for_any_school(world.head_a, window)


def test_it_gives_an_sle_their_schools_and_programmes_only(world):
    elsewhere = ProgrammeFactory()
    assert list(access.sle_schools_in(world.sle, world.programme)) == [world.school_a]
    assert not access.sle_schools_in(world.sle, elsewhere).exists()
    assert list(access.programmes_worked_on_as_sle(world.sle)) == [world.programme]
    assert not access.programmes_worked_on_as_sle(world.hub_lead).exists()


def test_only_site_admins_are_site_admins(world):
    assert access.is_site_admin(world.admin)
    assert not any(access.is_site_admin(p) for p in (world.hub_lead, world.head_a, world.sle))
