"""The permission matrix: every URL of the portal, who may open it, and on which objects.
tests/test_permission_matrix.py walks it; a URL without an entry fails the suite."""

from dataclasses import dataclass, field

from django.urls import URLPattern, URLResolver, get_resolver

EVERYONE = frozenset(
    {"admin", "hub_lead", "sle", "head_a", "maths_lead_a", "governor_a", "head_b", "outsider"}
)
PUBLIC = EVERYONE | {"anonymous"}
ADMIN = frozenset({"admin"})
LEADS = frozenset({"admin", "hub_lead"})
SCHOOL_A = frozenset({"admin", "hub_lead", "sle", "head_a", "maths_lead_a", "governor_a"})
SCHOOL_A_EDITORS = frozenset({"admin", "hub_lead", "head_a", "maths_lead_a"})
UPLOADERS = frozenset({"admin", "hub_lead", "head_a", "maths_lead_a", "head_b"})


@dataclass(frozen=True)
class Rule:
    allowed: frozenset
    inside: str = ""  # name of the objects' kwargs (see test_permission_matrix.KWARGS)
    outside: str = ""  # kwargs of like objects out of every allowed person's scope but admin's
    method: str = "get"
    refused: tuple = (404,)
    extra: dict = field(default_factory=dict)


MATRIX = {
    "home": Rule(EVERYONE),
    "login": Rule(PUBLIC),
    "logout": Rule(PUBLIC, method="post"),
    "password_change": Rule(EVERYONE),
    "password_change_done": Rule(EVERYONE),
    "password_reset": Rule(PUBLIC),
    "password_reset_done": Rule(PUBLIC),
    "password_reset_confirm": Rule(PUBLIC, inside="reset"),
    "password_reset_complete": Rule(PUBLIC),
    "healthz": Rule(PUBLIC),
    "audit_log": Rule(ADMIN),
    "programmes:list": Rule(EVERYONE),
    "programmes:create": Rule(LEADS),
    "dashboards:programme": Rule(LEADS, "slug", "other_slug"),
    "programmes:edit": Rule(LEADS, "slug", "other_slug"),
    "programmes:cohort_create": Rule(LEADS, "slug", "other_slug"),
    "programmes:cohort_edit": Rule(LEADS, "cohort", "other_cohort"),
    "programmes:kpi_create": Rule(LEADS, "slug", "other_slug"),
    "programmes:kpi_edit": Rule(LEADS, "kpi", "other_kpi"),
    "programmes:band_create": Rule(LEADS, "slug", "other_slug"),
    "programmes:band_edit": Rule(LEADS, "band", "other_band"),
    "dashboards:enrolments": Rule(LEADS, "slug", "other_slug"),
    "programmes:enrol": Rule(LEADS, "slug", "other_slug"),
    "programmes:enrolment_edit": Rule(LEADS, "enrolment", "other_enrolment"),
    "programmes:comparison": Rule(LEADS, "slug", "other_slug"),
    "programmes:comparison_remove": Rule(LEADS, "comparison", "other_comparison", "post"),
    "programmes:strands": Rule(LEADS, "slug", "other_slug"),
    "programmes:strand_create": Rule(LEADS, "slug", "other_slug"),
    "programmes:strand_edit": Rule(LEADS, "strand", "other_strand"),
    "programmes:strand_uptake": Rule(LEADS, "strand", "other_strand"),
    "dashboards:budget": Rule(LEADS, "slug", "other_slug"),
    "programmes:budget_line_create": Rule(LEADS, "slug", "other_slug"),
    "programmes:budget_line_edit": Rule(LEADS, "budget_line", "other_budget_line"),
    "programmes:spend_create": Rule(LEADS, "slug", "other_slug"),
    "workgroups:list": Rule(LEADS, "slug", "other_slug"),
    "workgroups:create": Rule(LEADS, "slug", "other_slug"),
    "workgroups:detail": Rule(LEADS, "work_group", "other_work_group"),
    "workgroups:edit": Rule(LEADS, "work_group", "other_work_group"),
    "workgroups:participant_add": Rule(LEADS, "work_group", "other_work_group", "post"),
    "workgroups:participant_remove": Rule(LEADS, "participant", "other_participant", "post"),
    "workgroups:events": Rule(LEADS, "slug", "other_slug"),
    "workgroups:event_create": Rule(LEADS, "slug", "other_slug"),
    "workgroups:event": Rule(LEADS, "event", "other_event"),
    "workgroups:event_edit": Rule(LEADS, "event", "other_event"),
    "workgroups:cpd_coverage": Rule(LEADS, "slug", "other_slug"),
    "work_group_types": Rule(EVERYONE),
    "work_group_type_create": Rule(ADMIN),
    "work_group_type_edit": Rule(ADMIN, "work_group_type"),
    "schools:list": Rule(EVERYONE),
    "dashboards:mine": Rule(EVERYONE),
    "schools:create": Rule(ADMIN),
    "schools:register_import_new": Rule(ADMIN),
    "schools:register_import": Rule(ADMIN, "register_import"),
    "dashboards:school": Rule(SCHOOL_A, "urn", "other_urn"),
    "schools:edit": Rule(ADMIN, "urn"),
    "schools:staff": Rule(SCHOOL_A, "urn", "other_urn"),
    "schools:staff_create": Rule(SCHOOL_A_EDITORS, "urn", "other_urn"),
    "schools:staff_edit": Rule(SCHOOL_A_EDITORS, "staff", "other_staff"),
    "evaluation:uploads": Rule(EVERYONE),
    "evaluation:upload_new": Rule(UPLOADERS),
    "evaluation:method": Rule(EVERYONE),
    "evaluation:planner": Rule(LEADS),
    "reminders:preferences": Rule(EVERYONE),
    "reminders:unsubscribe": Rule(PUBLIC, inside="unsubscribe"),
    "evaluation:template_csv": Rule(EVERYONE),
    "evaluation:template_xlsx": Rule(EVERYONE),
    "evaluation:retention": Rule(ADMIN),
    "evaluation:report_recompute": Rule(LEADS, "slug", "other_slug", "post"),
    "evaluation:report_retry": Rule(LEADS, "slug", "other_slug", "post"),
    "evaluation:report_failures": Rule(ADMIN),
    "evaluation:targets": Rule(LEADS, "slug", "other_slug"),
    # A school's own leaders set its targets; its hub lead reads them on the dashboards.
    "evaluation:school_targets": Rule(
        frozenset({"admin", "head_a", "maths_lead_a"}), "enrolment", "other_enrolment"
    ),
    "evaluation:report_csv": Rule(LEADS, "slug", "other_slug"),
    "evaluation:upload": Rule(SCHOOL_A_EDITORS, "upload", "other_upload"),
    "evaluation:upload_errors": Rule(SCHOOL_A_EDITORS, "upload", "other_upload"),
    "evaluation:upload_confirm": Rule(SCHOOL_A_EDITORS, "upload", "other_upload", "post"),
    "evaluation:upload_rollback": Rule(SCHOOL_A_EDITORS, "upload", "other_upload", "post"),
    "evaluation:upload_queue_again": Rule(SCHOOL_A_EDITORS, "upload", "other_upload", "post"),
}
# Django's data admin checks its own permissions (staff only); tested separately.
ADMIN_SITE_NAMESPACE = "admin"


