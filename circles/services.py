"""Writes of circles: create and edit, the membership state machine, invitations and seats,
roles, removal, announcements, reports and mentoring.

Membership states (see `circles.models.Status`)::

    (none) ──join, open──────────────▶ active ──leave──▶ left
    (none) ──join, on request──▶ requested ──approve──▶ active
                                          └─decline──▶ declined
    (none) ──invite──▶ invited ──accept──▶ active          active ──remove──▶ removed
                              └─decline──▶ declined

A cooptation circle gives **one seat per profession**: an active membership holds the seat
`profile.profession_key`. The rule is checked first (for a clear answer) and then guaranteed by
the database: the conditional unique constraint `one_active_seat_per_profession`. When two
accepts race, the loser's write fails inside a savepoint and becomes the same clear reason.
"""

import datetime as dt
import functools
import secrets

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop, ngettext_lazy

from circles.models import (
    Announcement,
    Circle,
    Invitation,
    InvitationAttempt,
    Membership,
    MembershipMode,
    MentoringCheckin,
    MentoringPair,
    PairingRhythm,
    Participation,
    Report,
    Role,
    Status,
    Visibility,
)
from circles.vocab import Family
from notifications.models import Kind
from notifications.services import notify
from people import vocab
from people.models import Profile, User
from places.text import fold
from privacy.selectors import Audience, audience_of, discoverable_with, profile_as_seen, visible_profile

# --- Messages (the tests reuse them) ---------------------------------------------------------

SEAT_TAKEN = _("The seat of %(profession)s is already taken in this circle: one seat per profession.")
PROFESSION_REQUIRED = _(
    "This circle gives one seat per profession: set your profession on your profile first, then accept again."
)
CREATOR_PROFESSION_REQUIRED = _(
    "A cooptation circle gives one seat per profession: set your profession on your profile before creating one."
)
ONLY_BY_INVITATION = _("This circle admits new members only by invitation from one of its members.")
ALREADY_MEMBER = _("You are already a member of this circle.")
ALREADY_REQUESTED = _("Your request is already waiting for the organizers' answer.")
REMOVED_CANNOT_REJOIN = _("An organizer removed you from this circle: you cannot join it again on your own.")
NOT_ACTIVE_MEMBER = _("Only active members of this circle can do this.")
NOT_ORGANIZER = _("Only the organizers of this circle can do this.")
ONLY_MEMBERS_INVITE = _("Only active members of this circle can invite someone.")
ONLY_ORGANIZERS_INVITE = _("In a circle on request, only organizers invite new members.")
INVITEE_ALREADY_MEMBER = _("This person is already a member of this circle.")
INVITEE_REMOVED = _("An organizer removed this person from the circle: only an organizer can invite them again.")
CANNOT_INVITE_YOURSELF = _("You cannot invite yourself.")
TOO_MANY_INVITATIONS = _("You have sent many invitations today: try again tomorrow.")
INVITATION_INVALID = _("This invitation link is not valid or has expired.")
INVITATION_USED = _("This invitation has already been used.")
NOT_INVITED = _("There is no pending invitation for you in this circle.")
NOT_A_REQUEST = _("This request has already been answered.")
LAST_ORGANIZER = _("A circle keeps at least one organizer: name another organizer first.")
REASON_REQUIRED = _("Give a reason: the member will read it.")
CANNOT_REMOVE_YOURSELF = _("You cannot remove yourself: leave the circle instead.")
NOT_REMOVABLE = _("Only active members can be removed.")
ANNOUNCEMENT_EMPTY = _("Write the announcement first.")
ANNOUNCEMENT_TOO_LONG = _("An announcement holds at most %(max)s characters.")
REPORT_REASON_REQUIRED = _("Say what happened: the organizers need it to act.")
REPORT_TARGET_REQUIRED = _("Say whom or what you report.")
REPORTED_NOT_MEMBER = _("You can report only a member of this circle.")
REPORT_ALREADY_RESOLVED = _("This report is already resolved.")
TOO_MANY_REPORTS = ngettext_lazy(
    "You have made %(count)s report in the last 24 hours, the most in a day: it will be looked into. "
    "Come back tomorrow for another one.",
    "You have made %(count)s reports in the last 24 hours, the most in a day: they will be looked into. "
    "Come back tomorrow for another one.",
    "count",
)
TOO_MANY_ANNOUNCEMENTS = ngettext_lazy(
    "The members of this circle received %(count)s announcement in the last 24 hours, the most in a day: "
    "send this one tomorrow.",
    "The members of this circle received %(count)s announcements in the last 24 hours, the most in a day: "
    "send this one tomorrow.",
    "count",
)
MENTORING_SAME_PERSON = _("A mentor and a mentee are two different members.")
MENTORING_NOT_MEMBERS = _("The mentor and the mentee must both be active members of the circle.")
MENTORING_EXISTS = _("This mentoring pair already exists.")
CHECKIN_NOT_ALLOWED = _("Only the mentor, the mentee and the organizers can note a check-in.")
MODE_SWITCH_SEAT_CONFLICT = _(
    "The circle cannot give one seat per profession yet: several active members are %(profession)s."
)
NOT_A_PARTICIPATION = _("Unknown way of taking part.")
UNKNOWN_ROLE = _("Unknown role.")

