"""Writes: connection requests, connections, blocks and reports about a member.

Refusals raise ValidationError with one of the module's messages (the tests reuse them). A block
is never revealed: asking a member who blocked you (or whom you blocked) gets the same "not
possible" as asking a member you may not find.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from intros.models import (
    REASON_MAX_CHARS,
    REASON_MIN_CHARS,
    REASON_MIN_WORDS,
    Block,
    Connection,
    ConnectionRequest,
    RequestSent,
    RequestStatus,
)
from intros.selectors import LOOKS_PENDING, are_connected, is_blocked_between, ordered_pair
from notifications.models import Kind
from people.models import User
from people.services import relations_changed

MAX_PENDING_OUTGOING = 20
# Sends, withdrawn requests included: at most this many a day, and to one member in a week.
MAX_REQUESTS_PER_DAY = 30
MAX_REQUESTS_TO_ONE_PER_WEEK = 3

CANNOT_ASK_YOURSELF = _("You cannot ask yourself to connect.")
NOT_POSSIBLE = _("It is not possible to send a request to this member.")
ALREADY_CONNECTED = _("You are already connected.")
ALREADY_ASKED = _("You already asked this member; their answer is still pending.")
THEY_ASKED_YOU = _("This member already asked you to connect: accept their request instead.")
TOO_MANY_PENDING = format_lazy(
    _(
        "You already have {count} requests waiting for an answer. Quality over quantity: wait for "
        "some answers, or withdraw a request, before asking someone new."
    ),
    count=MAX_PENDING_OUTGOING,
)
REASON_TOO_SHORT = format_lazy(
    _("Say in a sentence why you would like to connect (at least {chars} characters and {words} words)."),
    chars=REASON_MIN_CHARS,
    words=REASON_MIN_WORDS,
)
TOO_MANY_TODAY = format_lazy(
    _("You sent {count} requests in the last 24 hours: come back tomorrow to ask someone new."),
    count=MAX_REQUESTS_PER_DAY,
)
TOO_MANY_TO_ONE = format_lazy(
    _("You asked this member {count} times in the last 7 days: give them time, and ask again next week."),
    count=MAX_REQUESTS_TO_ONE_PER_WEEK,
)
REQUEST_ANSWERED = _("This request was already answered.")
CANNOT_BLOCK_YOURSELF = _("You cannot block yourself.")
REPORT_REASON_REQUIRED = _("Say what happened.")
CANNOT_REPORT_YOURSELF = _("You cannot report yourself.")

# Notifications: message ids rendered in each recipient's language; names as the recipient may see them.
MSG_REQUEST_RECEIVED = gettext_noop("%(name)s asks to connect with you.")
MSG_REQUEST_ACCEPTED = gettext_noop("%(name)s accepted your request: you are now connected.")
MSG_INTRO_PROPOSED = gettext_noop("%(name)s would like to introduce you to one of their connections.")
MSG_INTRO_COMPLETED = gettext_noop("You both accepted the introduction by %(name)s: you can now write to each other.")
MSG_ASK_RECEIVED = gettext_noop("%(name)s asks you to introduce them to %(target)s.")
MSG_ASK_INTRODUCED = gettext_noop("%(name)s introduced you to %(target)s, who will answer before learning your name.")


def _name_for(viewer: User, member: User) -> str:
    """The member's name as the viewer may see it (the privacy selector decides)."""
    from privacy.selectors import seen_by

    return str(seen_by(viewer, member.profile).display_name)


def _notify(recipient: User, kind: str, message: str, url: str, **names: User) -> None:
    from notifications.services import notify

    params = {key: _name_for(recipient, member) for key, member in names.items()}
    notify(recipient=recipient, kind=kind, message=message, params=params, url=url, naming=names)


def clean_reason(reason: str, too_short=REASON_TOO_SHORT) -> str:
    reason = " ".join(reason.split())
    if len(reason) < REASON_MIN_CHARS or len(reason.split()) < REASON_MIN_WORDS:
        raise ValidationError(too_short, code="reason_too_short")
    return reason[:REASON_MAX_CHARS]


def _open_between(a: User, b: User):
    """Requests between the two, either way, not yet accepted (pending, declined or ignored)."""
    return ConnectionRequest.objects.filter(
        Q(sender=a, recipient=b) | Q(sender=b, recipient=a), status__in=LOOKS_PENDING
    )


