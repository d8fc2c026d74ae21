"""Oversized vCards: an overlong line or card is left out and listed, the rest imports, and an
import's memory stays a small multiple of its file (vobject alone took ~100× on one long line)."""

import html
import tracemalloc
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from network import imports
from network.importers import vcard
from network.importers.errors import CARD_LINE_TOO_LONG, CARD_TOO_LARGE, Problem, skipped_problem, where
from network.models import Contact, ImportBatch
from people.services import api_token_create

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"
CARD = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:{name}\r\nEMAIL:{email}\r\nEND:VCARD\r\n"
# Card 3 starts on line 11; its NOTE, on line 14, is one 4.9 MB line.
HUGE_NOTE_FILE = (
    CARD.format(name="Jean Morel", email="jean@example.org")
    + CARD.format(name="Ines Roux", email="ines@example.org")
    + "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Huge\r\nNOTE:"
    + "A" * 4_900_000
    + "\r\nEND:VCARD\r\n"
    + CARD.format(name="Zoé Roy", email="zoe@example.org")
).encode()
LINE_TOO_LONG = Problem(CARD_LINE_TOO_LONG, where=where(card=3, line=11), at=14, max_kb=64)


def _text(response) -> str:
    return html.unescape(response.content.decode())


def _names(batch) -> list[str]:
    return [row["fields"]["full_name"] for row in batch.rows]


def test_a_one_line_5_mb_card_is_left_out_and_listed_with_its_line_the_others_import(client_of, owner):
    client = client_of(owner)
    upload = client.post(reverse("network:import_upload"), {"file": SimpleUploadedFile("a.vcf", HUGE_NOTE_FILE)})
    assert upload.status_code == 302, _text(upload)[:2000]
    batch = ImportBatch.objects.get()
    assert _names(batch) == ["Jean Morel", "Ines Roux", "Zoé Roy"]
    preview = _text(client.get(reverse("network:import_preview", args=[batch.pk])))
    with translation.override("fr"):  # the owner's language
        assert "Non importé" in preview and str(LINE_TOO_LONG) in preview
    with translation.override("en"):
        assert str(LINE_TOO_LONG) == "Card 3 (line 11): line 14 is longer than 64 KB, so the card is not imported."

    client.post(reverse("network:import_confirm", args=[batch.pk]))
    assert sorted(Contact.objects.filter(owner=owner).values_list("full_name", flat=True)) == [
        "Ines Roux",
        "Jean Morel",
        "Zoé Roy",
    ]
    batch.refresh_from_db()
    assert batch.summary["created"] == 3 and len(batch.summary["rejected"]) == 1
    assert str(LINE_TOO_LONG) in _text(client.get(reverse("network:import_preview", args=[batch.pk])))


def test_an_import_peaks_under_ten_times_its_file_size(owner):
    # A real phone export, 30 times over, with one huge card in the middle: ~5 MB.
    cards = (DATA / "vcard_android_multi.vcf").read_bytes() * 15
    data = cards + HUGE_NOTE_FILE + cards
    tracemalloc.start()
    try:
        batch = imports.import_preview(owner=owner, filename="a.vcf", data=data)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 10 * len(data), f"peak {peak / 1e6:.1f} MB for a {len(data) / 1e6:.1f} MB file"
    assert len(batch.summary["rejected"]) == 1 and len(batch.rows) > 100


def test_a_card_over_1_mb_is_left_out_even_when_its_lines_are_folded(owner):
    folded_note = "NOTE:" + "\r\n ".join(["x" * 74] * 15_000)  # 1.2 MB, 75 characters a line
    data = (
        CARD.format(name="Jean Morel", email="jean@example.org")
        + f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Long\r\n{folded_note}\r\nEND:VCARD\r\n"
    ).encode()
    batch = imports.import_preview(owner=owner, filename="a.vcf", data=data)
    assert _names(batch) == ["Jean Morel"]
    (entry,) = batch.summary["rejected"]
    assert entry == {"line": 6, "card": 2, "reason": "card_too_large", "max_kb": 1024}
    assert str(skipped_problem(entry)) == str(Problem(CARD_TOO_LARGE, where=where(card=2, line=6), max_kb=1024))


def test_an_inline_photo_never_costs_its_contact(owner):
    # Some phones write the photo unfolded, on one line; photos are not imported anyway.
    photo = "PHOTO;ENCODING=b;TYPE=JPEG:" + "A" * 2_000_000
    folded = "item1.PHOTO;ENCODING=b;TYPE=JPEG:" + "\r\n ".join(["B" * 74] * 20_000)
    data = (
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Jean Morel\r\n{photo}\r\nEMAIL:jean@example.org\r\nEND:VCARD\r\n"
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ines Roux\r\n{folded}\r\nTEL:0611223344\r\nEND:VCARD\r\n"
    ).encode()
    batch = imports.import_preview(owner=owner, filename="a.vcf", data=data)
    assert batch.summary["rejected"] == []
    assert [(row["fields"]["full_name"], row["fields"]["emails"], row["fields"]["phones"]) for row in batch.rows] == [
        ("Jean Morel", ["jean@example.org"], []),
        ("Ines Roux", [], ["0611223344"]),
    ]


def test_a_file_whose_only_card_is_oversized_is_refused_with_the_reason(client_of, owner, monkeypatch):
    monkeypatch.setattr(vcard, "MAX_LINE_CHARS", 2048)
    data = ("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:A\r\nNOTE:" + "x" * 3000 + "\r\nEND:VCARD\r\n").encode()
    response = client_of(owner).post(reverse("network:import_upload"), {"file": SimpleUploadedFile("a.vcf", data)})
    assert response.status_code == 200
    assert str(Problem(CARD_LINE_TOO_LONG, where=where(card=1, line=1), at=4, max_kb=2)) in _text(response)
    assert not ImportBatch.objects.exists()


def test_the_api_lists_the_cards_left_out_with_their_message(client, owner):
    auth = {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(user=owner, name='t').key}"}
    upload = SimpleUploadedFile("a.vcf", HUGE_NOTE_FILE)
    body = client.post("/api/network/imports", {"file": upload}, **auth).json()
    assert [row["fields"]["full_name"] for row in body["rows"]] == ["Jean Morel", "Ines Roux", "Zoé Roy"]
    assert body["summary"]["rejected"] == [
        {"line": 11, "card": 3, "reason": "line_too_long", "at": 14, "max_kb": 64, "message": str(LINE_TOO_LONG)}
    ]
