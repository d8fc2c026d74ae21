"""The membership state machine, the cooptation seats (one per profession, even under concurrent
accepts), roles, removal, announcements, reports and mentoring."""

import datetime as dt
import os
import subprocess
import sys
import threading

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import close_old_connections, connection
from django.utils import translation

from circles import services
from circles.models import (
    Invitation,
    Membership,
    MembershipMode,
    MentoringPair,
    Participation,
    Report,
    Role,
    Status,
    Visibility,
)
from circles.vocab import Family
from intros.services import block_create
from notifications.models import Kind, Notification
from people.models import Discoverability, Level
from people.services import consent_update

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _message(error, **params) -> str:
    return str(error) % params if params else str(error)


@pytest.fixture
def club(owner, make_circle):
    """A cooptation referral club whose organizer, Hélène, holds the lawyer's seat."""
    return make_circle(
        owner, name="Club Affaires Vieux-Port", family=Family.REFERRAL, membership_mode=MembershipMode.COOPTATION
    )


@pytest.fixture
def lawyer(make_member, with_profession):
    """A lawyer all members may find: an inviter may be told why the seat rule refuses him."""
    made = make_member("paul.avocat@example.org", display_name="Paul Girard", discoverability=Discoverability.MEMBERS)
    return with_profession(made, "lawyer")


# --- Creating and editing ---------------------------------------------------------------------


def test_the_creator_becomes_the_first_organizer(owner, make_circle):
    circle = make_circle(owner, topics=["SEO", " seo ", "Startups"], values=["openness", "Ouverture", "Franc-parler"])
    membership = Membership.objects.get(circle=circle, member=owner)
    assert (membership.role, membership.status, membership.seat_key) == (Role.ORGANIZER, Status.ACTIVE, "")
    assert circle.slug == "dejeuners-daffaires-marseille"
    assert circle.topics == ["SEO", "Startups"]
    assert circle.values == ["openness", "direct_talk"]


def test_two_circles_with_the_same_name_get_two_addresses(owner, make_circle):
    first, second = make_circle(owner, name="Python Lyon"), make_circle(owner, name="Python Lyon")
    assert (first.slug, second.slug) == ("python-lyon", "python-lyon-2")


def test_a_circle_never_takes_the_address_of_a_page(owner, make_circle):
    assert make_circle(owner, name="Mine").slug == "mine-2"


def test_an_unlisted_circle_has_an_address_nobody_can_guess(owner, make_circle):
    circle = make_circle(owner, name="Cercle Discret", visibility=Visibility.UNLISTED)
    assert circle.slug.startswith("cercle-discret-") and len(circle.slug) > len("cercle-discret-") + 8


def test_becoming_unlisted_changes_the_guessable_address(owner, make_circle):
    circle = make_circle(owner, name="Cercle Discret")
    services.circle_update(circle=circle, organizer=owner, visibility=Visibility.UNLISTED)
    assert circle.slug.startswith("cercle-discret-") and circle.slug != "cercle-discret"


def test_only_organizers_edit_a_circle(owner, member, make_circle):
    circle = make_circle(owner)
    services.membership_join(circle=circle, member=member)
    with pytest.raises(PermissionDenied):
        services.circle_update(circle=circle, organizer=member, name="Pris !")


def test_a_cooptation_circle_needs_its_creator_to_have_a_profession(member, make_circle):
    with pytest.raises(ValidationError) as error:
        make_circle(member, membership_mode=MembershipMode.COOPTATION)
    assert error.value.messages == [str(services.CREATOR_PROFESSION_REQUIRED)]


def test_becoming_a_cooptation_circle_gives_each_member_a_seat(owner, member, make_circle, with_profession):
    circle = make_circle(owner)
    services.membership_join(circle=circle, member=with_profession(member, "accountant"))
    services.circle_update(circle=circle, organizer=owner, membership_mode=MembershipMode.COOPTATION)
    seats = dict(Membership.objects.filter(circle=circle).values_list("member__email", "seat_key"))
    assert seats == {owner.email: "lawyer", member.email: "accountant"}
    services.circle_update(circle=circle, organizer=owner, membership_mode=MembershipMode.OPEN)
    assert set(Membership.objects.filter(circle=circle).values_list("seat_key", flat=True)) == {""}


