"""The dashboard's running totals (network.tallies) always give the pictures the rows give.

The reference is the computation from the rows (`from_rows=True`): random sequences of every
write of network.services, then imports, the demo and the bulk paths, must leave the totals
drawing exactly the same charts, weekly goal and streak.
"""

import datetime as dt
import itertools
import json

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone, translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from network import dashboard, selectors, services, tallies
from network.imports import import_file
from network.models import Contact, ContactTally, Interaction, InteractionKind, InteractionTally, ReviewDecision
from people.models import User
from people.vocab import Sector

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
MONDAY = TODAY - dt.timedelta(days=TODAY.weekday())

# Spellings that fold together ("Café" = "cafe" = " CAFÉ "), and some that look empty.
LABELS = ["client", "Client", " CLIENT ", "Café", "cafe", "CAFÉ", "Lyon Tech", "lyon  tech", "ami·e", "Ami·E", "x"]
CITIES = ["Marseille", "marseille", " MARSEILLE ", "Nîmes", "nimes", "NÎMES", "Saint-Étienne", "saint-etienne", "", " "]
SECTORS = ["", *Sector.values[:4]]
KINDS = InteractionKind.values
DECISIONS = ReviewDecision.Decision.values

_owners = itertools.count()


def new_owner() -> User:
    return User.objects.create(email=f"tallies-{next(_owners)}@example.org")


def assert_tallies_exact(owner) -> None:
    """The pictures, the weekly goal and the totals themselves match the rows."""
    with translation.override("en"):
        assert dashboard.tallied_pictures(owner=owner, today=TODAY) == dashboard.tallied_pictures(
            owner=owner, today=TODAY, from_rows=True
        )
        for picture in (dashboard.network_by_label, dashboard.network_by_city, dashboard.network_by_sector):
            assert picture(owner=owner, top=3) == picture(owner=owner, top=3, from_rows=True)
    assert selectors.week_progress(owner=owner, today=TODAY) == selectors.week_progress(
        owner=owner, today=TODAY, from_rows=True
    )
    assert tallies.check(owner) == []
    assert not ContactTally.objects.filter(owner=owner, count=0).exists()


# --- Random sequences of writes ------------------------------------------------------------------

fields = st.fixed_dictionaries(
    {
        "labels": st.lists(st.sampled_from(LABELS), max_size=3),
        "city": st.sampled_from(CITIES),
        "sector": st.sampled_from(SECTORS),
    }
)
# Mostly recent (streaks, the last 26 weeks, the last 12 months), sometimes long ago.
days_ago = st.one_of(st.integers(0, 40), st.integers(0, 800))
pick = st.integers(0, 30)
operation = st.one_of(
    st.tuples(st.just("create"), fields, st.booleans()),
    st.tuples(st.just("edit"), pick, fields, st.booleans()),
    st.tuples(st.just("archive"), pick, st.booleans()),
    st.tuples(st.just("review"), pick, st.sampled_from(DECISIONS)),
    st.tuples(st.just("delete"), pick),
    st.tuples(st.just("log"), st.lists(pick, min_size=1, max_size=3), st.sampled_from(KINDS), days_ago),
    st.tuples(st.just("log"), st.lists(pick, min_size=1, max_size=3), st.sampled_from(KINDS), days_ago),
    st.tuples(st.just("reword"), pick, st.lists(pick, min_size=1, max_size=3), st.sampled_from(KINDS), days_ago),
    st.tuples(st.just("forget"), pick),
    st.tuples(st.just("bulk"), st.lists(fields, min_size=1, max_size=3), st.booleans()),
)