# Notifications: message ids, read in each recipient's language.
MSG_INVITED = gettext_noop("%(inviter)s invites you to join the circle %(circle)s.")
MSG_REQUEST_APPROVED = gettext_noop("Welcome to %(circle)s: your request to join was accepted.")
MSG_REQUEST_APPROVED_WITH_ANSWER = gettext_noop(
    "Welcome to %(circle)s: your request to join was accepted. The organizers' message: %(answer)s"
)
MSG_REQUEST_DECLINED = gettext_noop("Your request to join %(circle)s was declined.")
MSG_REQUEST_DECLINED_WITH_ANSWER = gettext_noop(
    "Your request to join %(circle)s was declined. The organizers' message: %(answer)s"
)
MSG_REMOVED = gettext_noop("The organizers of %(circle)s removed you from the circle. Their reason: %(reason)s")
MSG_ANNOUNCEMENT = gettext_noop("%(circle)s — %(text)s")
MSG_MENTORING_MENTOR = gettext_noop("You are now the mentor of %(name)s in %(circle)s: take the first step.")
MSG_MENTORING_MENTEE = gettext_noop("%(name)s is now your mentor in %(circle)s.")
MSG_MENTORING_UNNAMED = gettext_noop("A mentoring pair was formed for you in %(circle)s.")

ANNOUNCEMENT_MAX = 1000
# Abuse caps, over any 24 hours. Invitations count refused ones too, so addresses cannot be probed
# without limit; announcements are per circle, whichever organizer sends them (each one writes
# to every member); reports are per reporter, a report about a member counting once however many
# circles it reaches.
INVITATIONS_PER_DAY = 30
ANNOUNCEMENTS_PER_DAY = 3
REPORTS_PER_DAY = 10
INVITATION_SALT = "circles.invitation"
INVITATION_MAX_AGE = dt.timedelta(days=30)
# Routes of the circles app that a slug must never shadow.
RESERVED_SLUGS = {"new", "mine", "invitations"}
CIRCLE_FIELDS = (
    "name",
    "description",
    "charter",
    "city",
    "topics",
    "values",
    "family",
    "visibility",
    "membership_mode",
    "pairing_enabled",
    "pairing_rhythm",
)

# --- Small helpers ---------------------------------------------------------------------------


def is_organizer(*, circle: Circle, user) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return Membership.objects.filter(circle=circle, member=user, status=Status.ACTIVE, role=Role.ORGANIZER).exists()


def _require_organizer(circle: Circle, user) -> None:
    if not is_organizer(circle=circle, user=user):
        raise PermissionDenied(NOT_ORGANIZER)


def _active_membership(circle: Circle, user) -> Membership | None:
    return Membership.objects.filter(circle=circle, member=user, status=Status.ACTIVE).first()


def profession_label(key: str, profile: Profile | None = None) -> str:
    """The seat's name in the reader's language: a known profession's label, else the words typed."""
    if key in vocab.Profession.values:
        return vocab.label_of(vocab.Profession, key)
    if profile is not None and profile.profession_other.strip():
        return " ".join(profile.profession_other.split())
    return key.removeprefix("other:")


def _seat_taken(circle: Circle, key: str, profile: Profile) -> ValidationError:
    return ValidationError(SEAT_TAKEN, code="seat_taken", params={"profession": profession_label(key, profile)})


def _clean_list(items) -> list[str]:
    from people.services import clean_terms

    return clean_terms(items)


@functools.cache
def _bilingual_label(choices, code: str) -> tuple[str, str]:
    """A code's label in both interface languages, so a French or an English search finds it."""
    labels = []
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            labels.append(str(choices(code).label))
    return tuple(labels)


def circle_search_text(circle: Circle) -> str:
    """Folded text searched by the browse page, with tokens for exact filters ({t:…} topics, {v:…} values)."""
    parts = [circle.name, circle.description, circle.city.name if circle.city_id else ""]
    parts += list(circle.topics)
    for code in circle.values:
        parts += list(_bilingual_label(vocab.Value, code)) if code in vocab.Value.values else [code]
    if circle.family in Family.values:
        parts += list(_bilingual_label(Family, circle.family))
    tokens = [f"{{t:{fold(t)}}}" for t in circle.topics] + [f"{{v:{fold(v)}}}" for v in circle.values]
    return fold(" | ".join(p for p in parts if p)) + " " + " ".join(tokens)


def _unique_slug(name: str, *, unlisted: bool, exclude_pk: int | None = None) -> str:
    """A readable address; an unlisted circle's carries a random part, so it cannot be guessed."""
    base = slugify(name)[:100] or "cercle"
    if unlisted:
        return f"{base}-{secrets.token_hex(5)}"
    taken = Circle.objects.filter(Q(slug=base) | Q(slug__startswith=base + "-"))
    if exclude_pk:
        taken = taken.exclude(pk=exclude_pk)
    used = set(taken.values_list("slug", flat=True))
    if base not in used and base not in RESERVED_SLUGS:
        return base
    n = 2
    while f"{base}-{n}" in used:
        n += 1
    return f"{base}-{n}"


