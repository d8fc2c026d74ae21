"""Consent in suggestions and coffee-pairing notices: nobody is shown to someone their settings
exclude, and a field kept narrower never shows up in a reason, a card, an opener or a notice."""

import pytest
from django.urls import reverse
from django.utils import translation

from circles.models import Circle, Membership, Status
from circles.vocab import Family
from intros import services as intros_services
from matching import arrays as matching_arrays
from matching.models import PairingMember
from matching.pairing import pairing_round_create
from matching.reasons import reasons_in_words
from matching.selectors import pairings_of, suggestions_for
from notifications.models import Kind, Notification
from people.models import Discoverability, Level
from people.services import account_delete, consent_update

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"


@pytest.fixture(autouse=True)
def _fresh_arrays():
    matching_arrays._memo = None
    yield
    matching_arrays._memo = None


def _ids(viewer):
    return [card.profile.user_id for card in suggestions_for(viewer)]


def _narrow(user, **levels):
    consent_update(profile=user.profile, discoverability=user.profile.discoverability, visibility=levels)


# --- Suggestions -----------------------------------------------------------------------------------


def test_a_member_who_shows_themselves_to_their_circles_only_is_not_suggested_outside(owner, candidate, cities):
    circles_only = candidate(
        "circles@example.org",
        "Claire Cercle",
        city=cities["Marseille"],
        skills=["growth marketing"],
        values=["openness"],
        discoverability=Discoverability.CIRCLES,
    )
    matching_arrays.arrays_rebuild()
    assert circles_only.pk not in _ids(owner)


def test_a_field_set_to_only_me_never_appears_in_a_reason_or_a_card(client_of, owner, teacher):
    matching_arrays.arrays_rebuild()  # built while every field of hers was visible to all members
    _narrow(teacher, skills=Level.ONLY_ME, values=Level.ONLY_ME, city=Level.ONLY_ME)
    [card] = suggestions_for(owner)
    with translation.override("en"):
        words = reasons_in_words(card.suggestion.reasons, card.seen)
    assert words == ["You both like breakfast"]
    assert card.seen.skills == [] and card.seen.values == [] and card.seen.city == ""
    page = client_of(owner).get(reverse("matching:suggestions"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Léa Fontaine" in page
    for kept in ("Growth hacking", "SEO", "Aubagne", "growth marketing", "Direct talk", "km away"):
        assert kept not in page, kept


def test_a_deleted_member_disappears_from_suggestions_at_once(client_of, owner, teacher):
    matching_arrays.arrays_rebuild()
    assert _ids(owner) == [teacher.pk]
    account_delete(user=teacher, password=PASSWORD)
    assert teacher.pk in matching_arrays.current_arrays().member_ids  # the arrays are stale...
    assert _ids(owner) == []  # ...the suggestions are not
    assert "Léa Fontaine" not in client_of(owner).get(reverse("matching:suggestions")).content.decode()


def test_a_deactivated_member_disappears_at_once_too(owner, teacher):
    matching_arrays.arrays_rebuild()
    teacher.is_active = False
    teacher.save(update_fields=["is_active"])
    assert _ids(owner) == []


def test_a_block_hides_both_from_each_others_suggestions_and_pages(client_of, owner, teacher):
    matching_arrays.arrays_rebuild()
    intros_services.block_create(blocker=teacher, blocked=owner)
    assert _ids(owner) == [] and _ids(teacher) == []
    assert "Léa Fontaine" not in client_of(owner).get(reverse("matching:suggestions")).content.decode()


# --- Coffee pairing notices ------------------------------------------------------------------------


@pytest.fixture
def pair(owner, teacher):
    """The owner (learning growth marketing) and the teacher (who knows it) in a pairing circle."""
    circle = Circle.objects.create(name="Café Vieux-Port", slug="cafe-vieux-port", family=Family.BUSINESS)
    for user in (owner, teacher):
        Membership.objects.create(circle=circle, member=user, status=Status.ACTIVE, pairing_opt_in=True)
    return circle


def _notice_of(user) -> str:
    from notifications.emails import render_message

    note = Notification.objects.get(recipient=user, kind=Kind.PAIRING)
    with translation.override("en"):
        return render_message(note)


def _english(*users):
    for user in users:
        user.profile.language = "en"
        user.profile.save(update_fields=["language"])


def test_the_notice_carries_the_format_and_openers_in_the_recipients_language(pair, owner, teacher):
    _english(owner)
    pairing_round_create(circle=pair)
    text = _notice_of(owner)
    assert text.startswith("Coffee pairing in Café Vieux-Port: meet Léa Fontaine.")
    assert "Suggested format: Breakfast." in text
    assert "Léa Fontaine knows growth marketing, which you want to learn" in text
    assert "You both value" in text
    french = _notice_of(teacher)  # her profile speaks French: the details are worded in French
    with translation.override("fr"):
        assert translation.gettext("Suggested format: %(format)s.") % {"format": "Petit-déjeuner"} in french


def test_a_name_kept_to_oneself_is_not_in_the_notice(
    pair, owner, teacher, mailoutbox, django_capture_on_commit_callbacks
):
    _english(owner)
    _narrow(teacher, name=Level.ONLY_ME)
    with django_capture_on_commit_callbacks(execute=True):
        pairing_round_create(circle=pair)
    text = _notice_of(owner)
    assert "Léa" not in text and "A Cercle member" in text
    [mail] = [m for m in mailoutbox if m.to == [owner.email]]
    assert "Léa" not in mail.body and "Léa" not in mail.subject


def test_fields_kept_narrower_give_no_opener_nor_format(pair, owner, teacher):
    _english(owner)
    _narrow(teacher, skills=Level.CONNECTIONS, values=Level.ONLY_ME, formats=Level.ONLY_ME)
    pairing_round_create(circle=pair)
    text = _notice_of(owner)
    assert text == "Coffee pairing in Café Vieux-Port: meet Léa Fontaine."
    group = PairingMember.objects.get(member=owner).group
    assert group.openers == [] and group.suggested_format == ""


def test_a_field_narrowed_after_the_round_leaves_the_pairings_page(client_of, pair, owner, teacher):
    pairing_round_create(circle=pair)
    with translation.override("en"):
        [row] = pairings_of(owner)
    assert any("growth marketing" in opener for opener in row.openers) and row.format
    _narrow(teacher, skills=Level.ONLY_ME, values=Level.ONLY_ME, formats=Level.ONLY_ME)
    with translation.override("en"):
        [row] = pairings_of(owner)
    assert row.openers == [] and row.format == ""
    page = client_of(owner).get(reverse("matching:pairings"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Léa Fontaine" in page and "growth marketing" not in page and "Breakfast" not in page


def test_a_partner_who_blocked_me_after_the_round_shows_nothing(client_of, pair, owner, teacher):
    pairing_round_create(circle=pair)
    intros_services.block_create(blocker=teacher, blocked=owner)
    page = client_of(owner).get(reverse("matching:pairings"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Léa" not in page and "growth marketing" not in page