class Network:
    """One owner's network, driven through the services as the pages, the API and other apps do."""

    def __init__(self):
        self.owner = new_owner()
        self.instances: dict[int, Contact] = {}  # as last seen: may be stale, like a form's instance

    def _contact(self, index: int, stale: bool = False) -> Contact | None:
        pks = sorted(self.instances)
        if not pks:
            return None
        pk = pks[index % len(pks)]
        if not stale:
            self.instances[pk] = Contact.objects.get(pk=pk)
        return self.instances[pk]

    def _contacts(self, indexes) -> list[Contact]:
        return list({c.pk: c for c in (self._contact(i) for i in indexes) if c}.values())

    def _interaction(self, index: int) -> Interaction | None:
        pks = list(Interaction.objects.filter(owner=self.owner).order_by("pk").values_list("pk", flat=True))
        return Interaction.objects.get(pk=pks[index % len(pks)]) if pks else None

    def run(self, op: tuple) -> None:
        name, *args = op
        getattr(self, name)(*args)

    def create(self, values: dict, archived: bool) -> None:
        contact = services.contact_create(owner=self.owner, full_name="Someone", **values)
        if archived:
            services.contact_set_archived(contact=contact, archived=True)
        self.instances[contact.pk] = contact

    def edit(self, index: int, values: dict, stale: bool) -> None:
        if contact := self._contact(index, stale):
            services.contact_update(contact=contact, **values)

    def archive(self, index: int, archived: bool) -> None:
        if contact := self._contact(index):
            services.contact_set_archived(contact=contact, archived=archived)

    def review(self, index: int, decision: str) -> None:
        if contact := self._contact(index):
            services.review_decide(owner=self.owner, contact=contact, decision=decision, round=TODAY.year)

    def delete(self, index: int) -> None:
        if contact := self._contact(index):
            del self.instances[contact.pk]
            services.contact_delete(contact=contact)

    def log(self, indexes, kind: str, ago: int) -> None:
        if contacts := self._contacts(indexes):
            day = TODAY - dt.timedelta(days=ago)
            services.interaction_log(owner=self.owner, contacts=contacts, kind=kind, occurred_on=day)

    def reword(self, index: int, indexes, kind: str, ago: int) -> None:
        interaction, contacts = self._interaction(index), self._contacts(indexes)
        if interaction and contacts:
            day = TODAY - dt.timedelta(days=ago)
            services.interaction_update(interaction=interaction, contacts=contacts, kind=kind, occurred_on=day)

    def forget(self, index: int) -> None:
        if interaction := self._interaction(index):
            services.interaction_delete(interaction=interaction)

    def bulk(self, rows: list[dict], archived: bool) -> None:
        """Written in bulk as they come (labels not cleaned: "Client" and "client" on one contact)."""
        created = Contact.objects.bulk_create(
            [Contact(owner=self.owner, full_name="Bulk", archived=archived, **values) for values in rows]
        )
        tallies.network_tallies_rebuild(self.owner)
        self.instances.update({c.pk: c for c in created})


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    operations=st.lists(operation, min_size=1, max_size=25),
    goal=st.integers(0, 3),
    kinds=st.sets(st.sampled_from(KINDS), min_size=1),
)
def test_the_totals_always_draw_the_pictures_the_rows_draw(operations, goal, kinds):
    network = Network()
    services.rhythm_update(owner=network.owner, weekly_goal=goal, goal_kinds=sorted(kinds))
    for op in operations:
        network.run(op)
        assert_tallies_exact(network.owner)
    # The map's links, counted by the database, are the pairs the rows make (ties in the same order).
    ids = list(Contact.objects.filter(owner=network.owner).values_list("pk", flat=True))
    for limit in (1000, 3):
        assert dashboard.strongest_links(ids, limit) == dashboard.strongest_links(ids, limit, from_rows=True)


# --- The same, on chosen cases -------------------------------------------------------------------


def test_edits_archive_and_delete_move_contacts_between_groups(owner):
    alice = services.contact_create(owner=owner, full_name="Alice", labels=["Client"], city="Nîmes", sector="tech")
    bruno = services.contact_create(owner=owner, full_name="Bruno", labels=["client", "mentor"], city="nimes")
    # One group each, shown in the commonest spelling (between equals, the first in code-point order).
    assert dashboard.network_by_city(owner=owner)["items"] == [{"label": "Nîmes", "count": 2}]
    assert dashboard.network_by_label(owner=owner)["items"] == [
        {"label": "Client", "count": 2},
        {"label": "mentor", "count": 1},
    ]
    # The form has already changed the instance when the service runs: the totals follow the rows.
    alice.city = "Lyon"
    services.contact_update(contact=alice, labels=["mentor"])
    assert {i["label"]: i["count"] for i in dashboard.network_by_label(owner=owner)["items"]} == {
        "mentor": 2,
        "client": 1,
    }
    assert {i["label"]: i["count"] for i in dashboard.network_by_city(owner=owner)["items"]} == {"Lyon": 1, "nimes": 1}
    services.contact_set_archived(contact=bruno, archived=True)
    assert dashboard.network_by_label(owner=owner)["items"] == [{"label": "mentor", "count": 1}]
    services.contact_set_archived(contact=bruno, archived=False)
    services.contact_delete(contact=alice)
    assert {i["label"]: i["count"] for i in dashboard.network_by_label(owner=owner)["items"]} == {
        "client": 1,
        "mentor": 1,
    }
    assert dashboard.network_by_sector(owner=owner)["items"] == []
    assert_tallies_exact(owner)


