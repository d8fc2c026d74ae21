"""Sections that apps above this one add to a member's page (vouches, the connect and introduce
actions): each builds its context from its own selectors, and the page renders it where its
template says (`{{ sections.vouches }}`). Template tags are left to formatting."""

from collections.abc import Callable
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from people.models import User


@dataclass(frozen=True)
class ProfileSection:
    template: str
    # (viewer, member) -> the template's context; {"show": False} leaves the section out.
    context: Callable[[User, User], dict]


PROFILE_SECTIONS: dict[str, ProfileSection] = {}


def register_profile_section(name: str, *, template: str, context: Callable[[User, User], dict]) -> None:
    PROFILE_SECTIONS[name] = ProfileSection(template=template, context=context)


def profile_sections(request, member: User) -> dict[str, SafeString]:
    """Each registered section of `member`'s page as the signed-in viewer gets it, rendered."""
    viewer = request.user
    if not viewer.is_authenticated:
        return {}
    rendered = {}
    for name, section in PROFILE_SECTIONS.items():
        context = section.context(viewer, member)
        rendered[name] = render_to_string(section.template, context, request) if context.get("show") else ""
    return rendered