# --- Circles ---------------------------------------------------------------------------------


def circle_create(
    *,
    creator: User,
    name: str,
    family: str,
    description: str = "",
    charter: str = "",
    city=None,
    topics: list[str] | None = None,
    values: list[str] | None = None,
    visibility: str = Visibility.PUBLIC,
    membership_mode: str = MembershipMode.OPEN,
    pairing_enabled: bool = False,
    pairing_rhythm: str = PairingRhythm.MONTHLY,
) -> Circle:
    """A new circle; its creator is its first organizer (holding their seat in a cooptation circle)."""
    profile = Profile.objects.get(user=creator)
    if membership_mode == MembershipMode.COOPTATION and not profile.profession_key:
        raise ValidationError(CREATOR_PROFESSION_REQUIRED, code="profession_required")
    circle = Circle(
        name=" ".join(name.split()),
        description=description.strip(),
        charter=charter.strip(),
        city=city,
        topics=_clean_list(topics),
        values=vocab.normalize_values(_clean_list(values)),
        family=family,
        visibility=visibility,
        membership_mode=membership_mode,
        pairing_enabled=pairing_enabled,
        pairing_rhythm=pairing_rhythm,
        created_by=creator,
    )
    circle.slug = _unique_slug(circle.name, unlisted=visibility == Visibility.UNLISTED)
    circle.full_clean(exclude=["slug", "city", "created_by"])
    circle.search_text = circle_search_text(circle)
    with transaction.atomic():
        try:
            with transaction.atomic():
                circle.save()
        except IntegrityError:  # another circle took the same address a moment ago
            circle.slug = f"{circle.slug[:120]}-{secrets.token_hex(3)}"
            circle.save()
        Membership.objects.create(
            circle=circle,
            member=creator,
            role=Role.ORGANIZER,
            status=Status.ACTIVE,
            seat_key=profile.profession_key if membership_mode == MembershipMode.COOPTATION else "",
        )
    return circle


def circle_update(*, circle: Circle, organizer: User, **fields) -> Circle:
    """Edit a circle. Becoming a cooptation circle gives each active member their seat."""
    _require_organizer(circle, organizer)
    unknown = set(fields) - set(CIRCLE_FIELDS)
    if unknown:
        raise ValueError(f"Not circle fields: {sorted(unknown)}")
    if "topics" in fields:
        fields["topics"] = _clean_list(fields["topics"])
    if "values" in fields:
        fields["values"] = vocab.normalize_values(_clean_list(fields["values"]))
    if "name" in fields:
        fields["name"] = " ".join(fields["name"].split())
    old_mode, old_visibility = circle.membership_mode, circle.visibility
    for name, value in fields.items():
        setattr(circle, name, value)
    circle.full_clean(exclude=["slug", "city", "created_by"])
    if circle.visibility == Visibility.UNLISTED and old_visibility != Visibility.UNLISTED:
        circle.slug = _unique_slug(circle.name, unlisted=True)  # the old, guessable address stops working
    circle.search_text = circle_search_text(circle)
    with transaction.atomic():
        if circle.membership_mode != old_mode:
            _reseat(circle)
        circle.save()
    return circle


def _reseat(circle: Circle) -> None:
    """Seats follow the mode: given when the circle becomes cooptation, released otherwise."""
    active = Membership.objects.filter(circle=circle, status=Status.ACTIVE)
    if circle.membership_mode != MembershipMode.COOPTATION:
        active.exclude(seat_key="").update(seat_key="")
        return
    holders: dict[str, Membership] = {}
    for membership in active.select_related("member__profile"):
        key = membership.member.profile.profession_key
        if not key:
            continue  # already in: they keep their place without a seat
        if key in holders:
            raise ValidationError(
                MODE_SWITCH_SEAT_CONFLICT,
                code="seat_conflict",
                params={"profession": profession_label(key, membership.member.profile)},
            )
        holders[key] = membership
    for key, membership in holders.items():
        Membership.objects.filter(pk=membership.pk).update(seat_key=key)


# --- Membership: joining and the seat rule ---------------------------------------------------


def _activate(membership: Membership, *, answer: str | None = None) -> Membership:
    """Make a membership active; in a cooptation circle it takes its profession's seat.

    The check gives the clear answer; the unique constraint decides when two accepts race.
    """
    circle = membership.circle
    seat = ""
    profile = Profile.objects.get(user_id=membership.member_id)  # fresh: the profession may have just changed
    if circle.membership_mode == MembershipMode.COOPTATION:
        seat = profile.profession_key
        if not seat:
            raise ValidationError(PROFESSION_REQUIRED, code="profession_required")
        if seat_holder(circle=circle, seat_key=seat, exclude=membership) is not None:
            raise _seat_taken(circle, seat, profile)
    before = (membership.status, membership.seat_key, membership.answer)
    membership.status, membership.seat_key = Status.ACTIVE, seat
    if answer is not None:
        membership.answer = answer
    try:
        with transaction.atomic():
            membership.save(update_fields=["status", "seat_key", "answer", "updated_at"])
    except IntegrityError:
        membership.status, membership.seat_key, membership.answer = before
        raise _seat_taken(circle, seat, profile) from None
    return membership


