"""Every role's main pages in a real browser, at a tablet's (768x1024) and a laptop's (1366x768)
size, on the demo data (issue 21): nothing scrolls sideways, every date field the server fills
shows its date, and axe-core finds no WCAG 2.2 AA problem. Each page's screenshot is written
under tests/browser/screenshots/, to look at. A role's pages are its navigation's links, its
programme's tabs, and the forms it fills in that carry dates."""

import pytest

from accounts.models import User
from demo.loader import DEMO_SLUG, load_demo
from evaluation.models import AssessmentUpload
from programmes.models import Cohort, Kpi
from schools.models import StaffMember
from visits.models import Action, RecordOfVisit
from workgroups.models import Event

from .conftest import axe_violations, screenshot

pytestmark = [
    pytest.mark.services,
    pytest.mark.django_db(transaction=True, databases="__all__", serialized_rollback=True),
]

# The demo's first school: each school role below is one of its people, and sle01 visits it.
URN = 100100
PROGRAMME = f"/programmes/{DEMO_SLUG}"
SCHOOL = f"/schools/{URN}"

# Per role: who signs in, and its pages as (name of the screenshot, path). A path's {names}
# are the demo's records (see _demo_records), whose keys differ from one load to the next.
ROLES = {
    "site-admin": (
        "admin@example.org",
        [
            ("programmes", "/programmes/"),
            ("programme-new", "/programmes/new/"),
            ("schools", "/schools/"),
            ("work-group-types", "/work-group-types/"),
            ("planner", "/assessments/plan-a-comparison/"),
            ("visits", "/visits/"),
            ("assessments", "/assessments/"),
            ("invitations", "/invitations/"),
            ("register", "/schools/register/"),
            ("audit", "/audit/"),
            ("audit-filtered", "/audit/?since=2025-09-01&until=2027-12-17"),
            ("retention", "/assessments/retention/"),
            ("report-failures", "/assessments/report-failures/"),
            ("email-choices", "/e-mails/"),
        ],
    ),
    "hub-lead": (
        "hub.lead@example.org",
        [
            ("programme", f"{PROGRAMME}/"),
            ("funder-report", f"{PROGRAMME}/funder-report/"),
            ("programme-edit", f"{PROGRAMME}/edit/"),
            ("cohort", f"{PROGRAMME}/cohorts/{{cohort}}/"),
            ("kpi", f"{PROGRAMME}/kpis/{{kpi}}/"),
            ("enrolments", f"{PROGRAMME}/schools/"),
            ("comparison", f"{PROGRAMME}/comparison/"),
            ("strands", f"{PROGRAMME}/strands/"),
            ("budget", f"{PROGRAMME}/budget/"),
            ("spend-new", f"{PROGRAMME}/budget/spend/new/"),
            ("work-groups", f"{PROGRAMME}/work-groups/"),
            ("events", f"{PROGRAMME}/events/"),
            ("event-new", f"{PROGRAMME}/events/new/"),
            ("event-edit", f"{PROGRAMME}/events/{{event}}/edit/"),
            ("visit-coverage", f"/visits/coverage/{DEMO_SLUG}/all/"),
            ("cpd-coverage", f"{PROGRAMME}/cpd-coverage/"),
            ("schools", "/schools/"),
            ("work-group-types", "/work-group-types/"),
            ("planner", "/assessments/plan-a-comparison/"),
            ("visits", "/visits/"),
            ("assessments", "/assessments/"),
            ("upload", "/assessments/{upload}/"),
            ("email-choices", "/e-mails/"),
        ],
    ),
    "sle": (
        "sle01@example.org",
        [
            ("my-schools", "/schools/mine/"),
            ("school", f"{SCHOOL}/"),
            ("visit-new", f"/visits/new/{URN}/"),
            ("visits", "/visits/"),
            ("visit", "/visits/{visit}/"),
            ("visit-coverage", f"/visits/coverage/{DEMO_SLUG}/"),
            ("email-choices", "/e-mails/"),
        ],
    ),
    "headteacher": (
        f"head.{URN}@example.org",
        [
            ("school", f"{SCHOOL}/"),
            ("governor-report", f"{SCHOOL}/governor-report/"),
            ("staff", f"{SCHOOL}/staff/"),
            ("staff-member", f"{SCHOOL}/staff/{{staff}}/"),
            ("action-plan", f"{SCHOOL}/action-plan/"),
            ("action", f"{SCHOOL}/action-plan/actions/{{action}}/"),
            ("visits", "/visits/"),
            ("visit", "/visits/{visit}/"),
            ("assessments", "/assessments/"),
            ("upload-new", "/assessments/new/"),
            ("invitations", "/invitations/"),
            ("email-choices", "/e-mails/"),
        ],
    ),
    "maths-lead": (
        f"mathslead.{URN}@example.org",
        [
            ("school", f"{SCHOOL}/"),
            ("governor-report", f"{SCHOOL}/governor-report/"),
            ("staff", f"{SCHOOL}/staff/"),
            ("action-plan", f"{SCHOOL}/action-plan/"),
            ("action", f"{SCHOOL}/action-plan/actions/{{action}}/"),
            ("visits", "/visits/"),
            ("assessments", "/assessments/"),
            ("email-choices", "/e-mails/"),
        ],
    ),
    "governor": (
        f"governor.{URN}@example.org",
        [
            ("school", f"{SCHOOL}/"),
            ("governor-report", f"{SCHOOL}/governor-report/"),
            ("staff", f"{SCHOOL}/staff/"),
            ("action-plan", f"{SCHOOL}/action-plan/"),
            ("visits", "/visits/"),
            ("email-choices", "/e-mails/"),
        ],
    ),
}
VIEWPORTS = [(768, 1024), (1366, 768)]

