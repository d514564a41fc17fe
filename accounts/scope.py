"""A user's roles, read once per request: what the permission layer (accounts.access) rests
on. Nothing but the permission layer reads it."""

from dataclasses import dataclass, field

from .models import SCHOOL_ROLES, Role, RoleAssignment


@dataclass(frozen=True)
class Scope:
    """A user's roles, read once per request."""

    is_site_admin: bool = False
    led_programme_ids: frozenset[int] = field(default_factory=frozenset)
    sle_school_ids: frozenset[int] = field(default_factory=frozenset)
    sle_programme_ids: frozenset[int] = field(default_factory=frozenset)
    sle_assignments: frozenset[tuple[int, int]] = field(
        default_factory=frozenset
    )  # school, programme
    school_roles: tuple[tuple[str, int], ...] = ()
    # For navigation: (slug, name) of led programmes; (urn, name, role labels) of own schools.
    led_programmes: tuple[tuple[str, str], ...] = ()
    own_schools: tuple[tuple[int, str, tuple[str, ...]], ...] = ()

    @property
    def own_school_ids(self) -> frozenset[int]:
        return frozenset(school_id for _, school_id in self.school_roles)


def scope_of(user) -> Scope:
    if not user.is_authenticated or not user.is_active:
        return Scope()
    cached = getattr(user, "_mathsprog_scope", None)
    if cached is not None:
        return cached
    rows = RoleAssignment.objects.filter(user=user).values_list(
        "role",
        "programme_id",
        "programme__slug",
        "programme__name",
        "school_id",
        "school__urn",
        "school__name",
    )
    led, sle_schools, sle_programmes, school_roles = set(), set(), set(), []
    sle_assignments = set()
    led_programmes, own_schools = set(), {}
    is_admin = user.is_superuser
    for role, programme_id, slug, programme_name, school_id, urn, school_name in rows:
        if role == Role.SITE_ADMIN:
            is_admin = True
        elif role == Role.HUB_LEAD:
            led.add(programme_id)
            led_programmes.add((slug, programme_name))
        elif role == Role.SLE:
            sle_schools.add(school_id)
            sle_programmes.add(programme_id)
            sle_assignments.add((school_id, programme_id))
        elif role in SCHOOL_ROLES:
            school_roles.append((role, school_id))
            own_schools.setdefault((urn, school_name), []).append(Role(role).label)
    scope = Scope(
        is_site_admin=is_admin,
        led_programme_ids=frozenset(led),
        sle_school_ids=frozenset(sle_schools),
        sle_programme_ids=frozenset(sle_programmes),
        sle_assignments=frozenset(sle_assignments),
        school_roles=tuple(sorted(school_roles)),
        led_programmes=tuple(sorted(led_programmes, key=lambda p: p[1])),
        own_schools=tuple(
            (urn, name, tuple(sorted(labels)))
            for (urn, name), labels in sorted(own_schools.items(), key=lambda item: item[0][1])
        ),
    )
    user._mathsprog_scope = scope
    return scope
