"""Events' part of the account: the export section, what deleting an account frees, the demo data."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import F, Q
from django.db.models.signals import pre_delete
from django.dispatch import receiver
from django.utils import timezone

from events.models import Event, Rsvp, RsvpStatus
from people.demo import DEMO_DOMAIN, register_demo_cleanup, register_demo_step
from people.selectors import register_export_section


def export_events(user) -> dict:
    def when(value):
        return value.isoformat() if value else None

    return {
        "rsvps": [
            {
                "event_id": r.event_id,
                "event_title": r.event.title,
                "starts_at": when(r.event.starts_at),
                "status": r.status,
                "with_guest": r.with_guest,
                "guest_name": r.guest_name,
                "seats": r.seats,
                "waitlisted_at": when(r.waitlisted_at),
                "checked_in_at": when(r.checked_in_at),
                "answered_at": when(r.created_at),
            }
            for r in Rsvp.objects.filter(member=user).select_related("event").order_by("event__starts_at", "pk")
        ],
        "events_created": [
            {
                "id": e.pk,
                "circle": e.circle.name if e.circle_id else None,
                "title": e.title,
                "description": e.description,
                "format": e.format,
                "family": e.family,
                "starts_at": when(e.starts_at),
                "ends_at": when(e.ends_at),
                "time_zone": e.time_zone,
                "venue": e.venue,
                "address": e.address,
                "city": e.city.name if e.city_id else None,
                "capacity": e.capacity,
                "state": e.state,
                "series_id": e.series_id,
            }
            for e in Event.objects.filter(created_by=user).select_related("circle", "city").order_by("starts_at", "pk")
        ],
    }


# --- Deleting an account (or an event's answers) frees the seats ------------------------------


@receiver(pre_delete, sender=Rsvp, dispatch_uid="events.rsvp_frees_its_seats")
def _rsvp_frees_its_seats(sender, instance: Rsvp, **kwargs) -> None:
    """An RSVP deleted with its member's account gives its seats back; once the deletion is
    committed, the waitlist of an upcoming event moves up (first come, first served)."""
    if instance.status != RsvpStatus.GOING or not instance.seats:
        return
    if isinstance(kwargs.get("origin"), Event) or getattr(kwargs.get("origin"), "model", None) is Event:
        return  # the event itself is being deleted: no seat to give back, no waitlist to move
    seats = instance.seats
    released = Event.objects.filter(pk=instance.event_id, seats_taken__gte=seats)
    upcoming = released.filter(starts_at__gt=timezone.now()).update(seats_taken=F("seats_taken") - seats)
    if not upcoming:
        released.update(seats_taken=F("seats_taken") - seats)
        return
    event_id = instance.event_id

    def promote() -> None:
        from events.services import waitlist_promote

        waitlist_promote(event_id=event_id)

    transaction.on_commit(promote)


# --- Demo data --------------------------------------------------------------------------------


def demo_events_delete() -> None:
    """The demo's events go whole, before its members (whose answers would each free seats)."""
    Event.objects.filter(created_by__email__endswith="@" + DEMO_DOMAIN).delete()


