from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST
from stdnum.gb import upn

from accounts.access import (
    can_create_programme,
    can_upload_assessments,
    leader_school_ids,
    may_see_comparison_school,
    programme_led_or_404,
    require_site_admin,
    require_uploader,
    upload_or_404,
    upload_windows_for,
    uploads_visible_to,
)
from accounts.audit import audit
from accounts.downloads import table_download
from accounts.models import AuditAction
from mathsprog.exports import csv_response, table_response, xlsx_response
from mathsprog.views import form_view
from schools.models import School

from . import lifecycle, removal, selectors, services, tasks, upload_leases
from . import retention as retention_services
from .forms import (
    AssessmentUploadForm,
    ProgrammeChoiceForm,
    ProgrammeDataDeletionForm,
    SchoolChoiceForm,
    SchoolDataDeletionForm,
)
from .models import UploadStatus
from .standards import in_words
from .tables import ReportFailureTable, UploadProblemTable, UploadSummaryTable, UploadTable
from .validation import REPORT_HEADER, report_rows

TEMPLATE_HEADER = [
    "UPN",
    "URN",
    "Year group",
    "Disadvantaged",
    "SEND",
    "EAL",
    "Gender",
    "Score",
    "Standard",
]


def _example_school(user) -> School | None:
    """The first school the person may upload for, so that the example row is one the upload
    accepts: a school leader's own school, else one taking part in a programme they upload to."""
    own = leader_school_ids(user)
    if own:
        schools = School.objects.filter(pk__in=own)
    else:
        programmes = upload_windows_for(user).values("programme_id")
        schools = School.objects.filter(
            Q(enrolments__programme__in=programmes) | Q(comparisons__programme__in=programmes)
        )
    return schools.order_by("name").first()


def _example_row(user) -> list[str]:
    body = "201000025001"  # an example pupil in the City of London, not a real one
    school = _example_school(user)
    urn = str(school.urn) if school else "100000"  # no school to name: a made-up URN
    return [upn.calc_check_digit(body) + body, urn, "Y2", "N", "N", "Y", "F", "104", "EXS"]


def upload_list(request):
    table = UploadTable(uploads_visible_to(request.user)[:100])
    download = table_download(request, table, name="uploads")
    if download:
        return download
    context = {"table": table, "can_upload": can_upload_assessments(request.user)}
    return render(request, "evaluation/upload_list.html", context)


def upload_new(request):
    require_uploader(request.user)
    form = AssessmentUploadForm(request.POST or None, request.FILES or None, user=request.user)
    return form_view(
        request,
        form,
        save=lambda data: services.upload_create(
            uploaded_by=request.user,
            window=data["window"],
            school=data.get("school"),
            file=data["file"],
            ctf=data.get("ctf"),
        ),
        success_url=lambda upload: upload.get_absolute_url(),
        message=_received,
        title="Upload assessment results",
        template="evaluation/upload_new.html",
        standards=in_words(),
    )


def _received(upload) -> str:
    """Only what the upload's page does not say itself: with no broker, the check has run by
    now and the page shows its outcome; when the queue could not be reached, it says why."""
    upload.refresh_from_db(fields=["status", "queue_failed_at"])
    if not upload.is_working:
        return "File received and checked."
    return "File received." if upload.queue_failed_at else "File received: it is being checked."


def upload_detail(request, pk: int):
    upload = upload_or_404(request.user, pk)
    if request.GET.get("step") == "rollback":
        return _rollback_question(request, upload)
    template = (
        "evaluation/_upload_status.html"
        if request.headers.get("HX-Request")
        else "evaluation/upload_detail.html"
    )
    tables = {
        "upload-problems": UploadProblemTable(upload.errors, caption=_problems_caption(upload)),
        "upload-summary": UploadSummaryTable(upload.summary or {}),
    }
    for name, table in tables.items():
        download = table_download(request, table, name=name)
        if download:
            return download
    stalled = upload.is_working and upload_leases.is_stalled(upload, timezone.now())
    context = {"upload": upload, "stalled": stalled, "problems": tables["upload-problems"],
               "summary": tables["upload-summary"]}  # fmt: skip
    return render(request, template, context)


