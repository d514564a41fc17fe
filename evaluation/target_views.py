"""The targets pages. Kept apart from evaluation.targets, which dashboards' selectors read
and which so must not import the permission layer."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from accounts.access import (
    may_set_school_targets,
    programme_led_or_404,
    school_programmes_visible_to,
    school_visible_or_404,
)
from programmes.models import Programme
from schools.models import School

from .target_forms import KpiLinkForm, TargetsForm
from .targets import end_window, kpi_report_link, target_set, targets_on_track


def _school_led_or_404(user, slug: str, urn: int) -> tuple[Programme, School]:
    """A school the user leads (headteacher or maths lead; site admins any) and a programme
    it is enrolled in."""
    school = school_visible_or_404(user, urn)
    if not may_set_school_targets(user, school):
        raise Http404("No such page.")
    taking_part = school_programmes_visible_to(user, school).filter(enrolments__school=school)
    return get_object_or_404(taking_part, slug=slug), school


def _targets_page(request, programme: Programme, school: School | None):
    window = end_window(programme)
    progress = targets_on_track(programme=programme, school=school)
    current = {p.target.measure: p.target.value for p in progress}
    posted = request.POST if request.method == "POST" else None
    form = TargetsForm(posted if posted and "targets" in posted else None, initial=current,
                       prefix="targets")  # fmt: skip
    kpi_form = None if school else KpiLinkForm(
        posted if posted and "kpis" in posted else None, programme=programme, prefix="kpis"
    )  # fmt: skip
    if window and form.is_bound and form.is_valid():
        # A box emptied leaves its target as it was: a target is replaced, never withdrawn.
        changed = [m for m in form.changed_data if form.cleaned_data[m] is not None]
        for measure in changed:
            target_set(window=window, school=school, measure=measure,
                       value=form.cleaned_data[measure], set_by=request.user)  # fmt: skip
        messages.success(request, "Targets saved." if changed else "No target changed.")
        return redirect(request.path)
    if kpi_form is not None and kpi_form.is_bound and kpi_form.is_valid():
        kpi_report_link(**kpi_form.cleaned_data)
        messages.success(request, "KPI saved.")
        return redirect(request.path)
    context = {"programme": programme, "school": school, "end_window": window, "form": form,
               "kpi_form": kpi_form, "targets": progress}  # fmt: skip
    return render(request, "evaluation/targets.html", context)


def programme_targets(request, slug: str):
    """Hub leads (and site admins) set the programme's targets and link KPIs to the report."""
    return _targets_page(request, programme_led_or_404(request.user, slug), None)


def school_targets(request, slug: str, urn: int):
    """A school's headteacher or maths lead (or a site admin) sets the school's own targets."""
    programme, school = _school_led_or_404(request.user, slug, urn)
    return _targets_page(request, programme, school)