# format -> (local start, duration, capacity, weekday or None)
FORMAT_PLAN = {
    "breakfast": (dt.time(8, 0), dt.timedelta(minutes=90), 20, None),
    "lunch": (dt.time(12, 15), dt.timedelta(minutes=105), 12, None),
    "after_work": (dt.time(18, 30), dt.timedelta(hours=2, minutes=30), 60, None),
    "evening": (dt.time(19, 0), dt.timedelta(hours=3), 40, None),
    "saturday_camp": (dt.time(9, 30), dt.timedelta(hours=8), 80, 5),
    "conference": (dt.time(9, 0), dt.timedelta(hours=9), 150, None),
}
TITLES_FR = {
    "breakfast": ["Petit-déjeuner du {circle}", "Café-croissants : vos projets du trimestre", "Petit-déj' réseau"],
    "lunch": ["Déjeuner à douze : {circle}", "Déjeuner des recommandations", "Table ouverte du jeudi"],
    "after_work": ["After-work {circle}", "Apéro réseau de rentrée", "After-work : rencontres et projets"],
    "evening": [
        "Soirée témoignages : réussir sa première levée",
        "Soirée {circle} : trois talks et un verre",
        "Soirée pitchs et retours d'expérience",
    ],  # fmt: skip
    "saturday_camp": ["Camp du samedi : construire ensemble", "Barcamp {circle}", "Samedi atelier : outils et IA"],
    "conference": [
        "Journée {circle} : l'écosystème local",
        "Conférence : entreprendre autrement",
        "Forum des indépendant·es",
    ],  # fmt: skip
}
TITLES_EN = {
    "breakfast": ["{circle} breakfast", "Coffee and croissants: your quarter's projects"],
    "lunch": ["Lunch for twelve: {circle}", "Referral lunch"],
    "after_work": ["{circle} after-work", "Back-to-work drinks"],
    "evening": ["Evening talks: your first fundraising", "{circle} evening: three talks and a drink"],
    "saturday_camp": ["Saturday camp: build it together", "{circle} barcamp"],
    "conference": ["{circle} day: the local ecosystem", "Conference: doing business differently"],
}
DESCRIPTIONS = [
    "On se retrouve pour **faire connaissance** et parler de vos projets.\n\n"
    "- un tour de table rapide\n- des échanges en petits groupes\n- une demande, une offre chacun·e",
    "Un moment **simple et convivial** : venez avec une question que vous vous posez en ce moment.",
    "Au programme :\n\n1. accueil\n2. deux témoignages de membres\n3. échanges libres\n\n"
    "Merci de prévenir si vous ne pouvez plus venir : la liste d'attente en profitera.",
    "We meet to **get to know each other** and talk about what you are working on. Bring one ask and one offer.",
]
VENUES = [
    ("Café des Arts", "12 place de la République"),
    ("Le Comptoir", "4 rue du Commerce"),
    ("Coworking La Ruche", "27 boulevard de la Liberté"),
    ("Brasserie du Port", "1 quai du Port"),
    ("Tiers-lieu Le Hangar", "58 rue des Docks"),
    ("Salle municipale Jean-Moulin", "9 avenue Jean-Moulin"),
]
PARIS = ZoneInfo("Europe/Paris")


def _at(day: dt.date, start: dt.time) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, start), PARIS)


def _day(today: dt.date, offset: int, weekday: int | None) -> dt.date:
    day = today + dt.timedelta(days=offset)
    if weekday is not None:
        day += dt.timedelta(days=(weekday - day.weekday()) % 7)
    elif day.weekday() >= 5:
        day += dt.timedelta(days=7 - day.weekday())  # weekdays for everything but camps
    return day


def _demo_circles():
    from circles.models import Circle, Status

    return list(
        Circle.objects.filter(memberships__member__email__endswith="@" + DEMO_DOMAIN, memberships__status=Status.ACTIVE)
        .distinct()
        .order_by("pk")
    )


