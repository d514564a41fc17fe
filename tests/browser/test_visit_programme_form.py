"""A question the programme defines, answered on a tablet with no connection and sent once when
it returns; a form changed meanwhile is offered on the next connection (issue 20)."""

import pytest

from visits.models import QuestionKind, RecordOfVisit
from visits.services import QuestionDraft, visit_form_publish
from visits.views import visits as visit_views

from .conftest import axe_violations, screenshot

pytestmark = [
    pytest.mark.services,
    pytest.mark.django_db(transaction=True, databases="__all__", serialized_rollback=True),
]


def connection_lost(**record):
    raise ConnectionResetError("the tablet lost its connection")


def _publish(world, label):
    return visit_form_publish(
        programme=world.programme,
        sections=["seen", "next_steps"],
        questions=[
            QuestionDraft(
                kind=QuestionKind.RATING,
                label=label,
                required=True,
                help_text="As seen in lessons today.",
            ),
            QuestionDraft(kind=QuestionKind.ONE_CHOICE, label="Resource", choices=["A", "B"]),
        ],
        user=world.hub_lead,
    )


def test_a_programme_question_answered_offline_is_sent_once(
    world, open_as, live_server, monkeypatch
):
    version = _publish(world, "Pupils' reasoning")
    context = open_as(world.sle, 768, 1024)
    page = context.new_page()
    page.goto(f"/visits/new/{world.school_a.urn}/")
    page.wait_for_selector("body[data-offline-ready='yes']")
    assert axe_violations(page) == []
    assert not page.is_visible("#form-changed")  # offered only when the form has changed
    rating = page.locator("input[name^='question_'][type='radio']").first
    assert rating.get_attribute("required") is not None
    for label in page.locator("#visit-questions ~ fieldset label").all():
        box = label.bounding_box()
        assert box["height"] >= 44
        assert box["width"] >= 44

    page.fill("#id_visit_date", "2025-11-12")
    page.check("label:text-is('3 Established')")  # the radio is drawn as its label
    page.check("label:text-is('B')")
    screenshot(page, "visit-form-programme-questions-768x1024")

    context.set_offline(True)
    monkeypatch.setattr(visit_views, "visit_record", connection_lost)
    page.click("text=Save the record")
    page.wait_for_selector("[data-state='waiting']")
    newer = _publish(world, "Pupils' fluency")  # while the tablet is away
    monkeypatch.undo()
    context.set_offline(False)
    page.wait_for_selector("[data-state='sent']", timeout=15_000)
    page.wait_for_selector("#form-changed:not([hidden])", timeout=15_000)
    screenshot(page, "visit-form-changed-while-offline-768x1024")

    visit = RecordOfVisit.objects.get()  # sent once
    assert visit.form_version == version
    answers = {a.question.label: a for a in visit.answers.select_related("question")}
    assert answers["Pupils' reasoning"].rating == 3
    assert answers["Resource"].text == "B"
    page.reload()
    assert f'data-form-version="{newer.number}"' in page.content()
    assert "Pupils' fluency" in page.inner_text("#visit-form")
