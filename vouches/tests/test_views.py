"""The vouches pages and the vouches section of profile pages. These tests read the English
wording (the French one is the catalogue's), and French where Django localizes by itself (dates)."""

import datetime as dt

import pytest
from django.urls import reverse
from freezegun import freeze_time

from vouches import services
from vouches.models import REWRITE_AFTER, Status, Vouch
from vouches.tests.conftest import TEXT, profile_page

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
FORM = {
    "worked_with": "on",
    "relation": "client",
    "started_on": "2021-03-15",
    "ended_on": "2023-06-30",
    "text": TEXT,
}


def _get(client, user, url, **headers):
    client.force_login(user)
    response = client.get(url, **(EN | headers))
    assert response.status_code == 200
    return response.content.decode()


def test_writing_a_vouch_from_a_profile_page(client, owner, open_member):
    author = open_member("Nora Auteure")
    page = profile_page(client, author, owner)
    write_url = reverse("vouches:write", args=[owner.pk])
    assert write_url in page and "Write a vouch" in page

    page = _get(client, author, write_url)
    assert "I worked with this person" in page and "Hélène Dupré" in page
    # Without the declaration, nothing is sent.
    response = client.post(write_url, FORM | {"worked_with": ""}, **EN)
    assert response.status_code == 200 and str(services.DECLARATION_REQUIRED) in response.content.decode()
    response = client.post(write_url, FORM | {"ended_on": "2020-01-01"}, **EN)
    assert str(services.END_BEFORE_START) in response.content.decode()
    assert not Vouch.objects.exists()

    response = client.post(write_url, FORM, follow=True, **EN)
    assert response.redirect_chain[-1][0] == reverse("vouches:index")
    assert "It appears on their profile once they approve it." in response.content.decode()
    vouch = Vouch.objects.get()
    assert (vouch.author, vouch.subject, vouch.status, vouch.relation) == (author, owner, "pending", "client")

    page = profile_page(client, author, owner)
    assert write_url not in page and "You wrote a vouch for this member." in page
    # Going back to the form sends to the list instead of a second vouch.
    assert client.get(write_url).url == reverse("vouches:index")


def test_no_write_link_on_my_own_page_nor_a_route(client, owner):
    page = _get(client, owner, reverse("people:me"))
    assert reverse("vouches:write", args=[owner.pk]) not in page
    assert client.get(reverse("vouches:write", args=[owner.pk])).status_code == 404


def test_a_vouch_shows_on_the_profile_only_once_approved(client, owner, open_member, vouch_for):
    author, reader = open_member("Nora Auteure"), open_member("Paul Lecteur")
    vouch = vouch_for(author, owner)
    assert TEXT not in profile_page(client, reader, owner)
    assert TEXT not in _get(client, owner, reverse("people:me"))

    client.force_login(owner)
    page = _get(client, owner, reverse("vouches:index"))
    assert "Waiting for your approval" in page and TEXT in page and "Hélène Dupré was a client of Nora Auteure" in page
    response = client.post(reverse("vouches:approve", args=[vouch.pk]), follow=True, **EN)
    assert "the vouch now appears on your profile" in response.content.decode()

    page = profile_page(client, reader, owner)
    assert TEXT in page and "Hélène Dupré was a client of Nora Auteure" in page
    assert "from March 2021 to June 2023" in page
    assert reverse("people:member_detail", args=[author.pk]) in page
    assert TEXT in _get(client, owner, reverse("people:me"))