def demo_events_load(*, rng, members) -> dict:
    """Past and upcoming events of every format in the demo circles, with their answers; one full
    event with a waitlist in a circle of the demo login (who has not answered it yet)."""
    from circles.models import Membership, Role, Status

    circles = _demo_circles()
    if not circles:
        return {"events": 0, "rsvps": 0}
    Event.objects.filter(circle__in=circles, feed__isnull=True).filter(
        Q(created_by__isnull=True) | Q(created_by__email__endswith="@" + DEMO_DOMAIN)
    ).delete()
    camille = members[0] if members else None
    actives: dict[int, list] = {c.pk: [] for c in circles}
    organizers: dict[int, int] = {}
    for circle_id, member_id, role in Membership.objects.filter(circle__in=circles, status=Status.ACTIVE).values_list(
        "circle_id", "member_id", "role"
    ):
        actives[circle_id].append(member_id)
        if role == Role.ORGANIZER:
            organizers.setdefault(circle_id, member_id)
    camille_circles = [c for c in circles if camille is not None and camille.pk in actives[c.pk]]
    full_circle = camille_circles[0] if camille_circles else circles[0]

    today = timezone.localdate()
    formats = list(FORMAT_PLAN)
    plans = []  # (event, member ids going, member ids waiting, past)
    # Three past and three upcoming events per circle; alternate circles swap the halves of the
    # formats, so any two circles hold every format both past and upcoming (a lone circle gets all).
    slots = 12 if len(circles) == 1 else 6
    for index, circle in enumerate(circles):
        for slot in range(slots):
            past = slot % 2 == 0
            fmt = formats[(3 * index + slot // 2 + (0 if past else 3)) % len(formats)]
            offset = -rng.randint(7, 150) if past else rng.randint(3, 75)
            plans.append(_plan(rng, circle, fmt, _day(today, offset, FORMAT_PLAN[fmt][3]), past, organizers))
    # The full one: a lunch for twelve, every seat taken, five waiting — the demo login may join the line.
    full = _plan(rng, full_circle, "lunch", _day(today, 9, None), False, organizers, full=True)
    candidates = len([m for m in actives[full_circle.pk] if camille is None or m != camille.pk])
    full[0].capacity = max(1, min(12, candidates - 5))
    plans.append(full)

    events = Event.objects.bulk_create([p[0] for p in plans], batch_size=500)
    if events and events[0].pk is None:  # backends that do not return ids from bulk inserts
        raise RuntimeError("the demo needs a database that returns ids from bulk inserts")
    rsvps = []
    now = timezone.now()
    for event, _fmt, past, is_full in plans:
        pool = [m for m in actives[event.circle_id] if not is_full or camille is None or m != camille.pk]
        rng.shuffle(pool)
        # The demo login goes to most events of her circles, so her agenda, tickets and
        # "who did you meet?" have something to show.
        if not is_full and camille is not None and camille.pk in pool and rng.random() < 0.7:
            pool.remove(camille.pk)
            pool.insert(0, camille.pk)
        capacity = event.capacity
        wanted = len(pool) if is_full else min(len(pool), rng.randint(2, max(3, (capacity or 30) - 1)))
        taken = 0
        for position, member_id in enumerate(pool[:wanted]):
            guest = event.allow_guest and rng.random() < 0.15
            seats = 2 if guest else 1
            answered = now - dt.timedelta(days=20, minutes=-position)
            if capacity is not None and taken + seats > capacity:
                if past or position > capacity + 5:
                    break
                rsvps.append(
                    Rsvp(
                        event=event,
                        member_id=member_id,
                        status=RsvpStatus.WAITLIST,
                        waitlisted_at=answered,
                        created_at=answered,
                    )  # fmt: skip
                )
                continue
            taken += seats
            checked_in = (
                event.starts_at + dt.timedelta(minutes=rng.randint(-5, 20)) if past and rng.random() < 0.85 else None
            )
            rsvps.append(
                Rsvp(
                    event=event,
                    member_id=member_id,
                    status=RsvpStatus.GOING,
                    seats=seats,
                    with_guest=guest,
                    guest_name="" if not guest else rng.choice(["Sam", "Alex", "Léa", "Hugo", "Inès"]),
                    checked_in_at=checked_in,
                    created_at=answered,
                )  # fmt: skip
            )
        if rng.random() < 0.3 and len(pool) > wanted:
            rsvps.append(Rsvp(event=event, member_id=pool[wanted], status=RsvpStatus.NOT_GOING, created_at=now))
        event.seats_taken = taken
    Event.objects.bulk_update(events, ["seats_taken"], batch_size=500)
    Rsvp.objects.bulk_create(rsvps, batch_size=1000)
    return {"events": len(events), "rsvps": len(rsvps)}


def _plan(rng, circle, fmt: str, day: dt.date, past: bool, organizers: dict, *, full: bool = False):
    start, duration, capacity, _weekday = FORMAT_PLAN[fmt]
    english = rng.random() < 0.2
    titles = (TITLES_EN if english else TITLES_FR)[fmt]
    venue, address = rng.choice(VENUES)
    starts_at = _at(day, start)
    is_free = fmt not in ("conference", "evening") or rng.random() < 0.5
    event = Event(
        circle=circle,
        title=rng.choice(titles).format(circle=circle.name)[:200],
        description=DESCRIPTIONS[3] if english else rng.choice(DESCRIPTIONS[:3]),
        format=fmt,
        family=circle.family,
        topics=list(circle.topics[:3]) if isinstance(circle.topics, list) else [],
        starts_at=starts_at,
        ends_at=starts_at + duration,
        venue=venue,
        address=address,
        city=circle.city,
        language="en" if english else "fr",
        capacity=12 if full else capacity,
        allow_guest=fmt in ("after_work", "evening", "conference") and not full,
        is_free=is_free,
        price="" if is_free else rng.choice(["10 €", "15 €", "25 €, boisson comprise"]),
        created_by_id=organizers.get(circle.pk),
        search_text="",
        created_at=timezone.now() - dt.timedelta(days=40),
    )
    from events.services import search_text_of

    event.search_text = search_text_of(event)
    return event, fmt, past, full


def demo_events(rng, members) -> None:
    demo_events_load(rng=rng, members=members)


def demo_organizer_alerts(rng, members) -> None:
    """The demo's organizers find their summaries waiting: the requests still pending, the answers
    of the past week (as the scheduler's hourly runs would have told them)."""
    from circles.alerts import join_requests_alert
    from events.alerts import rsvp_activity_alert

    now = timezone.now()
    join_requests_alert(since=now - dt.timedelta(days=366), until=now)
    rsvp_activity_alert(since=now - dt.timedelta(days=7), until=now)


register_export_section("events", export_events)
register_demo_step("events", demo_events)
register_demo_step("organizer-alerts", demo_organizer_alerts)
register_demo_cleanup(demo_events_delete)