def test_a_circle_with_two_lawyers_cannot_become_a_cooptation_circle(owner, lawyer, make_circle):
    circle = make_circle(owner)
    services.membership_join(circle=circle, member=lawyer)
    with pytest.raises(ValidationError) as error:
        services.circle_update(circle=circle, organizer=owner, membership_mode=MembershipMode.COOPTATION)
    assert error.value.messages == [_message(services.MODE_SWITCH_SEAT_CONFLICT, profession="Lawyer")]
    circle.refresh_from_db()
    assert circle.membership_mode == MembershipMode.OPEN


# --- Joining ----------------------------------------------------------------------------------


def test_joining_an_open_circle_makes_an_active_member(owner, member, make_circle):
    membership = services.membership_join(circle=make_circle(owner), member=member)
    assert (membership.status, membership.role) == (Status.ACTIVE, Role.MEMBER)


def test_joining_twice_is_refused(owner, member, make_circle):
    circle = make_circle(owner)
    services.membership_join(circle=circle, member=member)
    with pytest.raises(ValidationError) as error:
        services.membership_join(circle=circle, member=member)
    assert error.value.messages == [str(services.ALREADY_MEMBER)]


def test_asking_to_join_a_circle_on_request_waits_for_the_organizers(owner, member, make_circle):
    circle = make_circle(owner, membership_mode=MembershipMode.REQUEST)
    membership = services.membership_join(circle=circle, member=member, message="  Bonjour, je viens d'arriver. ")
    assert (membership.status, membership.message) == (Status.REQUESTED, "Bonjour, je viens d'arriver.")
    with pytest.raises(ValidationError) as error:
        services.membership_join(circle=circle, member=member)
    assert error.value.messages == [str(services.ALREADY_REQUESTED)]


def test_a_cooptation_circle_is_joined_only_by_invitation(club, member):
    with pytest.raises(ValidationError) as error:
        services.membership_join(circle=club, member=member)
    assert error.value.messages == [str(services.ONLY_BY_INVITATION)]
    assert not Membership.objects.filter(circle=club, member=member).exists()


def test_an_organizer_approves_a_request_and_the_member_is_told(owner, member, make_circle):
    circle = make_circle(owner, membership_mode=MembershipMode.REQUEST)
    request = services.membership_join(circle=circle, member=member)
    services.membership_request_decide(membership=request, organizer=owner, approve=True, answer="Bienvenue !")
    assert (request.status, request.answer) == (Status.ACTIVE, "Bienvenue !")
    notification = Notification.objects.get(recipient=member)
    assert notification.kind == Kind.REQUEST_ANSWERED
    assert notification.params == {"circle": circle.name, "answer": "Bienvenue !"}
    assert notification.message == services.MSG_REQUEST_APPROVED_WITH_ANSWER


def test_an_organizer_declines_a_request_with_a_message(owner, member, make_circle):
    circle = make_circle(owner, membership_mode=MembershipMode.REQUEST)
    request = services.membership_join(circle=circle, member=member)
    services.membership_request_decide(membership=request, organizer=owner, approve=False, answer="Complet.")
    assert (request.status, request.answer) == (Status.DECLINED, "Complet.")
    assert Notification.objects.get(recipient=member).message == services.MSG_REQUEST_DECLINED_WITH_ANSWER
    with pytest.raises(ValidationError) as error:
        services.membership_request_decide(membership=request, organizer=owner, approve=True)
    assert error.value.messages == [str(services.NOT_A_REQUEST)]
    # Declined, they may ask again later.
    assert services.membership_join(circle=circle, member=member).status == Status.REQUESTED


def test_only_organizers_answer_requests(owner, member, stranger, make_circle):
    circle = make_circle(owner, membership_mode=MembershipMode.REQUEST)
    request = services.membership_join(circle=circle, member=member)
    with pytest.raises(PermissionDenied):
        services.membership_request_decide(membership=request, organizer=stranger, approve=True)
    with pytest.raises(PermissionDenied):
        services.membership_request_decide(membership=request, organizer=member, approve=True)


# --- Invitations and seats --------------------------------------------------------------------


def test_only_an_active_member_invites_to_a_cooptation_circle(club, member, stranger):
    with pytest.raises(ValidationError) as error:
        services.invitation_create(circle=club, inviter=stranger, email=member.email)
    assert error.value.messages == [str(services.ONLY_MEMBERS_INVITE)]


