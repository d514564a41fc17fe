from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from accounts.access import programme_led_or_404

from ..compose_forms import (
    QuestionForm,
    QuestionFormSet,
    SectionsForm,
    composer_initial,
    drafts_kept,
)
from ..form_selectors import current_form_version
from ..services import visit_form_publish


def visit_form_compose(request, slug: str):
    """The hub lead composes the programme's visit form; each publication is a new version,
    so records already written keep theirs."""
    programme = programme_led_or_404(request.user, slug)
    current = current_form_version(programme=programme)
    sections_initial, questions_initial = composer_initial(current)
    data, adding = request.POST or None, "add_question" in request.POST
    if adding:  # one more empty row, keeping what is typed; nothing is published
        data, row = data.copy(), int(data.get("questions-TOTAL_FORMS") or 0)
        data["questions-TOTAL_FORMS"] = str(row + 1)
        # As the select would send it: the new row is then unchanged, and asks for nothing.
        data[f"questions-{row}-kind"] = QuestionForm.base_fields["kind"].initial
    sections = SectionsForm(data, initial=sections_initial)
    questions = QuestionFormSet(data, initial=questions_initial, prefix="questions")
    if request.method == "POST" and not adding and sections.is_valid() and questions.is_valid():
        try:
            version = visit_form_publish(
                programme=programme,
                sections=sections.cleaned_data["sections"],
                questions=drafts_kept(questions),
                user=request.user,
            )
        except ValidationError as error:
            sections.add_error(None, error)
        else:
            messages.success(request, f"Version {version.number} of the visit form published.")
            return redirect("visits:form_compose", slug=programme.slug)
    context = {
        "programme": programme,
        "current": current,
        "sections": sections,
        "questions": questions,
    }
    return render(request, "visits/form_compose.html", context)