def connection_request_send(*, sender: User, recipient: User, reason: str) -> ConnectionRequest:
    from privacy.selectors import is_discoverable_by

    if sender.pk == recipient.pk:
        raise ValidationError(CANNOT_ASK_YOURSELF, code="self")
    if not recipient.is_active or is_blocked_between(sender, recipient) or not is_discoverable_by(sender, recipient):
        raise ValidationError(NOT_POSSIBLE, code="not_possible")
    if are_connected(sender, recipient):
        raise ValidationError(ALREADY_CONNECTED, code="connected")
    # Declined and ignored requests look pending to their sender: asking again says the same.
    if ConnectionRequest.objects.filter(sender=sender, recipient=recipient, status__in=LOOKS_PENDING).exists():
        raise ValidationError(ALREADY_ASKED, code="already_asked")
    if ConnectionRequest.objects.filter(sender=recipient, recipient=sender, status=RequestStatus.PENDING).exists():
        raise ValidationError(THEY_ASKED_YOU, code="they_asked")
    reason = clean_reason(reason)
    with transaction.atomic():
        # One sender's requests one at a time, so two at once cannot pass the cap together.
        User.objects.select_for_update().filter(pk=sender.pk).first()
        pending = ConnectionRequest.objects.filter(sender=sender, status__in=LOOKS_PENDING).count()
        if pending >= MAX_PENDING_OUTGOING:
            raise ValidationError(TOO_MANY_PENDING, code="too_many")
        _count_send(sender, recipient)
        try:
            with transaction.atomic():
                request = ConnectionRequest.objects.create(sender=sender, recipient=recipient, reason=reason)
        except IntegrityError:
            raise ValidationError(ALREADY_ASKED, code="already_asked") from None
        _notify(recipient, Kind.CONNECTION_REQUEST, MSG_REQUEST_RECEIVED, reverse("intros:index"), name=sender)
        return request


def _count_send(sender: User, recipient: User) -> None:
    """Refuse a send past the caps, else count it (the caller holds the sender's lock)."""
    now = timezone.now()
    week_ago = now - dt.timedelta(days=7)
    RequestSent.objects.filter(sender=sender, created_at__lt=week_ago).delete()  # past every window
    sent = RequestSent.objects.filter(sender=sender)
    if sent.filter(created_at__gte=now - dt.timedelta(days=1)).count() >= MAX_REQUESTS_PER_DAY:
        raise ValidationError(TOO_MANY_TODAY, code="too_many_today")
    if sent.filter(recipient=recipient, created_at__gte=week_ago).count() >= MAX_REQUESTS_TO_ONE_PER_WEEK:
        raise ValidationError(TOO_MANY_TO_ONE, code="too_many_to_one")
    RequestSent.objects.create(sender=sender, recipient=recipient, created_at=now)


def _answer(request: ConnectionRequest, recipient: User, status: str) -> ConnectionRequest:
    if request.recipient_id != recipient.pk:
        raise ValidationError(REQUEST_ANSWERED, code="not_yours")
    updated = ConnectionRequest.objects.filter(pk=request.pk, status=RequestStatus.PENDING).update(
        status=status, answered_at=timezone.now()
    )
    if not updated:
        raise ValidationError(REQUEST_ANSWERED, code="answered")
    relations_changed(request.sender_id, request.recipient_id)  # an UPDATE sends no signal
    request.refresh_from_db(fields=["status", "answered_at"])
    return request


def _link_contacts(owner: User, other: User) -> None:
    """The owner's unlinked contact whose e-mails include the other's account or contact e-mail."""
    from network.models import Contact

    emails = {e.strip().lower() for e in [other.email, getattr(other.profile, "contact_email", "")] if e}
    if not emails:
        return
    candidates = Contact.objects.filter(owner=owner, member__isnull=True)
    query = Q()
    for email in emails:
        query |= Q(emails__icontains=email)
    for contact in candidates.filter(query).only("id", "emails"):
        if emails & {str(e).strip().lower() for e in contact.emails}:
            Contact.objects.filter(pk=contact.pk, member__isnull=True).update(member=other)
            return


