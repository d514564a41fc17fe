"""Rating questions of the programme's visit form, summarised on the coverage page: the mean
and number of ratings per school and across the programme (issue 20), as a chart and table."""

import json
import re
from statistics import mean

from django.urls import reverse

from tests.factories import EnrolmentFactory, RecordOfVisitFactory
from tests.queries import queries_for
from visits.models import Answer, QuestionKind
from visits.services import QuestionDraft, visit_form_publish

URL = "dashboards:coverage_programme"


def _rating_question(world, label="Reasoning in lessons"):
    version = visit_form_publish(
        programme=world.programme,
        sections=[],
        questions=[QuestionDraft(kind=QuestionKind.RATING, label=label)],
        user=world.hub_lead,
    )
    return version, version.questions.get()


def _rated(world, school, version, question, rating):
    visit = RecordOfVisitFactory(
        programme=world.programme, school=school, sle=world.sle, form_version=version
    )
    Answer.objects.create(visit=visit, question=question, rating=rating)


def _chart(client, world) -> dict:
    client.force_login(world.hub_lead)
    page = client.get(reverse(URL, args=[world.programme.slug])).content.decode()
    found = re.search(r'<script id="chart-ratings" type="application/json">(.*?)</script>', page)
    return json.loads(found.group(1)), page


def test_the_mean_and_count_match_a_hand_computation(client, world, school_c):
    version, question = _rating_question(world)
    given = {world.school_a: [1, 4, 4], school_c: [2]}
    for school, ratings in given.items():
        for rating in ratings:
            _rated(world, school, version, question, rating)
    chart, page = _chart(client, world)
    names = chart["labels"]
    (series,) = chart["datasets"]
    assert series["label"] == "Reasoning in lessons"
    for school, ratings in given.items():
        at = names.index(school.name)
        assert series["data"][at] == round(mean(ratings), 2)
        assert series["counts"][at] == len(ratings)
    every = [r for ratings in given.values() for r in ratings]
    assert names[-1] == "Whole programme"
    assert series["data"][-1] == round(mean(every), 2)  # the mean of all, not of school means
    assert series["counts"][-1] == len(every)
    assert "Number of ratings behind each mean" in page
    assert 'data-chart="chart-ratings"' in page


def test_a_question_kept_through_versions_is_one_series(client, world):
    first, question = _rating_question(world)
    second, again = _rating_question(world)
    _rated(world, world.school_a, first, question, 1)
    _rated(world, world.school_a, second, again, 2)
    chart, _ = _chart(client, world)
    assert [s["label"] for s in chart["datasets"]] == ["Reasoning in lessons"]
    assert chart["datasets"][0]["data"][-1] == 1.5


def test_no_ratings_no_chart(client, world):
    client.force_login(world.hub_lead)
    page = client.get(reverse(URL, args=[world.programme.slug])).content.decode()
    assert "chart-ratings" not in page
    assert "chart.umd" not in page


def test_the_ratings_download_with_their_table(client, world):
    version, question = _rating_question(world)
    _rated(world, world.school_a, version, question, 3)
    client.force_login(world.hub_lead)
    url = reverse(URL, args=[world.programme.slug])
    response = client.get(url, {"export": "chart-ratings", "format": "csv"})
    lines = response.content.decode().strip().splitlines()
    assert lines[0].split(",")[-1] == "Whole programme"
    assert lines[1].startswith("Reasoning in lessons,")
    assert lines[1].endswith(",3.0")


def test_the_summary_keeps_to_a_constant_number_of_queries(client, world):
    version, question = _rating_question(world)
    _rated(world, world.school_a, version, question, 2)
    client.force_login(world.hub_lead)
    url = reverse(URL, args=[world.programme.slug])
    before = queries_for(client, url)
    _, other = _rating_question(world, label="Fluency")
    for rating in (1, 3, 4):
        school = EnrolmentFactory(cohort=world.cohort).school
        _rated(world, school, version, question, rating)
        _rated(world, school, version, other, rating)
    assert queries_for(client, url) == before
