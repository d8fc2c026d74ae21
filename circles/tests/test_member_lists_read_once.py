"""The circle page reads the viewer's membership once and hands it to both member lists; each list
counts its members once (the organizers' list, which leaves nobody out, is not counted again by its
paginator). The lists are the same as when they read the membership themselves."""

import pytest
from django.contrib.auth.models import AnonymousUser

from circles import selectors, services
from circles.models import Membership, Role, Status, Visibility

pytestmark = pytest.mark.django_db


def _listed(listing) -> tuple:
    shown = listing.page.paginator.count if listing.page is not None else None
    return (
        [(e.membership.pk, e.name, e.profession, e.linkable) for e in listing.entries],
        listing.total,
        listing.as_organizer,
        listing.not_shown,
        shown,
    )


@pytest.mark.parametrize("visibility", [Visibility.PUBLIC, Visibility.UNLISTED])
def test_a_membership_already_read_gives_the_same_lists(owner, member, stranger, make_circle, make_member, visibility):
    circle = make_circle(owner, visibility=visibility)
    services.membership_join(circle=circle, member=member)
    for n in range(3):
        services.membership_join(circle=circle, member=make_member(f"m{n}@example.org", display_name=f"Membre {n}"))
    for viewer in (owner, member, stranger, AnonymousUser()):
        mine = Membership.objects.filter(circle=circle, member=viewer).first() if viewer.is_authenticated else None
        for role in (None, Role.ORGANIZER):
            read_here = selectors.members_of(circle=circle, viewer=viewer, role=role, per_page=2)
            handed = selectors.members_of(circle=circle, viewer=viewer, role=role, per_page=2, membership=mine)
            assert _listed(handed) == _listed(read_here)


def test_a_membership_no_longer_active_is_a_signed_in_strangers(owner, member, make_circle):
    circle = make_circle(owner)
    services.membership_join(circle=circle, member=member)
    mine = Membership.objects.get(circle=circle, member=member)
    Membership.objects.filter(pk=mine.pk).update(status=Status.LEFT)
    mine.refresh_from_db()
    assert selectors.viewer_audience(circle=circle, viewer=member, membership=mine) == selectors.viewer_audience(
        circle=circle, viewer=member
    )


def test_the_organizers_list_counts_its_members_once(owner, make_circle, make_member, django_assert_num_queries):
    circle = make_circle(owner)
    for n in range(3):
        services.membership_join(circle=circle, member=make_member(f"m{n}@example.org", display_name=f"Membre {n}"))
    mine = Membership.objects.get(circle=circle, member=owner)
    # The count, the page's rows and their objectives.
    with django_assert_num_queries(3):
        listing = selectors.members_of(circle=circle, viewer=owner, per_page=2, membership=mine)
        assert listing.total == listing.page.paginator.count == 4 and listing.page.has_next()