def seat_holder(*, circle: Circle, seat_key: str, exclude: Membership | None = None) -> Membership | None:
    """The active membership holding this profession's seat, if any."""
    if not seat_key:
        return None
    holders = Membership.objects.filter(circle=circle, status=Status.ACTIVE, seat_key=seat_key)
    if exclude is not None and exclude.pk:
        holders = holders.exclude(pk=exclude.pk)
    return holders.first()


def membership_join(*, circle: Circle, member: User, message: str = "") -> Membership:
    """Join an open circle, ask to join one on request; a cooptation circle needs an invitation.

    A member invited to the circle who presses "join" accepts the invitation.
    """
    existing = Membership.objects.filter(circle=circle, member=member).first()
    if existing is not None:
        if existing.status == Status.ACTIVE:
            raise ValidationError(ALREADY_MEMBER, code="already_member")
        if existing.status == Status.REQUESTED:
            raise ValidationError(ALREADY_REQUESTED, code="already_requested")
        if existing.status == Status.INVITED:
            return membership_accept_invitation(membership=existing)
        if existing.status == Status.REMOVED:
            raise ValidationError(REMOVED_CANNOT_REJOIN, code="removed")
    if circle.membership_mode == MembershipMode.COOPTATION:
        raise ValidationError(ONLY_BY_INVITATION, code="only_by_invitation")
    membership = existing or Membership(circle=circle, member=member)
    membership.role, membership.sponsor, membership.answer, membership.seat_key = Role.MEMBER, None, "", ""
    membership.message = message.strip()[:2000] if circle.membership_mode == MembershipMode.REQUEST else ""
    membership.status = Status.REQUESTED if circle.membership_mode == MembershipMode.REQUEST else Status.ACTIVE
    try:
        with transaction.atomic():
            membership.save()
    except IntegrityError:  # a double click: the first one already created it
        return Membership.objects.get(circle=circle, member=member)
    return membership


def membership_request_decide(
    *, membership: Membership, organizer: User, approve: bool, answer: str = ""
) -> Membership:
    """An organizer approves or declines a request to join, with an optional message; the member is told."""
    circle = membership.circle
    _require_organizer(circle, organizer)
    answer = answer.strip()[:2000]
    with transaction.atomic():
        # Lock the request: two organizers answering at once must not both act on it.
        fresh = Membership.objects.select_for_update().get(pk=membership.pk)
        if fresh.status != Status.REQUESTED:
            raise ValidationError(NOT_A_REQUEST, code="not_a_request")
        if approve:
            _activate(fresh, answer=answer)
        else:
            fresh.status, fresh.answer = Status.DECLINED, answer
            fresh.save(update_fields=["status", "answer", "updated_at"])
        if approve:
            message = MSG_REQUEST_APPROVED_WITH_ANSWER if answer else MSG_REQUEST_APPROVED
        else:
            message = MSG_REQUEST_DECLINED_WITH_ANSWER if answer else MSG_REQUEST_DECLINED
        notify(
            recipient=fresh.member,
            kind=Kind.REQUEST_ANSWERED,
            message=message,
            params={"circle": circle.name, "answer": answer},
            url=reverse("circles:detail", args=[circle.slug]),
        )
    membership.refresh_from_db()
    return membership


def membership_accept_invitation(*, membership: Membership) -> Membership:
    """The invited member accepts: active, with their profession's seat in a cooptation circle."""
    if membership.status != Status.INVITED:
        raise ValidationError(NOT_INVITED, code="not_invited")
    with transaction.atomic():
        return _activate(membership)


def membership_leave(*, membership: Membership) -> Membership:
    """Leave (active), withdraw a request (requested) or decline an invitation (invited)."""
    if membership.status == Status.ACTIVE and membership.role == Role.ORGANIZER:
        _keep_an_organizer(membership)
    if membership.status == Status.INVITED:
        membership.status = Status.DECLINED
    elif membership.status in (Status.ACTIVE, Status.REQUESTED):
        membership.status = Status.LEFT
    else:
        return membership
    membership.role, membership.seat_key, membership.pairing_opt_in = Role.MEMBER, "", False
    membership.save(update_fields=["status", "role", "seat_key", "pairing_opt_in", "updated_at"])
    return membership


def _keep_an_organizer(membership: Membership) -> None:
    others = Membership.objects.filter(
        circle_id=membership.circle_id, status=Status.ACTIVE, role=Role.ORGANIZER
    ).exclude(pk=membership.pk)
    if not others.exists():
        raise ValidationError(LAST_ORGANIZER, code="last_organizer")


