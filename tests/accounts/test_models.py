import pytest
from django.db import IntegrityError, transaction

from accounts.models import Role, RoleAssignment, User
from tests.factories import ProgrammeFactory, SchoolFactory, UserFactory, give_role


@pytest.mark.django_db
def test_it_creates_users_by_lowercased_email():
    user = User.objects.create_user("Helen.Marsh@Example.ORG", "a long pass phrase", full_name="H")
    assert user.email == "helen.marsh@example.org"
    assert user.check_password("a long pass phrase")
    assert User.USERNAME_FIELD == "email"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "with_programme", "with_school"),
    [
        (Role.SITE_ADMIN, True, False),
        (Role.HUB_LEAD, False, False),
        (Role.HUB_LEAD, True, True),
        (Role.SLE, True, False),
        (Role.SLE, False, True),
        (Role.HEADTEACHER, False, False),
        (Role.MATHS_LEAD, True, True),
        (Role.GOVERNOR, True, False),
    ],
)
def test_it_refuses_a_role_of_the_wrong_shape(role, with_programme, with_school):
    user = UserFactory()
    programme = ProgrammeFactory() if with_programme else None
    school = SchoolFactory() if with_school else None
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleAssignment.objects.create(user=user, role=role, programme=programme, school=school)


@pytest.mark.django_db
def test_it_lets_a_user_hold_several_roles_but_each_once():
    user, school, programme = UserFactory(), SchoolFactory(), ProgrammeFactory()
    give_role(user, Role.HEADTEACHER, school=school)
    give_role(user, Role.SLE, programme=programme, school=school)
    give_role(user, Role.HUB_LEAD, programme=programme)
    give_role(user, Role.SITE_ADMIN)
    assert user.role_assignments.count() == 4
    for role, kwargs in [
        (Role.HEADTEACHER, {"school": school}),
        (Role.SLE, {"programme": programme, "school": school}),
        (Role.HUB_LEAD, {"programme": programme}),
        (Role.SITE_ADMIN, {}),
    ]:
        with pytest.raises(IntegrityError), transaction.atomic():
            give_role(user, role, **kwargs)
