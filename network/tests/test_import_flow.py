"""Upload → preview → confirm (or cancel) through the pages, as the owner; duplicates; atomicity;
bad files; and nobody else's batch."""

import datetime as dt
import html
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from network import imports
from network.importers.errors import (
    BINARY_KIND,
    CSV_COLUMNS,
    EMPTY,
    MIXED_ENCODING,
    NO_NAME,
    NOT_PENDING,
    TOO_LARGE,
    Problem,
    where,
)
from network.models import Contact, ImportBatch, Source
from network.services import contact_create, contact_set_archived

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"
LINKEDIN_HEAD = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"


def _text(response) -> str:
    return html.unescape(response.content.decode())


def _upload(client, name: str, data: bytes):
    return client.post(reverse("network:import_upload"), {"file": SimpleUploadedFile(name, data)})


def _batch_of(response) -> ImportBatch:
    assert response.status_code == 302, _text(response)[:2000]
    batch_id = int(response["Location"].rstrip("/").split("/")[-1])
    return ImportBatch.objects.get(pk=batch_id)


def test_upload_page_explains_the_formats(client_of, owner):
    response = client_of(owner).get(reverse("network:import_upload"))
    page = _text(response)
    assert response.status_code == 200
    assert 'type="file"' in page and 'enctype="multipart/form-data"' in page
    assert "Connections.csv" in page and "vCard" in page and "Outlook" in page


