"""The demo programme has a visit form of its own, and records that answer it (issue 20)."""

from demo.loader import DEMO_SLUG, load_demo
from demo.visit_forms import FORM_PUBLISHED
from programmes.models import Programme
from visits.form_selectors import current_form_version
from visits.models import QuestionKind, RecordOfVisit


def test_the_demo_form_has_a_rating_and_a_choice_that_later_records_answer(db):
    load_demo()
    programme = Programme.objects.get(slug=DEMO_SLUG)
    version = current_form_version(programme=programme)
    assert [q.kind for q in version.questions.all()] == [
        QuestionKind.RATING,
        QuestionKind.ONE_CHOICE,
    ]
    later = RecordOfVisit.objects.filter(programme=programme, visit_date__gte=FORM_PUBLISHED)
    assert later.exists()
    for visit in later.prefetch_related("answers__question"):
        assert visit.form_version == version
        rating, choice = sorted(visit.answers.all(), key=lambda a: a.question.position)
        assert 1 <= rating.rating <= 4
        assert choice.text in choice.question.choices
    earlier = RecordOfVisit.objects.filter(programme=programme, visit_date__lt=FORM_PUBLISHED)
    assert not earlier.filter(form_version__isnull=False).exists()
    assert not earlier.filter(answers__isnull=False).exists()
