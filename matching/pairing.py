"""Coffee pairing: rounds per circle among opted-in active members, and "did you meet?".

A round pairs the circle's opted-in active members (remote followers are left out) with the
engine's `pair_members`, maximizing the engine's scores with no repeat of a pair from the last
RECENT_ROUNDS rounds whenever one can be avoided (a small circle repeats the least recent pair).
Members who did not show up (a partner answered "no" while they did not answer "yes") get a lower
priority: their scores are scaled down, so the best partners go to reliable members first and the
odd member's trio is theirs last.
"""

import datetime
import itertools

import numpy as np
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from cercle.engine.pairing import pair_members
from cercle.engine.scoring import score_matrix
from circles.models import Circle, Membership, PairingRhythm, Participation, Status
from matching.arrays import arrays_rebuild, current_arrays
from matching.models import PairingGroup, PairingMember, PairingRound
from people import vocab
from people.models import Profile
from privacy.selectors import Audience, may_see_field, seen_by, visible_profile

RECENT_ROUNDS = 3
RHYTHM_DAYS = {PairingRhythm.WEEKLY: 7, PairingRhythm.FORTNIGHTLY: 14, PairingRhythm.MONTHLY: 30}
NO_SHOW_WEIGHT = 0.5  # a member's scores are divided by 1 + 0.5 per no-show
OPENERS = 2

NOTIFICATION_MESSAGE = gettext_noop("Coffee pairing in %(circle)s: meet %(partners)s.")
# `details`: the suggested format and the openers, worded in the recipient's language when sent.
NOTIFICATION_WITH_DETAILS = gettext_noop("Coffee pairing in %(circle)s: meet %(partners)s. %(details)s")
ALREADY_ANSWERED = _("You already answered for this pairing.")


def pairing_candidates(circle: Circle) -> list[int]:
    """Opted-in, active members (not remote followers) with an active account, by id."""
    return sorted(
        Membership.objects.filter(
            circle=circle,
            status=Status.ACTIVE,
            participation=Participation.ACTIVE,
            pairing_opt_in=True,
            member__is_active=True,
            member__profile__isnull=False,
        ).values_list("member_id", flat=True)
    )


def recent_pairs(circle: Circle, rounds: int = RECENT_ROUNDS) -> dict[tuple[int, int], int]:
    """{(a, b): rounds_ago} for every pair grouped together in the circle's last rounds (1 = last)."""
    found: dict[tuple[int, int], int] = {}
    last = list(PairingRound.objects.filter(circle=circle).order_by("-number")[:rounds])
    for ago, pairing_round in enumerate(last, start=1):
        groups: dict[int, list[int]] = {}
        for group_id, member_id in PairingMember.objects.filter(group__round=pairing_round).values_list(
            "group_id", "member_id"
        ):
            groups.setdefault(group_id, []).append(member_id)
        for members in groups.values():
            for i, a in enumerate(members):
                for b in members[i + 1 :]:
                    found.setdefault(tuple(sorted((a, b))), ago)
    return found


def no_show_counts(member_ids) -> dict[int, int]:
    """Per member: rounds where a partner answered "we did not meet" and they did not answer "yes"."""
    counts: dict[int, int] = {}
    rows = (
        PairingMember.objects.filter(member_id__in=list(member_ids))
        .exclude(met=True)
        .values_list("member_id", "group_id")
    )
    rows = list(rows)
    said_no: dict[int, set[int]] = {}
    for group_id, member_id in PairingMember.objects.filter(group_id__in={g for _m, g in rows}, met=False).values_list(
        "group_id", "member_id"
    ):
        said_no.setdefault(group_id, set()).add(member_id)
    for member_id, group_id in rows:
        if said_no.get(group_id, set()) - {member_id}:
            counts[member_id] = counts.get(member_id, 0) + 1
    return counts


def blocked_pairs(member_ids) -> set[tuple[int, int]]:
    """Pairs among these members where one blocked the other: never grouped together."""
    from django.apps import apps

    if not apps.is_installed("intros"):
        return set()
    from intros.models import Block

    ids = list(member_ids)
    rows = Block.objects.filter(blocker_id__in=ids, blocked_id__in=ids).values_list("blocker_id", "blocked_id")
    return {tuple(sorted(pair)) for pair in rows}


def _visible(profile: Profile, field: str) -> list[str]:
    return list(getattr(profile, field)) if may_see_field(profile, field, Audience.MEMBER) else []


