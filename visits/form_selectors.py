"""Reads of the visit forms programmes define."""

from django.db.models import Avg, Count, F, Prefetch, QuerySet

from programmes.models import Programme

from .models import Answer, Question, QuestionKind, RecordOfVisit, VisitFormVersion


def _with_questions():
    return VisitFormVersion.objects.prefetch_related(
        Prefetch("questions", queryset=Question.objects.order_by("position"))
    )


def current_form_version(*, programme: Programme) -> VisitFormVersion | None:
    """The version a new record is written with: the latest published, if any."""
    return _with_questions().filter(programme=programme).order_by("-number").first()


def form_version_numbered(*, programme: Programme, number: int) -> VisitFormVersion | None:
    """The version a tablet rendered, perhaps long ago while offline."""
    return _with_questions().filter(programme=programme, number=number).first()


def answers_of(*, visits) -> QuerySet[Answer]:
    """The answers of these records with all that their download shows, in one query."""
    return (
        Answer.objects.filter(visit__in=visits)
        .select_related("visit__school", "visit__programme", "visit__form_version", "question")
        .order_by("-visit__visit_date", "visit", "question__position")
    )


def questions_answered(visit: RecordOfVisit) -> list[tuple[Question, Answer | None]]:
    """Each question of the record's own version, with its answer (None if left blank). Uses
    what visits.selectors.visit_detail prefetched."""
    if visit.form_version is None:
        return []
    answers = {answer.question_id: answer for answer in visit.answers.all()}
    return [(question, answers.get(question.pk)) for question in visit.form_version.questions.all()]


def rating_summary(*, programme: Programme, schools) -> tuple[list[dict], list[dict]]:
    """Mean rating and number of ratings for each rating question (by its label, so that a
    question kept through new versions is one), per school and across the programme: two
    aggregates in SQL. Rows: {"label", "school_id" (per school only), "mean", "count"}."""
    answers = Answer.objects.filter(
        visit__programme=programme,
        visit__school__in=schools,
        question__kind=QuestionKind.RATING,
        rating__isnull=False,
    )
    summary = {"mean": Avg("rating"), "count": Count("pk")}
    per_school = (
        answers.values(label=F("question__label"), school_id=F("visit__school"))
        .annotate(**summary)
        .order_by("label", "school_id")
    )
    overall = answers.values(label=F("question__label")).annotate(**summary).order_by("label")
    return list(per_school), list(overall)