@transaction.atomic
def connection_request_accept(*, request: ConnectionRequest, recipient: User) -> Connection:
    _answer(request, recipient, RequestStatus.ACCEPTED)
    sender = request.sender
    low, high = ordered_pair(sender.pk, recipient.pk)
    connection, _created = Connection.objects.get_or_create(user_low_id=low, user_high_id=high)
    # Any other open request between them is settled by the connection.
    _open_between(sender, recipient).update(status=RequestStatus.ACCEPTED, answered_at=timezone.now())
    _link_contacts(recipient, sender)
    _link_contacts(sender, recipient)
    url = reverse("people:member_detail", args=[recipient.pk])
    _notify(sender, Kind.CONNECTION_REQUEST, MSG_REQUEST_ACCEPTED, url, name=recipient)
    return connection


def connection_request_decline(*, request: ConnectionRequest, recipient: User) -> ConnectionRequest:
    """The sender is not told: their list keeps showing the request as pending."""
    return _answer(request, recipient, RequestStatus.DECLINED)


def connection_request_ignore(*, request: ConnectionRequest, recipient: User) -> ConnectionRequest:
    return _answer(request, recipient, RequestStatus.IGNORED)


def connection_request_withdraw(*, request: ConnectionRequest, sender: User) -> None:
    """The sender takes back a request that still looks pending to them (frees a place under the cap)."""
    ConnectionRequest.objects.filter(pk=request.pk, sender=sender, status__in=LOOKS_PENDING).delete()


def connection_remove(*, member: User, other: User) -> None:
    low, high = ordered_pair(member.pk, other.pk)
    Connection.objects.filter(user_low_id=low, user_high_id=high).delete()


@transaction.atomic
def block_create(*, blocker: User, blocked: User) -> Block:
    """Hides the two from each other; ends their connection and any open request between them."""
    if blocker.pk == blocked.pk:
        raise ValidationError(CANNOT_BLOCK_YOURSELF, code="self")
    connection_remove(member=blocker, other=blocked)
    _open_between(blocker, blocked).delete()
    block, _created = Block.objects.get_or_create(blocker=blocker, blocked=blocked)
    return block


def block_remove(*, blocker: User, blocked: User) -> None:
    Block.objects.filter(blocker=blocker, blocked=blocked).delete()


@transaction.atomic
def member_report(*, reporter: User, reported: User, reason: str) -> list:
    """A report about a member goes to the organizers of each circle both are active in
    (circles.services.report_create), or to the operators (circle=None) when they share none."""
    from circles.models import Membership, Report, Status
    from circles.services import report_cap_check, report_create

    if reporter.pk == reported.pk:
        raise ValidationError(CANNOT_REPORT_YOURSELF, code="self")
    reason = reason.strip()[:4000]
    if not reason:
        raise ValidationError(REPORT_REASON_REQUIRED, code="reason_required")
    # One report, whatever the number of circles it reaches: one check of the daily cap, one time.
    report_cap_check(reporter=reporter)
    now = timezone.now()
    mine = Membership.objects.filter(member=reporter, status=Status.ACTIVE).values("circle_id")
    shared = (
        Membership.objects.filter(member=reported, status=Status.ACTIVE, circle_id__in=mine)
        .select_related("circle")
        .order_by("circle_id")
    )
    reports = [
        report_create(circle=m.circle, reporter=reporter, reported=reported, reason=reason, at=now) for m in shared
    ]
    if not reports:
        # Nobody organizes anything they share: the operators handle it in the admin.
        reports.append(
            Report.objects.create(circle=None, reporter=reporter, reported=reported, reason=reason, created_at=now)
        )
    return reports


# Introductions: double opt-in. One neutral refusal for "not connected to both", "blocked between
# any of the three" and "inactive": the introducer learns nothing about blocks.
INTRO_NOT_POSSIBLE = _("It is not possible to introduce these two members.")
INTRO_SAME_PERSON = _("Choose two different members.")
MAX_INTRODUCTIONS_PER_DAY = 10
INTRO_TOO_MANY = format_lazy(
    _(
        "You made {count} introductions in the last 24 hours. A good introduction takes thought: "
        "come back tomorrow for the next ones."
    ),
    count=MAX_INTRODUCTIONS_PER_DAY,
)
INTRO_ALREADY_WAITING = _("These two already have an introduction waiting for their answers.")
INTRO_CLOSED = _("This introduction is no longer waiting for your answer.")
INTRO_NOT_COMPLETED = _("You can say whether you met only once you both accepted.")