def test_in_a_circle_on_request_only_organizers_invite(owner, member, stranger, make_circle):
    circle = make_circle(owner, membership_mode=MembershipMode.REQUEST)
    request = services.membership_join(circle=circle, member=member)
    services.membership_request_decide(membership=request, organizer=owner, approve=True)
    with pytest.raises(ValidationError) as error:
        services.invitation_create(circle=circle, inviter=member, email=stranger.email)
    assert error.value.messages == [str(services.ONLY_ORGANIZERS_INVITE)]
    assert services.invitation_create(circle=circle, inviter=owner, email=stranger.email).status == Status.INVITED


def test_inviting_a_member_of_cercle_invites_them_and_tells_them(club, owner, member, with_profession):
    with_profession(member, "accountant")
    membership = services.invitation_create(
        circle=club, inviter=owner, email=member.email.upper(), message="Rejoins-nous !"
    )
    assert (membership.status, membership.sponsor, membership.message) == (Status.INVITED, owner, "Rejoins-nous !")
    notification = Notification.objects.get(recipient=member)
    assert notification.kind == Kind.INVITATION
    assert notification.params == {"inviter": "Hélène Dupré", "circle": "Club Affaires Vieux-Port"}
    # Invited again: nothing new.
    assert services.invitation_create(circle=club, inviter=owner, email=member.email) == membership
    accepted = services.membership_accept_invitation(membership=membership)
    assert (accepted.status, accepted.seat_key) == (Status.ACTIVE, "accountant")


