from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render


def form_view(
    request,
    form,
    *,
    save: Callable[[dict], object],
    success_url: str | Callable[[object], str],
    title: str,
    message: str | Callable[[object], str] = "Saved.",
    template: str = "form_page.html",
    **context,
):
    """The shape of every create and edit page: show the form; when a POST is valid, hand the
    cleaned data to a service, say so, and go on."""
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(form.cleaned_data)
        except ValidationError as error:
            # A rule only the service can check (it needs the database) is shown like any
            # other form error.
            form.add_error(None, error)
        else:
            messages.success(request, message if isinstance(message, str) else message(saved))
            return redirect(success_url(saved) if callable(success_url) else success_url)
    return render(request, template, {"form": form, "title": title, **context})
