from django.shortcuts import render

from accounts.access import programme_led_or_404, programmes_visible_to

from . import selectors


def programme_list(request):
    programmes = selectors.programmes_with_school_counts(programmes_visible_to(request.user))
    return render(request, "programmes/programme_list.html", {"programmes": programmes})


def programme_dashboard(request, slug: str):
    programme = programme_led_or_404(request.user, slug)
    context = {
        "programme": programme,
        "cohorts": selectors.cohorts_with_school_counts(programme=programme),
        "local_authorities": selectors.local_authorities_with_school_counts(programme=programme),
    }
    return render(request, "programmes/dashboard.html", context)
