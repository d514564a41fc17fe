from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.access import is_site_admin, programme_led_or_404, require_site_admin
from accounts.downloads import table_download
from mathsprog.views import form_view

from . import selectors, services
from .filters import EventFilter, WorkGroupFilter
from .forms import (
    CpdCoverageFilterForm,
    EventForm,
    ParticipantForm,
    WorkGroupForm,
    WorkGroupTypeForm,
)
from .models import WorkGroup, WorkGroupType
from .tables import CatchUpCpdTable, EventTable, ParticipantTable, RegisterTable, WorkGroupTable


def type_list(request):
    context = {
        "types": WorkGroupType.objects.all(),
        "can_edit": is_site_admin(request.user),
    }
    return render(request, "workgroups/type_list.html", context)


def type_form(request, pk: int | None = None):
    require_site_admin(request.user)
    work_group_type = get_object_or_404(WorkGroupType, pk=pk) if pk else None
    url = reverse("work_group_types")
    return form_view(
        request,
        WorkGroupTypeForm(request.POST or None, instance=work_group_type),
        save=lambda data: (
            services.work_group_type_update(work_group_type=work_group_type, **data)
            if work_group_type
            else services.work_group_type_create(**data)
        ),
        success_url=url,
        title="Edit work group type" if work_group_type else "New work group type",
        back_url=url,
        back_label="Work group types",
    )


def work_group_list(request, slug: str):
    programme = programme_led_or_404(request.user, slug)
    filters = WorkGroupFilter(
        request.GET or None, queryset=selectors.work_groups(programme=programme)
    )
    table = WorkGroupTable(filters.qs, programme=programme)
    download = table_download(request, table, name="work-groups")
    if download:
        return download
    context = {"programme": programme, "filters": filters.form, "table": table}
    return render(request, "workgroups/work_group_list.html", context)


def work_group_detail(request, slug: str, pk: int):
    programme = programme_led_or_404(request.user, slug)
    try:
        work_group = selectors.work_group_detail(programme=programme, pk=pk)
    except WorkGroup.DoesNotExist:
        raise Http404("No such work group.") from None
    participants = ParticipantTable(work_group.participants.all(), programme=programme)
    download = table_download(request, participants, name="participants")
    if download:
        return download
    form = ParticipantForm(request.POST or None, work_group=work_group)
    context = {
        "programme": programme,
        "work_group": work_group,
        "form": form,
        "participants": participants,
    }
    return render(request, "workgroups/work_group_detail.html", context)


def work_group_form(request, slug: str, pk: int | None = None):
    programme = programme_led_or_404(request.user, slug)
    work_group = get_object_or_404(programme.work_groups, pk=pk) if pk else None
    return form_view(
        request,
        WorkGroupForm(request.POST or None, instance=work_group, programme=programme),
        save=lambda data: (
            services.work_group_update(work_group=work_group, **data)
            if work_group
            else services.work_group_create(programme=programme, **data)
        ),
        success_url=lambda saved: reverse("workgroups:detail", args=[programme.slug, saved.pk]),
        title="Edit work group" if work_group else "New work group",
        back_url=reverse("workgroups:list", args=[programme.slug]),
        back_label="Work groups",
    )


@require_POST
def participant_add(request, slug: str, pk: int):
    programme = programme_led_or_404(request.user, slug)
    work_group = get_object_or_404(programme.work_groups, pk=pk)
    form = ParticipantForm(request.POST, work_group=work_group)
    if not form.is_valid():
        messages.error(request, "Choose a member of staff from the work group's schools.")
        return redirect("workgroups:detail", slug=programme.slug, pk=work_group.pk)
    try:
        services.work_group_participant_add(work_group=work_group, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{form.cleaned_data['staff_member'].full_name} added.")
    return redirect("workgroups:detail", slug=programme.slug, pk=work_group.pk)


@require_POST
def participant_remove(request, slug: str, pk: int, participant_pk: int):
    programme = programme_led_or_404(request.user, slug)
    work_group = get_object_or_404(programme.work_groups, pk=pk)
    participant = get_object_or_404(work_group.participants, pk=participant_pk)
    services.work_group_participant_remove(participant=participant)
    messages.success(request, "Participant removed.")
    return redirect("workgroups:detail", slug=programme.slug, pk=work_group.pk)


def event_list(request, slug: str):
    programme = programme_led_or_404(request.user, slug)
    filters = EventFilter(request.GET or None, queryset=selectors.events(programme=programme))
    table = EventTable(filters.qs, programme=programme)
    download = table_download(request, table, name="events")
    if download:
        return download
    context = {"programme": programme, "filters": filters.form, "table": table}
    return render(request, "workgroups/event_list.html", context)


def event_form(request, slug: str, pk: int | None = None):
    programme = programme_led_or_404(request.user, slug)
    event = get_object_or_404(programme.events, pk=pk) if pk else None
    return form_view(
        request,
        EventForm(
            request.POST or None,
            instance=event,
            programme=programme,
            # "Schedule a workshop" on a work group's page comes with the group chosen.
            initial={"work_group": request.GET.get("work_group")},
        ),
        save=lambda data: (
            services.event_update(event=event, **data)
            if event
            else services.event_create(programme=programme, **data)
        ),
        success_url=lambda saved: reverse("workgroups:event", args=[programme.slug, saved.pk]),
        title="Edit event" if event else "New event",
        back_url=reverse("workgroups:events", args=[programme.slug]),
        back_label="Events",
    )


def event_detail(request, slug: str, pk: int):
    """The event and its register, taken on this page."""
    programme = programme_led_or_404(request.user, slug)
    event = get_object_or_404(programme.events.select_related("work_group"), pk=pk)
    if request.method == "POST":
        present = {int(pk) for pk in request.POST.getlist("present") if pk.isdigit()}
        count = services.register_record(event=event, present_ids=present)
        messages.success(request, f"Register saved: {count} present.")
        return redirect("workgroups:event", slug=programme.slug, pk=event.pk)
    register = selectors.register(event=event)
    table = RegisterTable(register)
    if download := table_download(request, table, name="register", bookmarked=True):
        return download
    context = {"programme": programme, "event": event, "register": register}
    return render(request, "workgroups/event_detail.html", context)


def cpd_coverage(request, slug: str):
    """The programme's CPD staff by school, and the list of those still to train for download
    (of the school and role chosen)."""
    programme = programme_led_or_404(request.user, slug)
    form = CpdCoverageFilterForm(request.GET or None, programme=programme)
    chosen = form.chosen()
    school, role = chosen.get("school"), chosen.get("role", "")
    launch = selectors.launch_date(programme=programme)
    catch_up = selectors.catch_up_cpd(programme=programme, school=school, role=role)
    table = CatchUpCpdTable(catch_up, launch=launch)
    if download := table_download(request, table, name="catch-up-cpd", bookmarked=True):
        return download
    coverage = selectors.cpd_coverage_by_school(
        programme=programme, school=school, role=role, trained=chosen.get("trained")
    )
    context = {"programme": programme, "filters": form, "coverage": coverage, "launch": launch}
    return render(request, "workgroups/cpd_coverage.html", context)
