"""The Record of Visit as an SLE uses it on a tablet held upright, 768×1024, in Chromium
(issue 20, "The form")."""

from types import SimpleNamespace

import pytest
from django.utils import timezone

from programmes.models import FocusArea
from tests.factories import StaffMemberFactory, WorkGroupFactory
from visits.models import ActionStatus, RecordOfVisit
from visits.views import visits as visit_views
from workgroups.models import WorkGroupParticipant, WorkGroupType

from .conftest import axe_violations, screenshot

pytestmark = [
    pytest.mark.services,
    pytest.mark.django_db(transaction=True, databases="__all__", serialized_rollback=True),
]

WIDTH, HEIGHT = 768, 1024
FOCUS_AREAS = [
    "Coherence",
    "Representation and structure",
    "Mathematical thinking",
    "Fluency",
    "Variation",
]

# Every control on the page a finger may hit, with its hit area: a radio or checkbox drawn
# as a button is hit through its label, so the label is what is measured.
MEASURE_CONTROLS = """() => {
  const shown = (e) => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== "hidden";
  const controls = document.querySelectorAll(
    "main input:not([type=hidden]), main select, main textarea, main button, main summary, main a");
  return Array.from(controls).flatMap((e) => {
    const choice = e.type === "radio" || e.type === "checkbox";
    const target = choice ? e.labels[0] : e;
    if (!target || !shown(target)) return [];
    const box = target.getBoundingClientRect();
    return [{ name: (target.textContent.trim() || e.name || e.id).slice(0, 40),
              kind: choice ? "choice" : e.tagName,
              width: Math.round(box.width), height: Math.round(box.height) }];
  });
}"""


@pytest.fixture
def school(world):
    """School A in a KS1 programme, with three open actions (one raised at two visits, and
    asked about once), three KS1 teachers taking part and the five big ideas as focus areas."""
    kind = WorkGroupType.objects.create(
        name="KS1 mastery", description="Teaching for Mastery in KS1", target_audience="KS1"
    )
    group = WorkGroupFactory(programme=world.programme, type=kind)
    for year, name in enumerate(["Ada Okoro", "Ben Shah", "Cara Lewis"]):
        teacher = StaffMemberFactory(school=world.school_a, full_name=name, year_group=year)
        WorkGroupParticipant.objects.create(work_group=group, staff_member=teacher)
    for order, name in enumerate(FOCUS_AREAS):
        FocusArea.objects.create(programme=world.programme, name=name, order=order)
    actions = world.school_a.actions
    fluency = [actions.create(description="Daily fluency sessions") for _ in range(2)]
    bar_models = actions.create(description="Bar models in Year 2", status=ActionStatus.AMBER)
    actions.create(description="Audit manipulatives", owner="Maths lead")
    return SimpleNamespace(fluency=fluency, bar_models=bar_models)


def _open_form(world, open_as):
    page = open_as(world.sle, WIDTH, HEIGHT).new_page()
    page.goto(f"/visits/new/{world.school_a.urn}/")
    page.wait_for_selector("body[data-offline-ready='yes']")
    return page


def _choose(page, text: str) -> None:
    """Tap the button-drawn choice of that name."""
    page.click(f"label.btn:has-text('{text}')")


def _action_line(page, description: str):
    return page.locator(".visit-action", has_text=description)


def _fill_a_visit(page) -> None:
    _choose(page, "Full day")
    _choose(page, "Ada Okoro")
    _choose(page, "Year 1")
    _choose(page, "Fluency")
    fluency = _action_line(page, "Daily fluency sessions")
    fluency.get_by_text("Done", exact=True).click()
    fluency.locator("summary").click()
    fluency.get_by_label("Comment on Daily fluency sessions").fill("Every class, every day")
    _action_line(page, "Bar models in Year 2").get_by_text("In progress", exact=True).click()
    audit = _action_line(page, "Audit manipulatives").get_by_text("Done", exact=True)
    audit.click()
    audit.click()  # a second tap takes it back: nothing said of this action
    page.fill("#id_activities", "Co-planned a lesson on number bonds.")
    page.fill("#id_strengths", "Confident use of stem sentences.")
    page.fill("#id_next_steps", "Plan the next unit together")
    page.mouse.move(0, 0)  # no hover colours in the screenshots or axe's contrast checks


def _bar_in_reach(page) -> None:
    """The bar with Save and the state sits on the screen, at its foot."""
    bar = page.locator(".visit-savebar").bounding_box()
    assert bar["y"] >= HEIGHT / 2, bar
    assert bar["y"] + bar["height"] <= HEIGHT + 1, bar
    assert page.locator("#save-state").is_visible()


