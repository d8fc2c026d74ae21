"""Referrals in my account's data, and the demo's referrals.

Export: the referrals I gave and received, prospect details included (they are mine: I gave them
or was given them); the other member is named by id only, as in the other sections.

Deletion: deleting either member's account deletes the referrals they gave and received
(CASCADE on both sides). A referral is a record shared by two members about a third person; once
one of the two has left Cercle, the prospect's details have no reason to stay, and the club's
statistics count only the referrals that remain.
"""

import datetime as dt
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from people.demo import register_demo_step
from people.selectors import register_export_section
from referrals.models import Referral, ReferralStatus


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None


def _exported(referral: Referral, user) -> dict:
    given = referral.giver_id == user.pk
    return {
        "id": referral.pk,
        "circle": referral.circle.name,
        "to_member_id" if given else "from_member_id": referral.receiver_id if given else referral.giver_id,
        "prospect": {
            "name": referral.prospect_name,
            "company": referral.prospect_company,
            "email": referral.prospect_email,
            "phone": referral.prospect_phone,
        },
        "need": referral.need,
        "status": referral.status,
        "value_eur": str(referral.value) if referral.value is not None else None,
        "lost_reason": referral.lost_reason,
        "given_at": _iso(referral.created_at),
        "contacted_at": _iso(referral.contacted_at),
        "won_at": _iso(referral.won_at),
        "lost_at": _iso(referral.lost_at),
    }


def export_referrals(user) -> dict:
    mine = Referral.objects.filter(Q(giver=user) | Q(receiver=user))
    rows = list(mine.select_related("circle").order_by("created_at", "id"))
    return {
        "given": [_exported(r, user) for r in rows if r.giver_id == user.pk],
        "received": [_exported(r, user) for r in rows if r.receiver_id == user.pk],
    }


register_export_section("referrals", export_referrals)


# --- Demo data --------------------------------------------------------------------------------

FIRST_NAMES = [
    "Julien", "Sophie", "Karim", "Élodie", "Thomas", "Nadia", "Pierre", "Léa", "Mehdi", "Claire",
    "Antoine", "Inès", "François", "Manon", "Yann", "Camille", "Lucas", "Amandine", "Rachid", "Hélène",
]  # fmt: skip
LAST_NAMES = [
    "Garcia", "Bernard", "Roux", "Fabre", "Mercier", "Benali", "Morel", "Giraud", "Lopez", "Chevalier",
    "Blanc", "Guerin", "Fontaine", "Arnaud", "Perrin", "Nguyen", "Bonnet", "Marchetti", "Ferri", "Caron",
]  # fmt: skip
COMPANIES = [
    "Boulangerie du Panier", "Cabinet Roux & Associés", "Les Jardins de Provence", "Atelier Menuiserie Fabre",
    "Hôtel Les Calanques", "Transports Mercier", "Clinique vétérinaire du Prado", "Agence Azur Immobilier",
    "Brasserie La Criée", "SCI Corniche", "Studio Pilates Vauban", "Garage Benali", "Pharmacie des Chartreux",
    "Domaine de la Sainte-Baume", "Librairie L'Écume", "Startup Sunpulse", "Cave à vins Le Vieux Chai",
]  # fmt: skip
NEEDS = [
    "Cherche un expert-comptable pour reprendre sa comptabilité au prochain exercice.",
    "Veut refaire son site web avant l'été, budget défini, décision rapide.",
    "Rénovation complète d'un appartement de 80 m² : cuisine et salle de bains.",
    "A besoin d'un conseil juridique pour un bail commercial qui arrive à échéance.",
    "Prépare une levée de fonds et cherche quelqu'un pour le pitch et le plan financier.",
    "Souhaite revoir son assurance flotte de véhicules (six utilitaires).",
    "Ouvre une deuxième boutique et cherche un photographe pour les visuels.",
    "Looking for a bilingual copywriter for a product launch in September.",
    "Needs help with local SEO: three shops, nobody finds them on maps.",
    "Cherche une formation à la prise de parole pour son équipe commerciale (8 personnes).",
]
LOST_REASONS = [
    "Budget reporté à l'an prochain.",
    "A choisi un prestataire déjà en place.",
    "Projet abandonné.",
    "",
]
VALUES = [350, 480, 750, 900, 1200, 1500, 1850, 2400, 3200, 4500, 6800, 9500, 12000]


