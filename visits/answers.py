"""Answers to a programme's own questions, checked by kind before they are kept. The server is
the authority: the page marks what is required, but a tablet may send an old or altered page."""

from django.core.exceptions import ValidationError

from schools.year_groups import YEAR_GROUP_LABELS

from .form_models import (
    LIST_KINDS,
    RATING_POINTS,
    TEXT_KINDS,
    Answer,
    QuestionKind,
    VisitFormVersion,
)


def _is_empty(value) -> bool:
    return value in (None, "", [], ())


def _rating(question, value) -> int:
    try:
        rating = int(value)
    except (TypeError, ValueError):
        rating = 0
    if not 1 <= rating <= RATING_POINTS:
        raise ValidationError(f"“{question.label}”: choose a rating from 1 to {RATING_POINTS}.")
    return rating


def _listed(question, value) -> list:
    values = list(value) if isinstance(value, list | tuple) else [value]
    if question.kind == QuestionKind.YEAR_GROUPS:
        try:
            values = sorted({int(v) for v in values})
        except (TypeError, ValueError):
            values = [-1]
        offered = YEAR_GROUP_LABELS
    else:
        offered = question.choices
    if any(v not in offered for v in values):
        raise ValidationError(f"“{question.label}”: choose from the choices offered.")
    return values


def _answer(question, value) -> Answer:
    answer = Answer(question=question)
    if question.kind == QuestionKind.RATING:
        answer.rating = _rating(question, value)
    elif question.kind in LIST_KINDS:
        answer.values = _listed(question, value)
    elif question.kind in TEXT_KINDS:
        answer.text = str(value).strip()
        if question.kind == QuestionKind.ONE_CHOICE and answer.text not in question.choices:
            raise ValidationError(f"“{question.label}”: choose one of the choices offered.")
    return answer


def answers_checked(*, version: VisitFormVersion | None, given: dict) -> list[Answer]:
    """Unsaved answers, one for each question of `version` answered in `given` (question id to
    value). Every problem is raised at once, each naming its question."""
    if version is None:
        return []
    answers, problems = [], []
    for question in version.questions.all():
        value = given.get(question.pk)
        if isinstance(value, str):
            value = value.strip()
        if _is_empty(value):
            if question.required:
                problems.append(f"“{question.label}” needs an answer.")
            continue
        try:
            answers.append(_answer(question, value))
        except ValidationError as error:
            problems.extend(error.messages)
    if problems:
        raise ValidationError(problems)
    return answers
