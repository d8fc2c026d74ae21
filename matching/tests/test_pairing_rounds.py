"""Coffee pairing rounds: who is paired, repeats, notifications, "did you meet?", organizer controls."""

import datetime
import itertools

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from circles.models import Circle, Membership, Participation, Role, Status
from circles.vocab import Family
from matching import arrays as matching_arrays
from matching.models import PairingMember, PairingRound
from matching.pairing import (
    no_show_counts,
    pairing_answer,
    pairing_round_create,
    pairing_rounds_due,
    recent_pairs,
)
from network import tallies
from network.models import Contact, Interaction
from notifications.models import Kind, Notification
from people.models import Discoverability

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_arrays():
    matching_arrays._memo = None
    yield
    matching_arrays._memo = None


@pytest.fixture
def circle(owner):
    made = Circle.objects.create(name="Café Marseille", slug="cafe-marseille", family=Family.BUSINESS)
    Membership.objects.create(circle=made, member=owner, status=Status.ACTIVE, role=Role.ORGANIZER)
    return made


@pytest.fixture
def join(circle):
    def add(user, opt_in=True, participation=Participation.ACTIVE, status=Status.ACTIVE):
        membership, _ = Membership.objects.update_or_create(
            circle=circle,
            member=user,
            defaults={"status": status, "participation": participation, "pairing_opt_in": opt_in},
        )
        return membership

    return add


@pytest.fixture
def people(make_member, cities):
    def make(count, start=0):
        return [
            make_member(
                f"p{i}@example.org",
                display_name=f"Personne {i}",
                city=cities["Marseille"],
                values=["openness"],
                formats=["breakfast"],
                discoverability=Discoverability.MEMBERS,
            )
            for i in range(start, start + count)
        ]

    return make


def _groups(pairing_round):
    groups = {}
    for group_id, member_id in PairingMember.objects.filter(group__round=pairing_round).values_list(
        "group_id", "member_id"
    ):
        groups.setdefault(group_id, set()).add(member_id)
    return list(groups.values())


def test_only_opted_in_active_members_are_paired(circle, join, people, make_member):
    paired = people(4)
    for user in paired:
        join(user)
    remote, not_opted, pending = people(3, start=10)
    join(remote, participation=Participation.REMOTE)
    join(not_opted, opt_in=False)
    join(pending, status=Status.REQUESTED)
    made = pairing_round_create(circle=circle)
    members = set().union(*_groups(made))
    assert members == {u.pk for u in paired}


def test_pairs_and_one_trio_cover_everyone_once(circle, join, people):
    users = people(7)
    for user in users:
        join(user)
    made = pairing_round_create(circle=circle)
    groups = _groups(made)
    sizes = sorted(len(g) for g in groups)
    assert sizes == [2, 2, 3]
    every = [m for g in groups for m in g]
    assert sorted(every) == sorted(u.pk for u in users)
    assert made.number == 1 and pairing_round_create(circle=circle).number == 2


def test_too_few_members_make_no_round(circle, join, people):
    join(people(1)[0])
    assert pairing_round_create(circle=circle) is None
    assert not PairingRound.objects.exists()


def test_no_repeat_of_a_pair_from_the_last_three_rounds(circle, join, people):
    users = people(8)  # 7 partners each: three rounds of 4 pairs without any repeat exist
    for user in users:
        join(user)
    seen = set()
    for _ in range(3):
        made = pairing_round_create(circle=circle)
        pairs = {frozenset(p) for g in _groups(made) for p in itertools.combinations(sorted(g), 2)}
        assert not pairs & seen
        seen |= pairs


def test_a_small_circle_repeats_the_least_recently_met_pair(circle, join, people):
    a, b, c, d = people(4)
    for user in (a, b, c, d):
        join(user)
    rounds = [pairing_round_create(circle=circle) for _ in range(3)]  # the 3 perfect matchings of 4
    all_pairs = [frozenset(p) for r in rounds for g in _groups(r) for p in itertools.combinations(sorted(g), 2)]
    assert len(set(all_pairs)) == 6
    fourth = pairing_round_create(circle=circle)
    first_round_pairs = {frozenset(g) for g in _groups(rounds[0])}
    assert {frozenset(g) for g in _groups(fourth)} == first_round_pairs
    assert all(ago in (1, 2, 3) for ago in recent_pairs(circle).values())


def test_each_paired_member_is_notified_with_the_partner_name(circle, join, people):
    a, b = people(2)
    join(a)
    join(b)
    made = pairing_round_create(circle=circle)
    notes = Notification.objects.filter(kind=Kind.PAIRING).order_by("recipient_id")
    assert [n.recipient_id for n in notes] == sorted([a.pk, b.pk])
    for note in notes:
        partner = b if note.recipient_id == a.pk else a
        assert note.params["partners"] == [partner.profile.display_name]
        assert note.params["circle"] == "Café Marseille"
        assert note.key == f"pairing:{made.pk}"
        assert note.url == reverse("people:member_detail", args=[partner.pk])  # the partner's page