def test_an_interaction_counts_once_and_follows_its_edits(owner):
    alice = services.contact_create(owner=owner, full_name="Alice")
    bruno = services.contact_create(owner=owner, full_name="Bruno")
    lunch = services.interaction_log(
        owner=owner, contacts=[alice, bruno], kind=InteractionKind.LUNCH, occurred_on=MONDAY
    )
    assert InteractionTally.objects.get(owner=owner).count == 1  # two contacts, one interaction
    services.interaction_update(
        interaction=lunch, contacts=[alice], kind=InteractionKind.HELP_GIVEN, occurred_on=TODAY.replace(day=1)
    )
    assert list(InteractionTally.objects.filter(owner=owner).values_list("day", "kind", "count")) == [
        (TODAY.replace(day=1), "help_given", 1)
    ]
    assert dashboard.given_vs_received(owner=owner, today=TODAY)["totals"] == {"given": 1, "received": 0}
    services.interaction_delete(interaction=lunch)
    assert not InteractionTally.objects.filter(owner=owner).exists()
    assert_tallies_exact(owner)


def test_deleting_a_contact_forgets_what_was_logged_with_them_alone(owner):
    alice = services.contact_create(owner=owner, full_name="Alice")
    bruno = services.contact_create(owner=owner, full_name="Bruno")
    services.interaction_log(owner=owner, contacts=[alice], kind=InteractionKind.COFFEE, occurred_on=TODAY)
    shared = services.interaction_log(owner=owner, contacts=[alice, bruno], kind=InteractionKind.EVENT)
    services.contact_delete(contact=alice)
    assert list(Interaction.objects.filter(owner=owner)) == [shared]
    assert list(shared.contacts.all()) == [bruno]
    assert dashboard.interactions_per_week(owner=owner, today=TODAY)["total"] == 1
    assert_tallies_exact(owner)


def test_the_streak_is_read_from_the_totals_two_years_back(owner):
    contact = services.contact_create(owner=owner, full_name="Alice")
    for week in range(1, 40):  # a coffee every week for 39 weeks before this one
        day = MONDAY - dt.timedelta(weeks=week)
        services.interaction_log(owner=owner, contacts=[contact], kind=InteractionKind.COFFEE, occurred_on=day)
    assert selectors.week_progress(owner=owner, today=TODAY).streak == 39
    Interaction.objects.filter(owner=owner).delete()  # behind the services' back: the totals keep the count
    assert selectors.week_progress(owner=owner, today=TODAY).streak == 39
    assert selectors.week_progress(owner=owner, today=TODAY, from_rows=True).streak == 0
    tallies.network_tallies_rebuild(owner)
    assert selectors.week_progress(owner=owner, today=TODAY).streak == 0


def test_a_drift_found_by_a_write_is_repaired(owner):
    alice = services.contact_create(owner=owner, full_name="Alice", labels=["client"], city="Lyon")
    ContactTally.objects.filter(owner=owner).delete()  # as if edited by hand
    services.contact_set_archived(contact=alice, archived=True)  # nothing to take from: rebuilt
    assert_tallies_exact(owner)
    InteractionTally.objects.filter(owner=owner).delete()
    coffee = services.interaction_log(owner=owner, contacts=[alice], kind=InteractionKind.COFFEE)
    services.interaction_log(owner=owner, contacts=[alice], kind=InteractionKind.COFFEE)
    InteractionTally.objects.filter(owner=owner).update(count=1)
    services.interaction_delete(interaction=coffee)
    services.interaction_delete(interaction=Interaction.objects.get(owner=owner))
    assert_tallies_exact(owner)


