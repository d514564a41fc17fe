from django import forms
from django.db.models import Q

from accounts.models import User
from schools.models import School

from .models import Event, EventKind, ParticipantRole, WorkGroup, WorkGroupType
from .selectors import CPD_ROLES, current_staff


class WorkGroupTypeForm(forms.ModelForm):
    class Meta:
        model = WorkGroupType
        fields = [
            "name", "description", "target_audience", "expected_schools", "expected_workshops",
            "expected_school_visits", "expected_duration",
        ]  # fmt: skip


def _programme_schools(programme):
    return School.objects.filter(enrolments__programme=programme).order_by("name")


class WorkGroupForm(forms.ModelForm):
    class Meta:
        model = WorkGroup
        fields = ["type", "name", "academic_year", "lead", "schools"]
        widgets = {"schools": forms.CheckboxSelectMultiple}

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.programme = programme
        # Work groups are led by the programme's hub leads and SLEs.
        self.fields["lead"].queryset = User.objects.filter(
            Q(role_assignments__programme=programme), is_active=True
        ).distinct()
        self.fields["schools"].queryset = _programme_schools(programme)


class ParticipantForm(forms.Form):
    staff_member = forms.ModelChoiceField(queryset=None, label="Member of staff")
    role = forms.ChoiceField(choices=ParticipantRole.choices, initial=ParticipantRole.PARTICIPANT)

    def __init__(self, *args, work_group: WorkGroup, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff_member"].queryset = (
            current_staff()
            .filter(school__in=work_group.schools.all())
            .exclude(work_groups__work_group=work_group)
            .select_related("school")
            .order_by("school__name", "full_name")
        )
        self.fields["staff_member"].label_from_instance = lambda staff: (
            f"{staff.full_name}, {staff.get_role_display()}, {staff.school.name}"
        )


class EventForm(forms.ModelForm):
    class Meta:
        model = Event
        fields = [
            "kind", "title", "starts_at", "venue", "facilitator", "audience", "work_group",
            "schools", "parent_headcount",
        ]  # fmt: skip
        widgets = {
            "starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
            "schools": forms.CheckboxSelectMultiple,
        }
        help_texts = {"parent_headcount": "Parent workshops only: how many parents came."}

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.programme = programme
        self.fields["work_group"].queryset = programme.work_groups.all()
        self.fields["schools"].queryset = _programme_schools(programme)

    def clean(self):
        data = super().clean()
        if (
            data.get("parent_headcount") is not None
            and data.get("kind") != EventKind.PARENT_WORKSHOP
        ):
            self.add_error("parent_headcount", "Only parent workshops have a headcount.")
        return data


class CpdCoverageFilterForm(forms.Form):
    """Whom the CPD coverage page lists. Names repeat across boroughs, so each school is
    offered with its URN."""

    school = forms.ModelChoiceField(queryset=None, required=False, empty_label="All schools")
    role = forms.ChoiceField(
        choices=[("", "All roles"), *((role.value, role.label) for role in CPD_ROLES)],
        required=False,
    )
    trained = forms.TypedChoiceField(
        label="Core CPD",
        choices=[("", "Trained or not"), ("no", "Not yet trained"), ("yes", "Trained")],
        coerce={"yes": True, "no": False}.get,
        empty_value=None,
        required=False,
    )

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = _programme_schools(programme)

    def chosen(self) -> dict:
        """The filters to apply: none while the form is empty or wrong (it shows why)."""
        return self.cleaned_data if self.is_valid() else {}
