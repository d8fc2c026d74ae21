"""My contacts: add, edit, archive and bring back, search (accents either way), labels, the picker."""

import html
import re

import pytest
from django.urls import reverse

from network.models import Contact
from network.selectors import contacts_due

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def browser(client_of, owner, settings):
    """The owner's browser, in English (the network's strings are written in English first)."""
    client = client_of(owner)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _text(response) -> str:
    return html.unescape(response.content.decode())


def _listed(response) -> list[str]:
    """The names of the contacts a page links to, in the order shown."""
    prefix = re.escape(reverse("network:contact_list"))
    names = re.findall(rf'<a href="{prefix}\d+/">(?:<strong>)?([^<]+)', response.content.decode())
    return [html.unescape(name) for name in names]


def _search(client, **params) -> list[str]:
    response = client.get(reverse("network:contact_list"), params)
    assert response.status_code == 200
    return _listed(response)


def _form(**changes) -> dict:
    data = {
        "full_name": "Inès Moreau",
        "emails": "ines@example.org, Ines.Moreau@Studio.example",
        "phones": "06 12 34 56 78, +33 4 91 00 00 00",
        "company": "Studio Lumen",
        "position": "Directrice artistique",
        "city": "Marseille",
        "sector": "",
        "how_met": "Petit-déjeuner du club d'affaires du Vieux-Port",
        "why": "Connaît tous les créatifs de la ville",
        "met_on": "2025-03-14",
        "labels": "client, Femmes & Tech",
        "cadence_days": "60",
        "linkedin_url": "https://www.linkedin.com/in/ines-moreau",
        "notes": "Aime le jazz",
    }
    data.update(changes)
    return data


# --- Adding and editing


def test_a_contact_added_through_the_page_shows_every_field_on_its_page(browser, owner):
    response = browser.post(reverse("network:contact_create"), _form())
    contact = Contact.objects.get(owner=owner)
    assert response.status_code == 302
    assert response["Location"] == reverse("network:contact_detail", args=[contact.pk])

    page = _text(browser.get(response["Location"]))
    assert "Inès Moreau is in your network." in page
    for shown in (
        "Inès Moreau",
        "Directrice artistique · Studio Lumen",
        "ines@example.org",
        "Ines.Moreau@Studio.example",
        "06 12 34 56 78",
        "+33 4 91 00 00 00",
        "<li>client</li>",
        "<li>Femmes & Tech</li>",
        "Connaît tous les créatifs de la ville",
        "Petit-déjeuner du club d'affaires du Vieux-Port",
        "every 60 days",
        "Aime le jazz",
        "https://www.linkedin.com/in/ines-moreau",
    ):
        assert shown in page, shown
    assert contact.emails == ["ines@example.org", "Ines.Moreau@Studio.example"]
    assert contact.phones == ["06 12 34 56 78", "+33 4 91 00 00 00"]
    assert contact.labels == ["client", "Femmes & Tech"]


def test_the_same_email_typed_twice_is_kept_once(browser, owner):
    browser.post(reverse("network:contact_create"), _form(emails="ines@example.org, INES@example.org ,"))
    assert Contact.objects.get(owner=owner).emails == ["ines@example.org"]


@pytest.mark.parametrize(
    ("field", "typed", "error"),
    [
        ("full_name", "", "This field is required."),
        (
            "emails",
            "ines@example.org, ines at example dot org",
            "“ines at example dot org” is not a valid e-mail address.",
        ),
        ("met_on", "14/03/2025 maybe", "Enter a valid date."),
        ("linkedin_url", "linkedin ines moreau", "Enter a valid URL."),
    ],
)
def test_bad_input_shows_the_form_again_with_the_error_and_nothing_typed_is_lost(browser, owner, field, typed, error):
    data = _form(**{field: typed})
    response = browser.post(reverse("network:contact_create"), data)
    assert response.status_code == 200
    page = _text(response)
    assert error in page
    assert not Contact.objects.filter(owner=owner).exists()
    # Everything typed comes back, the faulty value included, so the member fixes one thing only.
    for name, value in data.items():
        if value and name != "sector":
            assert value in page, name