def test_inviting_someone_not_on_cercle_sends_a_signed_link(club, owner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invitation_create(
            circle=club, inviter=owner, email="Sophie.Garnier@Exemple.fr", message="Le club n'a pas d'architecte."
        )
    assert isinstance(invitation, Invitation) and invitation.email == "sophie.garnier@exemple.fr"
    [email] = mail.outbox
    assert email.to == ["sophie.garnier@exemple.fr"]
    assert "Hélène Dupré" in email.subject and "Club Affaires Vieux-Port" in email.subject
    # The link in the e-mail (its signature carries a timestamp: it is read, not computed again).
    prefix = services.invitation_url(invitation).rsplit("/", 2)[0] + "/"
    link = next(word for word in email.body.split() if word.startswith(prefix))
    assert "Le club n'a pas d'architecte." in email.body
    token = link.rstrip("/").rsplit("/", 1)[-1]
    assert invitation.token not in link  # the link carries a signature, not the raw token
    assert services.invitation_from_link(token) == invitation
    with pytest.raises(ValidationError):
        services.invitation_from_link(token[:-2] + "xx")


def test_an_invitation_link_expires(club, owner, monkeypatch):
    invitation = services.invitation_create(circle=club, inviter=owner, email="new@example.org")
    token = services.invitation_link_token(invitation)
    monkeypatch.setattr(services, "INVITATION_MAX_AGE", dt.timedelta(seconds=-1))
    with pytest.raises(ValidationError) as error:
        services.invitation_from_link(token)
    assert error.value.messages == [str(services.INVITATION_INVALID)]


def test_invitations_are_capped_per_day(club, owner, monkeypatch):
    monkeypatch.setattr(services, "INVITATIONS_PER_DAY", 2)
    services.invitation_create(circle=club, inviter=owner, email="one@example.org")
    services.invitation_create(circle=club, inviter=owner, email="two@example.org")
    with pytest.raises(ValidationError) as error:
        services.invitation_create(circle=club, inviter=owner, email="three@example.org")
    assert error.value.messages == [str(services.TOO_MANY_INVITATIONS)]


def test_an_invitation_by_email_is_used_once(club, owner, member, stranger, with_profession):
    invitation = services.invitation_create(circle=club, inviter=owner, email="someone@example.org")
    membership = services.invitation_accept(invitation=invitation, user=with_profession(member, "architect"))
    assert (membership.status, membership.sponsor, membership.seat_key) == (Status.ACTIVE, owner, "architect")
    with pytest.raises(ValidationError) as error:
        services.invitation_accept(invitation=invitation, user=stranger)
    assert error.value.messages == [str(services.INVITATION_USED)]


def test_it_refuses_to_invite_a_second_lawyer(club, owner, lawyer):
    with pytest.raises(ValidationError) as error:
        services.invitation_create(circle=club, inviter=owner, email=lawyer.email)
    assert error.value.messages == ["The seat of Lawyer is already taken in this circle: one seat per profession."]
    assert not Membership.objects.filter(circle=club, member=lawyer).exists()


def test_the_refusal_is_translated(club, owner, lawyer):
    with translation.override("fr"), pytest.raises(ValidationError) as error:
        services.invitation_create(circle=club, inviter=owner, email=lawyer.email)
    assert "Avocat" in error.value.messages[0]


def test_it_refuses_a_second_lawyer_when_accepting(owner, lawyer, make_member, with_profession, make_circle):
    """Two lawyers invited before either accepted: the second to accept is refused."""
    club = make_circle(
        with_profession(make_member("org@example.org"), "photographer"),
        name="Cercle de Recommandation",
        family=Family.REFERRAL,
        membership_mode=MembershipMode.COOPTATION,
    )
    organizer = Membership.objects.get(circle=club).member
    first = services.invitation_create(circle=club, inviter=organizer, email=owner.email)
    second = services.invitation_create(circle=club, inviter=organizer, email=lawyer.email)
    services.membership_accept_invitation(membership=first)
    with pytest.raises(ValidationError) as error:
        services.membership_accept_invitation(membership=second)
    assert error.value.messages == [_message(services.SEAT_TAKEN, profession="Lawyer")]
    second.refresh_from_db()
    assert second.status == Status.INVITED


def test_avocat_typed_as_free_text_is_the_lawyers_seat(club, owner, make_member, with_profession):
    typed = with_profession(
        make_member("jeanne@example.org", discoverability=Discoverability.MEMBERS), other="  AVOCAT "
    )
    assert typed.profile.profession_key == "lawyer"
    with pytest.raises(ValidationError) as error:
        services.invitation_create(circle=club, inviter=owner, email=typed.email)
    assert error.value.messages == [_message(services.SEAT_TAKEN, profession="Lawyer")]


def test_two_free_text_professions_spelled_differently_hold_one_seat(club, owner, make_member, with_profession):
    first = with_profession(make_member("a@example.org"), other="Sophrologue")
    second = with_profession(
        make_member("b@example.org", discoverability=Discoverability.MEMBERS), other="sophrologue "
    )
    services.membership_accept_invitation(
        membership=services.invitation_create(circle=club, inviter=owner, email=first.email)
    )
    with pytest.raises(ValidationError) as error:
        services.invitation_create(circle=club, inviter=owner, email=second.email)
    assert error.value.messages == [_message(services.SEAT_TAKEN, profession="sophrologue")]


def test_a_member_without_a_profession_cannot_take_a_seat(club, owner, member, with_profession):
    invited = services.invitation_create(circle=club, inviter=owner, email=member.email)
    with pytest.raises(ValidationError) as error:
        services.membership_accept_invitation(membership=invited)
    assert error.value.messages == [str(services.PROFESSION_REQUIRED)]
    invited.refresh_from_db()
    assert invited.status == Status.INVITED
    with_profession(member, "accountant")
    assert services.membership_join(circle=club, member=member).status == Status.ACTIVE  # "join" accepts


def test_a_seat_frees_when_its_holder_leaves(owner, lawyer, make_member, with_profession, make_circle):
    organizer = with_profession(make_member("org@example.org"), "photographer")
    club = make_circle(organizer, family=Family.REFERRAL, membership_mode=MembershipMode.COOPTATION)
    held = services.membership_accept_invitation(
        membership=services.invitation_create(circle=club, inviter=organizer, email=owner.email)
    )
    services.membership_leave(membership=held)
    assert held.seat_key == ""
    again = services.invitation_create(circle=club, inviter=organizer, email=lawyer.email)
    assert services.membership_accept_invitation(membership=again).seat_key == "lawyer"


def test_the_database_refuses_a_second_seat_even_when_the_check_is_skipped(
    club, owner, lawyer, make_member, with_profession, monkeypatch
):
    """The constraint, not the check, is the guarantee: its IntegrityError becomes the clear reason."""
    invited = Membership.objects.create(circle=club, member=lawyer, status=Status.INVITED, sponsor=owner)
    monkeypatch.setattr(services, "seat_holder", lambda **kwargs: None)
    with pytest.raises(ValidationError) as error:
        services.membership_accept_invitation(membership=invited)
    assert error.value.messages == [_message(services.SEAT_TAKEN, profession="Lawyer")]
    assert (invited.status, invited.seat_key) == (Status.INVITED, "")
    invited.refresh_from_db()
    assert invited.status == Status.INVITED
    assert Membership.objects.filter(circle=club, status=Status.ACTIVE, seat_key="lawyer").count() == 1


def test_a_removed_member_is_invited_again_only_by_an_organizer(club, owner, member, with_profession, make_member):
    with_profession(member, "accountant")
    member.profile.discoverability = Discoverability.MEMBERS  # the sponsor may see him: he is told why
    member.profile.save(update_fields=["discoverability"])
    sponsor = with_profession(make_member("sponsor@example.org"), "notary")
    for user in (member, sponsor):
        services.membership_accept_invitation(
            membership=services.invitation_create(circle=club, inviter=owner, email=user.email)
        )
    removed = Membership.objects.get(circle=club, member=member)
    services.membership_remove(membership=removed, organizer=owner, reason="Absences répétées, cf. charte §2.")
    with pytest.raises(ValidationError) as error:
        services.invitation_create(circle=club, inviter=sponsor, email=member.email)
    assert error.value.messages == [str(services.INVITEE_REMOVED)]
    assert services.invitation_create(circle=club, inviter=owner, email=member.email).status == Status.INVITED


def test_a_hidden_member_gets_the_answer_an_unknown_address_gets(club, owner, make_member, with_profession):
    """Neither the seat rule nor "already a member" tells the inviter that a hidden address has an
    account, nor its profession; nothing reaches the hidden member either."""
    hidden = with_profession(make_member("cache@example.org", discoverability=Discoverability.HIDDEN), "lawyer")
    assert services.invitation_create(circle=club, inviter=owner, email=hidden.email) is None
    inside = with_profession(make_member("dedans@example.org", discoverability=Discoverability.HIDDEN), "notary")
    services.membership_accept_invitation(
        membership=services.invitation_create(circle=club, inviter=owner, email=inside.email)
    )
    fellow = with_profession(make_member("fellow@example.org"), "architect")
    services.membership_accept_invitation(
        membership=services.invitation_create(circle=club, inviter=owner, email=fellow.email)
    )
    assert services.invitation_create(circle=club, inviter=fellow, email=inside.email) is None
    assert not Membership.objects.filter(circle=club, member=hidden).exists()
    assert not Notification.objects.filter(recipient=hidden).exists()


def test_the_seat_rule_names_a_profession_only_when_the_inviter_may_see_it(club, owner, lawyer):
    consent_update(
        profile=lawyer.profile, discoverability=Discoverability.MEMBERS, visibility={"profession": Level.ONLY_ME}
    )
    assert services.invitation_create(circle=club, inviter=owner, email=lawyer.email) is None
    assert not Membership.objects.filter(circle=club, member=lawyer).exists()


def test_a_member_who_blocked_the_inviter_is_not_invited(club, owner, member, with_profession):
    with_profession(member, "accountant")
    block_create(blocker=member, blocked=owner)
    assert services.invitation_create(circle=club, inviter=owner, email=member.email) is None
    assert not Notification.objects.filter(recipient=member).exists()


def test_refused_invitations_count_against_the_daily_cap(
    club, owner, lawyer, make_member, with_profession, monkeypatch
):
    """Trying addresses is bounded: refusals, told or not, count like invitations sent."""
    monkeypatch.setattr(services, "INVITATIONS_PER_DAY", 2)
    hidden = with_profession(make_member("cache@example.org", discoverability=Discoverability.HIDDEN), "lawyer")
    assert services.invitation_create(circle=club, inviter=owner, email=hidden.email) is None
    with pytest.raises(ValidationError):
        services.invitation_create(circle=club, inviter=owner, email=lawyer.email)  # the seat rule, told
    with pytest.raises(ValidationError) as error:
        services.invitation_create(circle=club, inviter=owner, email="someone@example.org")
    assert error.value.messages == [str(services.TOO_MANY_INVITATIONS)]
    assert not Invitation.objects.filter(email="someone@example.org").exists()


# --- Leaving, taking part, roles, removal -----------------------------------------------------


def test_leaving_withdrawing_and_declining(owner, member, make_circle):
    open_circle = make_circle(owner, name="Ouvert")
    on_request = make_circle(owner, name="Sur demande", membership_mode=MembershipMode.REQUEST)
    active = services.membership_join(circle=open_circle, member=member)
    requested = services.membership_join(circle=on_request, member=member)
    assert services.membership_leave(membership=active).status == Status.LEFT
    assert services.membership_leave(membership=requested).status == Status.LEFT
    invited = services.invitation_create(circle=open_circle, inviter=owner, email=member.email)
    assert services.membership_leave(membership=invited).status == Status.DECLINED
    assert services.membership_join(circle=open_circle, member=member).status == Status.ACTIVE


def test_the_last_organizer_cannot_leave(owner, member, make_circle):
    circle = make_circle(owner)
    mine = Membership.objects.get(circle=circle, member=owner)
    with pytest.raises(ValidationError) as error:
        services.membership_leave(membership=mine)
    assert error.value.messages == [str(services.LAST_ORGANIZER)]
    theirs = services.membership_join(circle=circle, member=member)
    services.membership_set_role(membership=theirs, organizer=owner, role=Role.ORGANIZER)
    assert services.membership_leave(membership=mine).status == Status.LEFT


def test_a_circle_keeps_at_least_one_organizer(owner, member, make_circle):
    circle = make_circle(owner)
    mine = Membership.objects.get(circle=circle, member=owner)
    with pytest.raises(ValidationError) as error:
        services.membership_set_role(membership=mine, organizer=owner, role=Role.MEMBER)
    assert error.value.messages == [str(services.LAST_ORGANIZER)]
    theirs = services.membership_join(circle=circle, member=member)
    with pytest.raises(PermissionDenied):
        services.membership_set_role(membership=theirs, organizer=member, role=Role.ORGANIZER)
    services.membership_set_role(membership=theirs, organizer=owner, role=Role.ORGANIZER)
    assert services.membership_set_role(membership=mine, organizer=owner, role=Role.MEMBER).role == Role.MEMBER


def test_following_remotely_and_pairing(owner, member, make_circle):
    membership = services.membership_join(circle=make_circle(owner), member=member)
    services.membership_set_participation(membership=membership, participation=Participation.REMOTE)
    services.membership_set_pairing(membership=membership, opt_in=True)
    membership.refresh_from_db()
    assert (membership.participation, membership.pairing_opt_in) == (Participation.REMOTE, True)
    with pytest.raises(ValidationError):
        services.membership_set_participation(membership=membership, participation="sometimes")


def test_removing_a_member_needs_a_reason_and_tells_them(owner, member, make_circle):
    circle = make_circle(owner, charter="On ne démarche pas les membres.")
    membership = services.membership_join(circle=circle, member=member)
    with pytest.raises(ValidationError) as error:
        services.membership_remove(membership=membership, organizer=owner, reason="   ")
    assert error.value.messages == [str(services.REASON_REQUIRED)]
    with pytest.raises(PermissionDenied):
        services.membership_remove(membership=membership, organizer=member, reason="Non.")
    services.membership_remove(membership=membership, organizer=owner, reason="Démarchage, contraire à la charte.")
    assert (membership.status, membership.answer) == (Status.REMOVED, "Démarchage, contraire à la charte.")
    notification = Notification.objects.get(recipient=member)
    assert notification.params["reason"] == "Démarchage, contraire à la charte."
    with pytest.raises(ValidationError) as error:
        services.membership_join(circle=circle, member=member)
    assert error.value.messages == [str(services.REMOVED_CANNOT_REJOIN)]


def test_an_organizer_cannot_remove_themselves(owner, make_circle):
    circle = make_circle(owner)
    with pytest.raises(ValidationError) as error:
        services.membership_remove(
            membership=Membership.objects.get(circle=circle, member=owner), organizer=owner, reason="Test"
        )
    assert error.value.messages == [str(services.CANNOT_REMOVE_YOURSELF)]


# --- Announcements, reports, mentoring --------------------------------------------------------


def test_an_announcement_reaches_active_members_and_remote_followers_only(
    owner, member, stranger, make_member, make_circle
):
    circle = make_circle(owner, membership_mode=MembershipMode.REQUEST)
    services.membership_request_decide(
        membership=services.membership_join(circle=circle, member=member), organizer=owner, approve=True
    )
    remote = make_member("remote@example.org")
    services.membership_request_decide(
        membership=services.membership_join(circle=circle, member=remote), organizer=owner, approve=True
    )
    services.membership_set_participation(
        membership=Membership.objects.get(circle=circle, member=remote), participation=Participation.REMOTE
    )
    services.membership_join(circle=circle, member=stranger)  # only requested
    Notification.objects.all().delete()
    assert services.announcement_send(circle=circle, organizer=owner, text="Rendez-vous jeudi  8 h !") == 2
    notified = set(Notification.objects.filter(kind=Kind.ANNOUNCEMENT).values_list("recipient__email", flat=True))
    assert notified == {member.email, remote.email}
    assert Notification.objects.filter(kind=Kind.ANNOUNCEMENT).first().params["text"] == "Rendez-vous jeudi 8 h !"
    with pytest.raises(PermissionDenied):
        services.announcement_send(circle=circle, organizer=member, text="Hello")
    with pytest.raises(ValidationError):
        services.announcement_send(circle=circle, organizer=owner, text="x" * (services.ANNOUNCEMENT_MAX + 1))


def test_a_member_reports_a_member_and_an_organizer_resolves_it(owner, member, stranger, make_circle):
    circle = make_circle(owner)
    services.membership_join(circle=circle, member=member)
    with pytest.raises(ValidationError):
        services.report_create(circle=circle, reporter=stranger, reported=owner, reason="Spam")
    with pytest.raises(ValidationError) as error:
        services.report_create(circle=circle, reporter=member, reported=stranger, reason="Spam")
    assert error.value.messages == [str(services.REPORTED_NOT_MEMBER)]
    with pytest.raises(ValidationError):
        services.report_create(circle=circle, reporter=member, reason="Quelque chose")
    report = services.report_create(circle=circle, reporter=member, about="Message du 3 mars", reason="Insultant.")
    assert report.state == Report.State.OPEN
    with pytest.raises(PermissionDenied):
        services.report_resolve(report=report, organizer=member, resolution="ok")
    services.report_resolve(report=report, organizer=owner, resolution="Message retiré.")
    assert (report.state, report.resolution) == (Report.State.RESOLVED, "Message retiré.")


def test_mentoring_pairs_and_their_check_ins(owner, member, stranger, make_circle):
    circle = make_circle(owner)
    services.membership_join(circle=circle, member=member)
    with pytest.raises(ValidationError):
        services.mentoring_pair_create(circle=circle, organizer=owner, mentor=owner, mentee=stranger)
    with pytest.raises(ValidationError):
        services.mentoring_pair_create(circle=circle, organizer=owner, mentor=owner, mentee=owner)
    pair = services.mentoring_pair_create(circle=circle, organizer=owner, mentor=owner, mentee=member)
    with pytest.raises(ValidationError):
        services.mentoring_pair_create(circle=circle, organizer=owner, mentor=owner, mentee=member)
    services.mentoring_checkin_add(pair=pair, author=member, note="Premier café.")
    with pytest.raises(PermissionDenied):
        services.mentoring_checkin_add(pair=pair, author=stranger, note="?")
    assert list(pair.checkins.values_list("note", flat=True)) == ["Premier café."]
    services.membership_remove(
        membership=Membership.objects.get(circle=circle, member=member), organizer=owner, reason="Départ."
    )
    assert not MentoringPair.objects.get(pk=pair.pk).active


def test_both_sides_of_a_mentoring_pair_hear_of_it_with_a_link_to_each_other(owner, member, stranger, make_circle):
    from django.urls import reverse

    from notifications.emails import as_recipient, render_message
    from notifications.models import Kind, Notification

    circle = make_circle(owner)
    services.membership_join(circle=circle, member=member)
    services.mentoring_pair_create(circle=circle, organizer=owner, mentor=owner, mentee=member)

    to_mentor = Notification.objects.get(recipient=owner, kind=Kind.MENTORING)
    to_mentee = Notification.objects.get(recipient=member, kind=Kind.MENTORING)
    assert to_mentor.url == reverse("people:member_detail", args=[member.pk])
    assert to_mentee.url == reverse("people:member_detail", args=[owner.pk])
    member.profile.language = "fr"
    with as_recipient(member):
        assert render_message(to_mentee) == f"Hélène Dupré est désormais votre marraine ou parrain dans {circle.name}."
    assert not Notification.objects.filter(recipient=stranger).exists()


# --- Concurrency: the seat rule holds when accepts race ---------------------------------------

RACERS = 6


def _race(targets) -> list[str]:
    """Run the callables at the same moment, each on its own connection; their outcomes."""
    barrier = threading.Barrier(len(targets))
    outcomes: list[str] = []

    def run(target):
        close_old_connections()
        try:
            with translation.override("en"):
                barrier.wait(timeout=30)
                target()
            outcomes.append("ok")
        except ValidationError as exc:
            with translation.override("en"):
                outcomes.append(exc.messages[0])
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(t,)) for t in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


