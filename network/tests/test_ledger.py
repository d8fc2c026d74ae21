"""Give and receive: help given and received, overall and per contact, and a nudge when it only went one way."""

import html
import re

import pytest
from django.urls import reverse

from network import selectors, services

pytestmark = pytest.mark.django_db

NUDGE_ON_CONTACT = "Only received so far: what could you offer them?"


@pytest.fixture
def browser(client_of, owner, settings):
    client = client_of(owner)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def people(owner, contact_of):
    """Inès only helped me; I only helped Paul; Zoé and I help each other; Léa is just a friend."""
    ines = contact_of(owner, full_name="Inès Moreau")
    paul = contact_of(owner, full_name="Paul Girard")
    zoe = contact_of(owner, full_name="Zoé Martin")
    lea = contact_of(owner, full_name="Léa Fontaine")

    def log(contacts, kind, times=1):
        for _ in range(times):
            services.interaction_log(owner=owner, contacts=contacts, kind=kind)

    log([ines], "help_received", times=2)
    log([paul], "help_given", times=3)
    log([zoe], "help_given")
    log([zoe], "help_received")
    log([lea], "lunch", times=4)
    log([lea], "introduction")
    return {"ines": ines, "paul": paul, "zoe": zoe, "lea": lea}


def _rows(response) -> dict[str, tuple[str, str, str]]:
    """The ledger table: name → (given, received, remark)."""
    body = _text(response).split("<tbody>")[1]
    rows = re.findall(
        r"<tr><td><a [^>]+>([^<]+)</a></td><td>(\d+)</td><td>(\d+)</td>\s*<td>(.*?)</td></tr>", body, re.S
    )
    return {name: (given, received, re.sub(r"<[^>]+>", "", remark).strip()) for name, given, received, remark in rows}


def test_the_ledger_adds_up_help_given_and_received(owner, people):
    totals, lines = selectors.ledger(owner=owner)
    assert totals == {"given": 4, "received": 3}
    by_name = {line.contact.full_name: (line.given, line.received, line.one_way) for line in lines}
    assert by_name == {
        "Paul Girard": (3, 0, "given"),
        "Zoé Martin": (1, 1, ""),
        "Inès Moreau": (0, 2, "received"),
    }
    assert [line.contact.full_name for line in lines][0] == "Paul Girard"  # most exchanges first


def test_the_ledger_page_shows_the_totals_and_each_contact(browser, people):
    response = browser.get(reverse("network:ledger"))
    assert response.status_code == 200
    page = _text(response)
    assert "Help given: <strong>4</strong> · help received: <strong>3</strong>" in page
    assert _rows(response) == {
        "Paul Girard": ("3", "0", "only given"),
        "Zoé Martin": ("1", "1", ""),
        "Inès Moreau": ("0", "2", "only received"),
    }
    assert "Léa Fontaine" not in page  # lunches are not help


def test_the_ledger_nudges_me_about_people_who_only_gave(browser, people):
    page = _text(browser.get(reverse("network:ledger")))
    section = page.split("Only received so far</h2>")[1].split("</section>")[0]
    assert "What could you offer them?" in section
    assert "Inès Moreau</a> — 2 times" in section
    assert "Paul Girard" not in section and "Zoé Martin" not in section


def test_the_contact_page_nudges_only_when_help_went_one_way_to_me(browser, people):
    def page(contact):
        return _text(browser.get(reverse("network:contact_detail", args=[contact.pk])))

    assert "help given 0 · received 2" in page(people["ines"])
    assert NUDGE_ON_CONTACT in page(people["ines"])
    assert "help given 3 · received 0" in page(people["paul"])
    for name in ("paul", "zoe", "lea"):
        assert NUDGE_ON_CONTACT not in page(people[name]), name


def test_giving_back_ends_the_nudge(browser, owner, people):
    services.interaction_log(owner=owner, contacts=[people["ines"]], kind="help_given")
    page = _text(browser.get(reverse("network:ledger")))
    assert "Only received so far" not in page
    assert NUDGE_ON_CONTACT not in _text(browser.get(reverse("network:contact_detail", args=[people["ines"].pk])))


def test_receiving_more_than_giving_overall_brings_a_gentle_word(browser, owner, people):
    assert "You have received more than you have given" not in _text(browser.get(reverse("network:ledger")))
    services.interaction_log(owner=owner, contacts=[people["ines"]], kind="help_received")
    services.interaction_log(owner=owner, contacts=[people["lea"]], kind="help_received")
    assert "You have received more than you have given" in _text(browser.get(reverse("network:ledger")))


def test_help_with_two_contacts_counts_once_overall_and_once_for_each(owner, contact_of):
    ines = contact_of(owner, full_name="Inès Moreau")
    paul = contact_of(owner, full_name="Paul Girard")
    services.interaction_log(owner=owner, contacts=[ines, paul], kind="help_given")
    totals, lines = selectors.ledger(owner=owner)
    assert totals == {"given": 1, "received": 0}
    assert {(line.contact.full_name, line.given) for line in lines} == {("Inès Moreau", 1), ("Paul Girard", 1)}


def test_an_archived_contact_still_counts_in_the_ledger(owner, people):
    services.contact_set_archived(contact=people["ines"], archived=True)
    totals, lines = selectors.ledger(owner=owner)
    assert totals == {"given": 4, "received": 3}
    assert "Inès Moreau" in {line.contact.full_name for line in lines}


def test_another_members_help_never_counts(browser, client_of, owner, member, contact_of, people):
    theirs = contact_of(member, full_name="Marc's friend Inès")
    for kind in ("help_received", "help_received", "help_given"):
        services.interaction_log(owner=member, contacts=[theirs], kind=kind)

    totals, lines = selectors.ledger(owner=owner)
    assert totals == {"given": 4, "received": 3}
    assert "Marc's friend Inès" not in {line.contact.full_name for line in lines}
    assert "Marc's friend Inès" not in _text(browser.get(reverse("network:ledger")))

    member_page = _text(client_of(member).get(reverse("network:ledger")))
    assert "Help given: <strong>1</strong> · help received: <strong>2</strong>" in member_page
    for mine in ("Inès Moreau", "Paul Girard", "Zoé Martin"):
        assert mine not in member_page


def test_an_empty_ledger_explains_how_to_fill_it(client_of, stranger, settings):
    client = client_of(stranger)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = _text(client.get(reverse("network:ledger")))
    assert "No help logged yet." in page
    assert "Only received so far" not in page
