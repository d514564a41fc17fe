"""The visit form each programme defines (issue 20): versions, answers kept as data, the rules
for required questions at the server and in the page, and who may compose the form."""

import re
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.factories import RecordOfVisitFactory
from tests.queries import queries_for
from visits.form_selectors import questions_answered
from visits.models import Answer, QuestionKind, RecordOfVisit, StandardSection
from visits.services import QuestionDraft, VisitRecord, visit_form_publish, visit_record

JSON = {"Accept": "application/json"}
ALL_SECTIONS = StandardSection.values


def _publish(world, *drafts, sections=ALL_SECTIONS):
    return visit_form_publish(
        programme=world.programme, sections=sections, questions=list(drafts), user=world.hub_lead
    )


def _rating(required=True, label="Reasoning in lessons"):
    return QuestionDraft(
        kind=QuestionKind.RATING, label=label, required=required, help_text="Seen in books."
    )


def _choice(label="Resources used"):
    return QuestionDraft(kind=QuestionKind.ONE_CHOICE, label=label, choices=["NCETM", "White Rose"])


def _send(client, world, version, **fields):
    data = {
        "client_id": str(uuid.uuid4()),
        "programme": world.programme.pk,
        "visit_date": "2025-11-12",
        "kind": "coaching",
        "length": "half_day",
        "form_version": version.number if version else "",
        **fields,
    }
    client.force_login(world.sle)
    return client.post(reverse("visits:new", args=[world.school_a.urn]), data, headers=JSON)


def _field(version, position: int) -> str:
    return version.questions.get(position=position).field_name


def test_publishing_again_makes_a_new_version_and_leaves_the_old_one(world):
    first = _publish(world, _rating())
    second = _publish(world, _choice(), sections=[StandardSection.NEXT_STEPS])
    assert (first.number, second.number) == (1, 2)
    first.refresh_from_db()
    assert [q.label for q in first.questions.all()] == ["Reasoning in lessons"]
    assert first.sections == ALL_SECTIONS
    assert [q.kind for q in second.questions.all()] == [QuestionKind.ONE_CHOICE]


def test_a_rating_without_labels_gets_four_and_a_choice_needs_two(world):
    version = _publish(world, _rating())
    assert len(version.questions.get().choices) == 4
    with pytest.raises(ValidationError, match="at least two"):
        _publish(world, QuestionDraft(kind=QuestionKind.ONE_CHOICE, label="Lone", choices=["A"]))


def test_answers_are_kept_as_data_with_the_version(client, world):
    version = _publish(world, _rating(), _choice())
    response = _send(
        client, world, version, **{_field(version, 1): "3", _field(version, 2): "White Rose"}
    )
    assert response.status_code == 201
    visit = RecordOfVisit.objects.get()
    assert visit.form_version == version
    rating, choice = visit.answers.order_by("question__position")
    assert (rating.rating, rating.text) == (3, "")
    assert choice.text == "White Rose"


def test_old_records_keep_their_questions_after_a_new_version(client, world):
    old = _publish(world, _rating())
    _send(client, world, old, **{_field(old, 1): "2"})
    new = _publish(world, _choice("Next visit's focus"))
    visit = RecordOfVisit.objects.get()
    assert visit.form_version == old
    page = client.get(reverse("visits:detail", args=[visit.pk])).content.decode()
    assert "Reasoning in lessons" in page
    assert "2 Emerging" in page
    assert "Next visit's focus" not in page
    assert new.questions.get().label not in [q.label for q, _ in questions_answered(visit)]


def test_a_record_written_offline_on_an_older_version_is_accepted_with_it(client, world):
    old = _publish(world, _rating(required=False))
    _publish(world, _rating(label="Fluency"))  # required, and not on the tablet's page
    response = _send(client, world, old, **{_field(old, 1): "4"})
    assert response.status_code == 201
    visit = RecordOfVisit.objects.get()
    assert visit.form_version == old
    assert visit.answers.get().rating == 4


def test_a_required_question_left_blank_is_refused_by_name(client, world):
    version = _publish(world, _rating())
    response = _send(client, world, version)
    assert response.status_code == 400
    assert "“Reasoning in lessons” needs an answer." in str(response.json())
    assert not RecordOfVisit.objects.exists()


def test_the_service_checks_required_questions_and_kinds_itself(world):
    version = _publish(world, _rating(), _choice())
    record = VisitRecord(
        client_id=uuid.uuid4(),
        programme=world.programme,
        school=world.school_a,
        visit_date="2025-11-12",
        kind="coaching",
        length="half_day",
        form_version=version,
        answers={version.questions.get(position=2).pk: "Not offered"},
    )
    with pytest.raises(ValidationError) as refused:
        visit_record(sle=world.sle, record=record)
    assert refused.value.messages == [
        "“Reasoning in lessons” needs an answer.",
        "“Resources used”: choose one of the choices offered.",
    ]
    record.answers = {version.questions.get(position=1).pk: 7}
    with pytest.raises(ValidationError, match="rating from 1 to 4"):
        visit_record(sle=world.sle, record=record)
    assert not Answer.objects.exists()


