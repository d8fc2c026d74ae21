"""Vouches in my account's data, and in the demo. The export names the other member only by id:
their name is theirs to show. Deleting an account deletes the vouches it wrote and those written
about it (CASCADE)."""

import datetime as dt

from django.utils import timezone

from people.demo import register_demo_step
from people.selectors import register_export_section
from vouches.models import Relation, Status, Vouch


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def export_vouches(user) -> dict:
    return {
        "written": [
            {
                "id": v.pk,
                "about_member_id": v.subject_id,
                "relation": v.relation,
                "started_on": _iso(v.started_on),
                "ended_on": _iso(v.ended_on),
                "text": v.text,
                # As the author is told: a decline is not theirs to know.
                "status": v.status_for_author,
                "created_at": _iso(v.created_at),
                "updated_at": _iso(v.updated_at),
                "withdrawn_at": _iso(v.withdrawn_at),
            }
            for v in Vouch.objects.filter(author=user).order_by("id")
        ],
        "received": [
            {
                "id": v.pk,
                "from_member_id": v.author_id,
                "relation": v.relation,
                "started_on": _iso(v.started_on),
                "ended_on": _iso(v.ended_on),
                "text": v.text,
                "status": v.status,
                "created_at": _iso(v.created_at),
                "approved_at": _iso(v.approved_at),
            }
            # A withdrawn vouch was taken back by its author: it is no longer theirs to receive.
            for v in Vouch.objects.filter(subject=user, withdrawn_at__isnull=True).order_by("id")
        ],
    }


register_export_section("vouches", export_vouches)


TEXTS_FR = [
    "Nous avons travaillé ensemble pendant plus d'un an : toujours fiable, précis et à l'écoute. "
    "Je recommande sans hésiter.",
    "Un vrai partenaire de travail : des délais tenus, des idées claires et une franchise qui fait avancer "
    "les projets.",
    "J'ai fait appel à ses services pour un projet exigeant. Le résultat a dépassé nos attentes et la "
    "collaboration a été un plaisir.",
    "Rigueur, bonne humeur et sens du client : travailler ensemble a été simple du premier au dernier jour.",
    "Sur notre projet commun, c'est souvent cette personne qui a débloqué les situations difficiles. Une "
    "personne sur qui compter.",
    "Des conseils concrets, une vraie expertise et beaucoup de générosité dans le partage. Je referais équipe demain.",
]
TEXTS_EN = [
    "We worked together for over a year: reliable, precise and a great listener. I recommend them without hesitation.",
    "A true working partner: deadlines kept, clear ideas and an honesty that moves projects forward.",
    "I hired them for a demanding project. The result went beyond our expectations and working together was "
    "a pleasure.",
    "Rigorous, good-humoured and client-minded: working together was easy from the first day to the last.",
    "On our joint project they were often the one who unblocked the hard moments. Someone you can count on.",
]


def _vouch(rng, author, subject, *, english: bool, status: str, now) -> Vouch:
    days_ago = rng.randint(200, 3650)
    started = (now - dt.timedelta(days=days_ago)).date()
    ended = None if rng.random() < 0.3 else started + dt.timedelta(days=rng.randint(60, 700))
    if ended is not None and ended > now.date():
        ended = None
    # Written after the work started, within the last ten months.
    created = now - dt.timedelta(days=rng.randint(1, min(300, days_ago - 30)), minutes=rng.randint(0, 1440))
    approved = created + dt.timedelta(days=rng.randint(0, 6)) if status == Status.APPROVED else None
    return Vouch(
        author=author,
        subject=subject,
        relation=rng.choice(Relation.values),
        started_on=started,
        ended_on=ended,
        text=rng.choice(TEXTS_EN if english else TEXTS_FR),
        status=status,
        created_at=created,
        updated_at=approved or created,
        approved_at=approved if approved is None or approved <= now else now,
    )


def demo_vouches(rng, members) -> None:
    """A few hundred vouches between members who may find each other; the demo login has some on
    her profile, two waiting for her approval, and a few she wrote."""
    from people.models import Discoverability, Profile

    if len(members) < 20:
        return
    by_id = {m.pk: m for m in members}
    rows = Profile.objects.filter(user_id__in=list(by_id)).values_list("user_id", "discoverability", "language")
    english = {user_id for user_id, _d, language in rows if language == "en"}
    open_ids = sorted(user_id for user_id, discoverability, _l in rows if discoverability == Discoverability.MEMBERS)
    camille = members[0]
    pool = [by_id[i] for i in open_ids if i != camille.pk]
    now = timezone.now()
    vouches: list[Vouch] = []
    pairs: set[tuple[int, int]] = set()

    def add(author, subject, status):
        if author.pk == subject.pk or (author.pk, subject.pk) in pairs:
            return
        pairs.add((author.pk, subject.pk))
        vouches.append(_vouch(rng, author, subject, english=author.pk in english, status=status, now=now))

    near = rng.sample(pool[:300], k=min(11, len(pool[:300])))
    for author in near[:6]:
        add(author, camille, Status.APPROVED)
    for author in near[6:8]:
        add(author, camille, Status.PENDING)
    for subject in near[8:10]:
        add(camille, subject, Status.APPROVED)
    for subject in near[10:11]:
        add(camille, subject, Status.PENDING)
    target = len(vouches) + min(400, len(members) // 4)
    for _attempt in range(target * 4):
        if len(vouches) >= target or len(pool) < 2:
            break
        author, subject = rng.sample(pool, k=2)
        add(author, subject, Status.APPROVED if rng.random() < 0.8 else Status.PENDING)
    Vouch.objects.bulk_create(vouches, batch_size=1000)


register_demo_step("vouches", demo_vouches)
