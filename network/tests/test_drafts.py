"""'Write to them': a short personal message drafted from what I know of the relationship."""

import datetime as dt
import html

import pytest
from django.urls import reverse
from django.utils import translation

from network import selectors, services
from network.drafts import draft_for

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def browser(client_of, owner, settings):
    client = client_of(owner)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _text(response) -> str:
    return html.unescape(response.content.decode())


def _draft(client, contact, **headers) -> str:
    response = client.get(reverse("network:contact_draft", args=[contact.pk]), **headers)
    assert response.status_code == 200
    return _text(response)


@pytest.fixture
def ines(owner, contact_of):
    """Met at a conference, seen for lunch in March 2025, with an e-mail and a reason."""
    contact = contact_of(
        owner,
        full_name="Inès Moreau-Lefèvre",
        emails=["ines@example.org", "ines.moreau@studio.example"],
        how_met="Conférence Web2Day à Nantes",
        why="Elle connaît tous les créatifs de la ville.",
    )
    services.interaction_log(
        owner=owner, contacts=[contact], kind="lunch", occurred_on=dt.date(2025, 3, 12), note="son projet de podcast"
    )
    return contact


def test_the_draft_greets_by_first_name_and_recalls_our_last_exchange_and_why(browser, ines):
    page = _draft(browser, ines)
    assert "A few words for Inès Moreau-Lefèvre" in page
    assert "Hello Inès," in page
    assert "I was thinking of our lunch on 12 March 2025, and I wondered how you were doing." in page
    assert "Where are you with “son projet de podcast”?" in page
    assert "I still remember: Elle connaît tous les créatifs de la ville." in page
    assert "Shall we have a coffee or lunch in the coming weeks?" in page
    assert "Hélène Dupré" in page.split('id="draft-body"')[1]  # signed with my name
    assert 'value="News, and a coffee?"' in page


def test_the_draft_recalls_the_latest_exchange_of_several(browser, owner, ines):
    services.interaction_log(owner=owner, contacts=[ines], kind="after_work", occurred_on=dt.date(2025, 9, 4))
    services.interaction_log(owner=owner, contacts=[ines], kind="call", occurred_on=dt.date(2024, 1, 2))
    page = _draft(browser, ines)
    assert "our after-work on 4 September 2025" in page
    assert "lunch" not in page.split('id="draft-body"')[1].split("Shall we")[0]


def test_without_any_exchange_the_draft_recalls_how_we_met(browser, owner, contact_of):
    contact = contact_of(owner, full_name="Paul Girard", how_met="Petit-déjeuner du club d'affaires")
    page = _draft(browser, contact)
    assert "Hello Paul," in page
    assert "We met through “Petit-déjeuner du club d'affaires”, and I wondered how you were doing." in page
    assert "I still remember" not in page  # no "why" written: nothing made up


def test_with_nothing_known_the_draft_stays_simple(browser, owner, contact_of):
    contact = contact_of(owner, full_name="Zoé")
    page = _draft(browser, contact)
    assert "Hello Zoé," in page
    assert "It has been a while, and I wondered how you were doing." in page


def test_the_mail_client_opens_on_the_first_email_only_when_there_is_one(browser, owner, ines, contact_of):
    page = _draft(browser, ines)
    assert 'action="mailto:ines@example.org"' in page
    assert "Open in my mail client" in page
    assert "Copy the message" in page

    without = contact_of(owner, full_name="Paul Girard", how_met="Un ami commun")
    page = _draft(browser, without)
    assert "mailto:" not in page
    assert "Open in my mail client" not in page
    assert "No e-mail address for this contact." in page
    assert "Copy the message" in page  # copying still works


def test_the_draft_comes_as_a_fragment_for_htmx(browser, ines):
    page = _draft(browser, ines, **HTMX)
    assert page.lstrip().startswith('<section class="panel draft">')
    assert "<html" not in page
    assert "Hello Inès," in page and 'action="mailto:ines@example.org"' in page


def test_the_contact_page_loads_the_draft_in_place(browser, ines):
    page = _text(browser.get(reverse("network:contact_detail", args=[ines.pk])))
    assert f'hx-get="{reverse("network:contact_draft", args=[ines.pk])}"' in page
    assert 'hx-target="#draft"' in page and '<div id="draft"></div>' in page


def test_what_i_wrote_is_shown_as_text_never_as_markup(browser, owner, contact_of):
    contact = contact_of(owner, full_name="Eve <b>Hacker</b>", why="</textarea><script>alert(1)</script>")
    raw = browser.get(reverse("network:contact_draft", args=[contact.pk])).content.decode()
    assert "<script>alert(1)</script>" not in raw
    assert "</textarea><script>" not in raw
    assert "&lt;script&gt;" in raw


def test_the_mailto_link_of_the_draft_carries_subject_and_body(owner, ines):
    with translation.override("en"):
        draft = draft_for(contact=ines, last=selectors.last_interaction_with(ines), sender_name="Hélène")
    assert draft.email == "ines@example.org"
    assert draft.mailto.startswith("mailto:ines%40example.org?subject=News%2C%20and%20a%20coffee%3F&body=Hello%20In")
    assert draft.body.splitlines()[0] == "Hello Inès,"
    assert draft.body.splitlines()[-1] == "Hélène"


def test_the_draft_follows_the_active_language(owner, ines):
    with translation.override("en"):
        english = draft_for(contact=ines, last=selectors.last_interaction_with(ines), sender_name="Hélène")
    assert "I was thinking of our lunch on 12 March 2025" in english.body


def test_the_draft_page_renders_in_french(client_of, owner, ines, settings):
    client = client_of(owner)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    page = _draft(client, ines)
    assert '<html lang="fr">' in page
    assert "Inès" in page
    assert "12 mars 2025" in page  # dates already speak French


def test_another_members_draft_is_a_404(client_of, member, ines):
    assert client_of(member).get(reverse("network:contact_draft", args=[ines.pk])).status_code == 404
