"""Double opt-in introductions: neither of the two learns the other's name before both accept;
a decline or an expiry ends it without telling who; only the introducer's connections, never
across a block; a completed introduction is help given in the introducer's network."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from intros import selectors, services
from intros.models import Answer, Introduction, IntroState
from network import tallies
from network.models import Contact, Interaction, InteractionKind
from network.services import contact_create

pytestmark = pytest.mark.django_db

INTRO_REASON = "Vous cherchez tous deux à monter une école de code à Marseille."


@pytest.fixture
def trio(open_member, connect):
    introducer = open_member("Inès Passeuse")
    first = open_member("Aurélie Première")
    second = open_member("Bastien Second")
    for user, email in [(first, "aurelie.pro@example.org"), (second, "bastien.pro@example.org")]:
        user.profile.contact_email = email
        user.profile.save(update_fields=["contact_email"])
    connect(introducer, first)
    connect(second, introducer)
    return introducer, first, second


def _introduce(trio):
    introducer, first, second = trio
    return services.introduction_create(introducer=introducer, first=first, second=second, reason=INTRO_REASON)


def _page(client, user, name="intros:introductions"):
    client.force_login(user)
    # The English wording is read here; the French one is checked by the catalogue tests.
    response = client.get(reverse(name), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return response.content.decode()


def _api_text(client, user):
    from people.services import api_token_create

    key = api_token_create(user=user, name="t").key
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    paths = ["/api/intros/connections", "/api/intros/requests/incoming", "/api/intros/requests/outgoing"]
    return " ".join(client.get(path, **auth).content.decode() for path in paths)


def test_double_opt_in_names_revealed_only_after_both_accept(client, trio):
    introducer, first, second = trio
    intro = _introduce(trio)

    for me, other in [(first, second), (second, first)]:
        for name in ["intros:introductions", "intros:index"]:
            page = _page(client, me, name)
            assert other.profile.display_name not in page
            assert other.profile.contact_email not in page
        assert other.profile.display_name not in _api_text(client, me)
    page = _page(client, first)
    assert "Inès Passeuse" in page and INTRO_REASON in page

    services.introduction_answer(member=first, introduction=intro, accept=True)
    page = _page(client, first)
    assert "Bastien Second" not in page and "bastien.pro@example.org" not in page
    assert "Aurélie Première" not in _page(client, second)

    services.introduction_answer(member=second, introduction=intro, accept=True)
    intro.refresh_from_db()
    assert intro.state == IntroState.COMPLETED and intro.completed_at
    page = _page(client, first)
    assert "Bastien Second" in page and "bastien.pro@example.org" in page
    page = _page(client, second)
    assert "Aurélie Première" in page and "aurelie.pro@example.org" in page
    # The introducer sees both names and the state.
    page = _page(client, introducer)
    assert "Aurélie Première" in page and "Bastien Second" in page


def test_a_decline_ends_it_and_the_other_never_learns_who(client, trio):
    introducer, first, second = trio
    intro = _introduce(trio)
    services.introduction_answer(member=first, introduction=intro, accept=True)
    services.introduction_answer(member=second, introduction=intro, accept=False)
    intro.refresh_from_db()
    assert intro.state == IntroState.DECLINED
    page = _page(client, first)
    assert "Bastien Second" not in page and "bastien.pro@example.org" not in page
    assert "did not go ahead" in page
    assert "Aurélie Première" not in _page(client, second)
    with pytest.raises(ValidationError):
        services.introduction_answer(member=first, introduction=intro, accept=True)
    with pytest.raises(ValidationError):
        services.introduction_record_met(member=first, introduction=intro, met=True)
    assert not Interaction.objects.exists()


def test_expiry_by_date_then_by_the_command(client, trio):
    intro = _introduce(trio)
    introducer, first, second = trio
    assert abs(intro.expires_at - intro.created_at - dt.timedelta(days=14)) < dt.timedelta(seconds=1)
    services.introduction_answer(member=first, introduction=intro, accept=True)
    Introduction.objects.filter(pk=intro.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    intro.refresh_from_db()
    assert intro.state == IntroState.EXPIRED
    (item,) = selectors.introductions_for(second)
    assert item.state == IntroState.EXPIRED and item.other is None
    with pytest.raises(ValidationError):
        services.introduction_answer(member=second, introduction=intro, accept=True)
    assert "Aurélie Première" not in _page(client, second)

    call_command("expire_introductions", stdout=open("/dev/null", "w"))  # noqa: SIM115
    intro.refresh_from_db()
    assert (intro.first_answer, intro.second_answer) == (Answer.ACCEPTED, Answer.EXPIRED)
    assert services.introductions_expire() == 0


def test_only_between_the_introducer_s_connections(trio, open_member, connect):
    introducer, first, second = trio
    outsider = open_member("Olivier Ailleurs")
    connect(first, outsider)  # a connection of a connection is not enough
    for a, b in [(first, outsider), (outsider, second)]:
        with pytest.raises(ValidationError) as exc:
            services.introduction_create(introducer=introducer, first=a, second=b, reason=INTRO_REASON)
        assert exc.value.messages == [str(services.INTRO_NOT_POSSIBLE)]
    with pytest.raises(ValidationError):
        services.introduction_create(introducer=introducer, first=first, second=first, reason=INTRO_REASON)
    with pytest.raises(ValidationError):
        services.introduction_create(introducer=first, first=first, second=introducer, reason=INTRO_REASON)
    with pytest.raises(ValidationError):
        services.introduction_create(introducer=introducer, first=first, second=second, reason="Rencontrez-vous")
    assert not Introduction.objects.exists()


def test_a_block_between_the_two_is_refused_neutrally(trio):
    introducer, first, second = trio
    services.block_create(blocker=second, blocked=first)
    with pytest.raises(ValidationError) as exc:
        _introduce(trio)
    assert exc.value.messages == [str(services.INTRO_NOT_POSSIBLE)]
    assert not Introduction.objects.exists()


def test_only_the_two_introduced_may_answer(trio, stranger):
    introducer, first, second = trio
    intro = _introduce(trio)
    for someone in (introducer, stranger):
        with pytest.raises(ValidationError):
            services.introduction_answer(member=someone, introduction=intro, accept=True)
    intro.refresh_from_db()
    assert intro.state == IntroState.PENDING


def test_a_completed_introduction_is_help_given_in_the_introducer_s_network(trio):
    introducer, first, second = trio
    linked = [
        contact_create(owner=introducer, full_name="Aurélie P."),
        contact_create(owner=introducer, full_name="Bastien S."),
    ]
    Contact.objects.filter(pk=linked[0].pk).update(member=first)
    Contact.objects.filter(pk=linked[1].pk).update(member=second)
    intro = _introduce(trio)
    services.introduction_answer(member=first, introduction=intro, accept=True)
    assert not Interaction.objects.exists()
    services.introduction_answer(member=second, introduction=intro, accept=True)
    (interaction,) = Interaction.objects.all()
    assert interaction.owner == introducer and interaction.kind == InteractionKind.HELP_GIVEN
    assert set(interaction.contacts.values_list("pk", flat=True)) == {c.pk for c in linked}
    assert tallies.check(introducer) == []  # the dashboard's running totals count it


def test_no_linked_contact_no_interaction(trio):
    introducer, first, second = trio
    contact_create(owner=introducer, full_name="Aurélie P.")  # not linked to her account
    intro = _introduce(trio)
    services.introduction_answer(member=first, introduction=intro, accept=True)
    services.introduction_answer(member=second, introduction=intro, accept=True)
    assert not Interaction.objects.exists()


def test_the_pages_introduce_answer_and_record_met(client, trio):
    introducer, first, second = trio
    client.force_login(introducer)
    form = client.get(reverse("intros:introduce")).content.decode()
    assert "Aurélie Première" in form and "Bastien Second" in form
    response = client.post(
        reverse("intros:introduce"), {"first": first.pk, "second": second.pk, "reason": INTRO_REASON}
    )
    assert response.status_code == 302
    intro = Introduction.objects.get()
    assert (intro.introducer, intro.first, intro.second) == (introducer, first, second)

    for member in (first, second):
        client.force_login(member)
        client.post(reverse("intros:introduction_accept", args=[intro.pk]))
    client.post(reverse("intros:introduction_met", args=[intro.pk]), {"met": "yes"})
    intro.refresh_from_db()
    assert intro.state == IntroState.COMPLETED and intro.second_met is True and intro.first_met is None


def test_the_form_offers_only_my_connections(client, trio, open_member):
    introducer, first, second = trio
    outsider = open_member("Olivier Ailleurs")
    client.force_login(introducer)
    assert "Olivier Ailleurs" not in client.get(reverse("intros:introduce")).content.decode()
    response = client.post(
        reverse("intros:introduce"), {"first": first.pk, "second": outsider.pk, "reason": INTRO_REASON}
    )
    assert response.status_code == 200
    assert not Introduction.objects.exists()


def test_a_pending_introduction_shows_on_the_connections_page(client, trio):
    introducer, first, second = trio
    _introduce(trio)
    page = _page(client, first, "intros:index")
    assert "1 introduction waiting for your answer" in page


def test_the_export_hides_the_other_until_both_accept_and_deletion_takes_it_away(trio):
    from people.selectors import account_export
    from people.services import account_delete

    introducer, first, second = trio
    intro = _introduce(trio)
    services.introduction_answer(member=first, introduction=intro, accept=True)
    (received,) = account_export(user=first)["intros"]["introductions_received"]
    assert received["other_member_id"] is None and received["introducer_id"] == introducer.pk
    services.introduction_answer(member=second, introduction=intro, accept=True)
    (received,) = account_export(user=first)["intros"]["introductions_received"]
    assert received["other_member_id"] == second.pk
    (made,) = account_export(user=introducer)["intros"]["introductions_made"]
    assert made["member_ids"] == [first.pk, second.pk] and made["state"] == IntroState.COMPLETED
    account_delete(user=second, password="correct horse battery")
    assert not Introduction.objects.exists()


def test_a_block_after_the_introduction_stops_it_and_hides_it(client, trio):
    introducer, first, second = trio
    intro = _introduce(trio)
    services.introduction_answer(member=first, introduction=intro, accept=True)
    services.block_create(blocker=second, blocked=first)
    with pytest.raises(ValidationError):
        services.introduction_answer(member=second, introduction=intro, accept=True)
    intro.refresh_from_db()
    assert intro.state == IntroState.PENDING
    assert selectors.introductions_for(first) == [] and selectors.introductions_for(second) == []
    assert "Aurélie Première" not in _page(client, second)


def test_the_same_two_cannot_be_introduced_twice_while_one_waits(trio, open_member, connect):
    introducer, first, second = trio
    _introduce(trio)
    with pytest.raises(ValidationError) as refused:
        services.introduction_create(introducer=introducer, first=second, second=first, reason=INTRO_REASON)
    assert refused.value.messages == [str(services.INTRO_ALREADY_WAITING)]
    other = open_member("Chloé Tierce")  # someone else may still introduce them
    connect(other, first)
    connect(other, second)
    with pytest.raises(ValidationError):
        services.introduction_create(introducer=other, first=first, second=second, reason=INTRO_REASON)

    Introduction.objects.update(first_answer=Answer.DECLINED)  # once it is over, a new one may start
    assert services.introduction_create(introducer=introducer, first=first, second=second, reason=INTRO_REASON)


def test_an_introducer_makes_at_most_ten_introductions_a_day(trio, open_member, connect):
    introducer, first, _second = trio
    others = [open_member(f"Relation {n}") for n in range(services.MAX_INTRODUCTIONS_PER_DAY + 1)]
    for other in others:
        connect(introducer, other)
    for other in others[:-1]:
        services.introduction_create(introducer=introducer, first=first, second=other, reason=INTRO_REASON)
    with pytest.raises(ValidationError) as refused:
        services.introduction_create(introducer=introducer, first=first, second=others[-1], reason=INTRO_REASON)
    assert refused.value.messages == [str(services.INTRO_TOO_MANY)]

    Introduction.objects.update(created_at=timezone.now() - dt.timedelta(days=1, minutes=1))
    assert services.introduction_create(introducer=introducer, first=first, second=others[-1], reason=INTRO_REASON)
