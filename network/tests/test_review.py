"""The yearly network review, one card at a time, and the "networkaholic" signal."""

import datetime as dt
import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from network import selectors, services
from network.models import Contact, ReviewDecision

pytestmark = pytest.mark.django_db

QUESTION = "Could you wish this person a happy new year?"


@pytest.fixture
def browser(client_of, owner, settings):
    client = client_of(owner)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _text(response) -> str:
    return html.unescape(response.content.decode())


def _card(client) -> tuple[str | None, int | None, str]:
    """The name and id on the card now shown, and the progress line."""
    page = _text(client.get(reverse("network:review")))
    cards = re.findall(r'<article class="review-card panel">\s*<h2>([^<]+)</h2>', page)
    assert len(cards) <= 1, "one card at a time"
    ids = re.findall(r'<input type="hidden" name="contact" value="(\d+)">', page)
    # "3 of 5 reviewed" / "3 sur 5 passés en revue": the numbers, whatever the language.
    done, total = re.search(r"(\d+) (?:of|sur) (\d+) (?:reviewed|passés en revue)", page).groups()
    progress = f"{done} of {total}"
    return (cards[0] if cards else None), (int(ids[0]) if ids else None), progress


def _answer(client, contact_id, decision):
    response = client.post(reverse("network:review"), {"contact": str(contact_id), "decision": decision})
    assert response.status_code == 302 and response["Location"] == reverse("network:review")
    return response


@pytest.fixture
def three(owner, contact_of, days_ago):
    """Never logged, seen two years ago, seen last month."""
    never = contact_of(owner, full_name="Zoé Martin")
    old = contact_of(owner, full_name="Inès Moreau", how_met="Conférence Web2Day à Nantes")
    services.interaction_log(owner=owner, contacts=[old], kind="lunch", occurred_on=days_ago(730))
    recent = contact_of(owner, full_name="Paul Girard", cadence_days=30)
    services.interaction_log(owner=owner, contacts=[recent], kind="coffee", occurred_on=days_ago(20))
    return never, old, recent


def test_the_review_shows_one_card_with_the_question(browser, three):
    page = _text(browser.get(reverse("network:review")))
    assert QUESTION in page
    assert page.count('class="review-card') == 1
    assert re.search(r"0 (?:of|sur) 3 (?:reviewed|passés en revue)", page)
    for button in ("Yes — keep", "Not now — reconnect", "No — archive"):
        assert button in page


def test_the_review_starts_with_the_people_i_have_had_the_least_news_of(browser, three):
    never, old, recent = three
    order = []
    for _ in range(3):
        name, contact_id, _progress = _card(browser)
        order.append(name)
        _answer(browser, contact_id, "keep")
    assert order == ["Zoé Martin", "Inès Moreau", "Paul Girard"]


def test_the_card_recalls_the_last_exchange_and_how_we_met(browser, owner, three):
    never, old, recent = three
    _answer(browser, never.pk, "keep")
    page = _text(browser.get(reverse("network:review")))
    assert "Inès Moreau" in page
    assert "Conférence Web2Day à Nantes" in page
    assert "Last exchange: Lunch, " in page


def test_each_answer_is_saved_and_the_review_resumes_where_it_stopped(browser, owner, three, settings):
    never, old, recent = three
    first, first_id, progress = _card(browser)
    assert progress == "0 of 3"
    _answer(browser, first_id, "keep")

    second, second_id, progress = _card(browser)
    assert second != first and progress == "1 of 3"
    # Leave and come back later, on another device: the same card waits.
    browser.logout()  # the test client forgets every cookie here, the language one too
    browser.force_login(owner)
    browser.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert _card(browser) == (second, second_id, "1 of 3")

    _answer(browser, second_id, "keep")
    _answer(browser, _card(browser)[1], "keep")
    name, contact_id, progress = _card(browser)
    assert (name, contact_id, progress) == (None, None, "3 of 3")
    assert "Review done: every contact has an answer this year." in _text(browser.get(reverse("network:review")))
    year = timezone.localdate().year
    assert ReviewDecision.objects.filter(owner=owner, round=year, decision="keep").count() == 3


def test_keep_changes_nothing_on_the_contact(browser, three):
    never, old, recent = three
    _answer(browser, recent.pk, "keep")
    recent.refresh_from_db()
    assert (recent.archived, recent.cadence_days) == (False, 30)
    assert recent.next_due_on == timezone.localdate() + dt.timedelta(days=10)


def test_reconnect_sets_a_cadence_and_makes_the_contact_due_today(browser, owner, three):
    never, old, recent = three
    _answer(browser, old.pk, "reconnect")
    old.refresh_from_db()
    assert old.cadence_days == 90
    assert old.next_due_on == timezone.localdate()
    assert [c.full_name for c in selectors.contacts_due(owner=owner)] == ["Inès Moreau"]

    # A contact who had a cadence keeps it.
    _answer(browser, recent.pk, "reconnect")
    recent.refresh_from_db()
    assert recent.cadence_days == 30
    assert recent.next_due_on == timezone.localdate()
    assert {c.full_name for c in selectors.contacts_due(owner=owner)} == {"Inès Moreau", "Paul Girard"}