@transaction.atomic
def introduction_create(*, introducer: User, first: User, second: User, reason: str, first_asked: bool = False):
    """Propose an introduction; each of the two is told who introduces them (not to whom).

    `first_asked`: `first` asked for it (`introduction_ask_introduce`), so their answer is
    "accepted" from the start and the ask's own notice tells them."""
    from intros.models import Answer, Introduction

    if first.pk == second.pk:
        raise ValidationError(INTRO_SAME_PERSON, code="same")
    if introducer.pk in (first.pk, second.pk):
        raise ValidationError(INTRO_NOT_POSSIBLE, code="not_possible")
    if (
        not (first.is_active and second.is_active)
        or not are_connected(introducer, first)
        or not are_connected(introducer, second)
        or is_blocked_between(introducer, first)
        or is_blocked_between(introducer, second)
        or is_blocked_between(first, second)
    ):
        raise ValidationError(INTRO_NOT_POSSIBLE, code="not_possible")
    now = timezone.now()
    if Introduction.objects.filter(introducer=introducer, created_at__gte=now - dt.timedelta(days=1)).count() >= (
        MAX_INTRODUCTIONS_PER_DAY
    ):
        raise ValidationError(INTRO_TOO_MANY, code="too_many")
    low, high = ordered_pair(first.pk, second.pk)
    waiting = Introduction.objects.filter(
        Q(first_id=low, second_id=high) | Q(first_id=high, second_id=low), expires_at__gt=now
    ).exclude(Q(first_answer=Answer.DECLINED) | Q(second_answer=Answer.DECLINED))
    if waiting.exclude(first_answer=Answer.ACCEPTED, second_answer=Answer.ACCEPTED).exists():
        raise ValidationError(INTRO_ALREADY_WAITING, code="already_waiting")
    reason = clean_reason(reason)
    introduction = Introduction.objects.create(
        introducer=introducer,
        first=first,
        second=second,
        reason=reason,
        first_answer=Answer.ACCEPTED if first_asked else Answer.PENDING,
    )
    url = reverse("intros:introductions")
    for member in (second,) if first_asked else (first, second):
        _notify(member, Kind.INTRODUCTION, MSG_INTRO_PROPOSED, url, name=introducer)
    return introduction


def _log_help_given(introduction) -> None:
    """In the introducer's private network: help given, with the contacts linked to the two
    members (Contact.member). Nothing is created when none is linked."""
    from network.models import Contact, InteractionKind
    from network.services import interaction_log

    members = [introduction.first_id, introduction.second_id]
    contacts = list(Contact.objects.filter(owner_id=introduction.introducer_id, member_id__in=members))
    if contacts:
        interaction_log(
            owner=introduction.introducer,
            contacts=contacts,
            kind=InteractionKind.HELP_GIVEN,
            note=str(_("Introduction on Cercle")),
        )


@transaction.atomic
def introduction_answer(*, member: User, introduction, accept: bool):
    """One side's answer. When the second acceptance arrives the introduction is completed and
    counts as help given by the introducer."""
    from intros.models import Answer, Introduction, IntroState

    side = introduction.side(member.pk)
    if side is None:
        raise ValidationError(INTRO_CLOSED, code="not_yours")
    locked = Introduction.objects.select_for_update().get(pk=introduction.pk)
    if getattr(locked, f"{side}_answer") != Answer.PENDING or locked.state != IntroState.PENDING:
        raise ValidationError(INTRO_CLOSED, code="closed")
    trio = [(locked.first, locked.second), (locked.introducer, locked.first), (locked.introducer, locked.second)]
    if accept and any(is_blocked_between(a, b) for a, b in trio):
        # A block since the introduction: it can no longer go ahead (nobody is told why).
        raise ValidationError(INTRO_CLOSED, code="closed")
    setattr(locked, f"{side}_answer", Answer.ACCEPTED if accept else Answer.DECLINED)
    fields = [f"{side}_answer"]
    if locked.state == IntroState.COMPLETED:
        locked.completed_at = timezone.now()
        fields.append("completed_at")
    locked.save(update_fields=fields)
    if locked.state == IntroState.COMPLETED:
        _log_help_given(locked)
        url = reverse("intros:introductions")
        for member in (locked.first, locked.second):
            _notify(member, Kind.INTRODUCTION, MSG_INTRO_COMPLETED, url, name=locked.introducer)
    return locked