def test_vcard_import_preview_then_confirm(client_of, owner):
    client = client_of(owner)
    batch = _batch_of(_upload(client, "contacts.vcf", (DATA / "vcard30_google_apple.vcf").read_bytes()))
    assert batch.status == ImportBatch.Status.PREVIEW and batch.file_format == Source.VCARD
    assert Contact.objects.count() == 0  # a preview writes no contact
    page = _text(client.get(reverse("network:import_preview", args=[batch.pk])))
    assert "Camille Moreau" in page and "Dr Thi Lan Nguyen" in page and "Atelier Lumière" in page

    response = client.post(reverse("network:import_confirm", args=[batch.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("network:contact_list")
    camille = Contact.objects.get(owner=owner, full_name="Camille Moreau")
    assert camille.source == Source.VCARD
    assert camille.emails == ["camille.moreau@atelier-lumiere.fr", "camille.m@example.com"]
    assert camille.city == "Lyon" and camille.labels == ["Design", "Lyon tech"]
    assert "barcamp" in camille.search_text and "|design|" in camille.label_keys
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.DONE
    assert batch.summary["created"] == 2 and batch.summary["merged"] == 0
    # Confirming twice writes nothing more.
    response = client.post(reverse("network:import_confirm", args=[batch.pk]), follow=True)
    assert str(NOT_PENDING) in _text(response)
    assert Contact.objects.filter(owner=owner).count() == 2


def test_linkedin_google_and_outlook_imports(client_of, owner):
    client = client_of(owner)
    for name, source, count in [
        ("Connections.csv", Source.LINKEDIN, 5),
        ("google.csv", Source.GOOGLE, 3),
        ("contacts.csv", Source.OUTLOOK, 2),
    ]:
        filename = {"Connections.csv": "linkedin_connections.csv", "google.csv": "google_contacts.csv"}.get(
            name, "outlook_contacts.csv"
        )
        batch = _batch_of(_upload(client, name, (DATA / filename).read_bytes()))
        assert batch.file_format == source
        client.post(reverse("network:import_confirm", args=[batch.pk]))
        assert Contact.objects.filter(owner=owner, source=source).count() == count
    helene = Contact.objects.get(owner=owner, full_name="Hélène Dupré")
    assert helene.met_on == dt.date(2024, 3, 12)
    assert helene.linkedin_url == "https://www.linkedin.com/in/helene-dupre-avocate"


def test_duplicate_of_an_existing_contact_is_merged_without_overwriting(client_of, owner):
    existing = contact_create(
        owner=owner,
        full_name="Hélène Dupré",
        emails=["HELENE.DUPRE@cabinet-dupre.fr"],
        company="",
        position="Avocate",
        notes="Mes notes",
        labels=["Marseille"],
    )
    data = (DATA / "vcard21_old_phone_latin1.vcf").read_bytes()
    client = client_of(owner)
    batch = _batch_of(_upload(client, "old-phone.vcf", data))
    first = batch.rows[0]
    assert first["match"]["contact_id"] == existing.pk and first["match"]["by"] == "email"
    assert first["action"] == "merge"
    page = _text(client.get(reverse("network:import_preview", args=[batch.pk])))
    assert 'name="row-0" value="merge" checked' in page
    assert reverse("network:contact_detail", args=[existing.pk]) in page

    client.post(reverse("network:import_confirm", args=[batch.pk]))
    existing.refresh_from_db()
    assert existing.position == "Avocate"  # never overwritten
    assert existing.notes == "Mes notes"
    assert existing.company == "Cabinet Dupré"  # was empty: filled
    assert existing.emails == ["HELENE.DUPRE@cabinet-dupre.fr"]  # same address in normal form
    assert existing.phones == ["+33612345678", "04 91 12 34 56"]
    assert existing.labels == ["Marseille"]
    assert Contact.objects.filter(owner=owner).count() == 3  # the other two cards are new
    batch.refresh_from_db()
    assert batch.summary | {"rejected": []} == {
        "format": "vcard",
        "rows": 3,
        "created": 2,
        "merged": 1,
        "changed": 1,
        "skipped": 0,
        "rejected": [],
    }


def test_duplicate_can_be_skipped_and_archived_contacts_are_matched(client_of, owner):
    archived = contact_create(owner=owner, full_name="Camille Moreau", phones=["06 45 67 89 01"])
    contact_set_archived(contact=archived, archived=True)
    client = client_of(owner)
    batch = _batch_of(_upload(client, "a.vcf", (DATA / "vcard30_google_apple.vcf").read_bytes()))
    assert batch.rows[0]["match"]["contact_id"] == archived.pk
    assert batch.rows[0]["match"]["by"] == "phone"  # "+33 6 45 67 89 01" and "06 45 67 89 01"
    preview = _text(client.get(reverse("network:import_preview", args=[batch.pk])))
    assert "archived" in preview or "archivé" in preview
    client.post(reverse("network:import_confirm", args=[batch.pk]), {"row-0": "skip"})
    archived.refresh_from_db()
    assert archived.emails == [] and archived.company == ""
    assert Contact.objects.filter(owner=owner).count() == 2
    assert ImportBatch.objects.get(pk=batch.pk).summary["skipped"] == 1


def test_duplicates_within_the_file_are_skipped_by_default_or_merged_on_request(client_of, owner):
    csv_text = LINKEDIN_HEAD + (
        "Jean,Dupont,,jean@acme.fr,Acme,CEO,12 Mar 2024\n"
        "Jeanne,Martin,,,Acme,CTO,\n"
        "Jean,Dupont,https://www.linkedin.com/in/jdupont,JEAN@acme.fr,Acme,,\n"  # same e-mail
        "Jeanne,Martinn,,jeanne@acme.fr,ACME,,\n"  # near-identical name, same company
        "Jeanne,Martin,,,Other Corp,CTO,\n"  # same name, another company: someone else
    )
    client = client_of(owner)
    batch = _batch_of(_upload(client, "Connections.csv", csv_text.encode()))
    assert [row["action"] for row in batch.rows] == ["create", "create", "skip", "skip", "create"]
    assert batch.rows[2]["match"] | {"name": ""} == {
        "row": 0,
        "by": "email",
        "line": 2,
        "card": None,
        "name": "",
        "company": "Acme",
    }
    assert batch.rows[3]["match"]["by"] == "name"
    client.post(reverse("network:import_confirm", args=[batch.pk]), {"row-3": "merge"})
    assert Contact.objects.filter(owner=owner).count() == 3
    jean = Contact.objects.get(owner=owner, full_name="Jean Dupont")
    assert jean.linkedin_url == ""  # row 3 was skipped
    jeanne = Contact.objects.get(owner=owner, full_name="Jeanne Martin", company="Acme")
    assert jeanne.emails == ["jeanne@acme.fr"]  # row 4 merged into row 2


def test_import_is_atomic_when_it_fails_midway(client_of, owner, monkeypatch):
    existing = contact_create(owner=owner, full_name="Hélène Dupré", emails=["helene.dupre@cabinet-dupre.fr"])
    client = client_of(owner)
    batch = _batch_of(_upload(client, "phone.vcf", (DATA / "vcard21_old_phone_latin1.vcf").read_bytes()))
    real_bulk_create = Contact.objects.bulk_create
    monkeypatch.setattr(imports, "BATCH_SIZE", 1)

    def fail_on_second_chunk(contacts, *args, **kwargs):
        if Contact.objects.filter(owner=owner).count() > 1:
            raise RuntimeError("disk full")
        return real_bulk_create(contacts, *args, **kwargs)

    monkeypatch.setattr(Contact.objects, "bulk_create", fail_on_second_chunk)
    with pytest.raises(RuntimeError):
        imports.import_confirm(batch=batch, choices={})
    existing.refresh_from_db()
    assert existing.company == "" and existing.phones == []  # the merge is undone too
    assert Contact.objects.filter(owner=owner).count() == 1
    assert ImportBatch.objects.get(pk=batch.pk).status == ImportBatch.Status.PREVIEW


def test_cancel_writes_nothing(client_of, owner):
    client = client_of(owner)
    batch = _batch_of(_upload(client, "a.vcf", (DATA / "vcard40.vcf").read_bytes()))
    response = client.post(reverse("network:import_cancel", args=[batch.pk]))
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.CANCELLED and batch.rows == []
    client.post(reverse("network:import_confirm", args=[batch.pk]))
    assert Contact.objects.count() == 0


def _short_row_file() -> bytes:
    rows = "".join(f"P{i},N{i},,,C,Pos,12 Mar 2024\n" for i in range(10))
    return (LINKEDIN_HEAD + rows + "Short,Row,,,C\n").encode()


def _nameless_card_file() -> bytes:
    card = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:{0}\r\nEMAIL:{1}\r\nEND:VCARD\r\n"
    return (card.format("A", "a@x.org") + card.format("B", "b@x.org") + card.format("", "")).encode()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.vcf", b"", Problem(EMPTY)),
        ("photo.vcf", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", Problem(BINARY_KIND, kind="PNG")),
        ("big.csv", b"x" * (5 * 1024 * 1024 + 1), Problem(TOO_LARGE, max_mb=5)),
        (
            "mixed.csv",
            (LINKEDIN_HEAD + "Hélène,Dupré,,,,,\n").encode() + "Zoé,Roy,,,,,\n".encode("latin-1"),
            Problem(MIXED_ENCODING, line=3),
        ),
        ("Connections.csv", _short_row_file(), Problem(CSV_COLUMNS, line=12, found=5, expected=7)),
        ("cards.vcf", _nameless_card_file(), Problem(NO_NAME, where=where(card=3, line=11))),
    ],
)
def test_bad_files_get_a_clear_message_and_write_nothing(client_of, owner, name, data, message):
    response = _upload(client_of(owner), name, data)
    assert response.status_code == 200
    assert str(message) in _text(response)
    assert Contact.objects.count() == 0
    assert ImportBatch.objects.count() == 0


def test_someone_elses_batch_is_404(client_of, owner, member):
    batch = imports.import_preview(owner=owner, filename="a.vcf", data=(DATA / "vcard40.vcf").read_bytes())
    client = client_of(member)
    assert client.get(reverse("network:import_preview", args=[batch.pk])).status_code == 404
    assert client.post(reverse("network:import_confirm", args=[batch.pk])).status_code == 404
    assert client.post(reverse("network:import_cancel", args=[batch.pk])).status_code == 404
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.PREVIEW
    assert Contact.objects.count() == 0


def test_pages_need_a_login_and_confirm_needs_post(client, owner):
    batch = imports.import_preview(owner=owner, filename="a.vcf", data=(DATA / "vcard40.vcf").read_bytes())
    for url in (
        reverse("network:import_upload"),
        reverse("network:import_preview", args=[batch.pk]),
        reverse("network:export_vcard"),
        reverse("network:export_csv"),
    ):
        assert client.get(url).status_code == 302
    client.force_login(owner)
    assert client.get(reverse("network:import_confirm", args=[batch.pk])).status_code == 405
    assert client.get(reverse("network:import_cancel", args=[batch.pk])).status_code == 405


def test_export_downloads_are_attachments(client_of, owner):
    contact_create(owner=owner, full_name="Zoé Martin", emails=["zoe@example.org"])
    client = client_of(owner)
    vcf = client.get(reverse("network:export_vcard"))
    assert vcf["Content-Type"].startswith("text/vcard")
    assert vcf["Content-Disposition"] == 'attachment; filename="cercle-contacts.vcf"'
    assert b"FN:Zo\xc3\xa9 Martin" in vcf.content
    csv_response = client.get(reverse("network:export_csv"))
    assert csv_response["Content-Disposition"] == 'attachment; filename="cercle-contacts.csv"'
    assert csv_response.content.startswith(b"\xef\xbb\xbf")