def test_editing_a_contact_changes_its_page(browser, owner, contact_of):
    contact = contact_of(owner, full_name="Inès Moreau", company="Studio Lumen", labels=["client"])
    form_page = _text(browser.get(reverse("network:contact_edit", args=[contact.pk])))
    assert 'value="Inès Moreau"' in form_page and 'value="client"' in form_page

    response = browser.post(
        reverse("network:contact_edit", args=[contact.pk]),
        _form(company="Atelier Nord", labels="client, mentor", cadence_days=""),
    )
    assert response["Location"] == reverse("network:contact_detail", args=[contact.pk])
    page = _text(browser.get(response["Location"]))
    assert "The contact is saved." in page
    assert "Atelier Nord" in page and "Studio Lumen" not in page
    assert "<li>mentor</li>" in page
    assert "no reminder" in page
    assert _search(browser, label="mentor") == ["Inès Moreau"]


def test_an_edit_with_an_empty_name_keeps_the_contact_as_it_was(browser, owner, contact_of):
    contact = contact_of(owner, full_name="Inès Moreau", company="Studio Lumen")
    response = browser.post(reverse("network:contact_edit", args=[contact.pk]), _form(full_name="", company="Autre"))
    assert response.status_code == 200 and "This field is required." in _text(response)
    contact.refresh_from_db()
    assert (contact.full_name, contact.company) == ("Inès Moreau", "Studio Lumen")


# --- Archiving


def test_an_archived_contact_leaves_the_list_and_the_due_list_and_can_be_brought_back(
    browser, owner, contact_of, days_ago
):
    kept = contact_of(owner, full_name="Paul Girard", cadence_days=30, met_on=days_ago(100))
    pruned = contact_of(owner, full_name="Inès Moreau", cadence_days=30, met_on=days_ago(100))
    assert _search(browser) == ["Inès Moreau", "Paul Girard"]
    assert set(_listed(browser.get(reverse("network:due_list")))) == {"Inès Moreau", "Paul Girard"}

    archive = reverse("network:contact_archive", args=[pruned.pk])
    response = browser.post(archive, {"next": reverse("network:contact_list")}, follow=True)
    assert "Inès Moreau is archived." in _text(response)
    assert _listed(response) == ["Paul Girard"]
    assert _listed(browser.get(reverse("network:due_list"))) == ["Paul Girard"]
    assert list(contacts_due(owner=owner)) == [kept]

    archived_page = browser.get(reverse("network:contact_list"), {"archived": "on"})
    assert "Archived contacts" in _text(archived_page)
    assert _listed(archived_page) == ["Inès Moreau"]
    assert "archived" in _text(browser.get(reverse("network:contact_detail", args=[pruned.pk])))

    response = browser.post(archive, {"next": reverse("network:contact_list")}, follow=True)
    assert "Inès Moreau is back in your network." in _text(response)
    assert _listed(response) == ["Inès Moreau", "Paul Girard"]
    assert _search(browser, archived="on") == []
    assert set(_listed(browser.get(reverse("network:due_list")))) == {"Inès Moreau", "Paul Girard"}


def test_archiving_only_answers_a_post(browser, owner, contact_of):
    contact = contact_of(owner, full_name="Inès Moreau")
    assert browser.get(reverse("network:contact_archive", args=[contact.pk])).status_code == 405
    contact.refresh_from_db()
    assert not contact.archived


# --- Search


@pytest.fixture
def network(owner, contact_of):
    contact_of(owner, full_name="Helene Dupre", company="Cabinet Rivage", city="Aubagne")
    contact_of(owner, full_name="Hélène Dupré", company="Société Générale", labels=["clients"])
    contact_of(owner, full_name="Paul Girard", company="Atelier Nord", city="Lyon", labels=["Client", "mentor"])
    contact_of(owner, full_name="Zoé Martin", notes="Rencontrée au salon, passionnée d'escalade")


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("Hélène", ["Helene Dupre", "Hélène Dupré"]),
        ("helene", ["Helene Dupre", "Hélène Dupré"]),
        ("HELENE DUPRE", ["Helene Dupre", "Hélène Dupré"]),
        ("dupré hélène", ["Helene Dupre", "Hélène Dupré"]),
        ("societe generale", ["Hélène Dupré"]),  # company, accents typed or not
        ("rivage", ["Helene Dupre"]),
        ("mentor", ["Paul Girard"]),  # label
        ("lyon", ["Paul Girard"]),  # city
        ("aubagne", ["Helene Dupre"]),
        ("ESCALADE", ["Zoé Martin"]),  # private notes
        ("zoe", ["Zoé Martin"]),
        ("nobody like this", []),
    ],
)
def test_search_ignores_accents_and_case_and_looks_everywhere(browser, network, query, found):
    assert _search(browser, q=query) == found


