import uuid
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.access import (
    can_acknowledge_visit,
    can_add_visit_photos,
    programmes_led_by,
    schools_assigned_to_sle,
    visit_or_404,
    visit_photo_addable_or_404,
    visit_school_or_404,
    visit_to_acknowledge_or_404,
    visits_visible_to,
)
from accounts.downloads import table_download
from mathsprog.tables import download_wanted
from schools.year_groups import YEAR_GROUP_LABELS

from .. import selectors
from ..form_selectors import (
    answers_of,
    current_form_version,
    form_version_numbered,
    questions_answered,
)
from ..forms import VisitForm, VisitPhotoForm
from ..models import ActionStatus, VisitFormVersion
from ..services import VisitRecord, visit_acknowledge, visit_photo_add, visit_record
from ..tables import AnswerTable, VisitTable

SERVICE_WORKER = Path(settings.BASE_DIR) / "static" / "js" / "visits-sw.js"


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _version_shown(request, programmes) -> VisitFormVersion | None:
    """The programme's form the page shows: on a send, the version the tablet rendered (perhaps
    an older one, written offline), or none for a page from before the programme had a form."""
    if request.method != "POST":
        return current_form_version(programme=programmes[0])
    chosen = next(
        (p for p in programmes if str(p.pk) == request.POST.get("programme")), programmes[0]
    )
    number = request.POST.get("form_version", "")
    if not number.isdigit():
        return None
    return form_version_numbered(programme=chosen, number=int(number))


def _record_sent(form: VisitForm, school) -> VisitRecord:
    data = form.cleaned_data
    return VisitRecord(
        client_id=data["client_id"],
        programme=data["programme"],
        school=school,
        visit_date=data["visit_date"],
        kind=data["kind"],
        length=data["length"],
        hours=data["hours"],
        year_groups=data["year_groups"],
        staff_worked_with=data["staff_worked_with"],
        focus_areas=data["focus_areas"],
        activities=data["activities"],
        strengths=data["strengths"],
        next_steps=data["next_steps"],
        action_updates=form.action_updates(),
        form_version=form.version,
        answers=form.answers(),
    )


def visit_new(request, urn: int):
    """The Record of Visit form, built to work on a tablet with poor wifi: it keeps a draft on
    the device, and a record sent offline waits there until the connection returns (see
    static/js/visit-form.js). Sending is idempotent by the record's client id."""
    school, programmes = visit_school_or_404(request.user, urn)
    open_actions = school.actions.exclude(status=ActionStatus.DONE).order_by("due_date", "pk")
    form = VisitForm(
        request.POST or None,
        school=school,
        programmes=programmes,
        open_actions=open_actions,
        version=_version_shown(request, programmes),
        initial={
            "client_id": uuid.uuid4(),
            "programme": programmes[0],
            "visit_date": timezone.localdate(),
        },
    )
    if request.method == "POST":
        if form.is_valid():
            try:
                visit, created = visit_record(sle=request.user, record=_record_sent(form, school))
            except ValidationError as error:
                form.add_error(None, error)
            else:
                url = reverse("visits:detail", args=[visit.pk])
                if _wants_json(request):
                    return JsonResponse(
                        {"id": visit.pk, "url": url}, status=201 if created else 200
                    )
                messages.success(request, "Record of visit saved.")
                return redirect(url)
        if _wants_json(request):
            return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
    return render(request, "visits/visit_form.html", {"form": form, "school": school})


def visit_detail(request, pk: int):
    visit = selectors.visit_detail(visit_or_404(request.user, pk))
    context = {
        "visit": visit,
        "questions_answered": questions_answered(visit),
        "year_groups": [YEAR_GROUP_LABELS[n] for n in visit.year_groups],
        "can_acknowledge": can_acknowledge_visit(request.user, visit),
        "can_add_photos": can_add_visit_photos(request.user, visit),
        "photo_form": VisitPhotoForm(),
    }
    return render(request, "visits/visit_detail.html", context)


@require_POST
def visit_acknowledge_view(request, pk: int):
    visit = visit_to_acknowledge_or_404(request.user, pk)
    visit_acknowledge(visit=visit, user=request.user)
    messages.success(request, "Thank you: the record is acknowledged.")
    return redirect("visits:detail", pk=visit.pk)


@require_POST
def visit_photo(request, pk: int):
    visit = visit_photo_addable_or_404(request.user, pk)
    form = VisitPhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            visit_photo_add(
                visit=visit,
                upload=form.cleaned_data["image"],
                caption=form.cleaned_data["caption"],
                user=request.user,
            )
            messages.success(request, "Photo added: it shows here once it has been processed.")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, " ".join(m for errors in form.errors.values() for m in errors))
    return redirect("visits:detail", pk=visit.pk)


def visit_list(request):
    visits = visits_visible_to(request.user)
    if download_wanted(request, "answers"):
        answers = answers_of(visits=visits)
        return table_download(request, AnswerTable(answers), name="answers")
    table = VisitTable(visits.order_by("-visit_date", "-pk"))
    download = table_download(request, table, name="visits")
    if download:
        return download
    schools = schools_assigned_to_sle(request.user).order_by("name")
    context = {
        "table": table,
        "schools": schools,
        "next_visits": selectors.next_visits_of_sle(sle=request.user),
        "forms_composable": programmes_led_by(request.user).order_by("name"),
    }
    return render(request, "visits/visit_list.html", context)


@never_cache
def service_worker(request):
    """Served under /visits/ so that it may control the visit pages."""
    response = HttpResponse(SERVICE_WORKER.read_text(), content_type="text/javascript")
    response["Service-Worker-Allowed"] = "/visits/"
    return response
