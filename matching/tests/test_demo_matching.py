"""The demo data: a clustered, heavy-tailed social graph, past coffee-pairing rounds with the demo
login's "did you meet?" waiting, and introductions around her in every state."""

import statistics
from collections import Counter

import pytest
from django.db.models import Q
from django.urls import reverse

from circles.models import Circle
from intros.models import Answer, Connection, Introduction, IntroState
from matching.demo import ROUNDS
from matching.models import PairingMember, PairingRound
from notifications.models import Kind, Notification
from people.demo import DEMO_LOGIN, demo_load
from people.models import Profile, User

pytestmark = pytest.mark.django_db

SEED = 7
MEMBERS = 150


@pytest.fixture
def camille(cities):
    demo_load(seed=SEED, members=MEMBERS)
    return User.objects.get(email=DEMO_LOGIN)


def _edges() -> set[tuple[str, str]]:
    """The graph by e-mail, leaving out the demo login's circle of connections (intros-asks links a
    few of them to her suggestions of the week, whose ties are broken by ids: not the graph's doing)."""
    camille = User.objects.get(email=DEMO_LOGIN)
    hers = Connection.objects.filter(Q(user_low=camille) | Q(user_high=camille))
    near = {camille.pk} | {pk for pair in hers.values_list("user_low_id", "user_high_id") for pk in pair}
    return set(
        Connection.objects.exclude(user_low__in=near)
        .exclude(user_high__in=near)
        .values_list("user_low__email", "user_high__email")
    )


def _pairings() -> set[tuple]:
    rows = PairingMember.objects.values_list(
        "group__round__circle__slug", "group__round__number", "group_id", "member__email", "met"
    )
    groups: dict[int, list] = {}
    for slug, number, group_id, email, met in rows:
        groups.setdefault(group_id, [slug, number]).append((email, met))
    return {(slug, number, *sorted(members)) for slug, number, *members in groups.values()}


def test_the_graph_is_clustered_heavy_tailed_and_deterministic(camille):
    degrees = Counter()
    city_of = dict(Profile.objects.values_list("user_id", "city_id"))
    same_city = 0
    pairs = list(Connection.objects.values_list("user_low_id", "user_high_id"))
    for a, b in pairs:
        degrees[a] += 1
        degrees[b] += 1
        same_city += city_of[a] is not None and city_of[a] == city_of[b]
    assert len(pairs) > 3 * MEMBERS
    assert max(degrees.values()) >= 3 * statistics.median(degrees.values())  # a few connectors
    assert same_city / len(pairs) > 0.5  # people know people of their town
    assert degrees[camille.pk] == 26  # hers come from intros.account_data
    before = _edges(), _pairings()
    demo_load(seed=SEED, members=MEMBERS)
    assert (_edges(), _pairings()) == before


def test_past_rounds_in_every_circle_with_pairing(camille):
    for circle in Circle.objects.filter(pairing_enabled=True):
        rounds = list(PairingRound.objects.filter(circle=circle).order_by("number"))
        if not rounds:
            continue
        assert [r.number for r in rounds] == list(range(1, ROUNDS + 1))
        assert rounds[0].created_at < rounds[-1].created_at
    mine = list(PairingMember.objects.filter(member=camille).order_by("group__round__number"))
    assert len(mine) == ROUNDS and len({m.group.round.circle_id for m in mine}) == 1
    assert [m.met for m in mine] == [True] * (ROUNDS - 1) + [None]  # the last one waits for her answer
    assert PairingMember.objects.filter(met=True).exclude(member=camille).exists()
    assert PairingMember.objects.filter(met=False).exists()
    note = Notification.objects.get(recipient=camille, kind=Kind.PAIRING)
    assert note.read_at is None and note.url == reverse("matching:pairings")


def test_her_pairings_page_asks_did_you_meet(camille, client):
    client.force_login(camille)
    page = client.get(reverse("matching:pairings"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Did you meet?" in page and page.count("You met: the coffee is in your network.") == ROUNDS - 1


def test_introductions_around_her_in_every_state(camille):
    to_her = Introduction.objects.filter(Q(first=camille) | Q(second=camille))
    states = Counter(i.state for i in to_her)
    assert states[IntroState.PENDING] >= 2 and states[IntroState.COMPLETED] >= 1
    assert to_her.filter(first=camille, first_answer=Answer.PENDING).exists()  # waiting for her answer
    assert to_her.filter(first=camille, first_answer=Answer.ACCEPTED, second_answer=Answer.PENDING).exists()
    assert to_her.filter(first_answer=Answer.ACCEPTED, second_answer=Answer.ACCEPTED, first_met=None).exists()
    assert Introduction.objects.filter(introducer=camille).exists()
    connected = set(Connection.objects.values_list("user_low_id", "user_high_id"))
    for intro in Introduction.objects.all():  # as the service requires: the introducer knows both
        for other in (intro.first_id, intro.second_id):
            assert tuple(sorted((intro.introducer_id, other))) in connected
