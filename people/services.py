"""Writes on accounts and profiles. Views and the API call these, never the ORM directly."""

import functools
import hashlib
import io
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

from people import vocab
from people.models import (
    API_TOKEN_DAYS,
    API_TOKEN_LIFETIMES,
    ApiToken,
    Level,
    Objective,
    Profile,
    User,
    default_visibility,
)
from places.text import fold

PHOTO_TOO_BIG = _("The photo is too large (at most %(mb)s MB).")
PHOTO_BAD_TYPE = _("The photo must be a JPEG, PNG or WebP image.")
PHOTO_SIDE = 512
PHOTO_TYPES = {"JPEG", "PNG", "WEBP"}
# A small file can declare a huge image (a 0.5 MB PNG of 13,000 px square decodes to 2 GB):
# the size is checked from the header, before decoding. JPEGs are decoded scaled down first.
PHOTO_MAX_PIXELS = 25_000_000
PHOTO_TOO_MANY_PIXELS = _("The photo is too large (at most %(mp)s megapixels).")
VISIBILITY_BAD_FIELD = _("Unknown profile field: %(field)s.")
VISIBILITY_BAD_LEVEL = _("Unknown visibility level: %(level)s.")
WRONG_PASSWORD = _("The password is not correct.")
API_TOKEN_BAD_LIFETIME = _("A token cannot be made to live %(days)s days.")
# How fresh a token's "last used" date is: recorded once in this time at most, whatever the calls.
API_TOKEN_USE_PRECISION = timedelta(minutes=5)

# Lists a member types as free text: trimmed, deduplicated, bounded.
MAX_LIST_ITEMS = 20
MAX_ITEM_LENGTH = 60


def clean_terms(items) -> list[str]:
    seen: set[str] = set()
    result: list[str] = []
    for item in items or []:
        text = " ".join(str(item).split())[:MAX_ITEM_LENGTH]
        if text and fold(text) not in seen:
            seen.add(fold(text))
            result.append(text)
    return result[:MAX_LIST_ITEMS]


def _search_text(profile: Profile) -> str:
    """What all members may see, folded: search never matches a field they cannot see."""
    parts: list[str] = []
    public = {Level.MEMBERS, Level.LINK}

    def add(field: str, *texts: str) -> None:
        if profile.level_of(field) in public:
            parts.extend(t for t in texts if t)

    add("name", profile.display_name)
    add("headline", profile.headline)
    add("profession", profile.profession_other, *_labels(vocab.Profession, [profile.profession]))
    add("city", profile.city.name if profile.city_id else "")
    add("skills", *profile.skills)
    add("values", *_labels(vocab.Value, profile.values))
    return fold(" | ".join(parts))


def _labels(choices, codes) -> list[str]:
    """Label of each code in both UI languages, so a French or English query finds it."""
    labels: list[str] = []
    for code in codes:
        if code in choices.values:
            labels.extend(_bilingual_label(choices, code))
        elif code:
            labels.append(code)
    return labels


@functools.cache
def _bilingual_label(choices, code: str) -> tuple[str, str]:
    from django.utils import translation

    with translation.override("fr"):
        french = str(choices(code).label)
    with translation.override("en"):
        english = str(choices(code).label)
    return french, english


def profile_refresh_derived(profile: Profile) -> None:
    profile.profession_key = vocab.profession_key(profile.profession, profile.profession_other)
    profile.search_text = _search_text(profile)


def relations_changed(*user_ids: int) -> None:
    """A connection, block or circle membership of these members moved: what others see of them
    (the audience on their profile page) is cached under this version, so the next view recomputes it."""
    Profile.objects.filter(user_id__in=user_ids).update(relations_version=F("relations_version") + 1)


def profile_create(*, user: User, display_name: str = "", language: str = "fr") -> Profile:
    name = display_name or user.email.split("@")[0].replace(".", " ").title()
    profile = Profile(user=user, display_name=name[:80], language=language, visibility=default_visibility())
    profile_refresh_derived(profile)
    profile.save()
    return profile


