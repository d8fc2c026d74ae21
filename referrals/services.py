"""Writes: give a referral, move it along its statuses, withdraw it.

Refusals raise ValidationError with one of the module's messages (the tests reuse them). A block
between two members, a member who hides from the giver and a member who is not in the club all
get the same neutral "not possible": the giver learns nothing about blocks or settings.

Notifications name the other member as their privacy settings allow and never carry the
prospect's details (e-mails travel through other servers): the link opens the referral.
"""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from circles.models import Circle
from people.models import User
from referrals.models import (
    LOST_REASON_MAX_CHARS,
    MAX_VALUE,
    NEED_MAX_CHARS,
    OPEN_STATUSES,
    TRANSITIONS,
    Referral,
    ReferralGiven,
    ReferralStatus,
)
from referrals.selectors import is_active_member, is_referral_club, receiver_ids_for

# Referrals one member may give in any 24 hours, withdrawn ones included.
MAX_PER_DAY = 20

NOT_A_REFERRAL_CLUB = _("Only referral clubs keep referrals.")
NOT_A_MEMBER = _("Only active members of this club can give referrals.")
CANNOT_REFER_YOURSELF = _("You cannot give a referral to yourself.")
RECEIVER_NOT_POSSIBLE = _("It is not possible to give a referral to this member.")
PROSPECT_NAME_REQUIRED = _("Give the prospect's name.")
NEED_REQUIRED = _("Say in a few words what the prospect needs.")
INVALID_EMAIL = _("Enter a valid e-mail address for the prospect, or leave it empty.")
ALREADY_GIVEN = _("You already gave this member an open referral for this prospect.")
NOT_YOURS = _("Only the member who received this referral can change its status.")
ALREADY_CLOSED = _("This referral is closed (won or lost): its status can no longer change.")
INVALID_TRANSITION = _("This change is not possible: a referral goes from given to contacted, then to won or lost.")
VALUE_REQUIRED = _("Give the value of the business won, in euros (0 if you prefer not to say).")
VALUE_NEGATIVE = _("The value cannot be negative.")
VALUE_TOO_LARGE = _("This value is too large.")
VALUE_ONLY_WHEN_WON = _("A value is given only when the referral is won.")
CANNOT_WITHDRAW = _("A referral can be withdrawn only by its giver, before it is contacted.")
TOO_MANY_TODAY = format_lazy(
    _("You gave {count} referrals in the last 24 hours: come back tomorrow for the next ones."),
    count=MAX_PER_DAY,
)

# Notifications: (with the other's name, when their settings hide it).
MSG_GIVEN = (
    gettext_noop("%(name)s gave you a referral in %(circle)s."),
    gettext_noop("A member of %(circle)s gave you a referral."),
)
MSG_STATUS = {
    ReferralStatus.CONTACTED: (
        gettext_noop("%(name)s contacted the prospect you referred in %(circle)s."),
        gettext_noop("The prospect you referred in %(circle)s was contacted."),
    ),
    ReferralStatus.WON: (
        gettext_noop("%(name)s won the business you referred in %(circle)s. Thank you!"),
        gettext_noop("The business you referred in %(circle)s was won. Thank you!"),
    ),
    ReferralStatus.LOST: (
        gettext_noop("%(name)s did not win the business you referred in %(circle)s."),
        gettext_noop("The business you referred in %(circle)s was not won."),
    ),
}
MSG_WITHDRAWN = (
    gettext_noop("%(name)s withdrew a referral they gave you in %(circle)s."),
    gettext_noop("A referral given to you in %(circle)s was withdrawn."),
)


def _clean_line(text: str, limit: int) -> str:
    return " ".join((text or "").split())[:limit]


def _clean_value(value) -> Decimal:
    if value is None or value == "":
        raise ValidationError(VALUE_REQUIRED, code="value_required")
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValidationError(VALUE_REQUIRED, code="value_required") from None
    if not amount.is_finite():
        raise ValidationError(VALUE_REQUIRED, code="value_required")
    if amount < 0:
        raise ValidationError(VALUE_NEGATIVE, code="value_negative")
    if amount > MAX_VALUE:  # before rounding, which fails on a huge number
        raise ValidationError(VALUE_TOO_LARGE, code="value_too_large")
    return abs(amount.quantize(Decimal("0.01")))  # abs: "-0" would read "-0,00 €"


def _tell(*, recipient: User, about: User, messages: tuple[str, str], circle: Circle, url: str) -> None:
    """Notify `recipient` of what `about` did, naming them only as their settings allow."""
    from intros.selectors import is_blocked_between
    from notifications.models import Kind
    from notifications.services import notify
    from privacy.selectors import seen_by

    if not recipient.is_active or is_blocked_between(recipient, about):
        return
    name = seen_by(recipient, about.profile).name
    message = messages[0] if name else messages[1]
    params = {"circle": circle.name}
    if name:
        params["name"] = name
    notify(
        recipient=recipient,
        kind=Kind.REFERRAL,
        message=message,
        params=params,
        url=url,
        naming={"name": about} if name else {},
    )


