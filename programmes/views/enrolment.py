from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.access import may_enrol_directly, programme_led_or_404
from accounts.downloads import table_download
from mathsprog.views import form_view

from .. import selectors, services
from ..forms import (
    AllocationMode,
    BulkEnrolmentForm,
    ComparisonSchoolsForm,
    EnrolmentForm,
)
from ..models import InvitationKind
from ..tables import ComparisonSchoolTable

ENROL_INTRO = (
    "Enrol several schools into a cohort at once. If any of them cannot be enrolled, none "
    "is, and you are told why."
)
INVITE_INTRO = (
    "Invite several schools into a cohort at once, each with its offer. A school joins the "
    "programme, and its pages open to the programme's hub leads, when its headteacher "
    "accepts (a site admin answers for a school with no headteacher account). If any of them "
    "cannot be invited, none is, and you are told why."
)


def _schools_url(programme) -> str:
    return reverse("dashboards:enrolments", args=[programme.slug])


def enrolment_bulk(request, slug: str):
    """Site admins enrol schools at once; hub leads invite them, and each school joins when
    its headteacher (or a site admin) accepts (`may_enrol_directly`)."""
    programme = programme_led_or_404(request.user, slug)
    direct = may_enrol_directly(request.user)

    def send(data):
        allocation = services.Allocation(
            sle_days=data["sle_days"],
            funding=data["funding"],
            by_size=data["allocation"] == AllocationMode.BY_SIZE,
        )
        if direct:
            return services.schools_enrol(
                cohort=data["cohort"],
                schools=data["schools"],
                allocation=allocation,
                enrolled_by=request.user,
                source="site admin",
            )
        return services.enrolment_invitations_send(
            cohort=data["cohort"],
            schools=data["schools"],
            allocation=allocation,
            invited_by=request.user,
        )

    return form_view(
        request,
        BulkEnrolmentForm(request.POST or None, programme=programme),
        save=send,
        success_url=_schools_url(programme),
        message=lambda count: (
            f"{count} school(s) enrolled."
            if direct
            else f"{count} school(s) invited: each joins when its headteacher accepts."
        ),
        title="Enrol schools" if direct else "Invite schools",
        intro=ENROL_INTRO if direct else INVITE_INTRO,
        submit_label="Enrol schools" if direct else "Invite schools",
        back_url=_schools_url(programme),
        back_label="Schools",
    )


def enrolment_edit(request, slug: str, urn: int):
    programme = programme_led_or_404(request.user, slug)
    enrolment = get_object_or_404(programme.enrolments.select_related("school"), school__urn=urn)
    return form_view(
        request,
        EnrolmentForm(request.POST or None, instance=enrolment),
        save=lambda data: services.enrolment_update(enrolment=enrolment, **data),
        success_url=_schools_url(programme),
        title=f"{enrolment.school.name}: allocation",
        back_url=_schools_url(programme),
        back_label="Schools",
    )


def comparison_schools(request, slug: str):
    """Comparison schools' results are read for the evaluation: hub leads invite them, as
    they invite schools to take part; site admins add them at once."""
    programme = programme_led_or_404(request.user, slug)
    # A list, read once, which the page counts and shows.
    table = ComparisonSchoolTable(
        list(programme.comparison_schools.select_related("programme", "school__local_authority"))
    )
    download = table_download(request, table, name="comparison-schools")
    if download:
        return download
    direct = may_enrol_directly(request.user)
    url = reverse("programmes:comparison", args=[programme.slug])

    def send(data):
        if direct:
            return services.comparison_schools_add(
                programme=programme,
                schools=data["schools"],
                added_by=request.user,
                source="site admin",
            )
        return services.comparison_invitations_send(
            programme=programme, schools=data["schools"], invited_by=request.user
        )

    return form_view(
        request,
        ComparisonSchoolsForm(request.POST or None),
        save=send,
        success_url=url,
        message=lambda count: (
            f"{count} comparison school(s) added."
            if direct
            else f"{count} school(s) invited to compare: each does once its headteacher accepts."
        ),
        title=f"{programme.name}: comparison schools",
        template="programmes/comparison_schools.html",
        submit_label="Add comparison schools" if direct else "Invite comparison schools",
        programme=programme,
        direct=direct,
        comparisons=table,
        invitations=selectors.invitations_sent(programme=programme, kind=InvitationKind.COMPARE),
    )


@require_POST
def comparison_school_remove(request, slug: str, urn: int):
    programme = programme_led_or_404(request.user, slug)
    services.comparison_school_remove(
        comparison=get_object_or_404(programme.comparison_schools, school__urn=urn),
        removed_by=request.user,
    )
    messages.success(request, f"URN {urn} is no longer a comparison school.")
    return redirect("programmes:comparison", slug=programme.slug)
