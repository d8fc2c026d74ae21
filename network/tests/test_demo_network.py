"""The demo member's network is alive on first login: hundreds of contacts, a history, some overdue, some one-way."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from network import selectors
from network.models import Contact, Interaction
from people.demo import DEMO_LOGIN, demo_load
from people.models import User

pytestmark = pytest.mark.django_db

SEED = 3
MEMBERS = 50


@pytest.fixture
def camille(cities):
    demo_load(seed=SEED, members=MEMBERS)
    return User.objects.get(email=DEMO_LOGIN)


def _names(user) -> list[str]:
    return sorted(Contact.objects.filter(owner=user).values_list("full_name", flat=True))


def test_the_demo_login_has_a_few_hundred_contacts(camille):
    contacts = Contact.objects.filter(owner=camille)
    assert contacts.count() >= 300
    assert contacts.exclude(company="").count() >= 300
    assert contacts.filter(member__isnull=False).exists()  # some of them are on Cercle
    assert len({c.city for c in contacts}) > 1
    assert contacts.exclude(labels=[]).exists()


def test_some_demo_contacts_are_due_to_reconnect(camille):
    due = list(selectors.contacts_due(owner=camille))
    assert len(due) >= 5
    today = timezone.localdate()
    assert all(c.next_due_on <= today for c in due)
    assert [c.next_due_on for c in due] == sorted(c.next_due_on for c in due)


def test_some_demo_contacts_only_gave_help(camille):
    _totals, lines = selectors.ledger(owner=camille)
    assert any(line.one_way == "received" for line in lines)
    assert any(line.given for line in lines)


def test_the_demo_has_interactions_in_the_last_six_months(camille):
    since = timezone.localdate() - dt.timedelta(days=182)
    recent = Interaction.objects.filter(owner=camille, occurred_on__gte=since)
    assert recent.count() >= 50
    assert recent.values("occurred_on").distinct().count() >= 20  # spread over many days
    assert not Interaction.objects.filter(owner=camille, occurred_on__gt=timezone.localdate()).exists()


def test_the_demo_last_exchange_dates_match_the_history(camille):
    for contact in Contact.objects.filter(owner=camille, last_interaction_on__isnull=False)[:50]:
        assert contact.last_interaction_on == selectors.last_interaction_with(contact).occurred_on


def test_the_demo_search_finds_contacts_like_any_other(camille):
    someone = Contact.objects.filter(owner=camille).order_by("id").first()
    last_name = someone.full_name.split()[-1]
    assert someone in selectors.contacts_search(owner=camille, query=last_name.upper())


def test_the_demo_network_pages_open(client, camille):
    client.force_login(camille)
    for name in ("contact_list", "due_list", "ledger", "review"):
        assert client.get(reverse(f"network:{name}")).status_code == 200, name


def _history(user) -> list[tuple]:
    rows = Interaction.objects.filter(owner=user).values_list("contacts__full_name", "kind", "occurred_on")
    return sorted(rows)


def test_the_same_seed_gives_the_same_network(camille):
    names, history = _names(camille), _history(camille)
    demo_load(seed=SEED, members=MEMBERS)
    again = User.objects.get(email=DEMO_LOGIN)
    assert _names(again) == names
    assert _history(again) == history


def test_another_seed_gives_another_network(camille):
    first = _names(camille)
    demo_load(seed=SEED + 1, members=MEMBERS)
    assert _names(User.objects.get(email=DEMO_LOGIN)) != first
