"""The visit form a programme defines: which standard sections it shows and its own questions.
Each publication is a new version, never edited afterwards, so a record keeps the questions it
was written with. Imported by visits.models, where Django finds them."""

from django.db import models
from django.db.models import Q

from schools.year_groups import YEAR_GROUP_LABELS


class StandardSection(models.TextChoices):
    """The parts of the standard form a programme may leave out (the visit's basics stay)."""

    SEEN = "seen", "What you saw"
    ACTIONS = "actions", "Progress on open actions"
    NEXT_STEPS = "next_steps", "Next steps"


class QuestionKind(models.TextChoices):
    SHORT_TEXT = "short_text", "Short text"
    LONG_TEXT = "long_text", "Long text"
    ONE_CHOICE = "one_choice", "One choice"
    SEVERAL_CHOICES = "several_choices", "Several choices"
    RATING = "rating", "Rating, 1 to 4"
    YEAR_GROUPS = "year_groups", "Year groups"


# Kinds whose answer is kept in Answer.text, Answer.rating or Answer.values.
TEXT_KINDS = {QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT, QuestionKind.ONE_CHOICE}
LIST_KINDS = {QuestionKind.SEVERAL_CHOICES, QuestionKind.YEAR_GROUPS}
RATING_POINTS = 4


class VisitFormVersion(models.Model):
    """One published shape of a programme's visit form; the highest number is the current one."""

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="visit_form_versions"
    )
    number = models.PositiveIntegerField()
    sections = models.JSONField(default=list, help_text="The standard sections shown.")
    published_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["programme", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "number"], name="visit_form_version_numbered_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.programme} visit form, version {self.number}"

    def shows(self, section: str) -> bool:
        return section in self.sections


class Question(models.Model):
    """A question a programme adds to its visit form. For a rating, `choices` holds the labels
    of points 1 to 4; for one or several choices, the choices offered."""

    version = models.ForeignKey(
        VisitFormVersion, on_delete=models.CASCADE, related_name="questions"
    )
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=20, choices=QuestionKind.choices)
    label = models.CharField(max_length=200)
    help_text = models.CharField(max_length=300, blank=True)
    required = models.BooleanField(default=False)
    choices = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "position"], name="visit_question_position_once"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=QuestionKind.values), name="visit_question_kind_known"
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def field_name(self) -> str:
        return f"question_{self.pk}"


class Answer(models.Model):
    """A record's answer to one question, kept as data: a rating is an integer, so that SQL
    sums and averages it; choices and year groups are a list."""

    visit = models.ForeignKey(
        "visits.RecordOfVisit", on_delete=models.CASCADE, related_name="answers"
    )
    # RESTRICT, not PROTECT: a question with answers stays, but goes with its programme.
    question = models.ForeignKey(Question, on_delete=models.RESTRICT, related_name="answers")
    text = models.TextField(blank=True)
    rating = models.PositiveSmallIntegerField(null=True, blank=True)
    values = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["visit", "question__position"]
        constraints = [
            models.UniqueConstraint(fields=["visit", "question"], name="visit_answer_once"),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=RATING_POINTS),
                name="visit_answer_rating_1_to_4",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question}: {self.shown}"

    @property
    def shown(self) -> str:
        """The answer as a reader sees it (the rating with its label)."""
        question = self.question
        if question.kind == QuestionKind.RATING and self.rating:
            labels = question.choices
            label = labels[self.rating - 1] if len(labels) >= self.rating else ""
            return f"{self.rating} {label}".strip()
        if question.kind == QuestionKind.YEAR_GROUPS:
            return ", ".join(YEAR_GROUP_LABELS.get(n, str(n)) for n in self.values)
        if question.kind in LIST_KINDS:
            return ", ".join(self.values)
        return self.text
