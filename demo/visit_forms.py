"""The demo programme's own visit form: a rating and a choice after the standard sections,
published part-way through the year, so that earlier records have no form and later ones
answer both questions."""

import random
from datetime import date

from visits.models import Answer, QuestionKind, RecordOfVisit, StandardSection
from visits.services import QuestionDraft, visit_form_publish

# From this day the SLEs wrote with the programme's form.
FORM_PUBLISHED = date(2026, 1, 5)
RESOURCES = ["NCETM Mastery PD materials", "White Rose", "Maths — No Problem!", "School's own"]
# Ratings lean towards the middle, as a school's first year of mastery teaching does.
RATING_WEIGHTS = [1, 3, 4, 2]


def load(programme, *, hub_lead, visits: list[RecordOfVisit]) -> None:
    # A generator of its own: the rest of the demo draws the same figures as before.
    rng = random.Random(2026)  # noqa: S311 - reproducible demo data, not secrets
    version = visit_form_publish(
        programme=programme,
        sections=StandardSection.values,
        questions=[
            QuestionDraft(
                kind=QuestionKind.RATING,
                label="Pupils' mathematical reasoning",
                help_text="As seen in lessons and books today.",
                required=True,
            ),
            QuestionDraft(
                kind=QuestionKind.ONE_CHOICE,
                label="Main teaching resource in use",
                choices=RESOURCES,
            ),
        ],
        user=hub_lead,
    )
    reasoning, resource = version.questions.order_by("position")
    later = [visit for visit in visits if visit.visit_date >= FORM_PUBLISHED]
    for visit in later:
        visit.form_version = version
    RecordOfVisit.objects.bulk_update(later, ["form_version"])
    Answer.objects.bulk_create(
        answer
        for visit in later
        for answer in (
            Answer(
                visit=visit,
                question=reasoning,
                rating=rng.choices(range(1, 5), RATING_WEIGHTS)[0],
            ),
            Answer(visit=visit, question=resource, text=rng.choice(RESOURCES)),
        )
    )
