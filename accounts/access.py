"""The one place that says what each user may see. Every view reaches schools and programmes
through these scoped querysets and the `*_or_404` helpers, never through a bare `objects`."""

from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import Http404

from evaluation.models import AssessmentUpload, AssessmentWindow
from programmes.models import EnrolmentInvitation, InvitationStatus, Programme
from schools.models import School
from visits.models import RecordOfVisit

from .models import Role
from .scope import scope_of


def programmes_visible_to(user) -> QuerySet[Programme]:
    scope = scope_of(user)
    if scope.is_site_admin:
        return Programme.objects.all()
    return Programme.objects.filter(pk__in=scope.led_programme_ids | scope.sle_programme_ids)


def programmes_led_by(user) -> QuerySet[Programme]:
    scope = scope_of(user)
    if scope.is_site_admin:
        return Programme.objects.all()
    return Programme.objects.filter(pk__in=scope.led_programme_ids)


def schools_visible_to(user) -> QuerySet[School]:
    """Hub leads see the schools enrolled in their programmes: a school is enrolled only by
    accepting an invitation (its headteacher, or a site admin), by a site admin, or by the
    site's own loaders, never by a hub lead alone (see `may_enrol_directly`)."""
    scope = scope_of(user)
    if scope.is_site_admin:
        return School.objects.all()
    own = scope.sle_school_ids | scope.own_school_ids
    if scope.led_programme_ids:
        led = School.objects.filter(enrolments__cohort__programme__in=scope.led_programme_ids)
        return School.objects.filter(pk__in=led.values("pk")) | School.objects.filter(pk__in=own)
    return School.objects.filter(pk__in=own)


def school_programmes_visible_to(user, school: School) -> QuerySet[Programme]:
    """The programmes a school takes part in (or compares for) whose side of it the user
    sees on its pages (programmes, figures, visits, CPD): every one for site admins and the
    school's own people; for others, those they lead, or work on at this school as an SLE.
    Leading a programme a school accepted shows nothing of its other programmes."""
    scope = scope_of(user)
    taking_part = Programme.objects.filter(
        Q(enrolments__school=school) | Q(comparison_schools__school=school)
    )
    if not (scope.is_site_admin or school.pk in scope.own_school_ids):
        sle = {programme for s, programme in scope.sle_assignments if s == school.pk}
        taking_part = taking_part.filter(pk__in=scope.led_programme_ids | sle)
    return Programme.objects.filter(pk__in=taking_part.values("pk"))


def may_enrol_directly(user) -> bool:
    """Site admins enrol schools (and add comparison schools) at once. Hub leads invite
    them, and the school's headteacher (or a site admin) accepts: an enrolment shows the
    school's pages to the programme's hub leads, so no hub lead can give themselves one."""
    return scope_of(user).is_site_admin


def invitations_received_by(user) -> QuerySet[EnrolmentInvitation]:
    """Invitations to schools the user answers for: their own school's, for a headteacher;
    every one, for a site admin (who answers for schools with no headteacher account)."""
    scope = scope_of(user)
    invitations = EnrolmentInvitation.objects.select_related(
        "programme", "school", "cohort", "invited_by", "decided_by"
    )
    if scope.is_site_admin:
        return invitations
    heads = [school_id for role, school_id in scope.school_roles if role == Role.HEADTEACHER]
    return invitations.filter(school__in=heads)


def invitations_awaiting(user, school: School) -> QuerySet[EnrolmentInvitation]:
    """The school's invitations awaiting an answer the user may give."""
    return invitations_received_by(user).filter(school=school, status=InvitationStatus.PENDING)


def invitation_to_answer_or_404(user, pk: int) -> EnrolmentInvitation:
    try:
        return invitations_received_by(user).get(pk=pk, status=InvitationStatus.PENDING)
    except EnrolmentInvitation.DoesNotExist:
        raise Http404("No such invitation.") from None


def may_answer_invitations(user) -> bool:
    scope = scope_of(user)
    return scope.is_site_admin or any(role == Role.HEADTEACHER for role, _ in scope.school_roles)


def require_invitation_answerer(user) -> None:
    if not may_answer_invitations(user):
        raise Http404("No such page.")


def is_site_admin(user) -> bool:
    """Site admins alone keep schools and the catalogue of work group types."""
    return scope_of(user).is_site_admin


