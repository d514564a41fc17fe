"""The hub lead composes a visit form of three questions in one publication on a tablet:
"Add a question" adds a row in place (htmx) and keeps what is typed (issue 20)."""

import pytest

from .conftest import axe_violations, screenshot

pytestmark = [
    pytest.mark.services,
    pytest.mark.django_db(transaction=True, databases="__all__", serialized_rollback=True),
]


def test_a_hub_lead_composes_three_questions_in_one_version(world, open_as, live_server):
    page = open_as(world.hub_lead, 768, 1024).new_page()
    page.goto(f"{live_server.url}/programmes/{world.programme.slug}/visit-form/")
    page.fill("#id_questions-0-label", "Pupils' confidence")
    page.select_option("#id_questions-0-kind", "rating")
    page.fill("#id_questions-1-label", "Resources used")
    page.evaluate("window.samePage = true")
    page.click("button[name=add_question]")
    page.wait_for_selector("#id_questions-2-label")
    assert page.evaluate("window.samePage === true")  # swapped in place, not reloaded
    assert page.input_value("#id_questions-0-label") == "Pupils' confidence"
    assert page.input_value("#id_questions-1-label") == "Resources used"
    assert page.locator("legend", has_text="Question ").count() == 3
    page.fill("#id_questions-2-label", "Next visit's focus")
    assert axe_violations(page) == []
    screenshot(page, "visit-form-composer-768")
    page.click("button:has-text('Publish a new version')")
    page.wait_for_selector("text=Version 1 of the visit form published.")
    version = world.programme.visit_form_versions.get()
    assert [q.label for q in version.questions.all()] == [
        "Pupils' confidence", "Resources used", "Next visit's focus",
    ]  # fmt: skip
    assert version.questions.all()[0].kind == "rating"
