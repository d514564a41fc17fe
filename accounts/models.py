from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone


class UserManager(BaseUserManager):
    use_in_migrations = True

    def get_by_natural_key(self, email: str):
        # People type their address with capitals as often as without.
        return self.get(email__iexact=email)

    def create_user(self, email: str, password: str | None = None, **fields):
        if not email:
            raise ValueError("A user needs an e-mail address.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
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

    def __str__(self) -> str:
        return self.full_name or self.email

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


class AuditEvent(models.Model):
    """Who did what to pupil data or records of visit, and when. Kept when the person's
    account is deleted: their name stays on the event."""

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