def suggested_format(profiles: list[Profile]) -> str:
    """The first format (in the vocabulary's order) every member of the group likes; "" if none."""
    liked = [set(_visible(p, "formats")) for p in profiles]
    common = set.intersection(*liked) if liked else set()
    return next((code for code in vocab.Format.values if code in common), "")


def openers_for(profiles: list[Profile]) -> list[dict]:
    """Two conversation openers from what all members may see: shared values, what one can teach another."""
    from cercle.engine.terms import normalize_terms

    found: list[dict] = []
    values = [set(_visible(p, "values")) for p in profiles]
    for term in sorted(set.intersection(*values)) if values else []:
        found.append({"kind": "shared_value", "term": term})
    for teacher in profiles:
        skills = dict(zip(normalize_terms(_visible(teacher, "skills")), _visible(teacher, "skills"), strict=False))
        for learner in profiles:
            if learner.user_id == teacher.user_id:
                continue
            for wish in normalize_terms(_visible(learner, "learning")):
                if wish in skills:
                    found.append(
                        {"kind": "can_teach", "teacher": teacher.user_id, "learner": learner.user_id, "term": wish}
                    )
    # one of each kind first when both exist
    ordered = [o for o in found if o["kind"] == "can_teach"][:1] + [o for o in found if o["kind"] == "shared_value"]
    ordered += [o for o in found if o not in ordered]
    return ordered[:OPENERS]


def _scores(ids: list[int], no_shows: dict[int, int]) -> tuple[list[int], np.ndarray, np.ndarray]:
    arrays = current_arrays()
    if any(i not in set(arrays.member_ids.tolist()) for i in ids):
        arrays = arrays_rebuild()
    known = set(arrays.member_ids.tolist())
    ids = [i for i in ids if i in known]
    rows = [arrays.row_of(i) for i in ids]
    scores = score_matrix(arrays, rows) if ids else np.zeros((0, 0))
    scale = np.array([1.0 / (1.0 + NO_SHOW_WEIGHT * no_shows.get(i, 0)) for i in ids])
    scores = scores * scale[:, None] * scale[None, :]
    return ids, scores, arrays.formats[rows] if ids else np.zeros(0, dtype=np.int64)


def notice_details(group: PairingGroup, viewer, partners: dict) -> str:
    """The suggested format and the openers for one member, in the active language; each only when
    it rests on fields the partners show this member (`partners`: VisibleProfile by id)."""
    from matching.reasons import format_in_words, openers_in_words

    parts = []
    if format_label := format_in_words(group.suggested_format, viewer.pk, partners):
        parts.append(gettext("Suggested format: %(format)s.") % {"format": format_label})
    if openers := openers_in_words(group.openers, viewer.pk, partners):
        parts.append(gettext("To start the conversation: %(openers)s") % {"openers": " ".join(openers)})
    return " ".join(parts)


def _notify(pairing_round: PairingRound, group: PairingGroup, members: list[int], profiles: dict[int, Profile]) -> None:
    """Each member of the group is told whom to meet, as they may see them, in their own language."""
    from notifications.emails import as_recipient
    from notifications.models import Kind
    from notifications.services import notify

    pairings_page = reverse("matching:pairings")
    for member_id in members:
        viewer = profiles[member_id].user
        partners = {other: seen_by(viewer, profiles[other]) for other in members if other != member_id}
        # A pair links to the partner's page when the partner lets this member see it; a trio, or a
        # partner kept out of sight, to the round's page that shows what may be shown.
        [first, *others] = partners
        url = (
            reverse("people:member_detail", args=[first])
            if not others and visible_profile(viewer, profiles[first].user) is not None
            else pairings_page
        )
        with as_recipient(viewer):  # "A Cercle member" for a name kept narrower, in their language too
            details = notice_details(group, viewer, partners)
            names = [str(p.display_name) for p in partners.values()]
        params = {"circle": pairing_round.circle.name, "partners": names}
        if details:
            params["details"] = details
        notify(
            recipient=viewer,
            kind=Kind.PAIRING,
            message=NOTIFICATION_WITH_DETAILS if details else NOTIFICATION_MESSAGE,
            params=params,
            naming={"partners": [profiles[other].user for other in partners]},
            mentions={"details": [profiles[other].user for other in partners]} if details else {},
            url=url,
            key=f"pairing:{pairing_round.pk}",
        )


