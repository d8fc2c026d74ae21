"""Ask a mutual connection for an introduction: one click from a chain or a suggestion card; the
mutual introduces (double opt-in, the requester's answer given) or declines without the requester
being told; caps against spraying asks; notifications along the way."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from intros import selectors, services
from intros.forms import ASK_REASON_PREFILL
from intros.graph import graph_rebuild
from intros.models import Answer, AskStatus, Introduction, IntroductionAsk, IntroState
from intros.tests.conftest import ASK, REASON
from notifications.models import Kind, Notification
from people.models import Discoverability
from people.selectors import account_export
from people.services import account_delete, consent_update

pytestmark = pytest.mark.django_db


def _ask(trio, reason=ASK):
    vera, anna, tom = trio
    return services.introduction_ask_create(requester=vera, mutual=anna, target=tom, reason=reason)


def _texts(user) -> list[str]:
    """The member's notifications as they read them (English)."""
    from django.utils import translation

    with translation.override("en"):
        return [n.message % n.params for n in Notification.objects.filter(recipient=user, kind=Kind.INTRODUCTION)]


def test_one_click_ask_from_a_chain(client, trio):
    vera, anna, tom = trio
    graph_rebuild()
    client.force_login(vera)
    response = client.post(
        reverse("intros:ask_create", args=[tom.pk]),
        {"mutual": anna.pk, "reason": str(ASK_REASON_PREFILL)},
        HTTP_HX_REQUEST="true",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200 and "Your ask is sent" in response.content.decode()
    ask = IntroductionAsk.objects.get()
    assert (ask.requester, ask.mutual, ask.target, ask.status) == (vera, anna, tom, AskStatus.PENDING)
    assert _texts(anna) == ["Vera Demandeuse asks you to introduce them to Tom Cible."]
    # Asked: the chain says so instead of offering the button again.
    page = client.get(reverse("intros:paths", args=[tom.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "You asked for an introduction to Tom Cible" in page
    assert reverse("intros:ask_create", args=[tom.pk]) not in page


def test_without_htmx_the_ask_goes_back_to_the_page(client, trio):
    vera, anna, tom = trio
    client.force_login(vera)
    response = client.post(reverse("intros:ask_create", args=[tom.pk]), {"mutual": anna.pk, "reason": ASK})
    assert response.status_code == 302 and response["Location"] == reverse("intros:paths", args=[tom.pk])
    response = client.post(
        reverse("intros:ask_create", args=[tom.pk]), {"mutual": anna.pk, "reason": ASK, "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("intros:paths", args=[tom.pk])


def test_the_mutual_introduces_them_with_the_requester_already_in(client, trio):
    vera, anna, tom = trio
    ask = _ask(trio)
    client.force_login(anna)
    page = client.get(reverse("intros:introductions"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "asks you to introduce them to" in page and ASK in page
    words = "Vous montez tous deux un tiers-lieu à Marseille, parlez-vous !"
    response = client.post(reverse("intros:ask_introduce", args=[ask.pk]), {"reason": words})
    assert response.status_code == 302
    ask.refresh_from_db()
    intro = Introduction.objects.get()
    assert ask.status == AskStatus.ACCEPTED and ask.introduction == intro
    assert (intro.introducer, intro.first, intro.second, intro.reason) == (anna, vera, tom, words)
    assert intro.first_answer == Answer.ACCEPTED and intro.second_answer == Answer.PENDING
    assert _texts(vera) == ["Anna Passeuse introduced you to Tom Cible, who will answer before learning your name."]
    # Tom is told who introduces him, not to whom (double opt-in).
    assert _texts(tom) == ["Anna Passeuse would like to introduce you to one of their connections."]
    services.introduction_answer(member=tom, introduction=intro, accept=True)
    assert Introduction.objects.get().state == IntroState.COMPLETED
    done = "You both accepted the introduction by Anna Passeuse: you can now write to each other."
    assert done in _texts(vera) and done in _texts(tom)


def test_a_decline_is_not_told_and_reads_pending_then_expired(client, trio):
    vera, anna, _tom = trio
    ask = _ask(trio)
    client.force_login(anna)
    assert client.post(reverse("intros:ask_decline", args=[ask.pk])).status_code == 302
    assert IntroductionAsk.objects.get().status == AskStatus.DECLINED
    assert _texts(vera) == []
    (mine,) = selectors.asks_made(vera)
    assert mine.state == "pending"
    client.force_login(vera)
    page = client.get(reverse("intros:introductions"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "waiting for an answer" in page
    # Asking again for the same person reads as still pending, as it would before any answer.
    with pytest.raises(ValidationError) as refused:
        _ask(trio)
    assert refused.value.messages == [str(services.ASK_ALREADY_ASKED)]
    IntroductionAsk.objects.update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    (mine,) = selectors.asks_made(vera)
    assert mine.state == "expired"
    assert selectors.asks_received(anna) == []


def test_asks_are_capped(open_member, connect):
    me = open_member("Moi")
    mutuals = [open_member(f"Passeur {i}") for i in range(4)]
    for mutual in mutuals:
        connect(me, mutual)
    targets = [open_member() for _ in range(services.MAX_PENDING_ASKS + 1)]
    for index, target in enumerate(targets):
        connect(mutuals[index // 3], target)

    def ask(index, via=None):
        via = via or mutuals[index // 3]
        return services.introduction_ask_create(requester=me, mutual=via, target=targets[index], reason=ASK)

    # At most three open asks of one mutual.
    for index in range(3):
        ask(index)
    connect(mutuals[0], targets[3])
    with pytest.raises(ValidationError) as refused:
        ask(3, via=mutuals[0])
    assert refused.value.messages == [str(services.ASK_TOO_MANY_OF_ONE)]
    # At most ten open asks in all; withdrawing one frees a place.
    for index in range(3, 10):
        ask(index)
    with pytest.raises(ValidationError) as refused:
        ask(10)
    assert refused.value.messages == [str(services.ASK_TOO_MANY)]
    services.introduction_ask_withdraw(ask=IntroductionAsk.objects.get(target=targets[9]), requester=me)
    ask(10)
    assert IntroductionAsk.objects.filter(requester=me).count() == services.MAX_PENDING_ASKS


def test_an_expired_ask_frees_its_target(trio):
    _ask(trio)
    IntroductionAsk.objects.update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    _ask(trio)
    assert sorted(IntroductionAsk.objects.values_list("status", flat=True)) == ["expired", "pending"]


def test_what_is_refused_reads_the_same(trio, open_member, connect):
    vera, anna, tom = trio
    outsider, far = open_member("Hors Cercle"), open_member("Bien Loin")
    connect(vera, outsider)
    # The mutual must know both; a block anywhere between the three says the same.
    for mutual, target in [(outsider, tom), (anna, far)]:
        with pytest.raises(ValidationError) as refused:
            services.introduction_ask_create(requester=vera, mutual=mutual, target=target, reason=ASK)
        assert refused.value.messages == [str(services.ASK_NOT_POSSIBLE)]
    services.block_create(blocker=tom, blocked=vera)
    with pytest.raises(ValidationError) as refused:
        _ask(trio)
    assert refused.value.messages == [str(services.ASK_NOT_POSSIBLE)]
    assert not IntroductionAsk.objects.exists()
    with pytest.raises(ValidationError):
        _ask(trio, reason="Salut")


def test_a_block_since_the_ask_stops_the_introduction(client, trio):
    vera, anna, tom = trio
    ask = _ask(trio)
    services.block_create(blocker=tom, blocked=vera)
    # Gone from Anna's list, and not possible any more.
    assert selectors.asks_received(anna) == []
    with pytest.raises(ValidationError):
        services.introduction_ask_introduce(ask=ask, mutual=anna, reason=REASON)
    assert not Introduction.objects.exists()


def test_a_three_hop_chain_asks_for_the_next_hop(client, open_member, connect):
    vera, chloe, damien, tom = (open_member(n) for n in ["Vera", "Chloé", "Damien", "Tom"])
    connect(vera, chloe)
    connect(chloe, damien)
    connect(damien, tom)
    graph_rebuild()
    (path,) = selectors.intro_paths(vera, tom)
    assert path.first_hop.display_name == "Chloé" and path.ask_target.display_name == "Damien"
    client.force_login(vera)
    client.post(reverse("intros:ask_create", args=[damien.pk]), {"mutual": chloe.pk, "reason": ASK})
    ask = IntroductionAsk.objects.get()
    assert (ask.mutual, ask.target) == (chloe, damien)


def test_someone_else_s_ask_is_a_404(client, trio, stranger):
    vera, anna, tom = trio
    ask = _ask(trio)
    for who, names in [
        (stranger, ["ask_introduce", "ask_decline", "ask_withdraw"]),
        (tom, ["ask_introduce", "ask_decline", "ask_withdraw"]),
        (vera, ["ask_introduce", "ask_decline"]),
        (anna, ["ask_withdraw"]),
    ]:
        client.force_login(who)
        for name in names:
            assert client.post(reverse(f"intros:{name}", args=[ask.pk]), {"reason": REASON}).status_code == 404
    assert IntroductionAsk.objects.get().status == AskStatus.PENDING


def test_the_lists_name_members_as_their_settings_allow(client, trio):
    vera, anna, tom = trio
    _ask(trio)
    consent_update(profile=tom.profile, discoverability=Discoverability.HIDDEN, visibility={})
    # Vera may no longer find Tom: her ask is not listed, his name is nowhere on her page.
    assert selectors.asks_made(vera) == []
    client.force_login(vera)
    assert "Tom Cible" not in client.get(reverse("intros:introductions")).content.decode()
    # Anna, his connection, still sees who is asked for.
    (item,) = selectors.asks_received(anna)
    assert item.target.display_name == "Tom Cible"


# Suggestion cards -----------------------------------------------------------------------------


def test_a_suggestion_card_offers_the_strongest_mutual(client, trio, open_member):
    from matching.arrays import arrays_rebuild

    vera, anna, tom = trio
    loner = open_member("Loner Solitaire")
    for user in (vera, tom, loner):
        consent_update(profile=user.profile, discoverability=Discoverability.MEMBERS, visibility={})
    arrays_rebuild()
    graph_rebuild()
    client.force_login(vera)
    page = client.get(reverse("matching:suggestions"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Tom Cible" in page and "Loner Solitaire" in page
    assert "Ask Anna Passeuse for an introduction" in page
    assert page.count("for an introduction</button>") == 1  # none for Loner: no mutual connection
    client.post(reverse("intros:ask_create", args=[tom.pk]), {"mutual": anna.pk, "reason": str(ASK_REASON_PREFILL)})
    page = client.get(reverse("matching:suggestions"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Introduction asked: waiting for an answer." in page


# Notifications wired into requests and introductions ----------------------------------------


def test_requests_notify_the_recipient_then_the_sender(owner, member):
    from django.utils import translation

    request = services.connection_request_send(sender=member, recipient=owner, reason=REASON)
    (to_owner,) = Notification.objects.filter(recipient=owner, kind=Kind.CONNECTION_REQUEST)
    with translation.override("en"):
        assert to_owner.message % to_owner.params == "Marc Leroy asks to connect with you."
    services.connection_request_accept(request=request, recipient=owner)
    (to_member,) = Notification.objects.filter(recipient=member, kind=Kind.CONNECTION_REQUEST)
    with translation.override("en"):
        assert to_member.message % to_member.params == "Hélène Dupré accepted your request: you are now connected."
    assert to_member.url == reverse("people:member_detail", args=[owner.pk])


def test_an_introduction_notifies_both_without_the_other_s_name(open_member, connect):
    introducer, first, second = open_member("Inès"), open_member("Aurélie"), open_member("Bastien")
    connect(introducer, first)
    connect(introducer, second)
    intro = services.introduction_create(introducer=introducer, first=first, second=second, reason=REASON)
    for me, other in [(first, "Bastien"), (second, "Aurélie")]:
        (text,) = _texts(me)
        assert "Inès" in text and other not in text
    services.introduction_answer(member=first, introduction=intro, accept=True)
    services.introduction_answer(member=second, introduction=intro, accept=True)
    assert len(_texts(first)) == len(_texts(second)) == 2


# Export and deletion -------------------------------------------------------------------------


def test_asks_are_in_the_export_as_each_side_may_know_them(trio):
    vera, anna, tom = trio
    ask = _ask(trio)
    services.introduction_ask_decline(ask=ask, mutual=anna)
    (made,) = account_export(user=vera)["intros"]["introduction_asks_made"]
    assert made["status"] == "pending" and made["target_id"] == tom.pk and made["reason"] == ASK
    (received,) = account_export(user=anna)["intros"]["introduction_asks_received"]
    assert received["status"] == "declined" and received["requester_id"] == vera.pk


def test_deleting_an_account_deletes_its_asks(trio):
    vera, _anna, _tom = trio
    _ask(trio)
    account_delete(user=vera, password="correct horse battery")
    assert not IntroductionAsk.objects.exists()


def test_the_expiry_command_closes_old_asks(trio):
    from django.core.management import call_command

    _ask(trio)
    IntroductionAsk.objects.update(expires_at=timezone.now() - dt.timedelta(days=1))
    call_command("expire_introductions", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert IntroductionAsk.objects.get().status == AskStatus.EXPIRED


def test_the_demo_login_has_asks_both_ways(cities, client):
    from people.demo import DEMO_LOGIN, demo_load
    from people.models import User

    demo_load(seed=5, members=120)
    camille = User.objects.get(email=DEMO_LOGIN)
    assert len(selectors.asks_received(camille)) == 2
    made = selectors.asks_made(camille)
    assert [item.state for item in made] == ["pending", "pending", "expired"]
    # Each ask of hers is one a chain would offer: the mutual knows the target, she does not.
    for item in made:
        assert selectors.are_connected(item.ask.mutual, item.ask.target)
        assert not selectors.are_connected(camille, item.ask.target)
    client.force_login(camille)
    page = client.get(reverse("intros:introductions"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert page.count("Introduce them") == 2
