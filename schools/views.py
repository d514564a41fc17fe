from django.shortcuts import get_object_or_404, redirect, render

from accounts.access import require_site_admin, school_visible_or_404, schools_assigned_to_sle

from . import selectors, services
from .forms import SchoolRegisterUploadForm


def my_schools(request):
    """An SLE's home: the schools they are assigned to support."""
    schools = selectors.schools_with_local_authority(schools_assigned_to_sle(request.user))
    return render(request, "schools/my_schools.html", {"schools": schools})


def school_dashboard(request, urn: int):
    school = school_visible_or_404(request.user, urn)
    context = {"school": school, "enrolments": selectors.school_enrolments(school=school)}
    return render(request, "schools/dashboard.html", context)


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
