"""vCard 4.0 and CSV exports: valid, complete, only the owner's contacts, formulas neutralised."""

import csv
import datetime as dt
import io

import pytest
import vobject

from network.exports import contacts_csv, contacts_vcard, neutralize
from network.imports import parse_file
from network.services import contact_create, contact_set_archived

pytestmark = pytest.mark.django_db


@pytest.fixture
def network(owner, member):
    helene = contact_create(
        owner=owner,
        full_name="Hélène Dupré",
        emails=["helene@cabinet-dupre.fr", "h.dupre@gmail.com"],
        phones=["+33 6 11 22 33 44"],
        company="Cabinet Dupré; Associés",
        position="Avocate, associée",
        city="Marseille",
        sector="law",
        how_met="Petit-déjeuner BNI,\nà la Joliette",
        why="Droit des sociétés; elle connaît tout le monde",
        met_on=dt.date(2024, 3, 12),
        labels=["Clients", "Marseille, centre"],
        cadence_days=30,
        notes="Deux enfants.\nAime le jazz \\ le blues.",
        linkedin_url="https://www.linkedin.com/in/helene-dupre",
    )
    plain = contact_create(owner=owner, full_name="Zoé")
    archived = contact_create(owner=owner, full_name="Ancien Contact")
    contact_set_archived(contact=archived, archived=True)
    contact_create(owner=member, full_name="Someone Else", emails=["else@example.org"])
    return {"helene": helene, "plain": plain}


def test_vcard_is_valid_4_0_read_back_by_vobject(owner, network):
    text = contacts_vcard(owner)
    cards = list(vobject.readComponents(text))
    assert [card.fn.value for card in cards] == ["Hélène Dupré", "Zoé"]  # not archived, not another's
    helene = cards[0]
    assert helene.version.value == "4.0"
    assert [e.value for e in helene.contents["email"]] == ["helene@cabinet-dupre.fr", "h.dupre@gmail.com"]
    assert helene.tel.value == "+33 6 11 22 33 44"
    assert helene.title.value == "Avocate, associée"
    assert helene.org.value == ["Cabinet Dupré; Associés"]
    assert helene.adr.value.city == "Marseille"
    assert helene.url.value == "https://www.linkedin.com/in/helene-dupre"
    assert helene.categories.value == ["Clients", "Marseille, centre"]
    assert helene.contents["x-cercle-met-on"][0].value == "2024-03-12"
    assert helene.contents["x-cercle-cadence-days"][0].value == "30"
    assert helene.contents["x-cercle-sector"][0].value == "law"
    assert "Someone Else" not in text and "Ancien Contact" not in text


def test_vcard_lines_are_crlf_and_folded_at_75_octets(owner, network):
    contact_create(owner=owner, full_name="Long Note", notes="é" * 200)
    raw = contacts_vcard(owner).encode()
    assert raw.count(b"\r\n") == raw.count(b"\n")
    assert max(len(line) for line in raw.split(b"\r\n")) <= 75
    assert raw.startswith(b"BEGIN:VCARD\r\nVERSION:4.0\r\n")


def test_vcard_reimport_restores_every_field(owner, network):
    (helene, zoe) = (row["fields"] for row in parse_file(data=contacts_vcard(owner).encode()).rows)
    original = network["helene"]
    for name in helene:
        expected = getattr(original, name)
        assert helene[name] == (expected.isoformat() if isinstance(expected, dt.date) else expected), name
    assert zoe["full_name"] == "Zoé"


def test_csv_has_a_bom_a_header_and_only_my_active_contacts(owner, network):
    text = contacts_csv(owner)
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert len(rows) == 3
    assert len(rows[0]) == len(rows[1]) == 15
    assert rows[1][0] == "Hélène Dupré"
    assert rows[1][1] == "helene@cabinet-dupre.fr; h.dupre@gmail.com"
    assert rows[1][9] == "2024-03-12"
    assert rows[2][0] == "Zoé"
    assert "Someone Else" not in text and "Ancien Contact" not in text


def test_csv_neutralises_formulas(owner):
    contact_create(
        owner=owner,
        full_name='=HYPERLINK("http://evil.example","clic")',
        company="+33 cmd|' /C calc'!A0",
        position="-2+3",
        city="@SUM(A1:A2)",
        notes="\tindented",
        labels=["=1+1", "safe"],
    )
    rows = list(csv.reader(io.StringIO(contacts_csv(owner).removeprefix("\ufeff"))))
    cells = rows[1]
    assert cells[0] == '\'=HYPERLINK("http://evil.example","clic")'
    assert cells[3] == "'+33 cmd|' /C calc'!A0"
    assert cells[4] == "'-2+3"
    assert cells[5] == "'@SUM(A1:A2)"
    assert cells[12] == "'\tindented"
    assert cells[10] == "'=1+1; safe"
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("=1", "'=1"), ("+1", "'+1"), ("-1", "'-1"), ("@x", "'@x"), ("\rx", "'\rx"), ("a=1", "a=1"), ("", "")],
)
def test_neutralize(cell, expected):
    assert neutralize(cell) == expected