RACE_TESTS = [
    "test_concurrent_accepts_seat_exactly_one_lawyer",
    "test_concurrent_claims_of_one_invitation_link_admit_one_person",
]
_file_database_run: dict[str, str] = {}


def _needs_a_file_database(test_name: str, tmp_path_factory) -> bool:
    """SQLite's in-memory test database shares a cache whose lock errors ignore busy_timeout:
    the race tests run again, together, in a subprocess on a file-based test database
    (SQLITE_TEST_PATH, read by cercle/settings.py), and each checks its own result there."""
    if connection.vendor != "sqlite" or not connection.is_in_memory_db():
        return False
    if "stdout" not in _file_database_run:
        path = tmp_path_factory.mktemp("circles-race") / "test.sqlite3"
        env = {**os.environ, "SQLITE_TEST_PATH": str(path)}
        env.pop("DATABASE_URL", None)
        result = subprocess.run(
            [sys.executable, "-m", "pytest", "-v", "-p", "no:cacheprovider"] + [f"{__file__}::{n}" for n in RACE_TESTS],
            cwd=settings.BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        _file_database_run["stdout"] = result.stdout + result.stderr
    output = _file_database_run["stdout"]
    assert f"::{test_name} PASSED" in output, output[-6000:]
    return True


@pytest.mark.django_db(transaction=True)
def test_concurrent_accepts_seat_exactly_one_lawyer(tmp_path_factory, make_member, make_circle, with_profession):
    if _needs_a_file_database("test_concurrent_accepts_seat_exactly_one_lawyer", tmp_path_factory):
        return
    organizer = with_profession(make_member("org@example.org", display_name="Organisatrice"), "photographer")
    club = make_circle(organizer, family=Family.REFERRAL, membership_mode=MembershipMode.COOPTATION)
    spellings = ["lawyer", "Avocat", "AVOCAT", " avocat ", "Lawyer", "avocat"]
    invitations = []
    for index in range(RACERS):
        spelling = spellings[index % len(spellings)]
        user = make_member(f"avocat{index}@example.org")
        if spelling == "lawyer":
            with_profession(user, "lawyer")
        else:
            with_profession(user, other=spelling)
        invitations.append(services.invitation_create(circle=club, inviter=organizer, email=user.email))

    outcomes = _race([lambda m=m: services.membership_accept_invitation(membership=m) for m in invitations])

    refused = _message(services.SEAT_TAKEN, profession="Lawyer")
    assert sorted(outcomes) == sorted(["ok"] + [refused] * (RACERS - 1)), outcomes
    seated = Membership.objects.filter(circle=club, status=Status.ACTIVE, seat_key="lawyer")
    assert seated.count() == 1
    assert Membership.objects.filter(circle=club, status=Status.INVITED).count() == RACERS - 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_claims_of_one_invitation_link_admit_one_person(tmp_path_factory, make_member, make_circle, owner):
    if _needs_a_file_database("test_concurrent_claims_of_one_invitation_link_admit_one_person", tmp_path_factory):
        return
    circle = make_circle(owner)
    invitation = services.invitation_create(circle=circle, inviter=owner, email="friend@example.org")
    people = [make_member(f"friend{index}@example.org") for index in range(RACERS)]

    outcomes = _race([lambda u=u: services.invitation_accept(invitation=invitation, user=u) for u in people])

    assert sorted(outcomes) == sorted(["ok"] + [str(services.INVITATION_USED)] * (RACERS - 1)), outcomes
    assert Membership.objects.filter(circle=circle, member__in=people).count() == 1