# --- Bulk paths ----------------------------------------------------------------------------------

GOOGLE_CSV = (
    "First Name,Last Name,Organization Name,Labels,E-mail 1 - Value,Address 1 - City\n"
    "Nadia,Haddad,Agence Mistral,* myContacts ::: Marketing ::: Client,nadia@agence-mistral.fr,Marseille\n"
    "Luc,Fontaine,Mairie,* myContacts ::: CLIENT,luc@example.org,marseille\n"
    "Inès,Moreau,,* myContacts,ines@example.org,\n"
).encode()


def test_an_import_keeps_them_exact_merges_included(owner):
    nadia = services.contact_create(owner=owner, full_name="Nadia Haddad", emails=["nadia@agence-mistral.fr"])
    services.contact_create(owner=owner, full_name="Old", labels=["client"], city="Lyon")
    dry = import_file(owner=owner, filename="contacts.csv", data=GOOGLE_CSV, dry_run=True)
    assert dry["created"] == 2
    assert_tallies_exact(owner)  # the dry run rolled its totals back too
    summary = import_file(owner=owner, filename="contacts.csv", data=GOOGLE_CSV)
    assert summary["merged"] == 1 and summary["created"] == 2
    nadia.refresh_from_db()
    assert nadia.city == "Marseille"  # was empty: filled by the merge
    cities = {i["label"]: i["count"] for i in dashboard.network_by_city(owner=owner)["items"]}
    assert cities == {"Marseille": 2, "Lyon": 1}
    assert_tallies_exact(owner)


def test_the_demo_keeps_them_exact(cities):
    from people.demo import DEMO_LOGIN, demo_load

    demo_load(seed=3, members=50)
    camille = User.objects.get(email=DEMO_LOGIN)
    assert InteractionTally.objects.filter(owner=camille).exists()
    assert ContactTally.objects.filter(owner=camille).exists()
    assert_tallies_exact(camille)


def test_the_migration_counts_existing_rows(owner):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("network.migrations.0004_tallies")
    contacts = [
        Contact(
            owner=owner, full_name=f"C{n}", labels=LABELS[n % 4 : n % 4 + 2], city=CITIES[n % 10], sector=SECTORS[n % 5]
        )
        for n in range(30)
    ]
    Contact.objects.bulk_create(contacts)
    Interaction.objects.bulk_create(
        [Interaction(owner=owner, kind=KINDS[n % 10], occurred_on=TODAY - dt.timedelta(days=n)) for n in range(50)]
    )
    migration.count_existing_rows(apps, None)
    assert_tallies_exact(owner)


def test_account_deletion_takes_the_totals_along(owner):
    contact = services.contact_create(owner=owner, full_name="Alice", labels=["client"])
    services.interaction_log(owner=owner, contacts=[contact], kind=InteractionKind.COFFEE)
    owner.delete()
    assert not ContactTally.objects.exists() and not InteractionTally.objects.exists()


# --- The operators' command ------------------------------------------------------------------------


def test_the_command_checks_and_rebuilds(owner, member, capsys):
    contact = services.contact_create(owner=owner, full_name="Alice", labels=["client"], city="Lyon")
    services.interaction_log(owner=owner, contacts=[contact], kind=InteractionKind.COFFEE)
    services.contact_create(owner=member, full_name="Zed", city="Paris")
    Contact.objects.filter(pk=contact.pk).update(city="Paris")  # an edit in the admin
    with pytest.raises(CommandError):
        call_command("rebuild_network_tallies", "--check")
    out = capsys.readouterr().out
    assert owner.email in out and member.email not in out
    assert "2 network(s) checked, 1 with differences." in out
    call_command("rebuild_network_tallies", "--owner", owner.email.upper())
    assert "1 network(s) counted again." in capsys.readouterr().out
    call_command("rebuild_network_tallies", "--check")
    assert_tallies_exact(owner)
    assert json.dumps(dashboard.network_by_city(owner=owner)["items"]) == '[{"label": "Paris", "count": 1}]'
    with pytest.raises(CommandError, match="No member"):
        call_command("rebuild_network_tallies", "--owner", "nobody@example.org")
