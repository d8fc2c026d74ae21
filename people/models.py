"""Accounts and member profiles, with the consent each member owns."""

import secrets
import zoneinfo
from datetime import timedelta

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from people import vocab


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create(self, email, password, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **extra)


class User(AbstractUser):
    """An account: signs in with its e-mail address, no username."""

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("e-mail address"), unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []
    objects = UserManager()

    def __str__(self) -> str:
        return self.email


class Discoverability(models.TextChoices):
    HIDDEN = "hidden", _("Hidden: nobody finds me")
    CIRCLES = "circles", _("Members of my circles")
    MEMBERS = "members", _("All Cercle members")


class Level(models.TextChoices):
    """Who may see a field, narrowest first. Each level includes the narrower ones."""

    ONLY_ME = "only_me", _("Only me")
    CONNECTIONS = "connections", _("My connections")
    CIRCLES = "circles", _("My circles")
    MEMBERS = "members", _("All members")
    LINK = "link", _("Anyone with my card's link")


# The fields a member controls one by one, and the level a new member starts with.
DEFAULT_VISIBILITY: dict[str, str] = {
    "name": Level.LINK,
    "photo": Level.LINK,
    "headline": Level.LINK,
    "profession": Level.LINK,
    "sector": Level.MEMBERS,
    "city": Level.MEMBERS,
    "languages": Level.MEMBERS,
    "skills": Level.MEMBERS,
    "learning": Level.MEMBERS,
    "values": Level.MEMBERS,
    "formats": Level.MEMBERS,
    "objectives": Level.CIRCLES,
    "contact_email": Level.CONNECTIONS,
    "phone": Level.ONLY_ME,
    "website": Level.LINK,
}


def default_visibility() -> dict[str, str]:
    return {field: str(level) for field, level in DEFAULT_VISIBILITY.items()}


def new_card_token() -> str:
    return secrets.token_urlsafe(16)


def photo_path(profile: "Profile", filename: str) -> str:
    # A random name: the URL of a file must not reveal whose photo it is.
    return f"photos/{secrets.token_hex(12)}.jpg"


TIMEZONE_CHOICES = sorted((tz, tz) for tz in zoneinfo.available_timezones() if "/" in tz)


class Profile(models.Model):
    user = models.OneToOneField(User, on_delete=models.CASCADE, primary_key=True, related_name="profile")
    display_name = models.CharField(_("display name"), max_length=80)
    photo = models.ImageField(_("photo"), upload_to=photo_path, blank=True)
    headline = models.CharField(_("headline"), max_length=140, blank=True)
    profession = models.CharField(_("profession"), max_length=40, choices=vocab.Profession.choices, blank=True)
    profession_other = models.CharField(_("profession (free text)"), max_length=80, blank=True)
    # Normalised profession: the seat a referral club checks ("one seat per profession").
    profession_key = models.CharField(max_length=120, blank=True, db_index=True, editable=False)
    sector = models.CharField(_("sector"), max_length=40, choices=vocab.Sector.choices, blank=True)
    city = models.ForeignKey("places.City", verbose_name=_("city"), null=True, blank=True, on_delete=models.SET_NULL)
    time_zone = models.CharField(_("time zone"), max_length=64, default="Europe/Paris", choices=TIMEZONE_CHOICES)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    skills = models.JSONField(_("skills I can offer"), default=list, blank=True)
    learning = models.JSONField(_("what I want to learn"), default=list, blank=True)
    values = models.JSONField(_("values"), default=list, blank=True)
    formats = models.JSONField(_("formats I like"), default=list, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    website = models.URLField(_("website"), blank=True)

    discoverability = models.CharField(
        _("who can find me"), max_length=10, choices=Discoverability.choices, default=Discoverability.CIRCLES
    )
    visibility = models.JSONField(default=default_visibility)
    card_token = models.CharField(max_length=32, unique=True, default=new_card_token)
    # The interface language the member chose; e-mails and digests use it.
    language = models.CharField(_("language"), max_length=5, default="fr")
    # Folded text of what *all members* may see, for accent-insensitive member search.
    search_text = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    # The profile's version: every save moves it (see save()), and cached views of the profile
    # are keyed by it (people.profile_page).
    updated_at = models.DateTimeField(auto_now=True)
    # Moved by a connection, a block or a circle membership of the member
    # (services.relations_changed): what others see of them depends on those.
    relations_version = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")
        indexes = [models.Index(fields=["discoverability"])]

    def __str__(self) -> str:
        return self.display_name

    def save(self, *args, update_fields=None, **kwargs):
        # A save naming only some fields must still move the profile's version.
        if update_fields is not None and "updated_at" not in update_fields:
            update_fields = [*update_fields, "updated_at"]
        super().save(*args, update_fields=update_fields, **kwargs)

    def touch(self) -> None:
        """Something shown with the profile but stored elsewhere (an objective) changed."""
        self.save(update_fields=["updated_at"])

    def level_of(self, field: str) -> str:
        return self.visibility.get(field, str(DEFAULT_VISIBILITY[field]))


class Objective(models.Model):
    """A focused goal ("meet three growth marketers before March")."""

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="objectives")
    text = models.CharField(_("objective"), max_length=200)
    target_date = models.DateField(_("target date"), null=True, blank=True)
    done = models.BooleanField(_("done"), default=False)

    class Meta:
        ordering = ["done", "target_date", "id"]
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")

    def __str__(self) -> str:
        return self.text


# A token lives this many days unless its owner picks another lifetime (API_TOKEN_LIFETIMES).
API_TOKEN_DAYS = 90
API_TOKEN_LIFETIMES = (7, 30, 90, 180, 365)


def api_token_expiry():
    """The default expiry; the migration that added it gave tokens already made the same grace."""
    return timezone.now() + timedelta(days=API_TOKEN_DAYS)


class ApiToken(models.Model):
    """A personal token for the JSON API. Only its hash is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=60)
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(_("expires"), default=api_token_expiry)
    # Written at most every few minutes (people.services.API_TOKEN_USE_PRECISION), not on each call.
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def expired(self) -> bool:
        return self.expires_at <= timezone.now()