def test_the_page_marks_required_questions_and_ties_help_to_them(client, world):
    version = _publish(
        world,
        QuestionDraft(
            kind="short_text", label="Lead's name", required=True, help_text="As they sign."
        ),
        _choice(),
    )
    client.force_login(world.sle)
    page = client.get(reverse("visits:new", args=[world.school_a.urn])).content.decode()
    name, resources = _field(version, 1), _field(version, 2)
    control = re.search(rf'<input[^>]*name="{name}"[^>]*>', page).group(0)
    assert " required" in control
    assert f'aria-describedby="{name}-help"' in control
    assert f'id="{name}-help">As they sign.' in page
    resource_inputs = re.findall(rf'<input[^>]*name="{resources}"[^>]*>', page)
    assert resource_inputs
    assert not any(" required" in tag for tag in resource_inputs)
    assert f'data-form-version="{version.number}"' in page
    assert f'name="form_version" value="{version.number}"' in page


def test_sections_the_programme_leaves_out_are_not_shown(client, world):
    _publish(world, _rating(), sections=[StandardSection.NEXT_STEPS])
    client.force_login(world.sle)
    page = client.get(reverse("visits:new", args=[world.school_a.urn])).content.decode()
    assert 'id="visit-seen"' not in page
    assert 'id="visit-next"' in page


@pytest.mark.parametrize("who", ["sle", "head_a", "outsider"])
def test_only_hub_leads_and_site_admins_compose_the_form(client, world, who):
    url = reverse("visits:form_compose", args=[world.programme.slug])
    client.force_login(getattr(world, who))
    assert client.get(url).status_code == 404
    for allowed in (world.hub_lead, world.admin):
        client.force_login(allowed)
        assert client.get(url).status_code == 200


def test_the_composer_publishes_a_version(client, world):
    client.force_login(world.hub_lead)
    url = reverse("visits:form_compose", args=[world.programme.slug])
    data = {
        "sections": ["seen", "next_steps"],
        "questions-TOTAL_FORMS": "2",
        "questions-INITIAL_FORMS": "0",
        "questions-0-label": "Pupils' confidence",
        "questions-0-kind": "rating",
        "questions-0-required": "on",
        "questions-0-choices": "",
        "questions-1-label": "",
        "questions-1-kind": "short_text",
    }
    assert client.post(url, data).status_code == 302
    version = world.programme.visit_form_versions.get()
    assert version.sections == ["seen", "next_steps"]
    question = version.questions.get()
    assert (question.label, question.required) == ("Pupils' confidence", True)
    page = client.get(url).content.decode()
    assert "Version 1 is in use" in page
    assert "Pupils&#x27; confidence" in page


def test_the_composer_adds_a_row_keeping_what_is_typed_and_publishes_nothing(client, world):
    client.force_login(world.hub_lead)
    url = reverse("visits:form_compose", args=[world.programme.slug])
    data = {
        "sections": ["seen"],
        "questions-TOTAL_FORMS": "2",
        "questions-INITIAL_FORMS": "0",
        "questions-0-label": "Pupils' confidence",
        "questions-0-kind": "rating",
        "questions-1-label": "Resources used",
        "questions-1-kind": "long_text",
        "add_question": "1",
    }
    page = client.post(url, data).content.decode()
    assert not world.programme.visit_form_versions.exists()
    assert 'name="questions-TOTAL_FORMS" value="3"' in page
    assert 'name="questions-2-label"' in page
    assert 'value="Resources used"' in page
    assert "This field is required" not in page  # the new empty row asks nothing yet


def test_the_detail_page_keeps_a_constant_number_of_queries(client, world):
    version = _publish(world, _rating(), _choice())
    _send(client, world, version, **{_field(version, 1): "1", _field(version, 2): "NCETM"})
    url = reverse("visits:detail", args=[RecordOfVisit.objects.get().pk])
    before = queries_for(client, url)
    _publish(world, _rating(label="More"), _choice("Again"), _rating(label="Third"))
    for _ in range(3):
        RecordOfVisitFactory(programme=world.programme, school=world.school_a, sle=world.sle)
    assert queries_for(client, url) == before


def test_every_answer_downloads_with_its_record_and_version(client, world):
    old = _publish(world, _rating())
    _send(client, world, old, **{_field(old, 1): "3"})
    new = _publish(world, _rating(), _choice())
    _send(client, world, new, **{_field(new, 1): "1", _field(new, 2): "NCETM"})
    client.force_login(world.hub_lead)
    response = client.get(reverse("visits:list"), {"export": "answers", "format": "csv"})
    rows = [line.split(",") for line in response.content.decode().strip().splitlines()]
    header, body = rows[0], rows[1:]
    assert header[-4:] == ["Form version", "Question", "Answer", "Rating"]
    assert sorted(row[-4:] for row in body) == sorted(
        [
            ["1", "Reasoning in lessons", "3 Established", "3"],
            ["2", "Reasoning in lessons", "1 Not yet seen", "1"],
            ["2", "Resources used", "NCETM", "–"],  # the portal's empty cell
        ]
    )
    client.force_login(world.head_b)  # sees none of these records
    response = client.get(reverse("visits:list"), {"export": "answers", "format": "csv"})
    assert response.content.decode().strip().count("\n") == 0


def test_hub_leads_find_the_composer_from_the_visit_list(client, world):
    url = reverse("visits:form_compose", args=[world.programme.slug])
    client.force_login(world.hub_lead)
    assert url in client.get(reverse("visits:list")).content.decode()
    client.force_login(world.sle)
    assert url not in client.get(reverse("visits:list")).content.decode()
