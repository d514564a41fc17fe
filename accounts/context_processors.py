from .navigation import dashboards_for


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_dashboards": []}
    return {"nav_dashboards": dashboards_for(user)}