def test_dates_read_in_french_by_default(client, owner, open_member, approved):
    approved(open_member(), owner)
    client.force_login(open_member())
    page = client.get(reverse("people:member_detail", args=[owner.pk]), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "mars 2021" in page and "juin 2023" in page


def test_an_ongoing_collaboration_reads_since(client, owner, open_member, approved):
    approved(open_member(), owner, ended_on=None)
    assert "since March 2021" in profile_page(client, open_member(), owner)


def test_the_text_is_shown_as_text_never_as_html(client, owner, open_member, approved):
    text = "<script>alert('x')</script> Une collaboration <b>remarquable</b> pendant deux ans.\nMerci !"
    approved(open_member(), owner, text=text)
    page = profile_page(client, open_member(), owner)
    assert "<script>alert" not in page and "<b>remarquable" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page and "deux ans.<br>Merci" in page


def test_declining_and_removing_from_the_vouches_page(client, owner, open_member, vouch_for, approved):
    pending = vouch_for(open_member("Nora Auteure"), owner)
    shown = approved(open_member("Paul Auteur"), owner)
    client.force_login(owner)
    response = client.post(reverse("vouches:remove", args=[pending.pk]), follow=True, **EN)
    assert "Declined. The author is not told." in response.content.decode()
    response = client.post(reverse("vouches:remove", args=[shown.pk]), follow=True, **EN)
    assert "no longer appears on your profile" in response.content.decode()
    assert set(Vouch.objects.values_list("status", flat=True)) == {Status.REMOVED}
    page = _get(client, owner, reverse("vouches:index"))
    assert "No vouch waiting for you." in page and "No vouch on your profile yet." in page
    assert TEXT not in profile_page(client, open_member(), owner)


def test_the_author_sees_a_decline_as_pending_and_a_removal_as_such(client, owner, open_member, vouch_for, approved):
    author = open_member()
    other = open_member("Autre Sujet")
    services.vouch_remove(vouch=vouch_for(author, owner), subject=owner)
    services.vouch_remove(vouch=approved(author, other), subject=other)
    page = _get(client, author, reverse("vouches:index"))
    assert page.count("waiting for their approval") == 1 and page.count("no longer shown on their profile") == 1


def test_the_author_edits_then_withdraws(client, owner, open_member, vouch_for):
    author = open_member()
    vouch = vouch_for(author, owner)
    edit_url = reverse("vouches:edit", args=[vouch.pk])
    page = _get(client, author, reverse("vouches:index"))
    assert "Vouches I wrote" in page and edit_url in page
    page = _get(client, author, edit_url)
    assert "Edit my vouch for Hélène Dupré" in page and "2021-03-15" in page and "I worked with" not in page
    new_text = "Une collaboration exemplaire sur trois projets successifs, je recommande vivement."
    response = client.post(edit_url, FORM | {"worked_with": "", "text": new_text, "ended_on": ""}, **EN)
    assert response.url == reverse("vouches:index")
    vouch.refresh_from_db()
    assert vouch.text == new_text and vouch.ended_on is None
    client.post(reverse("vouches:withdraw", args=[vouch.pk]))
    assert edit_url not in _get(client, author, reverse("vouches:index"))
    page = profile_page(client, author, owner)
    assert "You withdrew your vouch for this member on " in page
    assert reverse("vouches:write", args=[owner.pk]) not in page
    vouch.refresh_from_db()
    assert vouch.text == ""
    # After a while, the link to write one is back.
    with freeze_time(vouch.withdrawn_at + REWRITE_AFTER + dt.timedelta(minutes=1)):
        page = profile_page(client, author, owner)
    assert reverse("vouches:write", args=[owner.pk]) in page and "You withdrew" not in page


def test_an_approved_vouch_can_no_longer_be_edited(client, owner, open_member, approved):
    author = open_member()
    vouch = approved(author, owner)
    client.force_login(author)
    assert reverse("vouches:edit", args=[vouch.pk]) not in _get(client, author, reverse("vouches:index"))
    client.post(reverse("vouches:edit", args=[vouch.pk]), FORM | {"text": "Un autre texte assez long pour passer."})
    assert Vouch.objects.get().text == TEXT


def test_my_profile_counts_the_vouches_waiting_for_me(client, owner, open_member, vouch_for):
    vouch_for(open_member(), owner)
    vouch_for(open_member(), owner)
    page = _get(client, owner, reverse("people:me"))
    assert "2 vouches waiting for your approval" in page and reverse("vouches:index") in page


def test_the_menu_links_to_the_vouches_page(client, owner):
    assert f'href="{reverse("vouches:index")}"' in _get(client, owner, reverse("people:me"))


def test_operators_see_vouches_in_the_admin_but_cannot_rewrite_them(client, owner, open_member, vouch_for):
    vouch = vouch_for(open_member(), owner)
    operator = type(owner).objects.create_superuser(email="ops@example.org", password="correct horse battery")
    client.force_login(operator)
    change_url = reverse("admin:vouches_vouch_change", args=[vouch.pk])
    assert client.get(change_url, **EN).status_code == 200
    client.post(change_url, {"status": Status.APPROVED, "text": "Réécrit par l'opérateur."}, **EN)
    vouch.refresh_from_db()
    assert vouch.status == Status.PENDING and vouch.text == TEXT
    assert client.get(reverse("admin:vouches_vouch_add"), **EN).status_code == 403
