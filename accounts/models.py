import secrets

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kumppanuus.addresses import NormalisedEmailField, normalise_email
from kumppanuus.validators import validate_person_name


class Language(models.TextChoices):
    FINNISH = "fi", _("Finnish")
    SWEDISH = "sv", _("Swedish")
    ENGLISH = "en", _("English")


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=normalise_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


def new_calendar_token() -> str:
    return secrets.token_urlsafe(24)


class User(AbstractBaseUser, PermissionsMixin):
    """A person. Signs in with the e-mail address; there is no username."""

    email = NormalisedEmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200, blank=True, validators=[validate_person_name])
    language = models.CharField(
        _("preferred language"),
        max_length=2,
        choices=Language.choices,
        default=Language.FINNISH,
        help_text=_("The language of the pages and of the e-mail we send you."),
    )
    notify_meeting_reminders = models.BooleanField(
        _("meeting reminders"),
        default=True,
        help_text=_("Remind me of meetings I attend and of RSVP deadlines."),
    )
    notify_evaluation_reminders = models.BooleanField(
        _("evaluation reminders"),
        default=True,
        help_text=_("Remind me of annual evaluations I have not answered yet."),
    )
    notify_action_items = models.BooleanField(
        _("action item reminders"),
        default=True,
        help_text=_("Remind me weekly of my overdue action items."),
    )
    # When the person hears of each kind of notification (outbox/preferences.py): {kind: "now" |
    # "daily" | "weekly" | "off"}; a kind not named is sent at once. A JSON object on the person
    # rather than a row per kind: the kinds are registered in code and grow without a migration, the
    # choice is read with the person already loaded (queueing, building, the settings page: no
    # extra query or join), and only the few kinds a person changed are stored.
    notification_rhythms = models.JSONField(_("notification rhythms"), default=dict, blank=True)
    # The secret in a person's private calendar feed URL; resetting it revokes old links.
    calendar_token = models.CharField(
        _("calendar feed token"), max_length=64, unique=True, default=new_calendar_token, editable=False
    )
    is_staff = models.BooleanField(
        _("staff status"), default=False, help_text=_("Can sign in to the administration.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["full_name", "email"]

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name or self.email

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email