def membership_set_participation(*, membership: Membership, participation: str) -> Membership:
    """Take part actively, or follow remotely (the digest only, never reminded about attendance)."""
    if membership.status != Status.ACTIVE:
        raise ValidationError(NOT_ACTIVE_MEMBER, code="not_active")
    if participation not in Participation.values:
        raise ValidationError(NOT_A_PARTICIPATION, code="bad_participation")
    membership.participation = participation
    membership.save(update_fields=["participation", "updated_at"])
    return membership


def membership_set_pairing(*, membership: Membership, opt_in: bool) -> Membership:
    if membership.status != Status.ACTIVE:
        raise ValidationError(NOT_ACTIVE_MEMBER, code="not_active")
    membership.pairing_opt_in = bool(opt_in)
    membership.save(update_fields=["pairing_opt_in", "updated_at"])
    return membership


def membership_remove(*, membership: Membership, organizer: User, reason: str) -> Membership:
    """An organizer removes a member, saying why (the charter matters); the member reads the reason."""
    circle = membership.circle
    _require_organizer(circle, organizer)
    reason = reason.strip()[:2000]
    if not reason:
        raise ValidationError(REASON_REQUIRED, code="reason_required")
    if membership.member_id == organizer.pk:
        raise ValidationError(CANNOT_REMOVE_YOURSELF, code="remove_self")
    if membership.status != Status.ACTIVE:
        raise ValidationError(NOT_REMOVABLE, code="not_removable")
    with transaction.atomic():
        membership.status, membership.role, membership.seat_key = Status.REMOVED, Role.MEMBER, ""
        membership.answer, membership.pairing_opt_in = reason, False
        membership.save(update_fields=["status", "role", "seat_key", "answer", "pairing_opt_in", "updated_at"])
        MentoringPair.objects.filter(circle=circle, active=True).filter(
            Q(mentor_id=membership.member_id) | Q(mentee_id=membership.member_id)
        ).update(active=False)
        notify(
            recipient=membership.member,
            kind=Kind.ANNOUNCEMENT,
            message=MSG_REMOVED,
            params={"circle": circle.name, "reason": reason},
            url=reverse("circles:browse"),
        )
    return membership


def membership_set_role(*, membership: Membership, organizer: User, role: str) -> Membership:
    """Organizers name organizers; a circle always keeps at least one."""
    _require_organizer(membership.circle, organizer)
    if role not in Role.values:
        raise ValidationError(UNKNOWN_ROLE, code="bad_role")
    if membership.status != Status.ACTIVE:
        raise ValidationError(NOT_ACTIVE_MEMBER, code="not_active")
    with transaction.atomic():
        if membership.role == Role.ORGANIZER and role == Role.MEMBER:
            # Lock the circle's organizers so two demotions at once cannot leave none.
            list(
                Membership.objects.select_for_update().filter(
                    circle_id=membership.circle_id, status=Status.ACTIVE, role=Role.ORGANIZER
                )
            )
            _keep_an_organizer(membership)
        membership.role = role
        membership.save(update_fields=["role", "updated_at"])
    return membership


# --- Invitations (cooptation) ----------------------------------------------------------------


def invitation_link_token(invitation: Invitation) -> str:
    """The signed, expiring token of an invitation's link."""
    return signing.dumps(invitation.token, salt=INVITATION_SALT)


def invitation_url(invitation: Invitation) -> str:
    return settings.SITE_URL + reverse("circles:invitation", args=[invitation_link_token(invitation)])


def invitation_from_link(token: str) -> Invitation:
    """The invitation behind a signed link; ValidationError if the signature is wrong or too old."""
    try:
        raw = signing.loads(token, salt=INVITATION_SALT, max_age=INVITATION_MAX_AGE)
    except signing.BadSignature:
        raise ValidationError(INVITATION_INVALID, code="invalid") from None
    invitation = Invitation.objects.select_related("circle", "circle__city").filter(token=raw, sent=True).first()
    if invitation is None:
        raise ValidationError(INVITATION_INVALID, code="invalid")
    return invitation


def _may_invite(circle: Circle, inviter: User) -> Membership:
    membership = _active_membership(circle, inviter)
    if membership is None:
        raise ValidationError(ONLY_MEMBERS_INVITE, code="not_member")
    if circle.membership_mode == MembershipMode.REQUEST and membership.role != Role.ORGANIZER:
        raise ValidationError(ONLY_ORGANIZERS_INVITE, code="organizers_invite")
    return membership


