"""Reads of the people app."""

from django.contrib.auth import get_user_model
from django.http import Http404

from people.models import Profile, User

# Later apps add their sections to the account export with `register_export_section`.
_EXPORT_SECTIONS: dict[str, callable] = {}


def register_export_section(name: str, build) -> None:
    """`build(user) -> JSON-serialisable data`, called for the owner's export only."""
    _EXPORT_SECTIONS[name] = build


def profile_of(user: User) -> Profile:
    return Profile.objects.select_related("city", "user").get(user=user)


def active_member_or_404(user_id: int) -> User:
    user = (
        get_user_model()
        .objects.select_related("profile", "profile__city")
        .filter(pk=user_id, is_active=True, profile__isnull=False)
        .first()
    )
    if user is None:
        raise Http404
    return user


def account_export(*, user: User) -> dict:
    """Everything Cercle holds about this member, for them alone."""
    from allauth.account.models import EmailAddress

    profile = profile_of(user)
    data = {
        "format": "cercle-account-export",
        "version": 1,
        "account": {
            "email": user.email,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
            "email_addresses": [
                {"email": e.email, "verified": e.verified, "primary": e.primary}
                for e in EmailAddress.objects.filter(user=user)
            ],
        },
        "profile": {
            "display_name": profile.display_name,
            "headline": profile.headline,
            "profession": profile.profession,
            "profession_other": profile.profession_other,
            "sector": profile.sector,
            "city": (
                {"name": profile.city.name, "country": profile.city.country_code, "geoname_id": profile.city.geoname_id}
                if profile.city_id
                else None
            ),
            "time_zone": profile.time_zone,
            "languages": profile.languages,
            "skills": profile.skills,
            "learning": profile.learning,
            "values": profile.values,
            "formats": profile.formats,
            "contact_email": profile.contact_email,
            "phone": profile.phone,
            "website": profile.website,
            "language": profile.language,
            "has_photo": bool(profile.photo),
            "objectives": [
                {"text": o.text, "target_date": o.target_date.isoformat() if o.target_date else None, "done": o.done}
                for o in profile.objectives.all()
            ],
        },
        "consent": {"discoverability": profile.discoverability, "visibility": profile.visibility},
        "api_tokens": [
            {
                "name": t.name,
                "prefix": t.prefix,
                "created_at": t.created_at.isoformat(),
                "expires_at": t.expires_at.isoformat(),
                "last_used_at": t.last_used_at.isoformat() if t.last_used_at else None,
            }
            for t in user.api_tokens.all()
        ],
    }
    for name, build in _EXPORT_SECTIONS.items():
        data[name] = build(user)
    return data
