"""Writes: writing, editing and withdrawing a vouch (its author), approving and removing it (its
subject). Refusals raise ValidationError with one of the module's messages (the tests reuse them).
A block is never revealed: vouching for a member who blocked you gets the same "not possible" as
vouching for a member you may not find."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from people.models import User
from people.services import relations_changed
from vouches.models import (
    EARLIEST_START,
    REWRITE_AFTER,
    TEXT_MAX_CHARS,
    TEXT_MIN_CHARS,
    TEXT_MIN_WORDS,
    Relation,
    Status,
    Vouch,
)

# Vouches one member may write in any 24 hours.
MAX_PER_DAY = 5

CANNOT_VOUCH_FOR_YOURSELF = _("You cannot vouch for yourself.")
NOT_POSSIBLE = _("It is not possible to vouch for this member.")
DECLARATION_REQUIRED = _("Only someone who worked with this person may vouch for them: confirm that you did.")
RELATION_REQUIRED = _("Say how you worked together.")
START_REQUIRED = _("Say since when you worked together.")
START_TOO_EARLY = _("Check the start date.")
DATE_IN_FUTURE = _("The dates cannot be in the future.")
END_BEFORE_START = _("The end date cannot come before the start date.")
TEXT_TOO_SHORT = format_lazy(
    _("Say in a sentence or two what it was like to work with them (at least {chars} characters and {words} words)."),
    chars=TEXT_MIN_CHARS,
    words=TEXT_MIN_WORDS,
)
TEXT_TOO_LONG = format_lazy(_("A vouch is at most {chars} characters."), chars=TEXT_MAX_CHARS)
ALREADY_WRITTEN = _("You already wrote a vouch for this member.")
WITHDRAWN_RECENTLY = _(
    "You withdrew your vouch for this member on {withdrawn}: you can write a new one from {rewritable}."
)
TOO_MANY_TODAY = format_lazy(
    _("You have written {count} vouches in the last 24 hours: take your time, and come back tomorrow."),
    count=MAX_PER_DAY,
)
NOT_EDITABLE = _("This vouch can no longer be changed: it was already approved.")
NOT_WAITING = _("This vouch is no longer waiting for your approval.")

MSG_WAITING = gettext_noop("%(name)s wrote a vouch about you. It appears on your profile only if you approve it.")
MSG_WAITING_UNNAMED = gettext_noop(
    "A member you worked with wrote a vouch about you. It appears on your profile only if you approve it."
)
MSG_APPROVED = gettext_noop("%(name)s approved your vouch: it now appears on their profile.")
MSG_APPROVED_UNNAMED = gettext_noop("Your vouch was approved: it now appears on the member's profile.")


def clean_text(text: str) -> str:
    """Each line trimmed, at most one blank line in a row; a sentence at least."""
    lines = [" ".join(line.split()) for line in (text or "").strip().splitlines()]
    kept: list[str] = []
    for line in lines:
        if line or (kept and kept[-1]):
            kept.append(line)
    text = "\n".join(kept).strip()
    if len(text) < TEXT_MIN_CHARS or len(text.split()) < TEXT_MIN_WORDS:
        raise ValidationError(TEXT_TOO_SHORT, code="text_too_short")
    if len(text) > TEXT_MAX_CHARS:
        raise ValidationError(TEXT_TOO_LONG, code="text_too_long")
    return text


def clean_period(
    started_on: datetime.date | None, ended_on: datetime.date | None
) -> tuple[datetime.date, datetime.date | None]:
    if started_on is None:
        raise ValidationError(START_REQUIRED, code="start_required")
    today = timezone.localdate()
    if started_on < EARLIEST_START:
        raise ValidationError(START_TOO_EARLY, code="start_too_early")
    if started_on > today or (ended_on is not None and ended_on > today):
        raise ValidationError(DATE_IN_FUTURE, code="future")
    if ended_on is not None and ended_on < started_on:
        raise ValidationError(END_BEFORE_START, code="end_before_start")
    return started_on, ended_on


def clean_relation(relation: str) -> str:
    if relation not in Relation.values:
        raise ValidationError(RELATION_REQUIRED, code="relation_required")
    return relation


def _name_seen_by(viewer: User, member: User) -> str | None:
    from privacy.selectors import seen_by

    return seen_by(viewer, member.profile).name


def vouch_write(
    *,
    author: User,
    subject: User,
    worked_with: bool,
    relation: str,
    started_on: datetime.date | None,
    ended_on: datetime.date | None = None,
    text: str,
) -> Vouch:
    """A vouch waiting for the subject's approval; the subject is told."""
    from privacy.selectors import visible_profile

    if author.pk == subject.pk:
        raise ValidationError(CANNOT_VOUCH_FOR_YOURSELF, code="self")
    # visible_profile is None for a block either way, an inactive member or one who hides from the author.
    if not subject.is_active or visible_profile(author, subject) is None:
        raise ValidationError(NOT_POSSIBLE, code="not_possible")
    if not worked_with:
        raise ValidationError(DECLARATION_REQUIRED, code="declaration_required")
    relation = clean_relation(relation)
    started_on, ended_on = clean_period(started_on, ended_on)
    text = clean_text(text)
    earlier = Vouch.objects.filter(author=author, subject=subject).first()
    if earlier is not None and (refusal := rewrite_refusal(earlier)):
        raise ValidationError(refusal, code="already_written")
    fields = {"relation": relation, "started_on": started_on, "ended_on": ended_on, "text": text}
    with transaction.atomic():
        # One author's vouches one at a time, so two at once cannot pass the daily cap together.
        User.objects.select_for_update().filter(pk=author.pk).first()
        now = timezone.now()
        # Withdrawn vouches keep their row, so withdrawing and writing again counts here too.
        if Vouch.objects.filter(author=author, created_at__gte=now - datetime.timedelta(days=1)).count() >= MAX_PER_DAY:
            raise ValidationError(TOO_MANY_TODAY, code="too_many")
        vouch = _create(author, subject, fields) if earlier is None else _write_again(earlier, fields, now)
    if vouch.status == Status.PENDING:
        _tell_subject(vouch)
    return vouch