def invitation_create(
    *, circle: Circle, inviter: User, email: str, message: str = ""
) -> Membership | Invitation | None:
    """Invite someone by e-mail.

    Someone already on Cercle gets an invited membership and a notification; anyone else gets an
    e-mail with a signed link that leads through sign-up. The answer to the inviter is the same
    either way, so an invitation never tells whether an address has an account. A refusal (the
    seat rule, already a member, removed) is told only about a member the inviter may see — and
    may see the profession of, for the seat rule, which names it. About anyone else the inviter
    gets the answer an unknown address gets, and nothing is sent (None): a member they may not
    see, or one blocked either way, stays out of sight. Every invitation, refused or not, counts
    against the daily cap, so trying addresses one after another is bounded too.
    """
    inviter_membership = _may_invite(circle, inviter)
    email = email.strip().lower()
    message = message.strip()[:2000]
    if email == inviter.email.lower():
        raise ValidationError(CANNOT_INVITE_YOURSELF, code="self")
    _count_invitation(circle, inviter)
    invitee = User.objects.filter(email__iexact=email, is_active=True).select_related("profile").first()
    if invitee is None:
        from allauth.account.models import EmailAddress

        address = EmailAddress.objects.filter(email__iexact=email, verified=True, user__is_active=True).first()
        invitee = address.user if address is not None else None
    if invitee is None:
        invitation = Invitation.objects.create(circle=circle, inviter=inviter, email=email, message=message)
        _send_invitation_email(invitation, inviter)
        return invitation
    audience = audience_of(inviter, invitee)
    if audience == Audience.NONE:  # a block, either way: nothing reaches the other
        _unsent_invitation(circle, inviter, email, message)
        return None
    seen = (
        profile_as_seen(invitee.profile, audience, objectives=False) if discoverable_with(invitee, audience) else None
    )
    try:
        return _invite_member(circle, inviter_membership, invitee, message, email=email)
    except ValidationError as refusal:
        told = seen is not None and (refusal.code != "seat_taken" or "profession" in seen.visible_fields)
        if told:
            raise
        _unsent_invitation(circle, inviter, email, message)
        return None


def _unsent_invitation(circle: Circle, inviter: User, email: str, message: str) -> None:
    """What a refusal kept from the inviter's sight leaves in the organizers' list: the address,
    waiting, as an invitation to someone not on Cercle would. Nothing is sent, so nobody can use it."""
    Invitation.objects.create(circle=circle, inviter=inviter, email=email, message=message, sent=False)


def _count_invitation(circle: Circle, inviter: User) -> None:
    """Refuse past the daily cap, else count this invitation (before knowing if it will go)."""
    with transaction.atomic():
        # One inviter's invitations one at a time, so two at once cannot pass the cap together.
        User.objects.select_for_update().filter(pk=inviter.pk).first()
        since = timezone.now() - dt.timedelta(days=1)
        if InvitationAttempt.objects.filter(inviter=inviter, created_at__gte=since).count() >= INVITATIONS_PER_DAY:
            raise ValidationError(TOO_MANY_INVITATIONS, code="too_many")
        InvitationAttempt.objects.filter(inviter=inviter, created_at__lt=since).delete()  # past the window
        InvitationAttempt.objects.create(circle=circle, inviter=inviter)


def _invite_member(
    circle: Circle, inviter_membership: Membership, invitee: User, message: str, email: str = ""
) -> Membership:
    inviter = inviter_membership.member
    membership = Membership.objects.filter(circle=circle, member=invitee).first()
    if membership is not None:
        if membership.status == Status.ACTIVE:
            raise ValidationError(INVITEE_ALREADY_MEMBER, code="already_member")
        if membership.status == Status.INVITED:
            return membership
        if membership.status == Status.REMOVED and inviter_membership.role != Role.ORGANIZER:
            raise ValidationError(INVITEE_REMOVED, code="removed")
    if circle.membership_mode == MembershipMode.COOPTATION:
        profile = Profile.objects.get(user=invitee)
        if seat_holder(circle=circle, seat_key=profile.profession_key) is not None:
            raise _seat_taken(circle, profile.profession_key, profile)
    membership = membership or Membership(circle=circle, member=invitee)
    membership.status, membership.role, membership.sponsor = Status.INVITED, Role.MEMBER, inviter
    membership.message, membership.answer, membership.seat_key = message, "", ""
    membership.invited_as = email or invitee.email
    with transaction.atomic():
        try:
            with transaction.atomic():
                membership.save()
        except IntegrityError:  # invited by someone else at the same moment
            return Membership.objects.get(circle=circle, member=invitee)
        notify(
            recipient=invitee,
            kind=Kind.INVITATION,
            message=MSG_INVITED,
            params={"inviter": inviter.profile.display_name, "circle": circle.name},
            naming={"inviter": inviter},
            url=reverse("circles:detail", args=[circle.slug]),
        )
    return membership


def _send_invitation_email(invitation: Invitation, inviter: User) -> None:
    """A bilingual e-mail (the inviter's language first): we do not know the invitee's language yet."""
    from people.tasks import deliver_email

    current = translation.get_language() or settings.LANGUAGE_CODE
    languages = [current[:2]] + [code for code, _name in settings.LANGUAGES if code != current[:2]]
    context = {
        "inviter": inviter.profile.display_name,
        "circle": invitation.circle,
        "message": invitation.message,
        "url": invitation_url(invitation),
        "days": INVITATION_MAX_AGE.days,
    }
    bodies, subject = [], ""
    for language in languages:
        with translation.override(language):
            bodies.append(render_to_string("circles/email/invitation.txt", context).strip())
            if not subject:
                subject = render_to_string("circles/email/invitation_subject.txt", context).strip()
    body = "\n\n— — —\n\n".join(bodies)
    transaction.on_commit(
        lambda: deliver_email.enqueue(
            subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[invitation.email]
        )
    )


