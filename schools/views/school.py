from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from accounts.access import (
    can_edit_school_staff,
    require_site_admin,
    school_staff_editable_or_404,
    school_visible_or_404,
    schools_visible_to,
)
from accounts.downloads import table_download
from mathsprog.views import form_view

from .. import selectors, services
from ..filters import SchoolFilter
from ..forms import SchoolForm, SchoolRegisterUploadForm, StaffMemberForm
from ..models import School
from ..tables import RegisterImportTable, SchoolTable, StaffTable


def school_list(request):
    schools = schools_visible_to(request.user).select_related("local_authority").order_by("name")
    filters = SchoolFilter(request.GET or None, queryset=schools)
    table = SchoolTable(filters.qs)
    download = table_download(request, table, name="schools")
    if download:
        return download
    return render(request, "schools/school_list.html", {"filters": filters.form, "table": table})


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
    can_edit = can_edit_school_staff(request.user, school)
    tables = {}
    named = {"current-staff": "Current staff", "former-staff": "Former roles"}
    for (name, caption), people in zip(
        named.items(), selectors.staff_of(school=school), strict=True
    ):
        tables[name] = StaffTable(people, school=school, can_edit=can_edit, caption=caption)
        download = table_download(request, tables[name], name=name)
        if download:
            return download
    context = {"school": school, "can_edit": can_edit, "tables": tables.values()}
    return render(request, "schools/staff_list.html", context)


def staff_form(request, urn: int, pk: int | None = None):
    school = school_staff_editable_or_404(request.user, urn)
    staff = get_object_or_404(school.staff, pk=pk) if pk else None
    url = reverse("schools:staff", args=[school.urn])
    return form_view(
        request,
        StaffMemberForm(request.POST or None, instance=staff),
        save=lambda data: (
            services.staff_member_update(staff_member=staff, **data)
            if staff
            else services.staff_member_create(school=school, **data)
        ),
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
    recent = RegisterImportTable(selectors.recent_register_imports())
    download = table_download(request, recent, name="register-imports")
    if download:
        return download
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