# The date fields a page fills in itself, by the page's name: each must show a date.
DATED = {
    "audit-filtered": ("since", "until"),
    "programme-edit": ("start_date", "end_date"),
    "cohort": ("start_date", "end_date"),
    "kpi": ("achieved_on",),
    "event-edit": ("starts_at",),
    "visit-new": ("visit_date",),
    "governor-report": ("start", "end"),
    "staff-member": ("start_date",),
    "action": ("due_date",),
}

# The elements that stick out past the page's right edge, outermost first: those whose
# parent does not stick out too, and which no scroll region of their own holds.
OVERFLOWING = """() => {
    const edge = document.documentElement.clientWidth + 1;
    const clipped = (el) => {
        for (let up = el.parentElement; up; up = up.parentElement) {
            if (getComputedStyle(up).overflowX !== "visible") return true;
        }
        return false;
    };
    const name = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
        + [...el.classList].map((c) => "." + c).join("");
    return [...document.body.querySelectorAll("*")]
        .filter((el) => el.getBoundingClientRect().right > edge)
        .filter((el) => !(el.parentElement.getBoundingClientRect().right > edge))
        .filter((el) => !clipped(el))
        .slice(0, 5)
        .map((el) => `${name(el)} (right edge ${Math.round(el.getBoundingClientRect().right)})`);
}"""

# Date fields shown empty: those the page should fill and does not, and those whose value the
# browser dropped, as it drops one it cannot read as a date (a "01/12/2026").
EMPTY_DATES = """(dated) => {
    const inputs = [...document.querySelectorAll("input[type=date], input[type=datetime-local]")];
    const missing = dated.filter((name) => !inputs.some((input) => input.name === name));
    return inputs
        .filter((input) => !input.value)
        .filter((input) => input.getAttribute("value") || dated.includes(input.name))
        .map((input) => `${input.name}="${input.getAttribute("value") ?? ""}"`)
        .concat(missing.map((name) => `${name} (no such date field)`));
}"""


@pytest.fixture
def demo_data(db):
    load_demo()


def _demo_records() -> dict[str, int]:
    return {
        "cohort": Cohort.objects.filter(programme__slug=DEMO_SLUG).earliest("pk").pk,
        "kpi": Kpi.objects.filter(programme__slug=DEMO_SLUG, achieved_on__isnull=False)
        .earliest("pk")
        .pk,
        "event": Event.objects.filter(programme__slug=DEMO_SLUG).earliest("pk").pk,
        "upload": AssessmentUpload.objects.earliest("pk").pk,
        "visit": RecordOfVisit.objects.filter(school__urn=URN).earliest("pk").pk,
        "staff": StaffMember.objects.filter(school__urn=URN).earliest("pk").pk,
        "action": Action.objects.filter(school__urn=URN, due_date__isnull=False).earliest("pk").pk,
    }


def _problems(page, width: int, dated: tuple[str, ...] = ()) -> list[str]:
    """What is wrong with the page as it stands, in words to act on; none when nothing is."""
    problems = []
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    client_width = page.evaluate("document.documentElement.clientWidth")
    if scroll_width > client_width + 1:
        wide = ", ".join(page.evaluate(OVERFLOWING)) or "no single element found"
        problems.append(f"{scroll_width} px wide at {width} px: {wide}")
    empty = page.evaluate(EMPTY_DATES, list(dated))
    if empty:
        problems.append(f"date fields shown empty: {', '.join(empty)}")
    return problems + [f"axe {violation}" for violation in axe_violations(page)]


def _open_menus(page) -> None:
    """The navigation, folded away behind its button on a tablet, and the user's menu, open:
    axe checks only what is shown."""
    toggler = page.locator(".navbar-toggler")
    if toggler.is_visible():
        toggler.click()
        page.wait_for_selector("#main-nav.show")
    page.locator(".site-nav .dropdown-toggle").click()
    page.wait_for_selector(".site-nav .dropdown-menu.show")


@pytest.mark.parametrize("role", list(ROLES))
def test_it_fits_shows_dates_and_is_accessible_for_each_role(demo_data, open_as, role):
    """At each of VIEWPORTS in turn: the demo is loaded once a role, not once a size."""
    email, pages = ROLES[role]
    records = _demo_records()
    failures = []
    for width, height in VIEWPORTS:
        page = open_as(User.objects.get(email=email), width, height).new_page()
        for name, path in pages:
            path = path.format(**records)
            status = page.goto(path).status
            problems = (
                [f"answers {status}"]
                if status != 200
                else _problems(page, width, DATED.get(name, ()))
            )
            failures += [f"{width}x{height} {path}: {problem}" for problem in problems]
            screenshot(page, f"{role}-{name}-{width}")
        # The menus are the same on every page: once, on the last.
        _open_menus(page)
        failures += [
            f"{width}x{height} {path} with its menus open: {problem}"
            for problem in _problems(page, width)
        ]
        screenshot(page, f"{role}-menus-{width}")
    assert not failures, f"{role}:\n" + "\n".join(failures)