def invitation_claim(*, invitation: Invitation, user: User) -> Membership:
    """Bind an e-mail invitation to the account that opened it: an invited membership.

    An invitation is used once: a conditional update decides between two people racing for it.
    """
    circle = invitation.circle
    with transaction.atomic():
        membership = Membership.objects.filter(circle=circle, member=user).first()
        if invitation.accepted_by_id == user.pk:  # the same link opened again
            if membership is not None and membership.status in (Status.ACTIVE, Status.INVITED):
                return membership
            raise ValidationError(INVITATION_USED, code="used")
        claimed = Invitation.objects.filter(pk=invitation.pk, used_at__isnull=True).update(
            used_at=timezone.now(), accepted_by=user
        )
        if not claimed:
            raise ValidationError(INVITATION_USED, code="used")
        if membership is not None and membership.status in (Status.ACTIVE, Status.INVITED):
            return membership
        removed = membership is not None and membership.status == Status.REMOVED
        if removed and (invitation.inviter is None or not is_organizer(circle=circle, user=invitation.inviter)):
            raise ValidationError(REMOVED_CANNOT_REJOIN, code="removed")
        membership = membership or Membership(circle=circle, member=user)
        membership.status, membership.role, membership.sponsor = Status.INVITED, Role.MEMBER, invitation.inviter
        membership.message, membership.answer, membership.seat_key = invitation.message, "", ""
        membership.save()
    invitation.refresh_from_db()
    return membership


def invitation_accept(*, invitation: Invitation, user: User) -> Membership:
    """Open an e-mail invitation and accept it.

    The invitation is claimed first (it stays bound to this account); if the seat rule refuses
    the accept — no profession yet, or the seat taken — the membership stays invited and the
    member can accept again from the circle's page once their profile says their profession.
    """
    membership = invitation_claim(invitation=invitation, user=user)
    if membership.status == Status.ACTIVE:
        return membership
    return membership_accept_invitation(membership=membership)


def invitations_claim_for_email(*, user: User, email: str) -> list[Membership]:
    """After an address is verified, the invitations sent to it wait in the member's circles."""
    claimed = []
    for invitation in Invitation.objects.filter(email__iexact=email, used_at__isnull=True, sent=True).select_related(
        "circle", "inviter"
    ):
        try:
            claimed.append(invitation_claim(invitation=invitation, user=user))
        except ValidationError:
            continue
    return claimed


# --- Announcements, reports, mentoring -------------------------------------------------------


def announcement_send(*, circle: Circle, organizer: User, text: str) -> int:
    """Tell every active member, remote followers included (never the sender). Returns how many."""
    _require_organizer(circle, organizer)
    text = " ".join(text.split())
    if not text:
        raise ValidationError(ANNOUNCEMENT_EMPTY, code="empty")
    if len(text) > ANNOUNCEMENT_MAX:
        raise ValidationError(ANNOUNCEMENT_TOO_LONG, code="too_long", params={"max": ANNOUNCEMENT_MAX})
    recipients = (
        Membership.objects.filter(circle=circle, status=Status.ACTIVE)
        .exclude(member=organizer)
        .select_related("member")
    )
    url = reverse("circles:detail", args=[circle.slug])
    count = 0
    with transaction.atomic():
        # The circle's announcements one at a time, so two organizers at once cannot pass the cap.
        Circle.objects.select_for_update().filter(pk=circle.pk).first()
        since = timezone.now() - dt.timedelta(days=1)
        if Announcement.objects.filter(circle=circle, created_at__gte=since).count() >= ANNOUNCEMENTS_PER_DAY:
            raise ValidationError(TOO_MANY_ANNOUNCEMENTS, code="too_many", params={"count": ANNOUNCEMENTS_PER_DAY})
        announcement = Announcement.objects.create(circle=circle, sender=organizer)
        for membership in recipients:
            sent = notify(
                recipient=membership.member,
                kind=Kind.ANNOUNCEMENT,
                message=MSG_ANNOUNCEMENT,
                params={"circle": circle.name, "text": text},
                url=url,
            )
            count += sent is not None
        announcement.recipients = count
        announcement.save(update_fields=["recipients"])
    return count


def reports_made_since(*, reporter: User, since: dt.datetime) -> int:
    """How many reports the reporter made since then. A report about a member reaches each circle
    both are in as one row per circle, all made at the same time (`report_create`'s `at`): it
    counts once."""
    return Report.objects.filter(reporter=reporter, created_at__gte=since).values("created_at").distinct().count()


def report_cap_check(*, reporter: User) -> None:
    """Refuse a report past the daily cap. Call it inside a transaction: it holds the reporter's
    reports one at a time until the report is written, so two at once cannot pass the cap together."""
    User.objects.select_for_update().filter(pk=reporter.pk).first()
    if reports_made_since(reporter=reporter, since=timezone.now() - dt.timedelta(days=1)) >= REPORTS_PER_DAY:
        raise ValidationError(TOO_MANY_REPORTS, code="too_many", params={"count": REPORTS_PER_DAY})


