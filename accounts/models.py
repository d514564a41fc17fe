from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

from .signin import normalise_email


class UserManager(BaseUserManager):
    use_in_migrations = True

    @classmethod
    def normalize_email(cls, email: str | None) -> str:
        # People type their address with capitals as often as without: one spelling is kept.
        return normalise_email(email or "")

    def get_by_natural_key(self, email: str):
        # Case-blind still, for addresses written past save() (bulk loads).
        return self.get(email__iexact=normalise_email(email))

    def create_user(self, email: str, password: str | None = None, **fields):
        if not email:
            raise ValueError("A user needs an e-mail address.")
        user = self.model(email=self.normalize_email(email), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields):
        fields.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in to the portal, by e-mail address."""

    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=150)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(
        "Django admin access",
        default=False,
        help_text="Lets a site admin use the low-level data admin.",
    )
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name", "email"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="user_email_unique_ignoring_case",
                violation_error_message="Another account already uses this e-mail address.",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    @classmethod
    def normalize_username(cls, username: str) -> str:
        # Called by clean(), so every form that edits a user (the data admin's included)
        # checks and saves the address in the one spelling.
        return normalise_email(username) if isinstance(username, str) else username

    def save(self, *args, **kwargs) -> None:
        # Whatever path writes a user, the address is kept in the one spelling that sign-in,
        # the lockout and password reset look up.
        self.email = self.normalize_username(self.email)
        super().save(*args, **kwargs)

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class Role(models.TextChoices):
    SITE_ADMIN = "site_admin", "Site admin"
    HUB_LEAD = "hub_lead", "Hub lead"
    SLE = "sle", "SLE"
    HEADTEACHER = "headteacher", "Headteacher"
    MATHS_LEAD = "maths_lead", "Maths lead"
    GOVERNOR = "governor", "Governor"


SCHOOL_ROLES = (Role.HEADTEACHER, Role.MATHS_LEAD, Role.GOVERNOR)


class RoleAssignment(models.Model):
    """One role a user holds, with what it is held over: a programme for a hub lead, a school
    in a programme for an SLE, a school for its leaders and governors, nothing for a site admin.
    The shape of each role is enforced by the database, so no page can meet a hub lead without
    a programme."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(max_length=20, choices=Role.choices)
    programme = models.ForeignKey(
        "programmes.Programme",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_assignments",
    )
    school = models.ForeignKey(
        "schools.School",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_assignments",
    )

    class Meta:
        ordering = ["user", "role"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(role=Role.SITE_ADMIN, programme__isnull=True, school__isnull=True)
                    | Q(role=Role.HUB_LEAD, programme__isnull=False, school__isnull=True)
                    | Q(role=Role.SLE, programme__isnull=False, school__isnull=False)
                    | Q(role__in=SCHOOL_ROLES, programme__isnull=True, school__isnull=False)
                ),
                name="role_assignment_shape",
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(programme__isnull=True, school__isnull=True),
                name="role_assignment_unique_global",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "programme"],
                condition=Q(programme__isnull=False, school__isnull=True),
                name="role_assignment_unique_programme",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "school"],
                condition=Q(programme__isnull=True, school__isnull=False),
                name="role_assignment_unique_school",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "programme", "school"],
                condition=Q(programme__isnull=False, school__isnull=False),
                name="role_assignment_unique_programme_school",
            ),
        ]

    def __str__(self) -> str:
        over = self.school or self.programme
        return f"{self.user} – {self.get_role_display()}" + (f" of {over}" if over else "")


class AuditAction(models.TextChoices):
    UPLOADED = "uploaded", "Uploaded pupil data"
    IMPORTED = "imported", "Imported pupil data"
    ROLLED_BACK = "rolled_back", "Rolled back an upload"
    EXPORTED = "exported", "Exported pupil data"
    DELETED_PUPIL_DATA = "deleted_pupil_data", "Deleted pupil data (retention)"
    VISIT_CREATED = "visit_created", "Created a record of visit"
    VISIT_CHANGED = "visit_changed", "Changed a record of visit"
    VISIT_DELETED = "visit_deleted", "Deleted a record of visit"
    SCHOOL_INVITED = "school_invited", "Invited a school to a programme"
    INVITATION_ACCEPTED = "invitation_accepted", "Accepted an invitation to a programme"
    INVITATION_DECLINED = "invitation_declined", "Declined an invitation to a programme"
    SCHOOL_ENROLLED = "school_enrolled", "Enrolled a school in a programme"
    SCHOOL_UNENROLLED = "school_unenrolled", "Un-enrolled a school from a programme"
    COMPARISON_ADDED = "comparison_added", "Added a comparison school"
    COMPARISON_REMOVED = "comparison_removed", "Removed a comparison school"
    TWO_FACTOR_SET_UP = "two_factor_set_up", "Set up two-factor sign-in"
    TWO_FACTOR_VERIFIED = "two_factor_verified", "Signed in with an authenticator code"
    TWO_FACTOR_RECOVERY_USED = "two_factor_recovery_used", "Signed in with a recovery code"
    TWO_FACTOR_CODES_RENEWED = "two_factor_codes_renewed", "Made new recovery codes"
    TWO_FACTOR_DISABLED = "two_factor_disabled", "Turned off two-factor sign-in"
    TWO_FACTOR_RESET = "two_factor_reset", "Reset someone's two-factor sign-in"
    SIGNED_IN = "signed_in", "Signed in"
    SIGNED_OUT = "signed_out", "Signed out"
    SIGN_IN_FAILED = "sign_in_failed", "Failed sign-in"
    TARGET_SET = "target_set", "Set a target"


class AuditEvent(models.Model):
    """Who did what to pupil data, records of visit, a school's part in a programme or
    someone's two-factor sign-in, and when. Kept when the person's account is deleted: their
    name stays on the event."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_name = models.CharField(max_length=254, blank=True)
    action = models.CharField(max_length=30, choices=AuditAction.choices)
    subject = models.CharField(max_length=300)
    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    school = models.ForeignKey(
        "schools.School", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name}: {self.get_action_display()}"


class RequestCount(models.Model):
    """How many requests of one kind one key has had allowed since `since` (a rate limit's
    window). The key is a keyed hash of what is counted (an e-mail address, a client's
    address), never the thing itself. Counted in the database, so that every web process and
    machine shares one count, with or without a shared cache."""

    kind = models.CharField(max_length=40)
    key = models.CharField(max_length=64)
    since = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "key"], name="request_count_unique_key"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.key[:8]}: {self.count} since {self.since:%Y-%m-%d %H:%M}"