def test_the_whole_visit_flow(world, open_as, school):
    page = _open_form(world, open_as)
    assert page.input_value("#id_visit_date") == f"{timezone.localdate():%Y-%m-%d}"
    # A KS1 programme: Reception to Year 2, no more.
    years = page.locator("input[name=year_groups] + label").all_inner_texts()
    assert years == ["Reception", "Year 1", "Year 2"]
    # The fluency action, raised at two visits, is one line: three lines in all.
    assert page.locator(".visit-action").count() == 3
    assert not page.is_visible("#id_hours")
    _choose(page, "Hours")
    assert page.is_visible("#id_hours")
    _fill_a_visit(page)  # a full day after all
    assert not page.is_visible("#id_hours")
    assert page.inner_text("#save-state") == "Draft kept on this device"
    assert axe_violations(page) == []
    screenshot(page, "visit-form-768x1024")

    page.click("text=Save the record")
    page.wait_for_selector("#save-state[data-record-state='sent']", timeout=15_000)
    _bar_in_reach(page)
    assert page.inner_text("#save-state").startswith("Sent")
    assert axe_violations(page) == []
    screenshot(page, "visit-form-768x1024-sent")

    visit = RecordOfVisit.objects.get()
    assert (visit.length, visit.hours, float(visit.days), visit.year_groups) == (
        "full_day",
        None,
        1.0,
        [1],
    )
    assert [s.full_name for s in visit.staff_worked_with.all()] == ["Ada Okoro"]
    assert [a.name for a in visit.focus_areas.all()] == ["Fluency"]
    updates = {(u.action_id, u.progress, u.comment) for u in visit.action_updates.all()}
    assert updates == {
        (school.fluency[0].pk, "done", "Every class, every day"),
        (school.fluency[1].pk, "done", "Every class, every day"),
        (school.bar_models.pk, "in_progress", ""),
    }
    assert [a.description for a in visit.actions_raised.all()] == ["Plan the next unit together"]
    page.locator("#save-state").get_by_text("Open it").click()
    page.wait_for_url(f"**/visits/{visit.pk}/")


def test_every_control_is_at_least_44_px_each_way(world, open_as, school):
    page = _open_form(world, open_as)
    _choose(page, "Hours")  # "Hours" shows its box
    for line in page.locator(".visit-action summary").all():
        line.click()  # each comment open, its box measured too
    controls = page.evaluate(MEASURE_CONTROLS)
    # 3 lengths, 3 teachers, 3 year groups, 5 focus areas and 3 × 3 progress buttons.
    assert sum(c["kind"] == "choice" for c in controls) == 3 + 3 + 3 + 5 + 9
    # Date, kind, hours, 3 comment buttons and their 3 boxes, 3 text areas, Save.
    assert sum(c["kind"] != "choice" for c in controls) == 3 + 6 + 3 + 1
    small = [c for c in controls if c["width"] < 44 or c["height"] < 44]
    assert small == []


def test_the_bar_says_what_became_of_the_record_offline_and_online(
    world, open_as, school, monkeypatch
):
    page = _open_form(world, open_as)
    assert page.inner_text("#save-state") == "Not saved yet"
    _fill_a_visit(page)
    assert page.inner_text("#save-state") == "Draft kept on this device"
    context = page.context
    context.set_offline(True)
    # As in test_visit_offline.py: a send that slips out before Chromium's offline emulation
    # applies fails as a dropped connection would.
    monkeypatch.setattr(visit_views, "visit_record", _connection_lost)
    page.click("text=Save the record")
    page.wait_for_selector("#save-state[data-record-state='waiting']")
    _bar_in_reach(page)
    assert page.inner_text("#save-state").startswith("Waiting to send")
    assert axe_violations(page) == []
    screenshot(page, "visit-form-768x1024-waiting")
    assert RecordOfVisit.objects.count() == 0

    monkeypatch.undo()
    context.set_offline(False)
    page.wait_for_selector("#save-state[data-record-state='sent']", timeout=15_000)
    _bar_in_reach(page)
    assert page.inner_text("#save-state").startswith("Sent")
    assert RecordOfVisit.objects.count() == 1
    page.fill("#id_strengths", "A second visit begun")
    assert page.inner_text("#save-state") == "Draft kept on this device"


def test_with_three_open_actions_it_fits_in_about_two_screens(world, open_as, school):
    page = _open_form(world, open_as)
    height = page.evaluate("document.documentElement.scrollHeight")
    # Two screens of 1,024 px, and a tenth more: 2 × 1,024 × 1.1 = 2,252.8 px.
    assert height <= 2.2 * HEIGHT, height


def _connection_lost(**record):
    raise ConnectionResetError("the tablet lost its connection")