PROFILE_FIELDS = (
    "display_name",
    "headline",
    "profession",
    "profession_other",
    "sector",
    "city",
    "time_zone",
    "languages",
    "skills",
    "learning",
    "values",
    "formats",
    "contact_email",
    "phone",
    "website",
)


def profile_update(*, profile: Profile, **fields) -> Profile:
    """Update the given profile fields (those of PROFILE_FIELDS) and the derived search data."""
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"Not profile fields: {sorted(unknown)}")
    for list_field in ("skills", "learning"):
        if list_field in fields:
            fields[list_field] = clean_terms(fields[list_field])
    if "values" in fields:
        fields["values"] = vocab.normalize_values(clean_terms(fields["values"]))
    for coded_field, choices in (("languages", vocab.Language), ("formats", vocab.Format)):
        if coded_field in fields:  # the form checks these codes, but the API sends any list
            codes = list(dict.fromkeys(fields[coded_field]))
            unknown = [code for code in codes if code not in choices.values]
            if unknown:
                # Django's own (translated) message, as the form's checkboxes would give.
                message = forms.ChoiceField.default_error_messages["invalid_choice"]
                raise ValidationError(message, code="invalid_choice", params={"value": unknown[0]})
            fields[coded_field] = codes
    for name, value in fields.items():
        setattr(profile, name, value)
    if profile.profession and profile.profession != vocab.Profession.OTHER:
        profile.profession_other = ""  # a known profession replaces any earlier free text
    elif profile.profession_other:
        profile.profession = vocab.Profession.OTHER
    profile.full_clean(exclude=["user", "photo"])
    profile_refresh_derived(profile)
    profile.save()
    return profile


def consent_update(*, profile: Profile, discoverability: str, visibility: dict[str, str]) -> Profile:
    from people.models import DEFAULT_VISIBILITY, Discoverability

    if discoverability not in Discoverability.values:
        raise ValidationError(_("Unknown discoverability: %(value)s."), params={"value": discoverability})
    merged = dict(profile.visibility)
    for field, level in visibility.items():
        if field not in DEFAULT_VISIBILITY:
            raise ValidationError(VISIBILITY_BAD_FIELD, params={"field": field})
        if level not in Level.values:
            raise ValidationError(VISIBILITY_BAD_LEVEL, params={"level": level})
        merged[field] = level
    profile.discoverability = discoverability
    profile.visibility = merged
    profile_refresh_derived(profile)
    profile.save(update_fields=["discoverability", "visibility", "search_text", "updated_at"])
    return profile


def card_token_renew(*, profile: Profile) -> Profile:
    """A new card link: the old one (printed, shared) stops working."""
    from people.models import new_card_token

    profile.card_token = new_card_token()
    profile.save(update_fields=["card_token", "updated_at"])
    return profile