def test_reconnecting_then_logging_a_coffee_clears_the_reminder(browser, owner, three):
    never, old, recent = three
    _answer(browser, never.pk, "reconnect")
    services.interaction_log(owner=owner, contacts=[Contact.objects.get(pk=never.pk)], kind="coffee")
    assert list(selectors.contacts_due(owner=owner)) == []


def test_archive_archives_but_keeps_the_card_in_the_progress(browser, owner, three):
    never, old, recent = three
    _answer(browser, old.pk, "archive")
    old.refresh_from_db()
    assert old.archived
    assert "Inès Moreau" not in [c.full_name for c in selectors.contacts_search(owner=owner)]
    assert _card(browser)[2] == "1 of 3"


def test_changing_an_answer_replaces_it(browser, owner, three):
    never, old, recent = three
    _answer(browser, never.pk, "keep")
    _answer(browser, never.pk, "archive")
    assert ReviewDecision.objects.get(owner=owner, contact=never).decision == "archive"
    assert _card(browser)[2] == "1 of 3"


def test_an_unknown_decision_saves_nothing(browser, owner, three):
    never, old, recent = three
    _answer(browser, never.pk, "delete everything")
    assert not ReviewDecision.objects.filter(owner=owner).exists()
    assert _card(browser)[2] == "0 of 3"


def test_answering_for_another_members_contact_is_a_404(client_of, member, three):
    never, old, recent = three
    client = client_of(member)
    response = client.post(reverse("network:review"), {"contact": str(old.pk), "decision": "archive"})
    assert response.status_code == 404
    old.refresh_from_db()
    assert not old.archived
    assert not ReviewDecision.objects.exists()


@pytest.mark.parametrize("garbage", ["", "abc", "-1", "1 OR 1=1", "999999", "9" * 30, "²", "1.5"])
def test_answering_with_a_garbage_contact_id_is_a_404(browser, owner, three, garbage):
    response = browser.post(reverse("network:review"), {"contact": garbage, "decision": "keep"})
    assert response.status_code == 404
    assert not ReviewDecision.objects.exists()


def test_another_members_review_never_shows_my_contacts(client_of, member, three):
    page = _text(client_of(member).get(reverse("network:review")))
    assert re.search(r"0 (?:of|sur) 0 (?:reviewed|passés en revue)", page)
    for name in ("Zoé Martin", "Inès Moreau", "Paul Girard"):
        assert name not in page


# --- Networkaholic: many more contacts than living relationships


def _network(owner, contact_of, days_ago, *, contacts: int, living: int):
    for index in range(contacts):
        contact = contact_of(owner, full_name=f"Contact {index:03d}")
        if index < living:
            services.interaction_log(owner=owner, contacts=[contact], kind="coffee", occurred_on=days_ago(index * 12))
        elif index % 2:
            services.interaction_log(owner=owner, contacts=[contact], kind="coffee", occurred_on=days_ago(400))


def test_sixty_contacts_and_ten_living_relationships_is_networkaholic(owner, contact_of, days_ago):
    _network(owner, contact_of, days_ago, contacts=60, living=10)
    health = selectors.network_health(owner=owner)
    assert (health.contacts, health.living) == (60, 10)
    assert health.networkaholic


def test_sixty_contacts_and_thirty_living_relationships_is_not(owner, contact_of, days_ago):
    _network(owner, contact_of, days_ago, contacts=60, living=30)
    health = selectors.network_health(owner=owner)
    assert (health.contacts, health.living) == (60, 30)
    assert not health.networkaholic


def test_a_relationship_lives_for_a_year_after_the_last_exchange(owner, contact_of, days_ago):
    inside = contact_of(owner, full_name="Inès Moreau")
    services.interaction_log(owner=owner, contacts=[inside], kind="call", occurred_on=days_ago(365))
    outside = contact_of(owner, full_name="Paul Girard")
    services.interaction_log(owner=owner, contacts=[outside], kind="call", occurred_on=days_ago(366))
    assert selectors.network_health(owner=owner).living == 1


def test_archived_contacts_are_not_counted_in_the_network_health(owner, contact_of, days_ago):
    _network(owner, contact_of, days_ago, contacts=60, living=10)
    for contact in Contact.objects.filter(owner=owner, last_interaction_on__isnull=True)[:20]:
        services.contact_set_archived(contact=contact, archived=True)
    health = selectors.network_health(owner=owner)
    assert (health.contacts, health.living) == (40, 10)
    assert not health.networkaholic  # below fifty contacts, nobody is a networkaholic


def test_network_health_counts_only_my_contacts(owner, member, contact_of, days_ago):
    _network(owner, contact_of, days_ago, contacts=60, living=10)
    health = selectors.network_health(owner=member)
    assert (health.contacts, health.living, health.networkaholic) == (0, 0, False)
