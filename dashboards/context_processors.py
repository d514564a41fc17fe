from django.urls import reverse

from accounts.access import can_upload_assessments, may_answer_invitations, scope_of

from .navigation import dashboards_for


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_dashboards": [], "nav_tools": []}
    scope = scope_of(user)
    tools = []
    if scope.is_site_admin or scope.led_programme_ids:
        tools.append(("Schools", reverse("schools:list")))
        tools.append(("Work group types", reverse("work_group_types")))
        tools.append(("Plan a comparison", reverse("evaluation:planner")))
    if scope.sle_school_ids or scope.is_site_admin or scope.led_programme_ids:
        tools.append(("Records of visit", reverse("visits:list")))
    if can_upload_assessments(user):
        tools.append(("Assessment data", reverse("evaluation:uploads")))
    if may_answer_invitations(user):
        tools.append(("Invitations", reverse("invitations:list")))
    if scope.is_site_admin:
        tools.append(("Register of schools", reverse("schools:register_import_new")))
        tools.append(("Audit log", reverse("audit_log")))
        tools.append(("Retention", reverse("evaluation:retention")))
        tools.append(("Failed reports", reverse("evaluation:report_failures")))
    return {"nav_dashboards": dashboards_for(user), "nav_tools": tools}
