import pytest

from matching import services
from people.selectors import account_export

pytestmark = pytest.mark.django_db


def test_the_export_holds_my_dismissals_and_weights_only(owner, teacher):
    services.suggestion_dismiss(member=owner, dismissed=teacher)
    services.weights_update(member=owner, spirit=2.0)
    services.suggestion_dismiss(member=teacher, dismissed=owner)
    section = account_export(user=owner)["matching"]
    assert [d["member_id"] for d in section["dismissed"]] == [teacher.pk]
    assert section["weights"]["spirit"] == 2.0 and section["weights"]["location"] == 0.8
    assert account_export(user=teacher)["matching"]["dismissed"][0]["member_id"] == owner.pk
