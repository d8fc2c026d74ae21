"""Panels that apps above this one add to a circle's page (the referral club's panel): each builds
its context from its own selectors, registered from the app's AppConfig.ready (circles imports
none of them), and the page renders them in its side column, in the order registered. Template
tags are left to formatting."""

from collections.abc import Callable
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from circles.models import Circle, Membership
from people.models import User


@dataclass(frozen=True)
class CircleSection:
    template: str
    # (viewer, circle, the viewer's membership or None) -> the template's context;
    # {"show": False} leaves the section out.
    context: Callable[[User, Circle, Membership | None], dict]


CIRCLE_SECTIONS: dict[str, CircleSection] = {}


def register_circle_section(
    name: str, *, template: str, context: Callable[[User, Circle, Membership | None], dict]
) -> None:
    CIRCLE_SECTIONS[name] = CircleSection(template=template, context=context)


def circle_sections(request, circle: Circle, membership: Membership | None) -> dict[str, SafeString]:
    """Each registered section of `circle`'s page as the signed-in viewer gets it, rendered.
    `membership` is the viewer's own (any status), which the page has already read."""
    viewer = request.user
    if not viewer.is_authenticated:
        return {}
    rendered = {}
    for name, section in CIRCLE_SECTIONS.items():
        context = section.context(viewer, circle, membership)
        rendered[name] = render_to_string(section.template, context, request) if context.get("show") else ""
    return rendered
