from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt

from .forms import EmailPreferenceForm
from .models import Reminder, Topic
from .selectors import email_preference_of
from .services import email_preference_set, reminder_unsubscribe


def preferences(request):
    """The signed-in person's own choice of e-mails: nobody else's, so no other check."""
    preference = email_preference_of(email=request.user.email)
    wanted = [topic for topic in Topic.values if topic not in preference.stopped]
    form = EmailPreferenceForm(
        request.POST or None, initial={"wanted": wanted, "frequency": preference.frequency}
    )
    if request.method == "POST" and form.is_valid():
        email_preference_set(
            email=request.user.email,
            wanted=form.cleaned_data["wanted"],
            frequency=form.cleaned_data["frequency"],
        )
        messages.success(request, "Your e-mail choices are saved.")
        return redirect("reminders:preferences")
    return render(request, "reminders/preferences.html", {"form": form})


# The link is its own proof, and may be followed by a mail client's one-click unsubscribe
# (RFC 8058), which posts without a CSRF token or a session.
@login_not_required
@csrf_exempt
def unsubscribe(request, token):
    """A GET only asks, so that a mail scanner following links unsubscribes nobody; the button
    (or the mail client's own unsubscribe) posts, once."""
    reminder = Reminder.objects.filter(token=token).first()
    done = None
    if request.method == "POST" and reminder is not None:
        done = reminder_unsubscribe(token=token)
    context = {
        "reminder": reminder,
        "done": done,
        "used": reminder is not None and reminder.unsubscribed_at is not None and done is None,
    }
    return render(
        request, "reminders/unsubscribe.html", context, status=404 if reminder is None else 200
    )
