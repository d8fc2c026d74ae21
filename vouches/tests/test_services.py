"""Writing, editing, withdrawing (the author), approving and removing (the subject)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import formats, timezone

from intros.services import block_create
from notifications.models import Kind, Notification
from people.models import Discoverability
from people.services import consent_update
from vouches import selectors, services
from vouches.models import REWRITE_AFTER, Status, Vouch
from vouches.tests.conftest import TEXT, write_vouch

pytestmark = pytest.mark.django_db


def _refused(message, **kwargs):
    with pytest.raises(ValidationError) as caught:
        write_vouch(**kwargs)
    assert caught.value.messages == [str(message)]


def test_a_vouch_waits_for_its_subject_who_is_told(owner, member):
    vouch = write_vouch(member, owner)
    assert vouch.status == Status.PENDING and vouch.approved_at is None
    (note,) = Notification.objects.filter(recipient=owner, kind=Kind.VOUCH)
    assert note.params == {"name": "Marc Leroy"} and note.message == services.MSG_WAITING
    assert note.url == "/vouches/"
    assert not Notification.objects.filter(recipient=member).exists()


def test_the_notification_does_not_name_an_author_whose_name_is_hidden_from_the_subject(owner, member):
    consent_update(profile=member.profile, discoverability=Discoverability.MEMBERS, visibility={"name": "only_me"})
    write_vouch(member, owner)
    (note,) = Notification.objects.filter(recipient=owner)
    assert note.message == services.MSG_WAITING_UNNAMED and "Marc" not in str(note.params)


def test_the_worked_together_declaration_is_required(owner, member):
    _refused(services.DECLARATION_REQUIRED, author=member, subject=owner, worked_with=False)
    assert not Vouch.objects.exists()


def test_no_vouch_for_oneself(owner):
    _refused(services.CANNOT_VOUCH_FOR_YOURSELF, author=owner, subject=owner)


@pytest.mark.parametrize(
    ("started_on", "ended_on", "message"),
    [
        (datetime.date(2022, 5, 1), datetime.date(2022, 4, 30), services.END_BEFORE_START),
        (None, None, services.START_REQUIRED),
        (datetime.date(1900, 1, 1), None, services.START_TOO_EARLY),
    ],
)
def test_the_dates_must_make_sense(owner, member, started_on, ended_on, message):
    _refused(message, author=member, subject=owner, started_on=started_on, ended_on=ended_on)


def test_the_dates_cannot_be_in_the_future(owner, member):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    _refused(services.DATE_IN_FUTURE, author=member, subject=owner, started_on=tomorrow, ended_on=None)
    _refused(
        services.DATE_IN_FUTURE, author=member, subject=owner, started_on=datetime.date(2020, 1, 1), ended_on=tomorrow
    )


def test_an_ongoing_collaboration_has_no_end_date_and_one_day_is_enough(owner, member, stranger):
    assert write_vouch(member, owner, ended_on=None).ended_on is None
    day = datetime.date(2024, 2, 2)
    assert write_vouch(stranger, owner, started_on=day, ended_on=day).ended_on == day


@pytest.mark.parametrize("text", ["Super !", "Très bien, je recommande.", "Excellent" * 8])
def test_a_vouch_says_at_least_a_sentence(owner, member, text):
    _refused(services.TEXT_TOO_SHORT, author=member, subject=owner, text=text)


def test_a_vouch_has_a_maximum_length(owner, member):
    _refused(services.TEXT_TOO_LONG, author=member, subject=owner, text="Très bon travail ensemble. " * 200)


def test_the_text_is_tidied_but_keeps_its_paragraphs(owner, member):
    vouch = write_vouch(
        member, owner, text="  Première   ligne du texte.\n\n\n\nDeuxième paragraphe, plus long encore.  "
    )
    assert vouch.text == "Première ligne du texte.\n\nDeuxième paragraphe, plus long encore."


def test_an_unknown_relation_is_refused(owner, member):
    _refused(services.RELATION_REQUIRED, author=member, subject=owner, relation="met_once_at_breakfast")


def test_one_vouch_per_author_and_subject(owner, member, open_member):
    write_vouch(member, owner)
    _refused(services.ALREADY_WRITTEN, author=member, subject=owner)
    # Even once the subject removed it: it cannot be written again at once.
    services.vouch_remove(vouch=Vouch.objects.get(), subject=owner)
    _refused(services.ALREADY_WRITTEN, author=member, subject=owner)
    # The other way round is another vouch.
    colleague = open_member()
    write_vouch(colleague, owner)
    assert write_vouch(owner, colleague).subject == colleague


def test_no_vouch_for_a_member_one_may_not_see(owner, member):
    consent_update(profile=owner.profile, discoverability=Discoverability.HIDDEN, visibility={})
    _refused(services.NOT_POSSIBLE, author=member, subject=owner)


@pytest.mark.parametrize("who_blocks", ["subject", "author"])
def test_no_vouch_across_a_block_either_way(owner, member, who_blocks):
    blocker, blocked = (owner, member) if who_blocks == "subject" else (member, owner)
    block_create(blocker=blocker, blocked=blocked)
    _refused(services.NOT_POSSIBLE, author=member, subject=owner)
    assert not Notification.objects.exists()


def test_no_vouch_for_an_inactive_member(owner, member):
    owner.is_active = False
    owner.save(update_fields=["is_active"])
    _refused(services.NOT_POSSIBLE, author=member, subject=owner)


def test_a_daily_cap_on_writing(member, open_member):
    for _ in range(services.MAX_PER_DAY):
        write_vouch(member, open_member())
    _refused(services.TOO_MANY_TODAY, author=member, subject=open_member())
    # A day later, writing is open again.
    Vouch.objects.update(created_at=timezone.now() - datetime.timedelta(days=1, minutes=1))
    assert write_vouch(member, open_member()).status == Status.PENDING


def _withdrawn_long_ago(vouch) -> None:
    Vouch.objects.filter(pk=vouch.pk).update(withdrawn_at=timezone.now() - REWRITE_AFTER - datetime.timedelta(hours=1))


def test_a_withdrawn_vouch_can_be_written_again_only_after_a_while(owner, member):
    services.vouch_withdraw(vouch=write_vouch(member, owner), author=member)
    with pytest.raises(ValidationError) as caught:
        write_vouch(member, owner)
    (message,) = caught.value.messages
    rewritable = formats.date_format(timezone.localdate(timezone.now() + REWRITE_AFTER))
    assert message.startswith(str(services.WITHDRAWN_RECENTLY).split("{")[0]) and rewritable in message
    assert selectors.pending_about(owner) == []
    _withdrawn_long_ago(Vouch.objects.get())
    again = write_vouch(member, owner, text=TEXT + " Encore.")
    assert again.status == Status.PENDING and again.withdrawn_at is None
    assert [item.vouch.text for item in selectors.pending_about(owner)] == [TEXT + " Encore."]


def test_withdrawing_a_declined_vouch_does_not_bring_it_back_to_its_subject(owner, member, open_member):
    declined = write_vouch(member, owner)
    services.vouch_remove(vouch=declined, subject=owner)
    services.vouch_withdraw(vouch=declined, author=member)
    other_author = open_member()
    services.vouch_withdraw(vouch=write_vouch(other_author, owner), author=other_author)
    # The same answer as for a vouch nobody declined: the decline is not revealed.
    assert _refusal_message(member, owner) == _refusal_message(other_author, owner)
    _withdrawn_long_ago(declined)
    notes_before = Notification.objects.filter(recipient=owner).count()
    again = write_vouch(member, owner)
    assert again.status_for_author == Status.PENDING and again.editable_by_author
    assert selectors.pending_about(owner) == [] and selectors.pending_count(owner) == 0
    assert Notification.objects.filter(recipient=owner).count() == notes_before


def _refusal_message(author, subject) -> str:
    with pytest.raises(ValidationError) as caught:
        write_vouch(author, subject)
    return caught.value.messages[0]


def test_withdrawing_and_writing_again_counts_against_the_daily_cap(member, open_member):
    first = write_vouch(member, open_member())
    for _ in range(services.MAX_PER_DAY - 1):
        write_vouch(member, open_member())
    services.vouch_withdraw(vouch=first, author=member)
    _refused(services.TOO_MANY_TODAY, author=member, subject=open_member())


def test_the_subject_approves_and_the_author_is_told(owner, member):
    vouch = services.vouch_approve(vouch=write_vouch(member, owner), subject=owner)
    assert vouch.status == Status.APPROVED and vouch.approved_at is not None
    (note,) = Notification.objects.filter(recipient=member, kind=Kind.VOUCH)
    assert note.message == services.MSG_APPROVED and note.params == {"name": "Hélène Dupré"}


def test_only_the_subject_approves_and_only_once(owner, member, stranger):
    vouch = write_vouch(member, owner)
    for someone in (member, stranger):
        with pytest.raises(ValidationError):
            services.vouch_approve(vouch=vouch, subject=someone)
    services.vouch_approve(vouch=vouch, subject=owner)
    with pytest.raises(ValidationError):
        services.vouch_approve(vouch=vouch, subject=owner)
    assert Notification.objects.filter(recipient=member).count() == 1


def test_no_approval_across_a_block(owner, member):
    vouch = write_vouch(member, owner)
    block_create(blocker=member, blocked=owner)
    with pytest.raises(ValidationError):
        services.vouch_approve(vouch=vouch, subject=owner)
    assert Vouch.objects.get().status == Status.PENDING


def test_the_subject_removes_a_vouch_any_time_even_after_approval(owner, member, stranger):
    approved = services.vouch_approve(vouch=write_vouch(member, owner), subject=owner)
    assert services.vouch_remove(vouch=approved, subject=owner).status == Status.REMOVED
    declined = services.vouch_remove(vouch=write_vouch(stranger, owner), subject=owner)
    assert declined.status == Status.REMOVED
    # Told apart for their authors: a decline still reads as pending, a removal does not.
    assert declined.status_for_author == Status.PENDING
    assert Vouch.objects.get(pk=approved.pk).status_for_author == Status.REMOVED


def test_only_the_subject_removes(owner, member, stranger):
    vouch = write_vouch(member, owner)
    for someone in (member, stranger):
        with pytest.raises(ValidationError):
            services.vouch_remove(vouch=vouch, subject=someone)
    assert Vouch.objects.get().status == Status.PENDING


def test_the_author_edits_a_vouch_until_it_is_approved(owner, member):
    vouch = write_vouch(member, owner)
    new_text = "Après réflexion : une collaboration exemplaire sur trois projets successifs."
    edited = services.vouch_edit(
        vouch=vouch,
        author=member,
        relation="supplier",
        started_on=datetime.date(2020, 1, 1),
        ended_on=None,
        text=new_text,
    )
    assert (edited.text, edited.relation, edited.ended_on, edited.status) == (new_text, "supplier", None, "pending")
    services.vouch_approve(vouch=edited, subject=owner)
    with pytest.raises(ValidationError) as caught:
        services.vouch_edit(vouch=edited, author=member, relation="client", started_on=None, text=TEXT)
    assert caught.value.messages == [str(services.NOT_EDITABLE)]
    assert Vouch.objects.get().text == new_text


def test_someone_else_cannot_edit_or_withdraw(owner, member, stranger):
    vouch = write_vouch(member, owner)
    with pytest.raises(ValidationError):
        services.vouch_edit(vouch=vouch, author=stranger, relation="client", started_on=vouch.started_on, text=TEXT)
    services.vouch_withdraw(vouch=vouch, author=stranger)
    services.vouch_withdraw(vouch=vouch, author=owner)
    assert Vouch.objects.get().text == TEXT


def test_the_author_withdraws_a_vouch_even_approved(owner, member):
    vouch = services.vouch_approve(vouch=write_vouch(member, owner), subject=owner)
    services.vouch_withdraw(vouch=vouch, author=member)
    assert selectors.approved_vouches_seen_by(owner, owner) == [] and selectors.approved_about(owner) == []
    assert selectors.written_by(member) == []
    vouch.refresh_from_db()
    assert vouch.text == "" and vouch.withdrawn_at is not None


def test_an_edit_from_a_page_opened_before_withdrawing_does_not_bring_the_text_back(owner, member):
    vouch = write_vouch(member, owner)
    opened_before = Vouch.objects.get(pk=vouch.pk)
    services.vouch_withdraw(vouch=vouch, author=member)
    with pytest.raises(ValidationError):
        services.vouch_edit(
            vouch=opened_before, author=member, relation="client", started_on=vouch.started_on, text=TEXT
        )
    vouch.refresh_from_db()
    assert vouch.text == ""


@pytest.mark.parametrize("answer", ["approve", "remove"])
def test_a_subject_answering_a_vouch_just_withdrawn_changes_nothing(owner, member, answer):
    vouch = write_vouch(member, owner)
    opened_before = Vouch.objects.get(pk=vouch.pk)  # the subject's page, before the withdrawal
    services.vouch_withdraw(vouch=vouch, author=member)
    with pytest.raises(ValidationError):
        if answer == "approve":
            services.vouch_approve(vouch=opened_before, subject=owner)
        else:
            services.vouch_remove(vouch=opened_before, subject=owner)
    vouch.refresh_from_db()
    assert vouch.status == Status.PENDING and vouch.approved_at is None
    assert not Notification.objects.filter(recipient=member).exists()