def test_an_empty_search_lists_every_active_contact_by_name(browser, network):
    assert _search(browser) == ["Helene Dupre", "Hélène Dupré", "Paul Girard", "Zoé Martin"]


def test_the_label_filter_is_exact_but_ignores_case(browser, network):
    assert _search(browser, label="client") == ["Paul Girard"]  # not "clients"
    assert _search(browser, label="clients") == ["Hélène Dupré"]
    assert _search(browser, label="CLIENT") == ["Paul Girard"]
    assert _search(browser, label="cli") == []


def test_a_label_on_the_list_links_to_its_filter(browser, network):
    page = browser.get(reverse("network:contact_list")).content.decode()
    assert f'href="{reverse("network:contact_list")}?label=mentor"' in page


def test_another_members_contacts_never_come_up(client_of, member, network):
    client = client_of(member)
    assert _search(client) == []
    assert _search(client, q="helene") == []
    assert _search(client, label="client") == []


def test_an_htmx_search_returns_only_the_results(browser, network):
    response = browser.get(reverse("network:contact_list"), {"q": "helene"}, **HTMX)
    page = _text(response)
    assert _listed(response) == ["Helene Dupre", "Hélène Dupré"]
    assert "2 contacts" in page
    assert "<html" not in page and "<form" not in page


def test_the_search_form_keeps_the_query(browser, network):
    page = _text(browser.get(reverse("network:contact_list"), {"q": "hélène"}))
    assert 'value="hélène"' in page


# --- The contact picker of the quick-add form


def _picked(response) -> dict[int, str]:
    boxes = re.findall(
        r'<input type="checkbox" name="contacts" value="(\d+)"> ([^<]+)', html.unescape(response.content.decode())
    )
    return {int(pk): name.strip() for pk, name in boxes}


def test_the_picker_offers_a_checkbox_for_each_matching_contact(browser, owner, network):
    response = browser.get(reverse("network:contact_list"), {"picker": "1", "who": "helene"}, **HTMX)
    assert response.status_code == 200
    expected = Contact.objects.filter(owner=owner, full_name__in=["Helene Dupre", "Hélène Dupré"])
    assert _picked(response) == {c.pk: c.full_name for c in expected}
    assert "<table" not in response.content.decode()


def test_the_picker_offers_nothing_without_a_name_or_for_another_member(browser, client_of, member, network):
    assert _picked(browser.get(reverse("network:contact_list"), {"picker": "1", "who": ""})) == {}
    assert _picked(browser.get(reverse("network:contact_list"), {"picker": "1", "who": "   "})) == {}
    assert _picked(client_of(member).get(reverse("network:contact_list"), {"picker": "1", "who": "helene"})) == {}


def test_the_picker_leaves_archived_contacts_out(browser, owner, network):
    from network.services import contact_set_archived

    contact_set_archived(contact=Contact.objects.get(owner=owner, full_name="Helene Dupre"), archived=True)
    picked = _picked(browser.get(reverse("network:contact_list"), {"picker": "1", "who": "helene"}))
    assert list(picked.values()) == ["Hélène Dupré"]


def test_a_contact_is_linked_to_a_member_through_the_card_they_shared(client_of, owner, member, contact_of):
    from network.forms import CARD_UNKNOWN

    contact = contact_of(owner, full_name="Marc Leroy")
    client = client_of(owner)
    url = reverse("network:contact_edit", args=[contact.pk])
    card = f"http://testserver/c/{member.profile.card_token}/"
    client.post(url, {"full_name": "Marc Leroy", "member_card": card})
    contact.refresh_from_db()
    assert contact.member == member

    refused = client.post(url, {"full_name": "Marc Leroy", "member_card": "http://testserver/c/not-a-card/"})
    assert str(CARD_UNKNOWN) in refused.content.decode().replace("&#x27;", "'")
    client.post(url, {"full_name": "Marc Leroy", "unlink_member": "on"})
    contact.refresh_from_db()
    assert contact.member is None
