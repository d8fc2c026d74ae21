"""Sections that apps above this one add to a member's page (vouches, the connect and introduce
actions): each builds its context from its own selectors, and the page renders it where its
template says (`{{ sections.vouches }}`). Template tags are left to formatting.

A section is the viewer's own (what they may do, what they wrote): it is rendered on each view.
It gets the member as the page already shows them to the viewer (audience, name), so that it
never asks the privacy rules again."""

from collections.abc import Callable
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from people.models import User
from privacy.selectors import Audience


@dataclass(frozen=True)
class ShownMember:
    """The member whose page it is, as the page already knows them for this viewer."""

    user: User
    audience: Audience
    name: str
    # Both members' relations versions: a section may keep what it reads under them.
    relations_version: int
    viewer_relations_version: int | None  # None: a viewer without a profile (read, not kept)


@dataclass(frozen=True)
class ProfileSection:
    template: str
    # (viewer, the member as shown) -> the template's context; {"show": False} leaves it out.
    context: Callable[[User, ShownMember], dict]


PROFILE_SECTIONS: dict[str, ProfileSection] = {}


def register_profile_section(name: str, *, template: str, context: Callable[[User, User, Audience], dict]) -> None:
    PROFILE_SECTIONS[name] = ProfileSection(template=template, context=context)


def profile_sections(request, member: ShownMember) -> dict[str, SafeString]:
    """Each registered section of the member's page as the signed-in viewer gets it, rendered."""
    viewer = request.user
    if not viewer.is_authenticated:
        return {}
    rendered = {}
    for name, section in PROFILE_SECTIONS.items():
        context = section.context(viewer, member)
        rendered[name] = render_to_string(section.template, context, request) if context.get("show") else ""
    return rendered
