"""A club's statistics: counts and values per member and overall, the last twelve months and all
time, named as each viewer may see the members, and written the way each language writes money."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from circles import services as circle_services
from circles.models import Membership
from intros.services import block_create
from people.models import Discoverability, Level
from people.services import consent_update
from referrals import selectors, services
from referrals.formatting import euros, percent
from referrals.models import Referral
from referrals.tests.conftest import SECRETS

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(give, club, owner, member, receiver, fellow):
    """Marc gave Nora three (won 1 234,50 € and 800 €, one lost) and Paul one still open, two years
    ago Nora won 10 000 € from Paul; Hélène gave Marc one, contacted."""

    def won(referral, value):
        return services.referral_update_status(referral=referral, member=referral.receiver, status="won", value=value)

    won(give(prospect_name="A"), "1234.50")
    won(give(prospect_name="B"), "800")
    lost = give(prospect_name="C")
    services.referral_update_status(referral=lost, member=receiver, status="lost")
    give(to=fellow, prospect_name="D")
    old = won(give(giver=fellow, to=receiver, prospect_name="E"), "10000")
    Referral.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=730))
    contacted = give(giver=owner, to=member, prospect_name="F")
    services.referral_update_status(referral=contacted, member=member, status="contacted")
    return club


def _row(period, name):
    return next(r for r in period.rows if r.name == name)


def test_totals_over_the_last_twelve_months_and_all_time(history, member):
    stats = selectors.circle_stats(circle=history, viewer=member)
    recent, all_time = stats.recent.totals, stats.all_time.totals
    assert (recent.referrals, recent.open, recent.won, recent.lost) == (5, 2, 2, 1)
    assert recent.value == Decimal("2034.50") and recent.conversion == pytest.approx(2 / 5)
    assert (all_time.referrals, all_time.won) == (6, 3) and all_time.value == Decimal("12034.50")
    assert all_time.conversion == pytest.approx(3 / 6)


def test_per_member_given_received_won_value_and_conversion(history, member):
    stats = selectors.circle_stats(circle=history, viewer=member)
    marc = _row(stats.recent, "Marc Leroy")
    assert (marc.given, marc.given_won, marc.value_given) == (4, 2, Decimal("2034.50"))
    assert (marc.received, marc.won, marc.value_won, marc.conversion) == (1, 0, Decimal("0"), 0.0)
    assert marc.is_me
    nora = _row(stats.recent, "Nora Haddad")
    assert (nora.given, nora.received, nora.won, nora.value_won) == (0, 3, 2, Decimal("2034.50"))
    assert nora.conversion == pytest.approx(2 / 3)
    nora_ever = _row(stats.all_time, "Nora Haddad")
    assert (nora_ever.received, nora_ever.won, nora_ever.value_won) == (4, 3, Decimal("12034.50"))
    paul = _row(stats.recent, "Paul Simon")
    assert (paul.given, paul.received, paul.won) == (0, 1, 0)
    assert _row(stats.all_time, "Paul Simon").value_given == Decimal("10000")
    helene = _row(stats.recent, "Hélène Dupré")
    assert (helene.given, helene.received, helene.conversion) == (1, 0, None)
    # Ordered by business won first.
    assert stats.recent.rows[0].name == "Nora Haddad"
    # Every referral is counted once on each side.
    assert sum(r.given for r in stats.all_time.rows) == sum(r.received for r in stats.all_time.rows) == 6


def test_members_one_may_not_name_and_former_members_are_counted_together(history, member, fellow, receiver):
    consent_update(profile=fellow.profile, discoverability=Discoverability.HIDDEN, visibility={})
    circle_services.membership_leave(membership=Membership.objects.get(circle=history, member=receiver))
    stats = selectors.circle_stats(circle=history, viewer=member)
    names = {r.name for r in stats.all_time.rows}
    assert names == {"Marc Leroy", "Hélène Dupré"}
    others = stats.all_time.others
    assert (others.given, others.received, others.won, others.value_won) == (1, 5, 3, Decimal("12034.50"))


def test_organizers_see_every_member_s_name_as_joining_allows(history, owner, fellow):
    consent_update(profile=fellow.profile, discoverability=Discoverability.HIDDEN, visibility={"name": Level.ONLY_ME})
    stats = selectors.circle_stats(circle=history, viewer=owner)
    assert "Paul Simon" in {r.name for r in stats.all_time.rows}


def test_a_member_blocked_either_way_is_not_named(history, member, receiver):
    block_create(blocker=receiver, blocked=member)
    stats = selectors.circle_stats(circle=history, viewer=member)
    assert "Nora Haddad" not in {r.name for r in stats.all_time.rows}
    assert stats.all_time.others.received == 4


def test_the_statistics_page_in_english_and_in_french(client, history, fellow):
    client.force_login(fellow)
    url = reverse("referrals:stats", args=[history.slug])
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "The last 12 months" in page and "All time" in page
    assert "€2,034.50" in page and "€12,034.50" in page and "40%" in page and "67%" in page
    assert "Nora Haddad" in page and "Marc Leroy" in page
    assert not any(secret in page for secret in SECRETS)
    french = client.get(url).content.decode()
    assert "2\xa0034,50\xa0€" in french and "12\xa0034,50\xa0€" in french and "40\xa0%" in french


def test_money_and_rates_in_each_language():
    from django.utils import translation

    with translation.override("fr"):
        assert euros(Decimal("1234.5")) == "1\xa0234,50\xa0€" and percent(0.425) == "42\xa0%"
        assert percent(None) == "—"
    with translation.override("en"):
        assert euros(Decimal("1234.5")) == "€1,234.50" and euros(0) == "€0.00" and percent(1) == "100%"