def require_site_admin(user) -> None:
    """Site-admin pages are hidden (404), not refused, from everyone else."""
    if not is_site_admin(user):
        raise Http404("No such page.")


def must_use_two_factor(user) -> bool:
    """Site admins and hub leads reach every school's, or a whole programme's, pupil data: a
    password alone is not enough for them (nor, with TWO_FACTOR_REQUIRED_FOR_ALL, for anyone)."""
    if not user.is_authenticated:
        return False
    scope = scope_of(user)
    return (
        settings.TWO_FACTOR_REQUIRED_FOR_ALL or scope.is_site_admin or bool(scope.led_programme_ids)
    )


def require_two_factor_optional(user) -> None:
    """Turning two-factor sign-in off is only for those who may do without it."""
    if must_use_two_factor(user):
        raise Http404("No such page.")


def can_create_programme(user) -> bool:
    """Hub leads and site admins set up new programmes."""
    scope = scope_of(user)
    return scope.is_site_admin or bool(scope.led_programme_ids)


def require_programme_creator(user) -> None:
    if not can_create_programme(user):
        raise Http404("No such page.")


def programme_led_or_404(user, slug: str) -> Programme:
    """A programme the user leads (hub lead) or administers; 404 otherwise, so that a page
    never tells an outsider that a programme exists."""
    try:
        return programmes_led_by(user).get(slug=slug)
    except Programme.DoesNotExist:
        raise Http404("No such programme.") from None


def school_visible_or_404(user, urn: int) -> School:
    try:
        return schools_visible_to(user).select_related("local_authority").get(urn=urn)
    except School.DoesNotExist:
        raise Http404("No such school.") from None


def schools_assigned_to_sle(user) -> QuerySet[School]:
    return School.objects.filter(pk__in=scope_of(user).sle_school_ids)


def sle_schools_in(user, programme: Programme) -> QuerySet[School]:
    """The schools the user supports as an SLE in one programme."""
    scope = scope_of(user)
    ids = {school for school, p in scope.sle_assignments if p == programme.pk}
    return School.objects.filter(pk__in=ids)


def programmes_worked_on_as_sle(user) -> QuerySet[Programme]:
    return Programme.objects.filter(pk__in=scope_of(user).sle_programme_ids)


def can_edit_school_staff(user, school: School) -> bool:
    """Staff records are kept by the school's own leaders, the hub leads of programmes it
    accepted (their CPD coverage is of these staff) and site admins; SLEs and governors only
    read them."""
    scope = scope_of(user)
    leads_school = any(
        role in (Role.HEADTEACHER, Role.MATHS_LEAD) and school_id == school.pk
        for role, school_id in scope.school_roles
    )
    if scope.is_site_admin or leads_school:
        return True
    return school.enrolments.filter(programme__in=scope.led_programme_ids).exists()


def school_staff_editable_or_404(user, urn: int) -> School:
    school = school_visible_or_404(user, urn)
    if not can_edit_school_staff(user, school):
        raise Http404("No such page.")
    return school


def leader_school_ids(user) -> frozenset[int]:
    """Schools the user leads (headteacher or maths lead): they may upload and manage its data;
    governors only read."""
    return frozenset(
        school_id
        for role, school_id in scope_of(user).school_roles
        if role in (Role.HEADTEACHER, Role.MATHS_LEAD)
    )


def may_set_school_targets(user, school: School) -> bool:
    """A school's own targets are set by those who lead it, and by site admins."""
    return school.pk in leader_school_ids(user) or is_site_admin(user)


def upload_windows_for(user) -> QuerySet:
    """Assessment windows the user may upload results to: those of programmes they lead, and
    of programmes their own school takes part in (enrolled or comparison)."""
    scope = scope_of(user)
    windows = AssessmentWindow.objects.select_related("programme")
    if scope.is_site_admin:
        return windows
    schools = leader_school_ids(user)
    return windows.filter(
        Q(programme__in=scope.led_programme_ids)
        | Q(programme__enrolments__school__in=schools)
        | Q(programme__comparison_schools__school__in=schools)
    ).distinct()


def uploads_visible_to(user) -> QuerySet:
    scope = scope_of(user)
    uploads = AssessmentUpload.objects.select_related("window__programme", "school", "uploaded_by")
    if scope.is_site_admin:
        return uploads
    return uploads.filter(
        Q(window__programme__in=scope.led_programme_ids) | Q(school__in=leader_school_ids(user))
    )


