"""People endpoints: my profile (read and edit) and other members through the privacy selector."""

from datetime import date

from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import Router, Schema
from ninja.pagination import paginate

from cercle.api_errors import refused
from cercle.api_pagination import Page, Shown
from people import services
from people.selectors import active_member_or_404, profile_of
from privacy.selectors import Audience, member_search, profile_as_seen, seen_by, visible_profile

router = Router(tags=["people"])


class ObjectiveOut(Schema):
    text: str
    target_date: date | None = None
    done: bool = False


class MemberOut(Schema):
    """A member as the caller may see them: hidden fields are null or empty."""

    id: int
    name: str | None
    headline: str
    profession: str
    sector: str
    city: str
    languages: list[str]
    skills: list[str]
    learning: list[str]
    values: list[str]
    formats: list[str]
    objectives: list[ObjectiveOut]
    contact_email: str
    phone: str
    website: str


class ProfilePatch(Schema):
    display_name: str | None = None
    headline: str | None = None
    profession: str | None = None
    profession_other: str | None = None
    sector: str | None = None
    time_zone: str | None = None
    languages: list[str] | None = None
    skills: list[str] | None = None
    learning: list[str] | None = None
    values: list[str] | None = None
    formats: list[str] | None = None
    contact_email: str | None = None
    phone: str | None = None
    website: str | None = None


def _out(seen) -> dict:
    return {
        "id": seen.user_id,
        "name": seen.name,
        "headline": seen.headline,
        "profession": seen.profession,
        "sector": seen.sector,
        "city": seen.city,
        "languages": seen.languages,
        "skills": seen.skills,
        "learning": seen.learning,
        "values": seen.values,
        "formats": seen.formats,
        "objectives": seen.objectives,
        "contact_email": seen.contact_email,
        "phone": seen.phone,
        "website": seen.website,
    }


@router.get("/me", response=MemberOut, summary="My own profile, every field")
def get_me(request):
    return _out(profile_as_seen(profile_of(request.user), Audience.SELF))


@router.patch("/me", response=MemberOut, summary="Edit my profile (only the fields sent)")
def patch_me(request, payload: ProfilePatch):
    profile = profile_of(request.user)
    try:
        services.profile_update(profile=profile, **payload.dict(exclude_none=True))
    except ValidationError as exc:
        raise refused(exc) from exc
    return _out(profile_as_seen(profile_of(request.user), Audience.SELF))


@router.get("/members", response=list[MemberOut], summary="Find members by name, city, skill or value")
@paginate(Page)
def list_members(request, q: str = ""):
    profiles = member_search(viewer=request.user, query=q)
    return Shown(profiles, lambda page: [_out(seen_by(request.user, p)) for p in page])


@router.get("/members/{user_id}", response=MemberOut, summary="One member, as their settings allow")
def get_member(request, user_id: int):
    seen = visible_profile(request.user, active_member_or_404(user_id))
    if seen is None:
        raise Http404
    return _out(seen)
