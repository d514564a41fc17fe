"""Plan a comparison: before a programme starts, the smallest effect a design of programme
and comparison schools could reliably detect, with the ICC the portal has measured so far."""

from dataclasses import dataclass
from statistics import median

from django import forms
from django.db.models import OuterRef, Subquery
from django.shortcuts import render

from accounts.access import require_programme_creator

from .engine.definitions import MONTHS_UPPER_BOUNDS, mdes, months_progress
from .models import EntryKind, ReportEntry, ReportSnapshot

# Assumed where no report has measured an ICC yet (issue 18).
DEFAULT_ICC = 0.15
# Far above any hub's programme, yet small enough that a mistyped number is caught.
MOST_SCHOOLS = 5000
MOST_PUPILS = 1000


def _count(label: str, *, noun: str, most: int, help_text: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=1,
        max_value=most,
        help_text=help_text,
        error_messages={
            "required": f"Enter the number of {noun}.",
            "invalid": f"Enter the number of {noun} as a whole number, such as 12.",
            "min_value": f"Enter at least 1 for the {noun}.",
            "max_value": f"Enter at most {most} for the {noun}.",
        },
    )


class PlanForm(forms.Form):
    programme_schools = _count(
        "Programme schools", noun="programme schools", most=MOST_SCHOOLS,
        help_text="Schools you expect to take part in the programme.",
    )  # fmt: skip
    pupils_per_school = _count(
        "Pupils per school", noun="pupils per school", most=MOST_PUPILS,
        help_text="Pupils you expect each school to have results for at both assessments, "
        "in the year group you will evaluate.",
    )  # fmt: skip
    comparison_schools = _count(
        "Comparison schools", noun="comparison schools", most=MOST_SCHOOLS,
        help_text="Similar schools outside the programme whose results you will compare with.",
    )  # fmt: skip


@dataclass(frozen=True)
class MeasuredIcc:
    """The ICC a plan uses, and of how many programmes' reports it is the median (0: none
    has measured one, so it is DEFAULT_ICC)."""

    value: float
    programmes: int = 0


def measured_icc() -> MeasuredIcc:
    """The median, over programmes, of the ICC of each programme's latest stored report:
    its programme-wide, all-year-groups progress entries (one a pair of assessments, each
    programme's median of them counting once), where the report measured one."""
    latest = ReportSnapshot.objects.filter(
        data_version=Subquery(
            ReportSnapshot.objects.filter(programme=OuterRef("programme"))
            .order_by("-data_version")
            .values("data_version")[:1]
        )
    )
    rows = ReportEntry.objects.filter(
        snapshot__in=latest.values("pk"),
        kind=EntryKind.PROGRESS,
        scope_type="programme",
        year_group=None,
    ).values_list("snapshot__programme_id", "figures__effect_size__all__icc")
    by_programme: dict[int, list[float]] = {}
    # A pair whose ICC was not measured holds null: left out here, since cast in SQL it is
    # NULL on PostgreSQL but 0.0 on SQLite (JSON_TYPE's 'null' cast to a number).
    for programme_id, icc in rows:
        if icc is not None:
            by_programme.setdefault(programme_id, []).append(icc)
    if not by_programme:
        return MeasuredIcc(DEFAULT_ICC)
    value = median(median(iccs) for iccs in by_programme.values())
    return MeasuredIcc(round(value, 3), len(by_programme))


@dataclass(frozen=True)
class Plan:
    schools: int
    share_programme: float
    mdes: float
    months: int


def plan_of(*, programme_schools: int, pupils_per_school: int, comparison_schools: int,
            icc: float) -> Plan:  # fmt: skip
    schools = programme_schools + comparison_schools
    share = programme_schools / schools
    smallest = mdes(icc, share, schools, pupils_per_school)
    return Plan(schools, share, round(smallest, 2), months_progress(smallest))


def planner(request):
    """Hub leads and site admins: what a design of schools could detect, nothing written."""
    require_programme_creator(request.user)
    form = PlanForm(request.GET or None)
    icc = measured_icc()
    plan = plan_of(**form.cleaned_data, icc=icc.value) if form.is_valid() else None
    # The top of the EEF's table: an MDES beyond it is "12 months or more".
    context = {"form": form, "icc": icc, "plan": plan, "most_months": len(MONTHS_UPPER_BOUNDS)}
    return render(request, "evaluation/planner.html", context)