def introduction_record_met(*, member: User, introduction, met: bool):
    from intros.models import IntroState

    side = introduction.side(member.pk)
    if side is None or introduction.state != IntroState.COMPLETED:
        raise ValidationError(INTRO_NOT_COMPLETED, code="not_completed")
    setattr(introduction, f"{side}_met", met)
    introduction.save(update_fields=[f"{side}_met"])
    return introduction


def introductions_expire(now=None) -> int:
    """Pending answers of introductions past their date become expired (for cron); the
    selectors already treat them as expired before this runs. Returns how many were closed."""
    from intros.models import Answer, Introduction

    now = now or timezone.now()
    past = (
        Introduction.objects.filter(expires_at__lte=now)
        .exclude(first_answer=Answer.DECLINED)
        .exclude(second_answer=Answer.DECLINED)
    )
    past = past.filter(Q(first_answer=Answer.PENDING) | Q(second_answer=Answer.PENDING))
    ids = list(past.values_list("pk", flat=True))
    Introduction.objects.filter(pk__in=ids, first_answer=Answer.PENDING).update(first_answer=Answer.EXPIRED)
    Introduction.objects.filter(pk__in=ids, second_answer=Answer.PENDING).update(second_answer=Answer.EXPIRED)
    return len(ids)


# Introduction asks: "could you introduce me to …?", asked of a mutual connection. Every refusal
# that could reveal a block, a hidden member or someone else's connection reads the same.
MAX_PENDING_ASKS = 10
MAX_PENDING_ASKS_PER_MUTUAL = 3

ASK_NOT_POSSIBLE = _("It is not possible to ask for this introduction.")
ASK_ALREADY_CONNECTED = _("You are already connected with this member.")
ASK_ALREADY_ASKED = _("You already asked for an introduction to this member; it is still waiting for an answer.")
ASK_TOO_MANY = format_lazy(
    _(
        "You already have {count} introduction asks waiting for an answer. Wait for some answers, or "
        "withdraw an ask, before asking for another."
    ),
    count=MAX_PENDING_ASKS,
)
ASK_TOO_MANY_OF_ONE = format_lazy(
    _("You already asked this connection for {count} introductions: wait for their answers first."),
    count=MAX_PENDING_ASKS_PER_MUTUAL,
)
ASK_CLOSED = _("This ask is no longer waiting for your answer.")
ASK_REASON_TOO_SHORT = format_lazy(
    _("Say in a sentence why you would like to meet them (at least {chars} characters and {words} words)."),
    chars=REASON_MIN_CHARS,
    words=REASON_MIN_WORDS,
)


def _open_asks(requester: User):
    """The requester's asks that still read pending to them (a decline reads pending until its date)."""
    from intros.models import AskStatus, IntroductionAsk

    return IntroductionAsk.objects.filter(
        requester=requester, status__in=[AskStatus.PENDING, AskStatus.DECLINED], expires_at__gt=timezone.now()
    )


def _may_introduce(mutual: User, a: User, b: User) -> bool:
    """The mutual is connected to both, all three active, no block between any two of them."""
    return (
        mutual.is_active
        and a.is_active
        and b.is_active
        and are_connected(mutual, a)
        and are_connected(mutual, b)
        and not is_blocked_between(mutual, a)
        and not is_blocked_between(mutual, b)
        and not is_blocked_between(a, b)
    )


