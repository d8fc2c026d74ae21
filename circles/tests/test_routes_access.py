"""Every route of the circles app, classified; the test fails on a route nobody classified.

The access matrix that uses this classification (anonymous, stranger, member, organizer, on a
public, a members-only, an unlisted and a cooptation circle) is in test_views.py.
"""

import pytest
from django.urls import get_resolver

pytestmark = pytest.mark.django_db

# Anyone, even logged out.
OPEN = {"browse"}
# A signed-in member's own pages.
OWN = {"create", "mine"}
# Reached with a signed invitation link.
TOKEN = {"invitation"}
# A circle's pages: public ones to anyone, the others to signed-in members only (404 otherwise).
CIRCLE_PAGES = {"detail", "members"}
# Pages for the circle's active members.
MEMBER_PAGES = {"invite", "report"}
# A member's own membership: join (anyone signed in who reaches the circle), the others need one.
MEMBERSHIP_POSTS = {"join", "leave", "participation", "pairing"}
# The mentoring pair's mentor, mentee and the organizers.
MENTORING = {"mentoring_checkin"}
# Organizers only; everybody else gets 404.
ORGANIZER_PAGES = {"manage", "edit"}
ORGANIZER_POSTS = {
    "request_decide", "member_role", "member_remove", "announce", "report_resolve", "mentoring_create", "mentoring_end",
}  # fmt: skip
POST_ONLY = MEMBERSHIP_POSTS | MENTORING | ORGANIZER_POSTS
CLASSIFIED = OPEN | OWN | TOKEN | CIRCLE_PAGES | MEMBER_PAGES | MEMBERSHIP_POSTS | MENTORING | ORGANIZER_PAGES
CLASSIFIED = CLASSIFIED | ORGANIZER_POSTS
ARGS = {"slug", "token", "membership_id", "report_id", "pair_id"}


def circles_routes():
    namespace = get_resolver().namespace_dict["circles"][1]
    for pattern in namespace.url_patterns:
        yield pattern.name, set(pattern.pattern.converters)


def test_every_route_is_classified():
    names = []
    for name, args in circles_routes():
        names.append(name)
        assert args <= ARGS, f"{name} takes unknown arguments {args}"
        assert name in CLASSIFIED, f"classify the new route {name}"
        assert bool(args) == (name not in OPEN | OWN), f"{name}: its arguments do not match its class"
    assert len(names) == len(set(names)), "two routes share a name"
    assert set(names) == CLASSIFIED, f"classified routes that do not exist: {CLASSIFIED - set(names)}"


def test_routes_on_objects_are_all_inside_a_circle():
    for name, args in circles_routes():
        if args & {"membership_id", "report_id", "pair_id"}:
            assert "slug" in args, f"{name} must be reached through its circle"