def report_create(
    *,
    circle: Circle,
    reporter: User,
    reason: str,
    reported: User | None = None,
    about: str = "",
    at: dt.datetime | None = None,
) -> Report:
    """A member reports a member or some content; the circle's organizers handle it.

    `at`: the time of one report made in several circles at once (intros.services.member_report);
    its rows share it and count once against the daily cap."""
    if _active_membership(circle, reporter) is None:
        raise ValidationError(NOT_ACTIVE_MEMBER, code="not_active")
    reason, about = reason.strip()[:4000], " ".join(about.split())[:200]
    if not reason:
        raise ValidationError(REPORT_REASON_REQUIRED, code="reason_required")
    if reported is None and not about:
        raise ValidationError(REPORT_TARGET_REQUIRED, code="target_required")
    if reported is not None and not Membership.objects.filter(circle=circle, member=reported).exists():
        raise ValidationError(REPORTED_NOT_MEMBER, code="not_member")
    with transaction.atomic():
        # The first row of a report made at `at` is checked; the others belong to the same report.
        if at is None or not Report.objects.filter(reporter=reporter, created_at=at).exists():
            report_cap_check(reporter=reporter)
        return Report.objects.create(
            circle=circle,
            reporter=reporter,
            reported=reported,
            about=about,
            reason=reason,
            created_at=at or timezone.now(),
        )


def report_resolve(*, report: Report, organizer: User, resolution: str = "") -> Report:
    _require_organizer(report.circle, organizer)
    if report.state == Report.State.RESOLVED:
        raise ValidationError(REPORT_ALREADY_RESOLVED, code="resolved")
    report.state, report.resolution = Report.State.RESOLVED, resolution.strip()[:4000]
    report.save(update_fields=["state", "resolution"])
    return report


def mentoring_pair_create(*, circle: Circle, organizer: User, mentor: User, mentee: User) -> MentoringPair:
    """A "marraine/parrain" and a mentee, both active members of the circle."""
    _require_organizer(circle, organizer)
    if mentor.pk == mentee.pk:
        raise ValidationError(MENTORING_SAME_PERSON, code="same_person")
    active = Membership.objects.filter(circle=circle, status=Status.ACTIVE, member_id__in=[mentor.pk, mentee.pk])
    if active.count() != 2:
        raise ValidationError(MENTORING_NOT_MEMBERS, code="not_members")
    existing = MentoringPair.objects.filter(circle=circle, mentor=mentor, mentee=mentee).first()
    if existing is not None:
        if existing.active:
            raise ValidationError(MENTORING_EXISTS, code="exists")
        existing.active = True
        existing.save(update_fields=["active"])
        pair = existing
    else:
        try:
            with transaction.atomic():
                pair = MentoringPair.objects.create(circle=circle, mentor=mentor, mentee=mentee)
        except IntegrityError:
            raise ValidationError(MENTORING_EXISTS, code="exists") from None
    _tell_mentoring_pair(pair)
    return pair


def _tell_mentoring_pair(pair: MentoringPair) -> None:
    """Both sides hear of it, each with a link to the other's page — as far as the other's settings
    let them see it (otherwise the circle's page, and no name)."""
    for recipient, other, message in (
        (pair.mentor, pair.mentee, MSG_MENTORING_MENTOR),
        (pair.mentee, pair.mentor, MSG_MENTORING_MENTEE),
    ):
        seen = visible_profile(recipient, other)
        name = seen.name if seen and seen.name else ""
        notify(
            recipient=recipient,
            kind=Kind.MENTORING,
            message=message if name else MSG_MENTORING_UNNAMED,
            params={"circle": pair.circle.name, **({"name": name} if name else {})},
            naming={"name": other} if name else {},
            url=reverse("people:member_detail", args=[other.pk])
            if seen
            else reverse("circles:detail", args=[pair.circle.slug]),
        )


def mentoring_pair_end(*, pair: MentoringPair, organizer: User) -> MentoringPair:
    _require_organizer(pair.circle, organizer)
    pair.active = False
    pair.save(update_fields=["active"])
    return pair


def mentoring_checkin_add(
    *, pair: MentoringPair, author: User, occurred_on: dt.date | None = None, note: str = ""
) -> MentoringCheckin:
    """A check-in of a mentoring pair, noted by the mentor, the mentee or an organizer."""
    if author.pk not in (pair.mentor_id, pair.mentee_id) and not is_organizer(circle=pair.circle, user=author):
        raise PermissionDenied(CHECKIN_NOT_ALLOWED)
    return MentoringCheckin.objects.create(
        pair=pair, occurred_on=occurred_on or timezone.localdate(), note=note.strip()[:4000]
    )


def cap_records_forget(*, before) -> int:
    """Rows the caps no longer count (older than every window): the nightly housekeeping drops them,
    so a member who never acts again leaves none behind."""
    invitations, _ = InvitationAttempt.objects.filter(created_at__lt=before).delete()
    announcements, _ = Announcement.objects.filter(created_at__lt=before).delete()
    return invitations + announcements