def rewrite_refusal(earlier: Vouch) -> str | None:
    """Why the author of `earlier` may not write about the same member now, if they may not.

    The same answer whatever the subject did with it: a decline is never revealed."""
    if earlier.withdrawn_at is None:
        return str(ALREADY_WRITTEN)
    if earlier.rewritable_from > timezone.now():
        return str(WITHDRAWN_RECENTLY).format(
            withdrawn=formats.date_format(timezone.localdate(earlier.withdrawn_at)),
            rewritable=formats.date_format(timezone.localdate(earlier.rewritable_from)),
        )
    return None


def _create(author: User, subject: User, fields: dict) -> Vouch:
    try:
        with transaction.atomic():
            return Vouch.objects.create(author=author, subject=subject, **fields)
    except IntegrityError:
        raise ValidationError(ALREADY_WRITTEN, code="already_written") from None


def _write_again(earlier: Vouch, fields: dict, now) -> Vouch:
    """A new vouch in the row of a withdrawn one. A subject who declined or removed the earlier
    one keeps that answer: the new one stays off their lists, and reads as pending to its author."""
    status = Status.REMOVED if earlier.status == Status.REMOVED else Status.PENDING
    written = Vouch.objects.filter(pk=earlier.pk, withdrawn_at__lte=now - REWRITE_AFTER).update(
        **fields, status=status, created_at=now, updated_at=now, approved_at=None, withdrawn_at=None
    )
    if not written:
        raise ValidationError(ALREADY_WRITTEN, code="already_written")
    _moved(earlier)
    earlier.refresh_from_db()
    return earlier


def _moved(vouch: Vouch) -> None:
    """Both members' profile pages read vouches under their relations version (an UPDATE sends no
    signal; a create or a delete moves it through vouches.signals)."""
    relations_changed(vouch.author_id, vouch.subject_id)


