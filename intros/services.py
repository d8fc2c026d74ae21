"""Writes: connection requests, connections, blocks and reports about a member.

Refusals raise ValidationError with one of the module's messages (the tests reuse them). A block
is never revealed: asking a member who blocked you (or whom you blocked) gets the same "not
possible" as asking a member you may not find.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from intros.models import (
    REASON_MAX_CHARS,
    REASON_MIN_CHARS,
    REASON_MIN_WORDS,
    Block,
    Connection,
    ConnectionRequest,
    RequestStatus,
)
from intros.selectors import LOOKS_PENDING, are_connected, is_blocked_between, ordered_pair
from people.models import User

MAX_PENDING_OUTGOING = 20

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
REQUEST_ANSWERED = _("This request was already answered.")
CANNOT_BLOCK_YOURSELF = _("You cannot block yourself.")
REPORT_REASON_REQUIRED = _("Say what happened.")
CANNOT_REPORT_YOURSELF = _("You cannot report yourself.")


def clean_reason(reason: str) -> str:
    reason = " ".join(reason.split())
    if len(reason) < REASON_MIN_CHARS or len(reason.split()) < REASON_MIN_WORDS:
        raise ValidationError(REASON_TOO_SHORT, code="reason_too_short")
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
        try:
            with transaction.atomic():
                return ConnectionRequest.objects.create(sender=sender, recipient=recipient, reason=reason)
        except IntegrityError:
            raise ValidationError(ALREADY_ASKED, code="already_asked") from None


def _answer(request: ConnectionRequest, recipient: User, status: str) -> ConnectionRequest:
    if request.recipient_id != recipient.pk:
        raise ValidationError(REQUEST_ANSWERED, code="not_yours")
    updated = ConnectionRequest.objects.filter(pk=request.pk, status=RequestStatus.PENDING).update(
        status=status, answered_at=timezone.now()
    )
    if not updated:
        raise ValidationError(REQUEST_ANSWERED, code="answered")
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
    from circles.services import report_create

    if reporter.pk == reported.pk:
        raise ValidationError(CANNOT_REPORT_YOURSELF, code="self")
    reason = reason.strip()[:4000]
    if not reason:
        raise ValidationError(REPORT_REASON_REQUIRED, code="reason_required")
    mine = Membership.objects.filter(member=reporter, status=Status.ACTIVE).values("circle_id")
    shared = (
        Membership.objects.filter(member=reported, status=Status.ACTIVE, circle_id__in=mine)
        .select_related("circle")
        .order_by("circle_id")
    )
    reports = [report_create(circle=m.circle, reporter=reporter, reported=reported, reason=reason) for m in shared]
    if not reports:
        # Nobody organizes anything they share: the operators handle it in the admin.
        reports.append(Report.objects.create(circle=None, reporter=reporter, reported=reported, reason=reason))
    return reports