def pairing_round_create(*, circle: Circle, seed: int | None = None) -> PairingRound | None:
    """Make one round now and notify every paired member; None when fewer than two can be paired.

    `seed` decides between equal pairings (by default the circle and the round's number).
    """
    with transaction.atomic():
        Circle.objects.select_for_update().filter(pk=circle.pk).first()
        candidates = pairing_candidates(circle)
        ids, scores, formats = _scores(candidates, no_show_counts(candidates))
        if len(ids) < 2:
            return None
        number = (PairingRound.objects.filter(circle=circle).aggregate(n=Max("number"))["n"] or 0) + 1
        blocked = blocked_pairs(ids)
        # A blocked pair counts as met in the last round (avoided first); if it must happen, it is dropped.
        recent = {**recent_pairs(circle), **dict.fromkeys(blocked, 1)}
        pairing = pair_members(ids, scores, recent, formats, seed=circle.pk * 1000 + number if seed is None else seed)
        pairing_round = PairingRound.objects.create(circle=circle, number=number)
        profiles = {p.user_id: p for p in Profile.objects.filter(user_id__in=ids).select_related("user", "city")}
        groups = [list(pair) for pair in pairing.pairs]
        if pairing.trio:
            groups.append(list(pairing.trio))
        groups = [g for g in groups if not any(tuple(sorted(p)) in blocked for p in itertools.combinations(g, 2))]
        made = []
        for members in groups:
            group_profiles = [profiles[m] for m in members]
            group = PairingGroup.objects.create(
                round=pairing_round,
                suggested_format=suggested_format(group_profiles),
                openers=openers_for(group_profiles),
            )
            PairingMember.objects.bulk_create([PairingMember(group=group, member_id=m) for m in members])
            made.append((group, members))
    for group, members in made:
        _notify(pairing_round, group, members, profiles)
    return pairing_round


def round_is_due(circle: Circle, now: datetime.datetime | None = None) -> bool:
    if not circle.pairing_enabled:
        return False
    last = PairingRound.objects.filter(circle=circle).order_by("-created_at").values_list("created_at", flat=True)
    last = last.first()
    days = RHYTHM_DAYS.get(circle.pairing_rhythm, 30)
    return last is None or last <= (now or timezone.now()) - datetime.timedelta(days=days)


def pairing_rounds_due(now: datetime.datetime | None = None) -> list[PairingRound]:
    """A round for every circle with pairing on whose last round is older than its rhythm."""
    made = []
    for circle in Circle.objects.filter(pairing_enabled=True).order_by("pk"):
        if round_is_due(circle, now):
            pairing_round = pairing_round_create(circle=circle)
            if pairing_round is not None:
                made.append(pairing_round)
    return made


def pairing_settings_update(*, circle: Circle, enabled: bool, rhythm: str) -> Circle:
    if rhythm not in PairingRhythm.values:
        raise ValueError(f"Unknown rhythm {rhythm!r}")
    circle.pairing_enabled = enabled
    circle.pairing_rhythm = rhythm
    circle.save(update_fields=["pairing_enabled", "pairing_rhythm", "updated_at"])
    return circle


def pairing_answer(*, pairing: PairingMember, met: bool) -> PairingMember:
    """Record "did you meet?"; yes logs a coffee with each partner in the member's private network."""
    from django.core.exceptions import ValidationError

    from network.models import Contact, InteractionKind, Source
    from network.services import contact_create, interaction_log

    with transaction.atomic():
        locked = PairingMember.objects.select_for_update().get(pk=pairing.pk)
        if locked.met is not None:
            raise ValidationError(ALREADY_ANSWERED)
        locked.met = met
        locked.answered_at = timezone.now()
        locked.save(update_fields=["met", "answered_at"])
        if met:
            owner = locked.member
            circle = locked.group.round.circle
            contacts = []
            partners = (
                PairingMember.objects.filter(group=locked.group).exclude(member=owner).select_related("member__profile")
            )
            for partner in partners:
                contact = Contact.objects.filter(owner=owner, member=partner.member).order_by("pk").first()
                if contact is None:
                    contact = contact_create(
                        owner=owner,
                        full_name=seen_by(owner, partner.member.profile).display_name,
                        how_met=gettext("Coffee pairing in %(circle)s") % {"circle": circle.name},
                        source=Source.MANUAL,
                        member=partner.member,
                    )
                contacts.append(contact)
            if contacts:
                interaction_log(owner=owner, contacts=contacts, kind=InteractionKind.COFFEE)
    return locked