def upload_or_404(user, pk: int):
    try:
        return uploads_visible_to(user).get(pk=pk)
    except AssessmentUpload.DoesNotExist:
        raise Http404("No such upload.") from None


def can_upload_assessments(user) -> bool:
    scope = scope_of(user)
    return scope.is_site_admin or bool(scope.led_programme_ids) or bool(leader_school_ids(user))


def uploads_for_any_school(user, window) -> bool:
    """The programme's hub leads (and site admins) upload for any of its schools; a school
    leader only for their own."""
    scope = scope_of(user)
    return scope.is_site_admin or window.programme_id in scope.led_programme_ids


def require_uploader(user) -> None:
    if not can_upload_assessments(user):
        raise Http404("No such page.")


def may_see_comparison_school(user, school_id: int) -> bool:
    """Whether this user may see a comparison school's own figures: site admins and the
    school's own people may; others see comparison schools only as a group. Which schools
    were comparison schools, a page reads from the report it shows, not from today's list."""
    scope = scope_of(user)
    return scope.is_site_admin or school_id in scope.own_school_ids


def visit_school_or_404(user, urn: int) -> tuple[School, list[Programme]]:
    """A school the user may record a visit to, with the programmes the visit can be for: an
    SLE's assigned schools (in the programmes of the assignment); any for site admins."""
    scope = scope_of(user)
    school = School.objects.filter(urn=urn).first()
    if school is None:
        raise Http404("No such school.")
    if scope.is_site_admin:
        programmes = Programme.objects.filter(enrolments__school=school)
    else:
        ids = {p for s, p in scope.sle_assignments if s == school.pk}
        programmes = Programme.objects.filter(pk__in=ids)
    programmes = list(programmes.order_by("-start_date"))
    if not programmes:
        raise Http404("No such school.")
    return school, programmes


def visits_visible_to(user) -> QuerySet:
    scope = scope_of(user)
    visits = RecordOfVisit.objects.select_related("school", "sle", "programme")
    if scope.is_site_admin:
        return visits
    return visits.filter(
        Q(programme__in=scope.led_programme_ids)
        | Q(sle=user)
        | Q(school__in=scope.sle_school_ids)
        | Q(school__in=scope.own_school_ids)
    )


def visit_or_404(user, pk: int):
    try:
        return visits_visible_to(user).get(pk=pk)
    except RecordOfVisit.DoesNotExist:
        raise Http404("No such record of visit.") from None


def can_add_visit_photos(user, visit) -> bool:
    """The SLE who wrote the record, or a site admin."""
    return visit.sle_id == user.pk or is_site_admin(user)


def visit_photo_addable_or_404(user, pk: int):
    visit = visit_or_404(user, pk)
    if not can_add_visit_photos(user, visit):
        raise Http404("No such record of visit.")
    return visit


def can_acknowledge_visit(user, visit) -> bool:
    return visit.school_id in leader_school_ids(user)


def visit_to_acknowledge_or_404(user, pk: int):
    """The school's leaders acknowledge its records of visit; to anyone else, even one who
    may read the record, there is nothing to acknowledge here."""
    visit = visit_or_404(user, pk)
    if not can_acknowledge_visit(user, visit):
        raise Http404("No such record of visit to acknowledge.")
    return visit


def can_edit_action_plan(user, school: School) -> bool:
    """The school's leaders, its SLEs, its programmes' hub leads and site admins keep the
    plan; governors read it."""
    scope = scope_of(user)
    return (
        school.pk in leader_school_ids(user)
        or school.pk in scope.sle_school_ids
        or can_edit_school_staff(user, school)
    )


def action_plan_editable_or_404(user, urn: int) -> School:
    school = school_visible_or_404(user, urn)
    if not can_edit_action_plan(user, school):
        raise Http404("No such page.")
    return school


def sle_programme_or_404(user, slug: str) -> Programme:
    """A programme the user works on as an SLE (any, for site admins)."""
    scope = scope_of(user)
    programme = Programme.objects.filter(slug=slug).first()
    if programme is None or not (
        scope.is_site_admin or programme.pk in {p for _, p in scope.sle_assignments}
    ):
        raise Http404("No such programme.")
    return programme
