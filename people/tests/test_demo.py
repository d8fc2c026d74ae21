"""The demo data set: deterministic for a seed, reloadable, and ready to log in with."""

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.urls import reverse

from people.demo import DEMO_DOMAIN, DEMO_LOGIN, DEMO_PASSWORD, demo_load
from people.models import Profile, User

pytestmark = pytest.mark.django_db

MEMBERS = 60


def _snapshot() -> list[tuple]:
    """Who the demo members are, as a visitor of the demo would notice them."""
    profiles = Profile.objects.filter(user__email__endswith="@" + DEMO_DOMAIN).select_related("user", "city")
    return sorted(
        (p.user.email, p.display_name, tuple(p.skills), tuple(p.values), p.city.name if p.city_id else None)
        for p in profiles
    )


def test_the_same_seed_gives_the_same_members(cities):
    demo_load(seed=7, members=MEMBERS)
    first = _snapshot()
    demo_load(seed=7, members=MEMBERS)
    assert _snapshot() == first
    assert len(first) == MEMBERS


def test_another_seed_gives_other_members(cities):
    demo_load(seed=7, members=MEMBERS)
    first = _snapshot()
    demo_load(seed=8, members=MEMBERS)
    second = _snapshot()
    assert second != first
    # Camille, the documented demo login, is there whatever the seed.
    assert [row for row in first if row[0] == DEMO_LOGIN] == [row for row in second if row[0] == DEMO_LOGIN]


def test_demo_members_live_in_known_cities_and_have_varied_profiles(cities):
    demo_load(seed=7, members=MEMBERS)
    rows = _snapshot()
    assert {row[4] for row in rows} <= set(cities)
    assert len({row[4] for row in rows}) > 1
    assert len({row[1] for row in rows}) == MEMBERS  # distinct names
    assert all(row[2] and row[3] for row in rows)  # everyone offers skills and holds values


def test_the_demo_login_works_with_the_demo_password(client, cities):
    demo_load(seed=7, members=MEMBERS)
    assert client.login(email=DEMO_LOGIN, password=DEMO_PASSWORD)
    page = client.get(reverse("people:me")).content.decode()
    assert "Camille Martin" in page


def test_the_demo_login_goes_through_the_real_login_form(client, cities):
    demo_load(seed=7, members=MEMBERS)
    response = client.post(reverse("account_login"), {"login": DEMO_LOGIN, "password": DEMO_PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("network:dashboard")


def test_any_demo_member_can_log_in_with_the_demo_password(client, cities):
    demo_load(seed=7, members=MEMBERS)
    someone = User.objects.filter(email__endswith="@" + DEMO_DOMAIN).exclude(email=DEMO_LOGIN).order_by("pk").last()
    assert client.login(email=someone.email, password=DEMO_PASSWORD)


def test_reloading_replaces_the_demo_members_instead_of_adding_more(cities, owner):
    demo_load(seed=7, members=MEMBERS)
    demo_load(seed=7, members=MEMBERS)
    demo_load(seed=9, members=MEMBERS)
    assert User.objects.filter(email__endswith="@" + DEMO_DOMAIN).count() == MEMBERS
    assert Profile.objects.filter(user__email__endswith="@" + DEMO_DOMAIN).count() == MEMBERS
    assert EmailAddress.objects.filter(email__endswith="@" + DEMO_DOMAIN).count() == MEMBERS
    # Real members are never touched by a demo reload.
    assert User.objects.filter(pk=owner.pk).exists()
    assert Profile.objects.get(pk=owner.pk).display_name == "Hélène Dupré"


def test_every_demo_member_has_a_verified_primary_email(cities):
    demo_load(seed=7, members=MEMBERS)
    users = User.objects.filter(email__endswith="@" + DEMO_DOMAIN)
    addresses = EmailAddress.objects.filter(user__in=users)
    assert addresses.count() == MEMBERS
    assert all(a.verified and a.primary and a.email == a.user.email for a in addresses.select_related("user"))


def test_demo_members_are_searchable_like_real_ones(client, cities, owner):
    demo_load(seed=7, members=MEMBERS)
    client.force_login(owner)
    page = client.get(reverse("people:member_list"), {"q": "camille"}).content.decode()
    assert "Camille Martin" in page


def test_the_command_loads_once_then_only_reloads_when_asked(cities, capsys):
    call_command("load_demo", seed=7, members=10)
    assert User.objects.filter(email__endswith="@" + DEMO_DOMAIN).count() == 10
    call_command("load_demo", seed=7, members=20)
    assert User.objects.filter(email__endswith="@" + DEMO_DOMAIN).count() == 10
    assert "--reset" in capsys.readouterr().out
    call_command("load_demo", "--reset", seed=7, members=20)
    assert User.objects.filter(email__endswith="@" + DEMO_DOMAIN).count() == 20