def introduction_ask_create(*, requester: User, mutual: User, target: User, reason: str):
    """Ask a connection (the mutual) to introduce me to one of their connections (the target).

    Only for a target I may find, through a mutual connected to both of us; one open ask per
    target; at most MAX_PENDING_ASKS open asks, MAX_PENDING_ASKS_PER_MUTUAL of them to one mutual."""
    from intros.models import AskStatus, IntroductionAsk
    from privacy.selectors import is_discoverable_by

    if requester.pk == target.pk or mutual.pk in (requester.pk, target.pk):
        raise ValidationError(ASK_NOT_POSSIBLE, code="not_possible")
    if not target.is_active or not is_discoverable_by(requester, target):
        raise ValidationError(ASK_NOT_POSSIBLE, code="not_possible")
    if are_connected(requester, target):
        raise ValidationError(ASK_ALREADY_CONNECTED, code="connected")
    if not _may_introduce(mutual, requester, target):
        raise ValidationError(ASK_NOT_POSSIBLE, code="not_possible")
    reason = clean_reason(reason, ASK_REASON_TOO_SHORT)
    with transaction.atomic():
        # One requester's asks one at a time, so two at once cannot pass the caps together.
        User.objects.select_for_update().filter(pk=requester.pk).first()
        now = timezone.now()
        open_asks = _open_asks(requester)
        if open_asks.filter(target=target).exists():
            raise ValidationError(ASK_ALREADY_ASKED, code="already_asked")
        if open_asks.count() >= MAX_PENDING_ASKS:
            raise ValidationError(ASK_TOO_MANY, code="too_many")
        if open_asks.filter(mutual=mutual).count() >= MAX_PENDING_ASKS_PER_MUTUAL:
            raise ValidationError(ASK_TOO_MANY_OF_ONE, code="too_many_of_one")
        # A pending ask past its date no longer holds the place of a new one.
        IntroductionAsk.objects.filter(
            requester=requester, target=target, status=AskStatus.PENDING, expires_at__lte=now
        ).update(status=AskStatus.EXPIRED)
        try:
            with transaction.atomic():
                ask = IntroductionAsk.objects.create(requester=requester, mutual=mutual, target=target, reason=reason)
        except IntegrityError:
            raise ValidationError(ASK_ALREADY_ASKED, code="already_asked") from None
        url = reverse("intros:introductions") + f"#ask-{ask.pk}"
        _notify(mutual, Kind.INTRODUCTION, MSG_ASK_RECEIVED, url, name=requester, target=target)
        return ask


def _locked_open_ask(ask, mutual: User):
    from intros.models import IntroductionAsk

    if ask.mutual_id != mutual.pk:
        raise ValidationError(ASK_CLOSED, code="not_yours")
    locked = IntroductionAsk.objects.select_for_update().filter(pk=ask.pk).first()
    if locked is None or not locked.is_open_at(timezone.now()):
        raise ValidationError(ASK_CLOSED, code="closed")
    return locked


@transaction.atomic
def introduction_ask_introduce(*, ask, mutual: User, reason: str = ""):
    """The mutual introduces the requester to the target (a double opt-in Introduction, with the
    requester's answer already given). `reason`: what both will read; the ask's reason if empty.
    Not possible any more (a connection ended, a block since): the ask stays open to decline."""
    from intros.models import AskStatus

    locked = _locked_open_ask(ask, mutual)
    requester, target = locked.requester, locked.target
    if are_connected(requester, target) or not _may_introduce(mutual, requester, target):
        raise ValidationError(INTRO_NOT_POSSIBLE, code="not_possible")
    introduction = introduction_create(
        introducer=mutual, first=requester, second=target, reason=reason or locked.reason, first_asked=True
    )
    locked.status, locked.introduction, locked.answered_at = AskStatus.ACCEPTED, introduction, timezone.now()
    locked.save(update_fields=["status", "introduction", "answered_at"])
    url = reverse("intros:introductions") + f"#introduction-{introduction.pk}"
    _notify(requester, Kind.INTRODUCTION, MSG_ASK_INTRODUCED, url, name=mutual, target=target)
    return locked


@transaction.atomic
def introduction_ask_decline(*, ask, mutual: User):
    """The requester is not told: their ask reads pending until its date, then expired."""
    from intros.models import AskStatus

    locked = _locked_open_ask(ask, mutual)
    locked.status, locked.answered_at = AskStatus.DECLINED, timezone.now()
    locked.save(update_fields=["status", "answered_at"])
    return locked


def introduction_ask_withdraw(*, ask, requester: User) -> None:
    """The requester takes back an ask that still reads pending to them."""
    from intros.models import AskStatus, IntroductionAsk

    IntroductionAsk.objects.filter(
        pk=ask.pk, requester=requester, status__in=[AskStatus.PENDING, AskStatus.DECLINED]
    ).delete()


def introduction_asks_expire(now=None) -> int:
    """Pending asks past their date become expired (for cron; the selectors already read them so)."""
    from intros.models import AskStatus, IntroductionAsk

    now = now or timezone.now()
    return IntroductionAsk.objects.filter(status=AskStatus.PENDING, expires_at__lte=now).update(
        status=AskStatus.EXPIRED
    )


def cap_records_forget(*, before) -> int:
    """Sends the caps no longer count (older than the week's window), for the nightly housekeeping."""
    deleted, _ = RequestSent.objects.filter(created_at__lt=before).delete()
    return deleted
