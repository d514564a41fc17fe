"""A school's answer to a hub lead's invitation: its headteacher's, or a site admin's for a
school with no headteacher account. Only an accepted invitation enrols the school."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse

from accounts.access import (
    invitation_to_answer_or_404,
    invitations_received_by,
    require_invitation_answerer,
)
from mathsprog.views import form_view

from .. import selectors, services
from ..forms import InvitationAnswer, InvitationAnswerForm
from ..models import InvitationStatus

PAGE_SIZE = 50


def invitation_list(request):
    require_invitation_answerer(request.user)
    pending, answered = selectors.invitations_for_answer(invitations_received_by(request.user))
    context = {
        "page": Paginator(pending, PAGE_SIZE).get_page(request.GET.get("page")),
        "answered": answered,
        "query": "",
    }
    return render(request, "programmes/invitation_list.html", context)


def invitation_answer(request, pk: int):
    invitation = invitation_to_answer_or_404(request.user, pk)
    return form_view(
        request,
        InvitationAnswerForm(request.POST or None),
        save=lambda data: services.invitation_decide(
            invitation=invitation,
            decided_by=request.user,
            accept=data["answer"] == InvitationAnswer.ACCEPT,
        ),
        success_url=reverse("invitations:list"),
        message=lambda answered: (
            f"{answered.school.name} takes part in {answered.programme.name}."
            if answered.status == InvitationStatus.ACCEPTED
            else f"You declined the invitation to {answered.programme.name}."
        ),
        title=f"Invitation to {invitation.programme.name}",
        template="programmes/invitation_answer.html",
        submit_label="Send your answer",
        back_url=reverse("invitations:list"),
        back_label="Invitations",
        invitation=invitation,
    )
