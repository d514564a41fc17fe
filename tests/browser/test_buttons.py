"""How two things look in a real browser (issue 21): buttons 44 px tall keep their words in the
middle, links styled as buttons and full-width buttons alike (the words of "Add KPI" sat 7 px
above it); and a gap in the visit coverage is yellow, as its legend says, with words readable
on it (Bootstrap painted every cell white over the gap's own colour)."""

import re

import pytest
from django.urls import reverse

from tests.factories import (
    EnrolmentFactory,
    EventFactory,
    RecordOfVisitFactory,
    StaffMemberFactory,
    WorkGroupFactory,
)
from workgroups.models import WorkGroupType

pytestmark = [
    pytest.mark.services,
    pytest.mark.django_db(transaction=True, databases="__all__", serialized_rollback=True),
]

# Each button's height, and how far the middle of its visible words lies from its own middle,
# down and across (words for screen readers only are left out).
MEASURE = """() => [...document.querySelectorAll(".btn")].flatMap(button => {
  const box = button.getBoundingClientRect();
  if (box.width < 2 || box.height < 2) return [];  // hidden, or the skip link until focused
  const words = [];
  const walker = document.createTreeWalker(button, NodeFilter.SHOW_TEXT);
  for (let text = walker.nextNode(); text; text = walker.nextNode()) {
    if (!text.textContent.trim() || text.parentElement.closest(".visually-hidden")) continue;
    const range = document.createRange();
    range.selectNodeContents(text);
    words.push(...range.getClientRects());
  }
  if (!words.length) return [];
  const middle = (low, high) => (Math.min(...words.map(low)) + Math.max(...words.map(high))) / 2;
  return [{
    label: button.textContent.trim(),
    height: box.height,
    down: middle(r => r.top, r => r.bottom) - (box.top + box.bottom) / 2,
    // A menu's caret, drawn after its words, moves them off the middle: rightly.
    across: button.matches(".dropdown-toggle")
      ? 0 : middle(r => r.left, r => r.right) - (box.left + box.right) / 2,
  }];
})"""


@pytest.fixture
def pages(world):
    """Pages with small link buttons (Add KPI), form buttons beside fields (Filter), a full-width
    button (Add, on a work group) and buttons with words for screen readers only (Remove)."""
    kind, _ = WorkGroupType.objects.get_or_create(
        name="Test work group type", defaults={"description": "-", "target_audience": "-"}
    )
    work_group = WorkGroupFactory(programme=world.programme, lead=world.sle, type=kind)
    work_group.schools.add(world.school_a)
    work_group.participants.create(staff_member=StaffMemberFactory(school=world.school_a))
    EventFactory(programme=world.programme)
    slug = world.programme.slug
    return [
        reverse("dashboards:programme", args=[slug]),
        reverse("workgroups:events", args=[slug]),
        reverse("workgroups:detail", args=[slug, work_group.pk]),
        reverse("workgroups:cpd_coverage", args=[slug]),
    ]


@pytest.mark.parametrize("width", [768, 1366])
def test_a_buttons_words_sit_in_its_middle(open_as, world, pages, width):
    context = open_as(world.hub_lead, width, 1024)
    measured = []
    for path in pages:
        page = context.new_page()
        page.goto(path)
        measured += [(path, button) for button in page.evaluate(MEASURE)]
        page.close()
    labels = {button["label"] for _, button in measured}
    assert {"Add KPI", "New event", "Filter", "Add"} <= labels
    assert any(label.startswith("Remove") for label in labels)
    for path, button in measured:
        assert button["height"] >= 44, (path, button)
        assert abs(button["down"]) <= 2, (path, button)
        assert abs(button["across"]) <= 2, (path, button)


def _luminance(rgb: str) -> float:
    """WCAG 2's relative luminance of a CSS rgb(r, g, b) colour."""
    channels = [int(c) / 255 for c in re.findall(r"\d+", rgb)[:3]]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(one: str, other: str) -> float:
    lighter, darker = sorted([_luminance(one), _luminance(other)], reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_a_visit_coverage_gap_is_yellow_with_readable_words(open_as, world):
    """School A's Year 1 was visited; another school's was not: one gap."""
    RecordOfVisitFactory(
        programme=world.programme, school=world.school_a, sle=world.sle, year_groups=[1]
    )
    EnrolmentFactory(cohort=world.cohort)
    page = open_as(world.hub_lead, 768, 1024).new_page()
    page.goto(reverse("dashboards:coverage_programme", args=[world.programme.slug]))
    cells = page.eval_on_selector_all(
        "td.text-center",
        """cells => cells.map(cell => [cell.classList.contains("coverage-gap"),
            getComputedStyle(cell).backgroundColor,
            getComputedStyle(cell.querySelector("small")).color])""",
    )
    legend = page.eval_on_selector("p .coverage-gap", "e => getComputedStyle(e).backgroundColor")
    assert legend == "rgb(255, 243, 205)"  # #fff3cd
    assert sorted(gap for gap, _, _ in cells) == [False, True]
    for gap, background, words in cells:
        assert background == (legend if gap else "rgb(255, 255, 255)")
        assert _contrast(words, background) >= 4.5  # "no visit", or the last visit's date
