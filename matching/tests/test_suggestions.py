import datetime

import pytest
from django.utils import timezone

from matching import services
from matching.arrays import arrays_rebuild
from matching.selectors import suggestions_for
from network.models import Contact, Interaction, InteractionKind

pytestmark = pytest.mark.django_db


def _ids(viewer):
    return [card.profile.user_id for card in suggestions_for(viewer)]


def test_the_teacher_is_suggested_with_structured_reasons(owner, teacher):
    arrays_rebuild()
    [card] = suggestions_for(owner)
    assert card.profile.user_id == teacher.pk
    assert card.seen.display_name == "Léa Fontaine"
    reasons = card.suggestion.reasons
    assert reasons["shared_values"] == ["direct_talk", "openness"]
    assert reasons["can_teach"] == ["growth marketing"]
    assert reasons["formats"] == ["breakfast"]
    assert 10 < reasons["distance_km"] < 20


def test_never_myself_nor_the_hidden_nor_those_who_only_show_themselves_to_their_circles(
    owner, teacher, hidden, member
):
    arrays_rebuild()
    assert _ids(owner) == [teacher.pk]
    assert owner.pk in _ids(teacher)
    assert hidden.pk not in _ids(teacher) and member.pk not in _ids(teacher)


def test_a_member_hidden_since_the_arrays_were_built_is_not_suggested(owner, teacher):
    arrays_rebuild()
    teacher.profile.discoverability = "hidden"
    teacher.profile.save()
    assert _ids(owner) == []


def test_a_dismissed_member_is_never_shown_again(owner, teacher):
    arrays_rebuild()
    services.suggestion_dismiss(member=owner, dismissed=teacher)
    services.suggestion_dismiss(member=owner, dismissed=teacher)  # idempotent
    assert _ids(owner) == []
    assert _ids(teacher) == [owner.pk]  # only the one who dismissed stops seeing the other


def test_someone_met_in_the_last_30_days_is_not_suggested(owner, teacher):
    arrays_rebuild()
    contact = Contact.objects.create(owner=owner, full_name="Léa Fontaine", member=teacher)
    long_ago = Interaction.objects.create(
        owner=owner, kind=InteractionKind.COFFEE, occurred_on=timezone.localdate() - datetime.timedelta(days=90)
    )
    long_ago.contacts.add(contact)
    assert _ids(owner) == [teacher.pk]
    recent = Interaction.objects.create(owner=owner, kind=InteractionKind.COFFEE)
    recent.contacts.add(contact)
    assert _ids(owner) == []


def test_fields_the_viewer_may_not_see_give_no_reason(owner, teacher):
    profile = teacher.profile
    profile.visibility = profile.visibility | {"values": "circles", "city": "connections", "formats": "only_me"}
    profile.save()
    arrays_rebuild()
    [card] = suggestions_for(owner)
    assert set(card.suggestion.reasons) >= {"can_teach"}
    assert not {"shared_values", "distance_km", "formats"} & set(card.suggestion.reasons)


def test_weights_change_the_order(owner, candidate, cities):
    kindred = candidate("kindred@example.org", "Kim Kindred", city=cities["Rennes"], values=["openness", "direct_talk"])
    neighbour = candidate("near@example.org", "Nour Voisine", city=cities["Marseille"])
    arrays_rebuild()
    assert _ids(owner) == [kindred.pk, neighbour.pk]
    services.weights_update(member=owner, spirit=0.0, location=3.0)
    assert _ids(owner) == [neighbour.pk, kindred.pk]


def test_weights_refuse_unknown_components_and_negative_values(owner):
    with pytest.raises(ValueError):
        services.weights_update(member=owner, charm=1.0)
    with pytest.raises(ValueError):
        services.weights_update(member=owner, spirit=-1.0)


def test_connected_members_are_not_suggested(owner, teacher):
    from intros.models import Connection

    arrays_rebuild()
    low, high = sorted([owner, teacher], key=lambda user: user.pk)
    Connection.objects.create(user_low=low, user_high=high)
    assert _ids(owner) == [] and _ids(teacher) == []


@pytest.mark.parametrize("direction", ["i_block", "they_block"])
def test_blocked_members_are_not_suggested_either_way(owner, teacher, direction):
    from intros.models import Block

    arrays_rebuild()
    blocker, blocked = (owner, teacher) if direction == "i_block" else (teacher, owner)
    Block.objects.create(blocker=blocker, blocked=blocked)
    assert _ids(owner) == [] and _ids(teacher) == []