def _tell_subject(vouch: Vouch) -> None:
    from notifications.models import Kind
    from notifications.services import notify

    name = _name_seen_by(vouch.subject, vouch.author)
    notify(
        recipient=vouch.subject,
        kind=Kind.VOUCH,
        message=MSG_WAITING if name else MSG_WAITING_UNNAMED,
        params={"name": name} if name else {},
        naming={"name": vouch.author} if name else {},
        url=reverse("vouches:index"),
        # Once per author and day, so withdrawing and writing again does not ring twice.
        key=f"vouch_waiting:{vouch.author_id}:{timezone.localdate().isoformat()}",
    )


def vouch_edit(
    *,
    vouch: Vouch,
    author: User,
    relation: str,
    started_on: datetime.date | None,
    ended_on: datetime.date | None = None,
    text: str,
) -> Vouch:
    """The author changes a vouch still waiting for approval (as far as they can tell)."""
    if vouch.author_id != author.pk or not vouch.editable_by_author:
        raise ValidationError(NOT_EDITABLE, code="not_editable")
    relation = clean_relation(relation)
    started_on, ended_on = clean_period(started_on, ended_on)
    text = clean_text(text)
    updated = Vouch.objects.filter(
        pk=vouch.pk, author=author, approved_at__isnull=True, withdrawn_at__isnull=True
    ).update(relation=relation, started_on=started_on, ended_on=ended_on, text=text, updated_at=timezone.now())
    if not updated:
        raise ValidationError(NOT_EDITABLE, code="not_editable")
    _moved(vouch)
    vouch.refresh_from_db()
    return vouch


def vouch_withdraw(*, vouch: Vouch, author: User) -> None:
    """The author takes their vouch back, whatever its state: it leaves every list and profile,
    its text is erased, and its row stays (with the subject's answer) until it may be rewritten."""
    now = timezone.now()
    Vouch.objects.filter(pk=vouch.pk, author=author, withdrawn_at__isnull=True).update(
        withdrawn_at=now, updated_at=now, text=""
    )
    _moved(vouch)


@transaction.atomic
def vouch_approve(*, vouch: Vouch, subject: User) -> Vouch:
    """The subject shows it on their profile; the author is told."""
    from intros.selectors import is_blocked_between

    if vouch.subject_id != subject.pk or is_blocked_between(vouch.author, subject):
        raise ValidationError(NOT_WAITING, code="not_yours")
    now = timezone.now()
    # Not a vouch its author withdrew meanwhile (the subject's page may predate it).
    updated = Vouch.objects.filter(pk=vouch.pk, status=Status.PENDING, withdrawn_at__isnull=True).update(
        status=Status.APPROVED, approved_at=now, updated_at=now
    )
    if not updated:
        raise ValidationError(NOT_WAITING, code="answered")
    _moved(vouch)
    vouch.refresh_from_db()
    _tell_author(vouch)
    return vouch


def _tell_author(vouch: Vouch) -> None:
    from notifications.models import Kind
    from notifications.services import notify

    name = _name_seen_by(vouch.author, vouch.subject)
    notify(
        recipient=vouch.author,
        kind=Kind.VOUCH,
        message=MSG_APPROVED if name else MSG_APPROVED_UNNAMED,
        params={"name": name} if name else {},
        naming={"name": vouch.subject} if name else {},
        url=reverse("vouches:index"),
        key=f"vouch_approved:{vouch.pk}",
    )


def vouch_remove(*, vouch: Vouch, subject: User) -> Vouch:
    """The subject declines a waiting vouch or takes an approved one off their profile, at any
    time. The author is not told of a decline (their vouch still reads as pending)."""
    if vouch.subject_id != subject.pk:
        raise ValidationError(NOT_WAITING, code="not_yours")
    changes = {"status": Status.REMOVED}
    if vouch.status == Status.APPROVED:
        # Leaving the profile changes its page; a decline keeps `updated_at`, which the author's
        # export shows, so that it leaves no trace on their side.
        changes["updated_at"] = timezone.now()
    if not Vouch.objects.filter(pk=vouch.pk, subject=subject, withdrawn_at__isnull=True).update(**changes):
        raise ValidationError(NOT_WAITING, code="answered")  # withdrawn by its author meanwhile
    _moved(vouch)
    vouch.refresh_from_db()
    return vouch