def referral_give(
    *,
    giver: User,
    circle: Circle,
    receiver: User,
    prospect_name: str,
    need: str,
    prospect_company: str = "",
    prospect_email: str = "",
    prospect_phone: str = "",
) -> Referral:
    """A member of a referral club passes a fellow member a prospect; the receiver is told."""
    if not is_referral_club(circle):
        raise ValidationError(NOT_A_REFERRAL_CLUB, code="not_a_referral_club")
    if not is_active_member(circle=circle, user=giver):
        raise ValidationError(NOT_A_MEMBER, code="not_a_member")
    if receiver.pk == giver.pk:
        raise ValidationError(CANNOT_REFER_YOURSELF, code="self")
    # Active in the club, not blocked either way, and someone the giver may see there.
    if not receiver.is_active or receiver.pk not in receiver_ids_for(giver=giver, circle=circle):
        raise ValidationError(RECEIVER_NOT_POSSIBLE, code="not_possible")
    prospect_name = _clean_line(prospect_name, 120)
    if not prospect_name:
        raise ValidationError(PROSPECT_NAME_REQUIRED, code="prospect_name_required")
    need = (need or "").strip()[:NEED_MAX_CHARS]
    if not need:
        raise ValidationError(NEED_REQUIRED, code="need_required")
    prospect_email = (prospect_email or "").strip()
    if prospect_email:
        try:
            validate_email(prospect_email)
        except ValidationError:
            raise ValidationError(INVALID_EMAIL, code="invalid_email") from None
    already = Referral.objects.filter(
        giver=giver, receiver=receiver, prospect_name__iexact=prospect_name, status__in=OPEN_STATUSES
    )
    if already.exists():
        raise ValidationError(ALREADY_GIVEN, code="already_given")
    with transaction.atomic():
        # One giver's referrals one at a time, so two at once cannot pass the daily cap together.
        User.objects.select_for_update().filter(pk=giver.pk).first()
        since = timezone.now() - dt.timedelta(days=1)
        ReferralGiven.objects.filter(giver=giver, created_at__lt=since).delete()  # past the window
        if ReferralGiven.objects.filter(giver=giver, created_at__gte=since).count() >= MAX_PER_DAY:
            raise ValidationError(TOO_MANY_TODAY, code="too_many")
        ReferralGiven.objects.create(giver=giver, circle=circle)
        referral = Referral.objects.create(
            circle=circle,
            giver=giver,
            receiver=receiver,
            prospect_name=prospect_name,
            prospect_company=_clean_line(prospect_company, 120),
            prospect_email=prospect_email[:254],
            prospect_phone=_clean_line(prospect_phone, 40),
            need=need,
        )
        _tell(
            recipient=receiver,
            about=giver,
            messages=MSG_GIVEN,
            circle=circle,
            url=reverse("referrals:detail", args=[referral.pk]),
        )
    return referral


def referral_update_status(
    *, referral: Referral, member: User, status: str, value=None, lost_reason: str = ""
) -> Referral:
    """The receiver moves the referral on: contacted, won (with its value in euros) or lost (with
    an optional reason). Each change is dated; the giver is told."""
    if referral.receiver_id != member.pk:
        raise ValidationError(NOT_YOURS, code="not_yours")
    if status not in ReferralStatus.values:
        raise ValidationError(INVALID_TRANSITION, code="invalid_transition")
    status = ReferralStatus(status)
    if status == ReferralStatus.WON:
        amount = _clean_value(value)
    elif value not in (None, ""):
        raise ValidationError(VALUE_ONLY_WHEN_WON, code="value_only_when_won")
    with transaction.atomic():
        locked = (
            Referral.objects.select_for_update(of=("self",))
            .select_related("circle", "giver__profile")
            .get(pk=referral.pk)
        )
        current = ReferralStatus(locked.status)
        if not TRANSITIONS[current]:
            raise ValidationError(ALREADY_CLOSED, code="closed")
        if status not in TRANSITIONS[current]:
            raise ValidationError(INVALID_TRANSITION, code="invalid_transition")
        now = timezone.now()
        locked.status = status
        fields = ["status", "updated_at"]
        if status == ReferralStatus.CONTACTED:
            locked.contacted_at = now
            fields.append("contacted_at")
        elif status == ReferralStatus.WON:
            locked.won_at, locked.value = now, amount
            fields += ["won_at", "value"]
        else:
            locked.lost_at, locked.lost_reason = now, (lost_reason or "").strip()[:LOST_REASON_MAX_CHARS]
            fields += ["lost_at", "lost_reason"]
        locked.save(update_fields=fields)
        _tell(
            recipient=locked.giver,
            about=member,
            messages=MSG_STATUS[status],
            circle=locked.circle,
            url=reverse("referrals:detail", args=[locked.pk]),
        )
    return locked


def referral_withdraw(*, referral: Referral, member: User) -> None:
    """The giver takes a referral back before the receiver acted on it: it is deleted, prospect
    details included, and the receiver is told (without them)."""
    if referral.giver_id != member.pk:
        raise ValidationError(CANNOT_WITHDRAW, code="not_yours")
    with transaction.atomic():
        locked = (
            Referral.objects.select_for_update(of=("self",)).select_related("circle", "receiver").filter(pk=referral.pk)
        )
        locked = locked.first()
        if locked is None or locked.status != ReferralStatus.GIVEN:
            raise ValidationError(CANNOT_WITHDRAW, code="not_withdrawable")
        receiver, circle = locked.receiver, locked.circle
        locked.delete()
        _tell(
            recipient=receiver,
            about=member,
            messages=MSG_WITHDRAWN,
            circle=circle,
            url=reverse("referrals:index"),
        )


def cap_records_forget(*, before) -> int:
    """Referrals given that the daily cap no longer counts, for the nightly housekeeping."""
    deleted, _ = ReferralGiven.objects.filter(created_at__lt=before).delete()
    return deleted
