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
