"""The demo member's network: a few hundred contacts with two years of history.

Some overdue, some one-way, some asleep — so the dashboard and the review tell a story.
"""

import datetime as dt

from django.utils import timezone
from faker import Faker

from network.models import Contact, Interaction, InteractionKind, Source
from network.services import contact_refresh_derived
from network.tallies import network_tallies_rebuild

CONTACTS = 320
LABELS = [
    "client",
    "partenaire",
    "mentor",
    "BNI Marseille",
    "Femmes & Tech",
    "ancien collègue",
    "fournisseur",
    "prospect",
    "ami·e",
    "startup",
]
HOW_MET = [
    "Petit-déjeuner du club d'affaires du Vieux-Port",
    "After-work Marseille Tech au Golden Tulip",
    "Présenté·e par un ami commun",
    "Conférence Web2Day à Nantes",
    "Camp du samedi à la Friche Belle de Mai",
    "Ancien·ne collègue chez une agence marketing",
    "Déjeuner de la CCI",
]
WHY = [
    "Connaît tout l'écosystème startup local",
    "Pourrait devenir une cliente",
    "M'a aidée à lancer mon activité",
    "Expertise en levée de fonds",
    "Partage les mêmes valeurs, on veut monter un projet",
    "Bon contact pour des recommandations",
]
KINDS = [
    (InteractionKind.COFFEE, 22),
    (InteractionKind.LUNCH, 18),
    (InteractionKind.BREAKFAST, 8),
    (InteractionKind.MESSAGE, 18),
    (InteractionKind.CALL, 12),
    (InteractionKind.AFTER_WORK, 6),
    (InteractionKind.EVENT, 6),
    (InteractionKind.HELP_GIVEN, 6),
    (InteractionKind.HELP_RECEIVED, 4),
]


def demo_network_load(*, rng, members) -> None:
    owner = members[0]
    others = members[1:]
    fake = Faker("fr_FR")
    fake.seed_instance(rng.randint(0, 10**6))
    today = timezone.localdate()
    from people.demo_data import CITIES

    contacts = []
    for index in range(CONTACTS):
        linked = others[index] if index < 40 and index < len(others) else None
        name = linked.profile.display_name if linked is not None else fake.name()
        contact = Contact(
            owner=owner,
            full_name=name,
            emails=[fake.email()] if rng.random() < 0.8 else [],
            phones=[fake.phone_number()] if rng.random() < 0.5 else [],
            company=fake.company(),
            position=fake.job()[:200],
            city=rng.choice(CITIES)[0],
            sector=rng.choice(["tech", "consulting", "media", "finance", "retail", "health", ""]),
            how_met=rng.choice(HOW_MET),
            why=rng.choice(WHY) if rng.random() < 0.6 else "",
            met_on=today - dt.timedelta(days=rng.randint(30, 1500)),
            labels=rng.sample(LABELS, k=rng.randint(0, 2)),
            # Rhythms are set for the relationships that matter; the long tail has none.
            cadence_days=rng.choice([30, 60, 90, 180]) if index < 120 and rng.random() < 0.7 else None,
            source=rng.choice([Source.MANUAL, Source.MANUAL, Source.LINKEDIN, Source.VCARD, Source.EVENT]),
            member=linked,
        )
        contacts.append(contact)
    # A living core, a middle that fades, and a long tail met once: the "networkaholic" story.
    weights = [8 if i < 40 else 2 if i < 120 else 0.15 for i in range(len(contacts))]
    interactions = []
    touched: dict[int, list[int]] = {}
    kinds, kind_weights = zip(*KINDS, strict=True)
    # A missed week seven weeks ago, so the streak tells a recent story rather than "forever".
    gap_start = today - dt.timedelta(days=today.weekday(), weeks=7)
    for _ in range(1100):
        index = rng.choices(range(len(contacts)), weights=weights)[0]
        day = today - dt.timedelta(days=int(rng.uniform(0, 730)))
        kind = rng.choices(kinds, weights=kind_weights)[0]
        if gap_start <= day < gap_start + dt.timedelta(days=7) and kind in (
            InteractionKind.LUNCH,
            InteractionKind.COFFEE,
        ):
            kind = InteractionKind.MESSAGE
        if index % 17 == 0:
            kind = InteractionKind.HELP_RECEIVED  # some take without giving back
        interactions.append((index, Interaction(owner=owner, kind=kind, occurred_on=day, note="")))
        touched.setdefault(index, []).append(len(interactions) - 1)
    for index, contact in enumerate(contacts):
        days = [interactions[i][1].occurred_on for i in touched.get(index, [])]
        contact.last_interaction_on = max(days) if days else None
        contact_refresh_derived(contact)
    Contact.objects.bulk_create(contacts, batch_size=500)
    created = Interaction.objects.bulk_create([i for _index, i in interactions], batch_size=1000)
    through = Interaction.contacts.through
    through.objects.bulk_create(
        [
            through(interaction_id=interaction.pk, contact_id=contacts[index].pk)
            for (index, _i), interaction in zip(interactions, created, strict=True)
        ],
        batch_size=2000,
    )
    network_tallies_rebuild(owner)  # written in bulk: the dashboard's totals counted from the rows