def photo_set(*, profile: Profile, upload) -> Profile:
    """Check type and size, then store a square JPEG of at most 512 px (metadata dropped)."""
    if upload.size > settings.PHOTO_MAX_BYTES:
        raise ValidationError(PHOTO_TOO_BIG, params={"mb": settings.PHOTO_MAX_BYTES // (1024 * 1024)})
    try:
        image = Image.open(upload)
        image_format = image.format
        if image_format == "JPEG":
            image.draft("RGB", (PHOTO_SIDE, PHOTO_SIDE))  # decode at 1/2, 1/4 or 1/8 scale, never below 512 px
        if image.width * image.height > PHOTO_MAX_PIXELS:
            raise ValidationError(PHOTO_TOO_MANY_PIXELS, params={"mp": PHOTO_MAX_PIXELS // 1_000_000})
        image.load()
    except Image.DecompressionBombError as exc:
        # Pillow's own ceiling (twice Image.MAX_IMAGE_PIXELS), met in open() before ours: too large too.
        raise ValidationError(PHOTO_TOO_MANY_PIXELS, params={"mp": PHOTO_MAX_PIXELS // 1_000_000}) from exc
    except (UnidentifiedImageError, OSError) as exc:
        raise ValidationError(PHOTO_BAD_TYPE) from exc
    if image_format not in PHOTO_TYPES:
        raise ValidationError(PHOTO_BAD_TYPE)
    image = ImageOps.exif_transpose(image).convert("RGB")
    image = ImageOps.fit(image, (min(PHOTO_SIDE, *image.size),) * 2)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    old = profile.photo.name if profile.photo else ""
    profile.photo.save("photo.jpg", ContentFile(buffer.getvalue()), save=False)
    profile.save(update_fields=["photo", "updated_at"])
    if old:
        profile.photo.storage.delete(old)
    return profile


def photo_remove(*, profile: Profile) -> Profile:
    if profile.photo:
        profile.photo.delete(save=False)
        profile.save(update_fields=["photo", "updated_at"])
    return profile


def objective_add(*, profile: Profile, text: str, target_date=None) -> Objective:
    objective = Objective(profile=profile, text=" ".join(text.split()), target_date=target_date)
    objective.full_clean(exclude=["profile"])
    objective.save()
    profile.touch()
    return objective


def objective_set_done(*, objective: Objective, done: bool) -> Objective:
    objective.done = done
    objective.save(update_fields=["done"])
    objective.profile.touch()
    return objective


def objective_delete(*, objective: Objective) -> None:
    objective.delete()
    objective.profile.touch()


def language_set(*, profile: Profile, language: str) -> None:
    if language in dict(settings.LANGUAGES) and profile.language != language:
        profile.language = language
        profile.save(update_fields=["language"])


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    key: str  # shown once, never stored


def _hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def api_token_create(*, user: User, name: str, days: int = API_TOKEN_DAYS) -> NewToken:
    if days not in API_TOKEN_LIFETIMES:
        raise ValidationError(API_TOKEN_BAD_LIFETIME, params={"days": days})
    key = "cer_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name[:60] or "API",
        key_hash=_hash_key(key),
        prefix=key[:8],
        expires_at=timezone.now() + timedelta(days=days),
    )
    return NewToken(token=token, key=key)


def api_token_user(*, key: str) -> User | None:
    """The member a live token belongs to (None: unknown, expired, or the account is closed).

    The last use is recorded at most every API_TOKEN_USE_PRECISION: not a write on every call.
    """
    now = timezone.now()
    token = ApiToken.objects.select_related("user").filter(key_hash=_hash_key(key), expires_at__gt=now).first()
    if token is None or not token.user.is_active:
        return None
    if token.last_used_at is None or token.last_used_at <= now - API_TOKEN_USE_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def api_token_revoke(*, user: User, token_id: int) -> bool:
    deleted, _count = ApiToken.objects.filter(user=user, pk=token_id).delete()
    return deleted > 0


def account_delete(*, user: User, password: str) -> None:
    """Delete the account after checking the password.

    Everything the member owns goes with it (cascades); records of other members
    that pointed at them keep their own content and lose the link (SET_NULL).
    Their sessions stop authenticating because the user row no longer exists.
    """
    if not user.check_password(password):
        raise ValidationError(WRONG_PASSWORD)
    with transaction.atomic():
        profile = getattr(user, "profile", None)
        photo_name = profile.photo.name if profile and profile.photo else ""
        _delete_sessions_of(user)
        get_user_model().objects.filter(pk=user.pk).delete()
    if photo_name:
        transaction.on_commit(lambda: Profile.photo.field.storage.delete(photo_name))


def _delete_sessions_of(user: User) -> None:
    """End every session of this member, on every device (allauth tracks them per user)."""
    from allauth.usersessions.models import UserSession

    for session in UserSession.objects.filter(user=user):
        session.end()
