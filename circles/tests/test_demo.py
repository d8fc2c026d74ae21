"""The demo circles: deterministic, every family, three or four per city, and Camille's three circles."""

import pytest
from django.urls import reverse

from circles.demo import CHARTERS_EN, CHARTERS_FR, DEMO_SLUG_MARK, REFERRAL_CLUB
from circles.models import Circle, Membership, MembershipMode, Participation, Role, Status
from circles.vocab import Family
from people.demo import DEMO_LOGIN, demo_load
from people.models import User

pytestmark = pytest.mark.django_db

SEED = 3
MEMBERS = 80


@pytest.fixture
def camille(cities):
    demo_load(seed=SEED, members=MEMBERS)
    return User.objects.get(email=DEMO_LOGIN)


def _snapshot() -> list[tuple]:
    return sorted(
        Membership.objects.filter(circle__slug__endswith=DEMO_SLUG_MARK).values_list(
            "circle__name", "circle__slug", "member__email", "role", "status", "participation", "seat_key"
        )
    )


def test_every_family_has_circles(camille):
    assert set(Circle.objects.values_list("family", flat=True)) == set(Family.values)


def test_every_demo_city_has_three_or_four_circles(camille, cities):
    for city in cities.values():
        assert 3 <= Circle.objects.filter(city=city).count() <= 4, city.name


def test_circles_have_charters_organizers_and_members_in_french_and_english(camille):
    for circle in Circle.objects.all():
        assert circle.charter and circle.description, circle.name
        assert circle.memberships.filter(role=Role.ORGANIZER, status=Status.ACTIVE).exists(), circle.name
    assert Circle.objects.filter(charter__in=CHARTERS_FR).exists()
    assert Circle.objects.filter(charter__in=CHARTERS_EN).exists()


def test_camille_organizes_one_circle_and_belongs_to_two_others(camille):
    active = Membership.objects.filter(member=camille, status=Status.ACTIVE)
    assert active.filter(role=Role.ORGANIZER).count() == 1
    assert active.filter(role=Role.MEMBER).count() == 2
    club = active.get(circle__name=REFERRAL_CLUB)
    assert club.circle.membership_mode == MembershipMode.COOPTATION and club.seat_key == "growth_marketer"
    assert active.filter(participation=Participation.REMOTE).exists()  # she follows one from afar
    organized = active.get(role=Role.ORGANIZER).circle
    assert organized.memberships.filter(status=Status.REQUESTED).exists()
    assert organized.mentoring_pairs.filter(mentor=camille).get().checkins.count() == 2
    assert organized.reports.filter(state="open").exists()


def test_the_referral_club_has_a_seat_map(camille):
    club = Circle.objects.get(name=REFERRAL_CLUB)
    seats = list(club.memberships.filter(status=Status.ACTIVE).values_list("seat_key", flat=True))
    assert len(seats) >= 10 and "" not in seats and len(seats) == len(set(seats))
    assert club.invitations.filter(used_at__isnull=True).exists()
    assert club.memberships.filter(status=Status.INVITED).exists()


def test_the_demo_has_pending_requests_and_remote_followers_everywhere(camille):
    demo = Membership.objects.filter(circle__slug__endswith=DEMO_SLUG_MARK)
    assert demo.filter(status=Status.REQUESTED).count() >= 3
    assert demo.filter(participation=Participation.REMOTE).count() >= 5
    assert Circle.objects.filter(visibility="unlisted").exists()


def test_the_demo_pages_open_for_camille(client, camille):
    client.force_login(camille)
    organized = Membership.objects.get(member=camille, role=Role.ORGANIZER, status=Status.ACTIVE).circle
    for url in (
        reverse("circles:browse"),
        reverse("circles:mine"),
        reverse("circles:detail", args=[Circle.objects.get(name=REFERRAL_CLUB).slug]),
        reverse("circles:manage", args=[organized.slug]),
    ):
        assert client.get(url).status_code == 200, url
    club = Circle.objects.get(name=REFERRAL_CLUB)
    club_organizer = club.memberships.get(role=Role.ORGANIZER).member
    client.force_login(club_organizer)
    page = client.get(reverse("circles:manage", args=[club.slug])).content.decode()
    assert 'id="seats"' in page and camille.profile.display_name in page


def test_the_same_seed_gives_the_same_circles(camille):
    first = _snapshot()
    demo_load(seed=SEED, members=MEMBERS)
    assert _snapshot() == first


def test_reloading_keeps_the_circles_of_real_members(camille, owner, make_circle):
    real = make_circle(owner, name="Un vrai cercle")
    count = Circle.objects.filter(slug__endswith=DEMO_SLUG_MARK).count()
    demo_load(seed=SEED, members=MEMBERS)
    assert Circle.objects.filter(pk=real.pk).exists()
    assert Circle.objects.filter(slug__endswith=DEMO_SLUG_MARK).count() == count
