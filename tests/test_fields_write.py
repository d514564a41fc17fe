"""The write every named service builds on (mathsprog.services.fields_write)."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from mathsprog.services import fields_write
from schools.models import StaffMember
from tests.factories import SchoolFactory, StaffMemberFactory

pytestmark = pytest.mark.django_db
NAMES = ("full_name", "role", "start_date", "end_date")


def test_it_refuses_a_field_its_service_does_not_name_and_writes_nothing():
    staff = StaffMemberFactory(full_name="Ann Lee")
    with pytest.raises(TypeError, match="school"):
        fields_write(staff, fields={"full_name": "Bo", "school": SchoolFactory()}, allowed=NAMES)
    staff.refresh_from_db()
    assert staff.full_name == "Ann Lee"


def test_it_validates_the_whole_object_before_saving():
    school = SchoolFactory()
    with pytest.raises(ValidationError):
        fields_write(StaffMember(school=school), fields={"full_name": ""}, allowed=NAMES)
    assert not StaffMember.objects.exists()


def test_an_edit_saves_only_the_fields_given():
    staff = StaffMemberFactory(full_name="Ann Lee", start_date=date(2024, 9, 1))
    # Someone else changed the start date meanwhile: this edit of the name leaves it.
    StaffMember.objects.filter(pk=staff.pk).update(start_date=date(2025, 1, 6))
    fields_write(staff, fields={"full_name": "Ann Lee-Smith"}, allowed=NAMES)
    staff.refresh_from_db()
    assert (staff.full_name, staff.start_date) == ("Ann Lee-Smith", date(2025, 1, 6))
