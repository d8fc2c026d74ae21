import numpy as np
import pytest

from matching import arrays as matching_arrays
from matching.arrays import arrays_rebuild, build_arrays, current_arrays, objective_keywords
from matching.tasks import arrays_refresh
from people.models import Objective

pytestmark = pytest.mark.django_db


def test_the_arrays_hold_every_active_member_with_what_all_members_may_see(owner, teacher, hidden, member):
    arrays = build_arrays()
    assert arrays.member_ids.tolist() == sorted([owner.pk, teacher.pk, hidden.pk, member.pk])
    row = arrays.row_of(teacher.pk)
    assert sorted(arrays.value_terms[i] for i in arrays.values[[row]].indices) == ["direct_talk", "openness"]
    assert sorted(arrays.terms[i] for i in arrays.skills[[row]].indices) == ["growth marketing", "seo"]
    assert arrays.lat[row] == pytest.approx(43.29276)
    discoverable = dict(zip(arrays.member_ids.tolist(), arrays.discoverable.tolist(), strict=True))
    assert discoverable == {owner.pk: True, teacher.pk: True, hidden.pk: False, member.pk: True}


def test_a_field_kept_narrower_than_all_members_is_left_out(owner, teacher):
    profile = teacher.profile
    profile.visibility = profile.visibility | {"values": "circles", "city": "only_me", "skills": "connections"}
    profile.save()
    arrays = build_arrays()
    row = arrays.row_of(teacher.pk)
    assert arrays.values[[row]].nnz == 0 and arrays.skills[[row]].nnz == 0
    assert np.isnan(arrays.lat[row])


def test_objectives_give_the_known_terms_they_mention(owner, teacher):
    assert objective_keywords(["Rencontrer des growth hackers et faire de l'escalade"], {"seo"}) == [
        "growth marketing",
        "climbing",
    ]
    profile = teacher.profile
    profile.visibility = profile.visibility | {"objectives": "members"}
    profile.save()
    Objective.objects.create(profile=profile, text="Améliorer mon SEO avant l'été")
    arrays = build_arrays()
    row = arrays.row_of(teacher.pk)
    assert [arrays.terms[i] for i in arrays.objectives[[row]].indices] == ["seo"]


def test_a_page_view_reuses_the_arrays_built_last(owner, teacher, django_assert_max_num_queries):
    built = arrays_rebuild()
    with django_assert_max_num_queries(1):  # the version key only
        assert current_arrays() is built
    matching_arrays._memo = None  # another process: loads the blob, does not rebuild
    with django_assert_max_num_queries(2):
        assert current_arrays().member_ids.tolist() == built.member_ids.tolist()


def test_the_background_task_rebuilds(owner, teacher, candidate):
    arrays_rebuild()
    newcomer = candidate("noe.nouveau@example.org", "Noé Nouveau")
    assert newcomer.pk not in current_arrays().member_ids
    arrays_refresh.enqueue()
    assert newcomer.pk in current_arrays().member_ids


def _stored_blobs() -> int:
    """The arrays' entries in the cache's table (the two stamps aside)."""
    from django.conf import settings
    from django.core.cache import cache
    from django.db import connection

    table = connection.ops.quote_name(settings.CACHES["default"]["LOCATION"])
    stamps = [cache.make_key(matching_arrays.VERSION_KEY), cache.make_key(matching_arrays.REFRESH_QUEUED_KEY)]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*) FROM {table} WHERE cache_key LIKE %s AND cache_key NOT IN (%s, %s)",
            [cache.make_key("matching:arrays:") + "%", *stamps],
        )
        return cursor.fetchone()[0]


def test_profile_saves_keep_one_set_of_arrays(owner, teacher, django_capture_on_commit_callbacks):
    from people.services import profile_update

    for n in range(4):
        with django_capture_on_commit_callbacks(execute=True):  # each save queues a rebuild, run here
            profile_update(profile=teacher.profile, headline=f"Growth, édition {n}")
    assert current_arrays().member_ids.tolist() == sorted([owner.pk, teacher.pk])
    assert _stored_blobs() == 1