def url_names(patterns=None, namespace: str = "") -> set[str]:
    """Every named URL of the project, with its namespace."""
    names = set()
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


def missing_from_matrix(matrix=MATRIX) -> set[str]:
    return {
        name
        for name in url_names()
        if name not in matrix and not name.startswith(f"{ADMIN_SITE_NAMESPACE}:")
    }


VISITORS = frozenset({"admin", "sle"})
MATRIX |= {
    "visits:list": Rule(EVERYONE),
    "visits:service_worker": Rule(EVERYONE),
    "visits:new": Rule(VISITORS, "urn", "other_urn"),
    "visits:detail": Rule(SCHOOL_A | {"sle"}, "visit", "other_visit"),
    # Only the school's leaders acknowledge its records (others who read them get 404).
    "visits:acknowledge": Rule(frozenset({"head_a", "maths_lead_a"}), "visit", method="post"),
    # Photos are added by the SLE who wrote the record (none of these people) or a site admin.
    "visits:photo": Rule(ADMIN, "visit", "other_visit", "post"),
    # The programme's visit form is composed by its hub leads (and site admins).
    "visits:form_compose": Rule(LEADS, "slug", "other_slug"),
    "dashboards:coverage_mine": Rule(VISITORS, "slug", "other_slug"),
    "dashboards:coverage_programme": Rule(LEADS, "slug", "other_slug"),
    "visits:action_plan": Rule(SCHOOL_A, "urn", "other_urn"),
    "visits:action_create": Rule(SCHOOL_A_EDITORS | {"sle"}, "urn", "other_urn"),
    "visits:action_edit": Rule(SCHOOL_A_EDITORS | {"sle"}, "action", "other_action"),
    "visits:risk_create": Rule(SCHOOL_A_EDITORS | {"sle"}, "urn", "other_urn"),
    "visits:risk_edit": Rule(SCHOOL_A_EDITORS | {"sle"}, "risk", "other_risk"),
}

MATRIX["dashboards:governor_report"] = Rule(SCHOOL_A, "urn", "other_urn")
# A school's headteacher answers its invitations to programmes (site admins any school's).
MATRIX["invitations:list"] = Rule(frozenset({"admin", "head_a", "head_b"}))
MATRIX["invitations:answer"] = Rule(
    frozenset({"admin", "head_a"}), "invitation", "other_invitation"
)
MATRIX["dashboards:funder_report"] = Rule(LEADS, "slug", "other_slug")

# Two-factor sign-in: each person's own pages, which go on to the step that fits (set-up,
# the code check, the overview); turning it off only for those who may do without it.
MATRIX |= {
    "two_factor:overview": Rule(EVERYONE),
    "two_factor:setup": Rule(EVERYONE),
    "two_factor:verify": Rule(EVERYONE),
    "two_factor:recovery_codes": Rule(EVERYONE),
    "two_factor:disable": Rule(EVERYONE - LEADS),
    "two_factor:reset": Rule(ADMIN),
}