def _problems_caption(upload) -> str:
    shown = len(upload.errors)
    first = (
        f"The first {shown} problems; the download has them all. "
        if shown < upload.error_count
        else ""
    )
    return first + "Rows are numbered as your spreadsheet numbers them."


def _rollback_question(request, upload):
    """Before a rollback, what it would undo; the rollback itself is a POST from this page."""
    if upload.status != UploadStatus.IMPORTED:
        return redirect(upload.get_absolute_url())  # whose page says where it stands
    context = {
        "upload": upload,
        "removal": removal.upload_rollback_removal(upload=upload),
        "later": services.later_upload(upload),
    }
    return render(request, "evaluation/upload_rollback_confirm.html", context)


def upload_errors(request, pk: int):
    upload = upload_or_404(request.user, pk)
    audit(
        request.user,
        AuditAction.EXPORTED,
        f"Problems found in {upload.file_name}",
        programme=upload.window.programme,
        school=upload.school,
        upload=upload.pk,
    )
    rows = report_rows(bytes(upload.error_report or b""))
    return table_response(request, f"errors-{upload.pk}", REPORT_HEADER, rows)


def _act(request, pk: int, action, done: str):
    upload = upload_or_404(request.user, pk)
    try:
        action(upload=upload, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        upload.refresh_from_db(fields=["status", "queue_failed_at"])
        if upload.is_working and upload.queue_failed_at:
            messages.warning(request, "We couldn't reach the task queue: see below.")
        elif upload.is_working:
            messages.success(request, done)
        # Otherwise it is done already (no broker: it ran in this request), as the page says.
    return redirect(upload.get_absolute_url())


@require_POST
def upload_confirm(request, pk: int):
    return _act(request, pk, services.upload_confirm, "Importing: this page shows progress.")


@require_POST
def upload_rollback(request, pk: int):
    return _act(request, pk, services.upload_request_rollback, "Rolling back the upload.")


@require_POST
def upload_queue_again(request, pk: int):
    return _act(request, pk, upload_leases.upload_queue_again, "Queued again.")


def template_csv(request):
    return csv_response("results-template.csv", TEMPLATE_HEADER, [_example_row(request.user)])


def template_xlsx(request):
    return xlsx_response("results-template.xlsx", TEMPLATE_HEADER, [_example_row(request.user)])


def method(request):
    """How figures are calculated, in plain words, for headteachers and governors."""
    context = {
        "threshold": settings.SUPPRESSION_THRESHOLD,
        "standards": in_words(),
        "may_plan": can_create_programme(request.user),  # the planner is the hub leads'
    }
    return render(request, "evaluation/method.html", context)


@require_POST
def report_recompute(request, slug: str):
    programme = programme_led_or_404(request.user, slug)
    if lifecycle.report_recompute(programme=programme):
        messages.success(request, "The report is being recomputed.")
    else:
        messages.warning(request, "We couldn't reach the task queue: see the report below.")
    return redirect("dashboards:programme", slug=programme.slug)


@require_POST
def report_retry(request, slug: str):
    """Try again a report that failed on every attempt (hub leads, from the programme's
    page; site admins, from the list of failed reports)."""
    programme = programme_led_or_404(request.user, slug)
    lifecycle.report_retry(programme=programme)
    messages.success(request, f"The report of {programme.name} is being computed again.")
    if request.POST.get("back") == "failures":
        return redirect("evaluation:report_failures")
    return redirect("dashboards:programme", slug=programme.slug)


def report_failures(request):
    """Site admins: every programme whose report could not be brought up to date."""
    require_site_admin(request.user)
    table = ReportFailureTable(selectors.report_failures())
    download = table_download(request, table, name="report-failures")
    if download:
        return download
    context = {"table": table, "retries": tasks.REPORT_RETRIES}
    return render(request, "evaluation/report_failures.html", context)


@dataclass(frozen=True)
class _Deletion:
    """One kind of retention deletion: of what (`field`), chosen by `choice`, counted by
    `count`, confirmed by `confirmation` and handed to a worker by `queue`."""

    field: str
    choice: type
    confirmation: type
    count: Callable
    queue: Callable


DELETIONS = (
    _Deletion(
        "school",
        SchoolChoiceForm,
        SchoolDataDeletionForm,
        lambda school: removal.school_pupil_data_removal(school=school),
        retention_services.school_pupil_data_delete_queue,
    ),
    _Deletion(
        "programme",
        ProgrammeChoiceForm,
        ProgrammeDataDeletionForm,
        lambda programme: removal.programme_pupil_data_removal(programme=programme),
        retention_services.programme_pupil_data_delete_queue,
    ),
)


def retention(request):
    """Site admins delete pupil data whose retention period has ended: they choose a school
    or a programme, are shown what its deletion would remove, and confirm."""
    require_site_admin(request.user)
    data = request.POST if request.method == "POST" else request.GET
    deletion = next((d for d in DELETIONS if d.field in data), None)
    if deletion is not None:
        step = _deletion_confirm if request.method == "POST" else _deletion_question
        response = step(request, deletion)
        if response is not None:
            return response
    # Nothing chosen yet, or no such school or programme: the choice again, with its error.
    context = {f"{d.field}_form": d.choice(data if d is deletion else None) for d in DELETIONS}
    return render(request, "evaluation/retention.html", context)


def _deletion_question(request, deletion: _Deletion):
    choice = deletion.choice(request.GET)
    if not choice.is_valid():
        return None
    chosen = choice.cleaned_data[deletion.field]
    form = deletion.confirmation(initial={deletion.field: chosen})
    return _deletion_page(request, deletion, form, chosen)


def _deletion_confirm(request, deletion: _Deletion):
    form = deletion.confirmation(request.POST)
    if form.is_valid():
        chosen = form.cleaned_data[deletion.field]
        queued = deletion.queue(actor=request.user, **{deletion.field: chosen})
        return _deletion_queued(request, chosen.name, queued.error is None)
    chosen = form.cleaned_data.get(deletion.field)
    if chosen is None:
        return None
    messages.error(request, f"Nothing of {chosen.name} has been deleted: it was not confirmed.")
    return _deletion_page(request, deletion, form, chosen)


def _deletion_page(request, deletion: _Deletion, form, chosen):
    removal_counts = deletion.count(chosen)
    context = {"form": form, "chosen": chosen, "kind": deletion.field, "removal": removal_counts}
    return render(request, "evaluation/retention_confirm.html", context)


def _deletion_queued(request, name: str, queued: bool):
    if queued:
        messages.success(
            request,
            f"Deletion of the pupil data of {name} is under way. The audit log shows what was "
            "deleted when it is done.",
        )
    else:
        messages.error(
            request,
            f"We couldn't reach the task queue, so nothing of {name} has been deleted. "
            "Please try again in a few minutes.",
        )
    return redirect("evaluation:retention")


def report_csv(request, slug: str):
    """The programme's attainment figures, one row a scope, year group, window and group;
    withheld figures say so, never a number."""
    programme = programme_led_or_404(request.user, slug)
    snapshot = selectors.report_status(programme=programme).snapshot
    audit(
        request.user, AuditAction.EXPORTED, f"Evaluation report of {programme}", programme=programme
    )
    return table_response(
        request,
        f"{programme.slug}-attainment",
        [
            "Scope",
            "Name",
            "Year group",
            "Assessment",
            "Group",
            "Pupils",
            "Average",
            "Spread (SD)",
            "% at expected",
            "% at higher",
        ],
        selectors.attainment_rows(
            snapshot, comparison_shown=partial(may_see_comparison_school, request.user)
        )
        if snapshot
        else [],
        notes=[selectors.threshold_note(snapshot)] if snapshot else [],
    )
