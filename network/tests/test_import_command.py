"""manage.py import_contacts <member e-mail> <file> [--dry-run]."""

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from network.importers.errors import CSV_COLUMNS, Problem
from network.models import Contact, ImportBatch
from network.services import contact_create

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"


def _run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_contacts", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_imports_a_linkedin_file_and_prints_the_summary(owner):
    contact_create(owner=owner, full_name="Hélène Dupré", emails=["helene.dupre@cabinet-dupre.fr"])
    out, _err = _run(owner.email.upper(), str(DATA / "linkedin_connections.csv"))
    assert "linkedin file, 5 rows" in out
    assert "created:  4" in out and "merged:   1" in out and "skipped:  0" in out and "rejected: 0" in out
    assert Contact.objects.filter(owner=owner).count() == 5
    assert ImportBatch.objects.get(owner=owner).status == ImportBatch.Status.DONE


def test_dry_run_writes_nothing(owner):
    out, _err = _run(owner.email, str(DATA / "vcard_android_multi.vcf"), "--dry-run")
    assert "created:  7" in out and "Dry run" in out
    assert Contact.objects.count() == 0
    assert ImportBatch.objects.count() == 0


def test_rejected_file_raises_with_the_message(owner, tmp_path):
    rows = "".join(f"P{i},N{i},,,C,Pos,12 Mar 2024\n" for i in range(10))
    path = tmp_path / "Connections.csv"
    path.write_text("First Name,Last Name,URL,Email Address,Company,Position,Connected On\n" + rows + "A,B,,,C\n")
    message = str(Problem(CSV_COLUMNS, line=12, found=5, expected=7))
    with pytest.raises(CommandError, match=message):
        _run(owner.email, str(path))
    assert Contact.objects.count() == 0


def test_unknown_member_or_file(owner, tmp_path):
    with pytest.raises(CommandError, match="No member"):
        _run("nobody@example.org", str(DATA / "vcard40.vcf"))
    with pytest.raises(CommandError, match="No such file"):
        _run(owner.email, str(tmp_path / "missing.vcf"))
