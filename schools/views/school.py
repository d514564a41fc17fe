from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from accounts.access import (
    can_edit_school_staff,
    require_site_admin,
    school_staff_editable_or_404,
    school_visible_or_404,
    schools_visible_to,
)
from mathsprog.exports import whole_list
from mathsprog.services import model_save
from mathsprog.views import form_view

from .. import selectors, services
from ..forms import SchoolFilterForm, SchoolForm, SchoolRegisterUploadForm, StaffMemberForm
from ..models import School, StaffMember

PAGE_SIZE = 50


SCHOOL_COLUMNS = ["URN", "School", "Postcode", "Local authority", "Phase", "On roll", "FSM (%)",
                  "Open"]  # fmt: skip


def _school_row(school) -> tuple:
    return (
        school.urn,
        school.name,
        school.postcode,
        school.local_authority.name,
        school.phase,
        school.number_on_roll,
        None if school.percentage_fsm is None else float(school.percentage_fsm),
        "yes" if school.is_open else "no",
    )


def school_list(request):
    filters = SchoolFilterForm(request.GET or None)
    criteria = filters.cleaned_data if filters.is_valid() else {}
    rows = selectors.schools_matching(schools_visible_to(request.user), **criteria)
    download = whole_list(request, "schools", SCHOOL_COLUMNS, _school_row, rows)
    if download:
        return download
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"filters": filters, "page": page, "query": query.urlencode()}
    return render(request, "schools/school_list.html", context)


def school_form(request, urn: int | None = None):
    require_site_admin(request.user)
    school = get_object_or_404(School, urn=urn) if urn else None
    return form_view(
        request,
        SchoolForm(request.POST or None, instance=school),
        save=lambda data: services.school_save(school=school or School(), **data),
        success_url=lambda saved: reverse("dashboards:school", args=[saved.urn]),
        title=f"Edit {school.name}" if school else "Add a school",
        back_url=reverse("schools:list"),
        back_label="Schools",
    )


def staff_list(request, urn: int):
    school = school_visible_or_404(request.user, urn)
    current, former = selectors.staff_of(school=school)
    context = {
        "school": school,
        "current": current,
        "former": former,
        "can_edit": can_edit_school_staff(request.user, school),
    }
    return render(request, "schools/staff_list.html", context)


def staff_form(request, urn: int, pk: int | None = None):
    school = school_staff_editable_or_404(request.user, urn)
    staff = get_object_or_404(school.staff, pk=pk) if pk else None
    url = reverse("schools:staff", args=[school.urn])
    return form_view(
        request,
        StaffMemberForm(request.POST or None, instance=staff),
        save=lambda data: model_save(StaffMember, staff, school=school, **data),
        success_url=url,
        title=f"Edit {staff.full_name}" if staff else f"Add staff at {school.name}",
        back_url=url,
        back_label="Staff",
    )


def register_import_new(request):
    require_site_admin(request.user)
    form = SchoolRegisterUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        register_import = services.school_register_import_create(
            uploaded_by=request.user, file_name=upload.name, content=upload.read()
        )
        return redirect("schools:register_import", pk=register_import.pk)
    recent = selectors.recent_register_imports()
    return render(request, "schools/register_import_new.html", {"form": form, "recent": recent})


def register_import_detail(request, pk: int):
    require_site_admin(request.user)
    register_import = get_object_or_404(selectors.register_imports(), pk=pk)
    template = (
        "schools/_register_import_status.html"
        if request.headers.get("HX-Request")
        else "schools/register_import_detail.html"
    )
    return render(request, template, {"register_import": register_import})
