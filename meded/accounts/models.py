"""The member: one account per person, the university email is the login."""

import secrets

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from .validators import validate_person_name


class YearOfStudy(models.TextChoices):
    Y1 = "1", "Year 1"
    Y2 = "2", "Year 2"
    Y3 = "3", "Year 3"
    Y4 = "4", "Year 4"
    Y5 = "5", "Year 5"
    Y6 = "6", "Year 6"
    INTERCALATED = "ibsc", "Intercalated BSc"
    GRADUATED = "grad", "Graduated"


# How far through the course a member is, for "year 5+ may teach year-4 content" rules.
# An intercalating student has finished at least year 3; a graduate has finished them all.
SENIORITY = {"1": 1, "2": 2, "3": 3, "4": 4, "5": 5, "6": 6, "ibsc": 3.5, "grad": 7}


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An email address is required.")
        email = self.normalize_email(email).lower()
        user = self.model(email=email, **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, email):
        return self.get(email__iexact=email)


def new_calendar_token() -> str:
    return secrets.token_urlsafe(24)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField("email address", max_length=254, unique=True)
    full_name = models.CharField(max_length=150, blank=True, validators=[validate_person_name])
    year_of_study = models.CharField(
        max_length=4,
        choices=YearOfStudy.choices,
        default=YearOfStudy.Y1,
        help_text="The year the member gives; a change waits for the committee's approval.",
    )
    # Rights (observing as a senior, ranking senior-only topics) come only from this year: set
    # when the committee accepts an application or approves a member's change, never by the
    # member. Blank: nothing verified yet.
    verified_year = models.CharField(
        max_length=4, choices=YearOfStudy.choices, blank=True, default=""
    )
    verified_year_at = models.DateTimeField(null=True, blank=True)
    # When the member last changed their name; cleared once the committee confirms it. A
    # certificate is not issued in a name changed in the last MEDED_CERTIFICATE_NAME_HOLD_DAYS
    # until then (meded/accounts/services.name_on_hold).
    name_changed_at = models.DateTimeField(null=True, blank=True)
    # Set when the account is erased (meded/accounts/erasure.py): the row stays, anonymised,
    # so attendance, allocations and certificates keep pointing at one former member.
    erased_at = models.DateTimeField(null=True, blank=True, editable=False)
    is_staff = models.BooleanField(default=False, help_text="Can sign in to the Django admin site.")
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)
    calendar_token = models.CharField(
        max_length=64,
        unique=True,
        default=new_calendar_token,
        help_text="Secret in the private calendar feed address; regenerate to revoke.",
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name", "email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
        ]

    # What str(member) reads: a list that loads only these (.only) prints names in one query.
    DISPLAY_FIELDS = ("id", "full_name", "email", "erased_at")

    def __str__(self) -> str:
        if self.erased_at:
            return "Former member"
        return self.full_name or self.email

    def save(self, *args, **kwargs):
        self.email = (self.email or "").strip().lower()
        super().save(*args, **kwargs)

    def get_full_name(self) -> str:
        return str(self)

    def get_short_name(self) -> str:
        return (self.full_name.split() or [self.email])[0]

    @property
    def seniority(self) -> float:
        """How senior the committee has verified this member to be (0 when unverified)."""
        return SENIORITY.get(self.verified_year, 0)

    @property
    def year_change_pending(self) -> bool:
        return bool(self.verified_year) and self.verified_year != self.year_of_study

    @property
    def year_number(self) -> int | None:
        return int(self.year_of_study) if self.year_of_study.isdigit() else None