def test_a_trio_or_a_partner_out_of_sight_links_to_the_rounds_page(circle, join, people):
    trio = people(3)
    for person in trio:
        join(person)
    pairing_round_create(circle=circle)
    assert set(Notification.objects.filter(kind=Kind.PAIRING).values_list("url", flat=True)) == {
        reverse("matching:pairings")
    }

    Notification.objects.all().delete()
    hidden, seen = people(2, start=10)
    hidden.profile.discoverability = Discoverability.HIDDEN
    hidden.profile.save(update_fields=["discoverability"])
    for person in trio:
        join(person, opt_in=False)
    join(hidden)
    join(seen)
    pairing_round_create(circle=circle)
    told = Notification.objects.get(kind=Kind.PAIRING, recipient=seen)
    assert told.url == reverse("matching:pairings")  # the hidden partner's page is not linked


def test_the_notification_reads_well_in_the_list(circle, join, people, client_of):
    a, b = people(2)
    join(a)
    join(b)
    pairing_round_create(circle=circle)
    page = client_of(a).get(reverse("notifications:list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Coffee pairing in Café Marseille: meet Personne 1." in page


def test_suggested_format_and_openers_come_from_common_ground(circle, join, make_member, cities):
    teacher = make_member(
        "t@example.org",
        display_name="Teacher",
        skills=["SEO"],
        values=["openness"],
        formats=["lunch", "breakfast"],
        discoverability=Discoverability.MEMBERS,
    )
    learner = make_member(
        "l@example.org",
        display_name="Learner",
        learning=["seo"],
        values=["openness"],
        formats=["breakfast"],
        discoverability=Discoverability.MEMBERS,
    )
    join(teacher)
    join(learner)
    made = pairing_round_create(circle=circle)
    group = made.groups.get()
    assert group.suggested_format == "breakfast"
    kinds = sorted(o["kind"] for o in group.openers)
    assert kinds == ["can_teach", "shared_value"]


def test_my_pairings_page_and_did_you_meet_yes_logs_a_coffee(circle, join, people, client_of):
    a, b = people(2)
    join(a)
    join(b)
    pairing_round_create(circle=circle)
    mine = PairingMember.objects.get(member=a)
    client = client_of(a)
    page = client.get(reverse("matching:pairings"))
    assert page.status_code == 200 and "Personne 1" in page.content.decode()
    response = client.post(reverse("matching:pairing_met", args=[mine.pk]), {"met": "yes"})
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.met is True
    contact = Contact.objects.get(owner=a, member=b)
    assert "Café Marseille" in contact.how_met
    interaction = Interaction.objects.get(owner=a)
    assert interaction.kind == "coffee" and list(interaction.contacts.all()) == [contact]
    # a second answer changes nothing
    client.post(reverse("matching:pairing_met", args=[mine.pk]), {"met": "no"})
    mine.refresh_from_db()
    assert mine.met is True and Interaction.objects.filter(owner=a).count() == 1


def test_yes_reuses_the_contact_already_linked(circle, join, people):
    from network.services import contact_create

    a, b = people(2)
    join(a)
    join(b)
    existing = contact_create(owner=a, full_name="Bee", member=b)
    pairing_round_create(circle=circle)
    pairing_answer(pairing=PairingMember.objects.get(member=a), met=True)
    assert list(Contact.objects.filter(owner=a)) == [existing]
    assert Interaction.objects.get(owner=a).contacts.get() == existing
    assert tallies.check(a) == []  # the dashboard's running totals count the coffee


def test_no_counts_as_a_no_show_for_the_partner_and_lowers_priority(circle, join, people):
    a, b = people(2)
    join(a)
    join(b)
    pairing_round_create(circle=circle)
    pairing_answer(pairing=PairingMember.objects.get(member=a), met=False)
    assert no_show_counts([a.pk, b.pk]) == {b.pk: 1}
    pairing_answer(pairing=PairingMember.objects.get(member=b), met=True)
    assert no_show_counts([a.pk, b.pk]) == {}  # b said they met: no no-show


def test_someone_elses_pairing_is_not_found(circle, join, people, client_of, stranger):
    a, b = people(2)
    join(a)
    join(b)
    pairing_round_create(circle=circle)
    theirs = PairingMember.objects.get(member=a)
    response = client_of(stranger).post(reverse("matching:pairing_met", args=[theirs.pk]), {"met": "yes"})
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.met is None


def test_organizer_controls(circle, join, people, client_of, owner):
    users = people(2)
    for user in users:
        join(user)
    client = client_of(owner)
    url = reverse("matching:pairing_settings", args=[circle.slug])
    assert client.get(url).status_code == 200
    response = client.post(url, {"enabled": "on", "rhythm": "weekly"})
    assert response.status_code == 302
    circle.refresh_from_db()
    assert circle.pairing_enabled and circle.pairing_rhythm == "weekly"
    response = client.post(reverse("matching:pairing_run", args=[circle.slug]))
    assert response.status_code == 302
    assert PairingRound.objects.filter(circle=circle).count() == 1


def test_organizer_controls_are_not_found_for_others(circle, join, people, client_of, member, stranger):
    join(member)  # a plain member of the circle
    for user in (member, stranger):
        client = client_of(user)
        assert client.get(reverse("matching:pairing_settings", args=[circle.slug])).status_code == 404
        assert (
            client.post(
                reverse("matching:pairing_settings", args=[circle.slug]), {"enabled": "on", "rhythm": "weekly"}
            ).status_code
            == 404
        )
        assert client.post(reverse("matching:pairing_run", args=[circle.slug])).status_code == 404
    circle.refresh_from_db()
    assert not circle.pairing_enabled and not PairingRound.objects.exists()


def test_rounds_due_follow_the_rhythm(circle, join, people):
    for user in people(2):
        join(user)
    assert pairing_rounds_due() == []  # pairing is off
    circle.pairing_enabled = True
    circle.pairing_rhythm = "weekly"
    circle.save()
    assert len(pairing_rounds_due()) == 1
    assert pairing_rounds_due() == []  # made today
    later = timezone.now() + datetime.timedelta(days=8)
    assert len(pairing_rounds_due(now=later)) == 1


def test_run_pairings_command(circle, join, people, capsys):
    for user in people(2):
        join(user)
    circle.pairing_enabled = True
    circle.save()
    call_command("run_pairings")
    assert PairingRound.objects.filter(circle=circle).count() == 1
    call_command("run_pairings", "--circle", circle.slug)
    assert PairingRound.objects.filter(circle=circle).count() == 2


def test_the_tasks_make_rounds(circle, join, people):
    from matching.tasks import pairing_round_run
    from matching.tasks import pairing_rounds_due as due_task

    for user in people(2):
        join(user)
    assert pairing_round_run.call(circle.pk) == 1
    circle.pairing_enabled = True
    circle.save()
    PairingRound.objects.update(created_at=timezone.now() - datetime.timedelta(days=40))
    assert due_task.call() == 1


def test_blocked_members_are_never_paired_together(circle, join, people):
    from django.apps import apps

    if not apps.is_installed("intros"):
        pytest.skip("intros not installed")
    from intros.models import Block

    a, b, c, d = people(4)
    for user in (a, b, c, d):
        join(user)
    Block.objects.create(blocker=a, blocked=b)
    for _ in range(4):
        made = pairing_round_create(circle=circle)
        assert all({a.pk, b.pk} - group for group in _groups(made))
    two = Circle.objects.create(name="Deux", slug="deux", family=Family.BUSINESS)
    for user in (a, b):
        Membership.objects.create(circle=two, member=user, status=Status.ACTIVE, pairing_opt_in=True)
    made = pairing_round_create(circle=two)
    assert _groups(made) == []


def test_no_shows_scale_down_a_members_scores(circle, join, people):
    import numpy as np

    from matching.pairing import _scores

    users = people(3)
    ids = [u.pk for u in users]
    _ids, plain, _formats = _scores(ids, {})
    _ids, penalized, _formats = _scores(ids, {ids[0]: 2})
    assert np.all(penalized[0, 1:] < plain[0, 1:]) or not np.any(plain[0, 1:])
    assert np.allclose(penalized[0, 1:], plain[0, 1:] / 2.0)
    assert np.allclose(penalized[1:, 1:], plain[1:, 1:])


def test_the_new_round_is_emailed_too(circle, join, people, mailoutbox, django_capture_on_commit_callbacks):
    a, b = people(2)
    join(a)
    join(b)
    with django_capture_on_commit_callbacks(execute=True):
        pairing_round_create(circle=circle)
    assert sorted(m.to[0] for m in mailoutbox) == sorted([a.email, b.email])
    assert any("Personne" in m.body for m in mailoutbox)


def test_the_page_shows_the_format_and_the_openers(circle, join, make_member, client_of):
    teacher = make_member(
        "t@example.org",
        display_name="Teacher",
        skills=["SEO"],
        values=["openness"],
        formats=["breakfast"],
        discoverability=Discoverability.MEMBERS,
    )
    learner = make_member(
        "l@example.org",
        display_name="Learner",
        learning=["seo"],
        values=["openness"],
        formats=["breakfast"],
        discoverability=Discoverability.MEMBERS,
    )
    join(teacher)
    join(learner)
    pairing_round_create(circle=circle)
    page = client_of(learner).get(reverse("matching:pairings"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Teacher" in page and "Breakfast" in page
    assert "which you want to learn" in page and "You both value" in page