def _prospect(rng) -> dict:
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    company = rng.choice(COMPANIES) if rng.random() < 0.8 else ""
    domain = company.lower().split()[0].strip("'") if company else "mail"
    return {
        "prospect_name": f"{first} {last}",
        "prospect_company": company,
        "prospect_email": f"{first[0].lower()}.{last.lower()}@{domain}.example" if rng.random() < 0.6 else "",
        "prospect_phone": f"+33 6 {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} "
        f"{rng.randint(10, 99)}"
        if rng.random() < 0.5
        else "",
        "need": rng.choice(NEEDS),
    }


def _referral(rng, now, circle_id: int, giver_id: int, receiver_id: int, status: str | None = None) -> Referral:
    if status is None:
        given_at = now - dt.timedelta(days=rng.randint(3, 540), hours=rng.randint(0, 10))
        # Older referrals have had time to close; recent ones are still open more often.
        weights = [10, 15, 45, 30] if (now - given_at).days > 60 else [40, 35, 15, 10]
        status = rng.choices(ReferralStatus.values, weights=weights)[0]
    else:
        oldest = {ReferralStatus.GIVEN: 20, ReferralStatus.CONTACTED: 60}.get(status, 300)
        given_at = now - dt.timedelta(days=rng.randint(3, oldest), hours=rng.randint(0, 10))
    age = (now - given_at).days
    fields = {}
    if status != ReferralStatus.GIVEN:
        contacted = given_at + dt.timedelta(days=rng.randint(1, min(10, max(age - 1, 1))))
        fields["contacted_at"] = contacted
        if status in (ReferralStatus.WON, ReferralStatus.LOST):
            closed = min(contacted + dt.timedelta(days=rng.randint(5, 45)), now - dt.timedelta(hours=1))
            if status == ReferralStatus.WON:
                fields.update(won_at=closed, value=Decimal(rng.choice(VALUES)) + Decimal(rng.choice([0, 0, 50])))
            else:
                fields.update(lost_at=closed, lost_reason=rng.choice(LOST_REASONS))
    return Referral(
        circle_id=circle_id,
        giver_id=giver_id,
        receiver_id=receiver_id,
        status=status,
        created_at=given_at,
        **_prospect(rng),
        **fields,
    )


def demo_referrals(rng, members) -> None:
    """A year and a half of referrals in every demo referral club, statuses spread and values in
    euros; the demo login gives and receives some in the "Club Affaires Vieux-Port"."""
    from circles.demo import DEMO_SLUG_MARK
    from circles.models import Circle, Membership, Status
    from circles.vocab import Family

    if not members:
        return
    camille = members[0]
    now = timezone.now()
    clubs = list(Circle.objects.filter(family=Family.REFERRAL, slug__endswith=DEMO_SLUG_MARK).order_by("slug"))
    active = Membership.objects.filter(circle__in=clubs, status=Status.ACTIVE).order_by("circle_id", "id")
    by_club: dict[int, list[int]] = {}
    for circle_id, member_id in active.values_list("circle_id", "member_id"):
        by_club.setdefault(circle_id, []).append(member_id)
    referrals = []
    for club in clubs:
        ids = by_club.get(club.pk, [])
        if len(ids) < 2:
            continue
        for _n in range(len(ids) * 2):
            giver, receiver = rng.sample(ids, k=2)
            referrals.append(_referral(rng, now, club.pk, giver, receiver))
        if camille.pk in ids:
            fellows = [i for i in ids if i != camille.pk]
            for status in ["won", "won", "contacted", "given", "lost"]:
                referrals.append(_referral(rng, now, club.pk, camille.pk, rng.choice(fellows), status))
            for status in ["given", "given", "contacted", "won", "won", "lost"]:
                referrals.append(_referral(rng, now, club.pk, rng.choice(fellows), camille.pk, status))
    Referral.objects.bulk_create(referrals, batch_size=1000)


register_demo_step("referrals", demo_referrals)
