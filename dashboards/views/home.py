from django.shortcuts import redirect, render

from ..navigation import dashboards_for


def home(request):
    """Send each user to their own dashboard, or let them pick when their roles give several."""
    dashboards = dashboards_for(request.user)
    if len(dashboards) == 1:
        return redirect(dashboards[0].url)
    return render(request, "dashboards/home.html", {"dashboards": dashboards})
