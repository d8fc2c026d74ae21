"""Reads about referrals: who may give one to whom, my referrals, a club's statistics.

Which circles keep referrals: those whose family is "referral club" (`Circle.family ==
Family.REFERRAL`). The family is what a circle declares itself to be, and passing business to one
another is what a referral club is for. The membership mode is another matter: most referral
clubs seat one member per profession by cooptation, but an open referral club is still one, and a
cooptation circle of another family (a peer group, say) is not about passing leads.

Who sees what:
- a referral (its prospect's name, company, contact details and need) is seen by its giver and
  its receiver alone; anybody else — organizers included — gets the same 404 as for a missing one;
- a club's statistics (counts and values, per member and overall) are for its active members;
  each member's row is named as `circles.selectors.members_of` names them for this viewer
  (organizers see every member's name, as joining allows; members see those whose settings let
  the circle see them); members one may not name, members blocked either way and former
  members are counted together on one anonymous row. No prospect ever appears there.

The other member of a referral is named through the privacy selector
(`privacy.selectors.profiles_seen_by`): a block either way, or settings that hide the name, make
them "a Cercle member" — the referral itself stays its two members' record.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.http import Http404
from django.utils import timezone

from circles.models import Circle, Membership, Status
from circles.vocab import Family
from people.models import User
from referrals.models import OPEN_STATUSES, Referral, ReferralStatus

STATS_RECENT_DAYS = 365
DIRECTIONS = ("given", "received")
STATUS_FILTERS = ("open", *ReferralStatus.values)


def _signed_in(user) -> bool:
    return user is not None and user.is_authenticated


def is_referral_club(circle: Circle) -> bool:
    """Only referral clubs keep referrals (see the module's docstring for why the family decides)."""
    return circle.family == Family.REFERRAL


def is_active_member(*, circle: Circle, user) -> bool:
    if not _signed_in(user):
        return False
    return Membership.objects.filter(circle=circle, member=user, status=Status.ACTIVE).exists()


def referral_club_for_member_or_404(viewer, slug: str) -> Circle:
    """A referral club this viewer is an active member of; any other circle, or none, is a 404."""
    from circles.selectors import circle_for_viewer_or_404

    circle = circle_for_viewer_or_404(viewer, slug)
    if not is_referral_club(circle) or not is_active_member(circle=circle, user=viewer):
        raise Http404
    return circle


def my_referral_clubs(user) -> list[Circle]:
    """The referral clubs I am an active member of, by name."""
    if not _signed_in(user):
        return []
    return list(
        Circle.objects.filter(
            family=Family.REFERRAL, memberships__member=user, memberships__status=Status.ACTIVE
        ).order_by("name", "id")
    )


def shows_referrals(user) -> bool:
    """Whether the member's menus offer "My referrals": they belong to a club or have referrals."""
    if not _signed_in(user):
        return False
    in_a_club = Membership.objects.filter(member=user, status=Status.ACTIVE, circle__family=Family.REFERRAL)
    return in_a_club.exists() or Referral.objects.filter(Q(giver=user) | Q(receiver=user)).exists()


# --- Whom a member may give a referral to -------------------------------------------------------


@dataclass(frozen=True)
class Receiver:
    user_id: int
    name: str
    profession: str


def receivers_for(*, giver: User, circle: Circle) -> list[Receiver]:
    """Fellow active members the giver may see in this club (as the club's member list shows them
    to the giver), without the giver and without anyone blocked either way."""
    from circles.selectors import members_of
    from intros.selectors import blocked_ids

    if not is_active_member(circle=circle, user=giver):
        return []
    listing = members_of(circle=circle, viewer=giver, per_page=100_000)
    hidden = blocked_ids(giver) | {giver.pk}
    receivers = [
        Receiver(user_id=entry.membership.member_id, name=entry.name, profession=entry.profession)
        for entry in listing.entries
        if entry.membership.member_id not in hidden and entry.name
    ]
    return sorted(receivers, key=lambda r: r.name.casefold())


def receiver_ids_for(*, giver: User, circle: Circle) -> set[int]:
    return {r.user_id for r in receivers_for(giver=giver, circle=circle)}


# --- My referrals -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReferralRow:
    """One referral as its giver or its receiver sees it."""

    referral: Referral
    direction: str  # "given" or "received"
    other_id: int
    other_name: str

    @property
    def given(self) -> bool:
        return self.direction == "given"


def _related():
    return Referral.objects.select_related("circle")


def names_seen_by(viewer: User, user_ids) -> dict[int, str]:
    """Each member's name as the viewer may see it, through the privacy selector, in a few queries
    whatever their number. A member blocked either way (or no longer active) is "a Cercle member"."""
    from django.utils.translation import gettext

    from privacy.selectors import profiles_seen_by

    ids = set(user_ids)
    seen = profiles_seen_by(viewer, ids - {viewer.pk})
    names = {user_id: seen[user_id].display_name if user_id in seen else gettext("A Cercle member") for user_id in ids}
    if viewer.pk in ids:
        names[viewer.pk] = viewer.profile.display_name
    return names


def _rows(viewer: User, referrals) -> list[ReferralRow]:
    referrals = list(referrals)
    others = {r.receiver_id if r.giver_id == viewer.pk else r.giver_id for r in referrals}
    names = names_seen_by(viewer, others)
    rows = []
    for referral in referrals:
        given = referral.giver_id == viewer.pk
        other_id = referral.receiver_id if given else referral.giver_id
        rows.append(
            ReferralRow(
                referral=referral,
                direction="given" if given else "received",
                other_id=other_id,
                other_name=names[other_id],
            )
        )
    return rows


def my_referrals(*, member: User, direction: str = "", status: str = "", circle: Circle | None = None) -> list:
    """My referrals, given and received, newest first; `direction` ("given" or "received") and
    `status` (a status, or "open" for given and contacted) narrow the list."""
    if direction == "given":
        found = Q(giver=member)
    elif direction == "received":
        found = Q(receiver=member)
    else:
        found = Q(giver=member) | Q(receiver=member)
    referrals = _related().filter(found)
    if status == "open":
        referrals = referrals.filter(status__in=OPEN_STATUSES)
    elif status in ReferralStatus.values:
        referrals = referrals.filter(status=status)
    if circle is not None:
        referrals = referrals.filter(circle=circle)
    return _rows(member, referrals)


def referral_for_member_or_404(*, member, referral_id: int) -> Referral:
    """A referral this member gave or received; anything else (missing, or someone else's) is a 404."""
    if not _signed_in(member):
        raise Http404
    found = _related().filter(Q(giver=member) | Q(receiver=member), pk=referral_id).first()
    if found is None:
        raise Http404
    return found


def referral_row(*, member: User, referral: Referral) -> ReferralRow:
    return _rows(member, [referral])[0]


# --- A club's statistics (counts and values only) -----------------------------------------------


CENT = Decimal("0.01")


def _money(amount) -> Decimal:
    """A sum of values in euros, to the cent (databases return sums at different scales)."""
    return (amount or Decimal("0")).quantize(CENT)


@dataclass
class MemberStats:
    user_id: int | None  # None for the anonymous row
    name: str
    linkable: bool = False
    is_me: bool = False
    given: int = 0
    given_won: int = 0
    value_given: Decimal = Decimal("0.00")  # business the member's referrals brought to others
    received: int = 0
    won: int = 0
    value_won: Decimal = Decimal("0.00")  # business the member closed from referrals received

    @property
    def conversion(self) -> float | None:
        """Share of the referrals received that were won (None when none was received)."""
        return self.won / self.received if self.received else None

    @property
    def empty(self) -> bool:
        return not (self.given or self.received)


@dataclass
class Totals:
    referrals: int = 0
    open: int = 0
    won: int = 0
    lost: int = 0
    value: Decimal = Decimal("0.00")

    @property
    def conversion(self) -> float | None:
        """Share of the referrals that were won (None when there is none)."""
        return self.won / self.referrals if self.referrals else None


@dataclass
class PeriodStats:
    totals: Totals
    rows: list[MemberStats] = field(default_factory=list)
    others: MemberStats | None = None


@dataclass
class CircleStats:
    since: dt.datetime
    recent: PeriodStats
    all_time: PeriodStats


def _totals(referrals, since) -> tuple[Totals, Totals]:
    def aggregates(suffix: str, extra: Q) -> dict:
        return {
            f"referrals{suffix}": Count("id", filter=extra),
            f"open{suffix}": Count("id", filter=extra & Q(status__in=OPEN_STATUSES)),
            f"won{suffix}": Count("id", filter=extra & Q(status=ReferralStatus.WON)),
            f"lost{suffix}": Count("id", filter=extra & Q(status=ReferralStatus.LOST)),
            f"amount{suffix}": Sum("value", filter=extra & Q(status=ReferralStatus.WON)),
        }

    row = referrals.aggregate(**aggregates("", Q()), **aggregates("_recent", Q(created_at__gte=since)))

    def totals(suffix: str) -> Totals:
        return Totals(
            referrals=row[f"referrals{suffix}"],
            open=row[f"open{suffix}"],
            won=row[f"won{suffix}"],
            lost=row[f"lost{suffix}"],
            value=_money(row[f"amount{suffix}"]),
        )

    return totals("_recent"), totals("")


def _per_member(referrals, since, side: str) -> dict[int, dict]:
    """Counts and values per giver (side="giver") or receiver, for both periods, in one query."""
    recent = Q(created_at__gte=since)
    won = Q(status=ReferralStatus.WON)
    rows = referrals.values(f"{side}_id").annotate(
        n=Count("id"),
        n_recent=Count("id", filter=recent),
        won=Count("id", filter=won),
        won_recent=Count("id", filter=won & recent),
        amount=Sum("value", filter=won),
        amount_recent=Sum("value", filter=won & recent),
    )
    return {row[f"{side}_id"]: row for row in rows}


def _period(totals: Totals, named: dict, given: dict, received: dict, suffix: str, viewer_id: int) -> PeriodStats:
    rows = {
        user_id: MemberStats(user_id=user_id, name=name, linkable=linkable, is_me=user_id == viewer_id)
        for user_id, (name, linkable) in named.items()
    }
    others = MemberStats(user_id=None, name="")
    for user_id, row in given.items():
        stats = rows.get(user_id, others)
        stats.given += row[f"n{suffix}"]
        stats.given_won += row[f"won{suffix}"]
        stats.value_given += _money(row[f"amount{suffix}"])
    for user_id, row in received.items():
        stats = rows.get(user_id, others)
        stats.received += row[f"n{suffix}"]
        stats.won += row[f"won{suffix}"]
        stats.value_won += _money(row[f"amount{suffix}"])
    ordered = sorted(
        rows.values(),
        key=lambda s: (-s.value_won, -s.won, -s.given, -s.received, s.name.casefold(), s.user_id),
    )
    return PeriodStats(totals=totals, rows=ordered, others=None if others.empty else others)


def _named_members(circle: Circle, viewer: User) -> dict[int, tuple[str, bool]]:
    """Active members the viewer may name here: {user id: (name, may open their profile)}."""
    from circles.selectors import members_of
    from intros.selectors import blocked_ids

    listing = members_of(circle=circle, viewer=viewer, per_page=100_000)
    blocked = blocked_ids(viewer)
    return {
        entry.membership.member_id: (entry.name, entry.linkable)
        for entry in listing.entries
        if entry.membership.member_id not in blocked and entry.name
    }


def circle_stats(*, circle: Circle, viewer: User, now: dt.datetime | None = None) -> CircleStats:
    """Referrals given and received in the club, per member and overall, over the last twelve
    months and over all time (a referral counts in the period it was given). Counts and values
    only: no prospect. The caller has checked that the viewer is an active member."""
    now = now or timezone.now()
    since = now - dt.timedelta(days=STATS_RECENT_DAYS)
    referrals = Referral.objects.filter(circle=circle)
    recent_totals, all_totals = _totals(referrals, since)
    given = _per_member(referrals, since, "giver")
    received = _per_member(referrals, since, "receiver")
    named = _named_members(circle, viewer)
    return CircleStats(
        since=since,
        recent=_period(recent_totals, named, given, received, "_recent", viewer.pk),
        all_time=_period(all_totals, named, given, received, "", viewer.pk),
    )


def circle_summary(*, circle: Circle, now: dt.datetime | None = None) -> Totals:
    """The club's totals over the last twelve months (for the circle's page)."""
    now = now or timezone.now()
    since = now - dt.timedelta(days=STATS_RECENT_DAYS)
    recent, _all = _totals(Referral.objects.filter(circle=circle), since)
    return recent
