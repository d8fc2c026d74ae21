"""The parsers on files shaped like real exports (network/tests/data/), and on broken ones."""

import codecs
from pathlib import Path

import pytest
from django.utils import translation

from network.importers import csv_formats, vcard
from network.importers.errors import (
    BINARY,
    BINARY_KIND,
    CARD_BAD_CHARSET,
    CARD_NESTED,
    CARD_NOT_CLOSED,
    CARD_STRAY_END,
    CARD_UNREADABLE_LINE,
    CSV_COLUMNS,
    CSV_MALFORMED,
    CSV_NO_ROWS,
    EMPTY,
    MIXED_ENCODING,
    NO_NAME,
    OUTSIDE_CARD,
    TOO_LARGE,
    TOO_LONG,
    TOO_MANY_ROWS,
    UNKNOWN_FORMAT,
    ZIP_ARCHIVE,
    ImportRejected,
    Problem,
    where,
)
from network.imports import parse_file
from network.models import Contact, Source

DATA = Path(__file__).parent / "data"


def _parse(name_or_bytes):
    data = name_or_bytes if isinstance(name_or_bytes, bytes) else (DATA / name_or_bytes).read_bytes()
    return parse_file(data=data)


def _fields(parsed) -> list[dict]:
    return [row["fields"] for row in parsed.rows]


def _rejected(data: bytes) -> ImportRejected:
    with pytest.raises(ImportRejected) as caught:
        parse_file(data=data)
    return caught.value


def _msg(template, **params) -> str:
    return str(Problem(template, **params))


# --- vCard ------------------------------------------------------------------------------------


def test_vcard_21_latin1_quoted_printable_from_an_old_phone():
    raw = (DATA / "vcard21_old_phone_latin1.vcf").read_bytes()
    assert b"\r\n" in raw and "é".encode("latin-1") in raw  # as the phone wrote it
    parsed = _parse(raw)
    assert parsed.source == Source.VCARD
    helene, francois, zoe = _fields(parsed)
    assert helene["full_name"] == "Hélène Dupré"  # ISO-8859-1 quoted-printable
    assert helene["company"] == "Cabinet Dupré"  # raw Latin-1 byte, first ORG component
    assert helene["position"] == "Avocate associée"
    assert helene["phones"] == ["+33612345678", "04 91 12 34 56"]
    assert helene["emails"] == ["helene.dupre@cabinet-dupre.fr"]
    # A soft line break ("=" at the end of a line) joins the two halves; the commas stay.
    assert helene["notes"] == (
        "Rencontrée au petit-déjeuner du réseau, parle de son projet d'association, à rappeler en janvier."
    )
    assert francois["full_name"] == "François Lefèvre"  # UTF-8 quoted-printable in the same file
    assert francois["city"] == "Marseille"  # ADR in quoted-printable, photo ignored
    assert zoe["full_name"] == "Zoé Garçon"  # from N alone
    assert zoe["labels"] == ["Clients", "Marseille"]
    assert [row["card"] for row in parsed.rows] == [1, 2, 3]
    assert [row["line"] for row in parsed.rows] == [1, 13, 25]


def test_vcard_30_google_and_apple_with_folded_lines_and_photos():
    parsed = _parse("vcard30_google_apple.vcf")
    camille, thi_lan = _fields(parsed)
    assert camille["full_name"] == "Camille Moreau"
    assert camille["emails"] == ["camille.moreau@atelier-lumiere.fr", "camille.m@example.com"]
    assert camille["company"] == "Atelier Lumière"
    assert camille["city"] == "Lyon"
    # The folded NOTE is joined, its escapes undone.
    assert camille["notes"] == (
        "Vue au barcamp de Lyon, s'intéresse au design de services. "
        "Très bonne conversation sur l'accessibilité; à revoir."
    )
    assert camille["labels"] == ["Design", "Lyon tech"]  # Google's own "myContacts" dropped
    assert camille["linkedin_url"] == "https://www.linkedin.com/in/camille-moreau-design"
    assert thi_lan["full_name"] == "Dr Thi Lan Nguyen"
    assert thi_lan["emails"] == ["thilan.nguyen@ap-hm.fr"]  # Apple's item1.EMAIL
    assert thi_lan["company"] == "Hôpital Nord"
    assert thi_lan["city"] == "Marseille"
    assert thi_lan["linkedin_url"] == "https://www.linkedin.com/in/thilan-nguyen"  # X-SOCIALPROFILE
    assert not any("PHOTO" in str(value) or "/9j/" in str(value) for value in thi_lan.values())


def test_vcard_40():
    (emilie,) = _fields(_parse("vcard40.vcf"))
    assert emilie["full_name"] == "Émilie Bernard-Roux"
    assert emilie["phones"] == ["+33-6-11-22-33-55"]  # tel: URI
    assert emilie["city"] == "Lille"
    assert emilie["labels"] == ["Énergie", "Lille"]
    assert emilie["notes"] == "Rencontrée à la soirée climat & numérique.\nSuivre leur levée de fonds."


def test_vcard_multi_card_android_export():
    parsed = _parse("vcard_android_multi.vcf")
    names = [fields["full_name"] for fields in _fields(parsed)]
    assert names == [
        "Julien Martin",
        "Sophie Petit",
        "Léa Rousseau",
        "Éric Girard",
        "Chloé Moulin",
        "contact@fablab-rennes.org",  # known by an e-mail alone
        "Maëlle Le Gall",
    ]
    maelle = _fields(parsed)[-1]
    assert maelle["notes"] == "Présentée par Julien, cherche un associé pour un tiers-lieu à Rennes ; très motivée."


def test_vcard_lf_and_crlf_give_the_same_contacts():
    crlf = (DATA / "vcard30_google_apple.vcf").read_bytes()
    lf = crlf.replace(b"\r\n", b"\n")
    assert _fields(_parse(lf)) == _fields(_parse(crlf))


def test_vcard_folded_in_the_middle_of_a_utf8_character_sequence_and_with_a_bom():
    data = codecs.BOM_UTF8 + "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Hél\r\n ène Dupré\r\nEND:VCARD\r\n".encode()
    (fields,) = _fields(_parse(data))
    assert fields["full_name"] == "Hélène Dupré"


def test_vcard_detected_by_content_whatever_the_name():
    data = (DATA / "vcard40.vcf").read_bytes()
    assert _parse(b"\n\n" + data).source == Source.VCARD


CARD = (
    "BEGIN:VCARD\nVERSION:3.0\nFN:{name}\nN:;{name};;;\nEMAIL:{email}\nTEL:0600000000\nORG:Acme\n"
    "TITLE:CEO\nADR:;;;Lyon;;;\nNOTE:hello\nCATEGORIES:a\nURL:https://example.org\nEND:VCARD\n"
)


def test_card_without_name_or_email_names_its_card_and_line():
    assert CARD.count("\n") == 13
    nameless = CARD.format(name="", email="")
    data = (CARD.format(name="A", email="a@x.org") + CARD.format(name="B", email="b@x.org") + nameless).encode()
    rejected = _rejected(data)
    assert rejected.message == _msg(NO_NAME, where=where(card=3, line=27))
    with translation.override("en"):
        assert rejected.message == "Card 3 (line 27): no name and no e-mail."


def test_card_problems_are_all_reported_with_their_place():
    data = (
        "BEGIN:VCARD\nVERSION:3.0\nFN:A\nEND:VCARD\n"
        "stray text\n"
        "BEGIN:VCARD\nVERSION:3.0\nFN:" + "x" * 201 + "\nEND:VCARD\n"
        "END:VCARD\n"
        "BEGIN:VCARD\nVERSION:3.0\nFN:C\n"
        "BEGIN:VCARD\nVERSION:3.0\nFN:D\n"
    ).encode()
    assert _rejected(data).messages == [
        _msg(OUTSIDE_CARD, line=5),
        _msg(CARD_STRAY_END, line=10),
        _msg(CARD_NESTED, where=where(card=3, line=11), at=14),
        _msg(CARD_NOT_CLOSED, where=where(card=4, line=14)),
        _msg(TOO_LONG, where=where(card=2, line=6), field=Contact._meta.get_field("full_name").verbose_name, max=200),
    ]


def test_card_with_an_unreadable_line():
    data = b"BEGIN:VCARD\nVERSION:3.0\nFN:A\nthis is no property\nEND:VCARD\n"
    assert _rejected(data).message == _msg(CARD_UNREADABLE_LINE, where=where(card=1, line=1), at=4)


def test_card_whose_text_is_not_in_its_declared_charset():
    data = b"BEGIN:VCARD\nVERSION:2.1\nFN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:H=E9l=E8ne\nEND:VCARD\n"
    assert _rejected(data).message == _msg(CARD_BAD_CHARSET, where=where(card=1, line=1), charset="UTF-8")


def test_too_many_cards(monkeypatch):
    monkeypatch.setattr(vcard, "MAX_ROWS", 2)
    data = (CARD.format(name="A", email="a@x.org") * 3).encode()
    assert _rejected(data).message == _msg(TOO_MANY_ROWS, max_rows=2)


# --- CSV --------------------------------------------------------------------------------------


def test_linkedin_connections_with_its_preamble():
    parsed = _parse("linkedin_connections.csv")
    assert parsed.source == Source.LINKEDIN
    helene, thomas, amina, pierre_yves, jean = _fields(parsed)
    assert helene["full_name"] == "Hélène Dupré"
    assert helene["emails"] == ["helene.dupre@cabinet-dupre.fr"]
    assert helene["linkedin_url"] == "https://www.linkedin.com/in/helene-dupre-avocate"
    assert helene["met_on"] == "2024-03-12"  # "Connected On: 12 Mar 2024"
    assert thomas["emails"] == []
    assert thomas["company"] == "Datalyon, SAS"
    assert amina["position"] == 'Chargée de mission "innovation"'
    assert pierre_yves["full_name"] == "Pierre-Yves Le Goff"
    assert jean["company"] == "" and jean["met_on"] == "2016-09-01"
    assert [row["line"] for row in parsed.rows] == [5, 6, 7, 8, 9]  # after 3 preamble lines and the header


def test_google_csv():
    parsed = _parse("google_contacts.csv")
    assert parsed.source == Source.GOOGLE
    nadia, luc, cafe = _fields(parsed)
    assert nadia["emails"] == ["nadia@agence-mistral.fr", "n.haddad@gmail.com"]  # " ::: " in one cell
    assert nadia["labels"] == ["Marketing"]  # "* myContacts" and "* starred" are Google's
    assert nadia["notes"] == "Rencontrée au salon VivaTech.\nIntéressée par un déjeuner en mars."
    assert nadia["city"] == "Marseille"
    assert nadia["position"] == "Growth marketer"
    assert nadia["linkedin_url"] == "https://www.linkedin.com/in/nadia-haddad"
    assert luc["full_name"] == "Luc Marie Fontaine"
    assert luc["phones"] == ["02 99 28 55 55", "06 77 88 99 00"]
    assert cafe["full_name"] == "hello@cafe-des-sciences.fr"
    assert cafe["labels"] == ["Lieux"]


def test_google_legacy_csv_in_utf16():
    raw = (DATA / "google_contacts_legacy_utf16.csv").read_bytes()
    assert raw.startswith(codecs.BOM_UTF16_LE)
    parsed = _parse(raw)
    assert parsed.source == Source.GOOGLE
    bastien, ines = _fields(parsed)
    assert bastien["full_name"] == "Bastien Ollivier"
    assert bastien["labels"] == ["Friends", "Rando"]  # "* My Contacts" dropped, "* Friends" kept
    assert bastien["company"] == "Menuiserie Ollivier" and bastien["position"] == "Gérant"
    assert bastien["city"] == "Aubagne"
    assert ines["full_name"] == "Inès Carvalho"  # from Given and Family Name


def test_outlook_csv_in_windows_1252():
    raw = (DATA / "outlook_contacts.csv").read_bytes()
    assert "é".encode("cp1252") in raw and "—".encode("cp1252") in raw
    parsed = _parse(raw)
    assert parsed.source == Source.OUTLOOK
    frederic, anne = _fields(parsed)
    assert frederic["full_name"] == "Frédéric Chevalier"
    assert frederic["emails"] == ["f.chevalier@chevalier-conseil.fr", "fred.chevalier@outlook.fr"]
    assert frederic["phones"] == ["06 33 44 55 66", "+33 (0)4 78 00 11 22"]
    assert frederic["position"] == "Consultant en stratégie"  # "Job Title", not "Title" (M.)
    assert frederic["city"] == "Lyon"
    assert frederic["labels"] == ["Clients", "Lyon"]
    assert frederic["notes"] == "Déjeuner trimestriel — parle de « transmission d'entreprise ».\nA présenté Mme Roy."
    assert anne["full_name"] == "Anne Sophie Roy"
    assert anne["city"] == "Paris"


def test_outlook_csv_saved_by_french_excel_with_semicolons():
    text = "First Name;Last Name;E-mail Address;Company;Job Title\nLéa;Roux;lea@roux.fr;Roux SA;Gérante\n"
    (lea,) = _fields(_parse(text.encode("cp1252")))
    assert lea["full_name"] == "Léa Roux" and lea["company"] == "Roux SA"


def test_linkedin_date_formats():
    assert csv_formats.parse_date("12 Mar 2024").isoformat() == "2024-03-12"
    assert csv_formats.parse_date("3 sept. 2021").isoformat() == "2021-09-03"
    assert csv_formats.parse_date("2020-01-31").isoformat() == "2020-01-31"
    assert csv_formats.parse_date("31 Feb 2020") is None
    assert csv_formats.parse_date("yesterday") is None


LINKEDIN_HEAD = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"


def test_short_row_names_its_line():
    rows = "".join(f"P{i},N{i},,,C,Pos,12 Mar 2024\n" for i in range(10))
    data = (LINKEDIN_HEAD + rows + "Short,Row,,,C\n").encode()
    rejected = _rejected(data)
    assert rejected.message == _msg(CSV_COLUMNS, line=12, found=5, expected=7)
    with translation.override("en"):
        assert rejected.message == "Line 12: 5 columns where the header has 7."


def test_row_without_name_or_email_and_quote_never_closed():
    assert _rejected((LINKEDIN_HEAD + ",,,,Acme,CEO,\n").encode()).message == _msg(NO_NAME, where=where(line=2))
    data = (LINKEDIN_HEAD + 'Ann,Lee,,,"Acme,CEO,1 Jan 2020\n').encode()
    assert _rejected(data).message == _msg(CSV_MALFORMED, line=2)


def test_header_without_rows_and_too_many_rows(monkeypatch):
    assert _rejected(LINKEDIN_HEAD.encode()).message == _msg(CSV_NO_ROWS)
    monkeypatch.setattr(csv_formats, "MAX_ROWS", 2)
    data = (LINKEDIN_HEAD + "A,B,,,,,\nC,D,,,,,\nE,F,,,,,\n").encode()
    assert _rejected(data).message == _msg(TOO_MANY_ROWS, max_rows=2)


def test_unknown_csv_is_refused():
    assert _rejected(b"id,name,price\n1,chair,12\n").message == _msg(UNKNOWN_FORMAT)


# --- Bytes ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "template", "params"),
    [
        (b"", EMPTY, {}),
        (b"  \r\n\t\n", EMPTY, {}),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", BINARY_KIND, {"kind": "PNG"}),
        (b"%PDF-1.7\n%\xe2\xe3", BINARY_KIND, {"kind": "PDF"}),
        (b"PK\x03\x04\x14\x00\x00\x00", ZIP_ARCHIVE, {}),
        (b"First Name,Last\x00 Name\n", BINARY, {}),
        (bytes(range(1, 32)) * 4, BINARY, {}),
    ],
)
def test_empty_and_binary_files(data, template, params):
    assert _rejected(data).message == _msg(template, **params)


def test_oversized_file():
    data = b"x" * (5 * 1024 * 1024 + 1)
    assert _rejected(data).message == _msg(TOO_LARGE, max_mb=5)


def test_utf8_file_damaged_by_a_latin1_line():
    text = LINKEDIN_HEAD + "Hélène,Dupré,,,Cabinet,Avocate,12 Mar 2024\n"
    data = text.encode() + "Zoé,Martin,,,A,B,1 Jan 2020\n".encode("latin-1")
    assert _rejected(data).message == _msg(MIXED_ENCODING, line=3)


def test_latin1_csv_without_any_utf8_is_read_as_latin1():
    data = (LINKEDIN_HEAD + "Zoé,Garçon,,,Crêperie,Gérante,1 Jan 2020\n").encode("latin-1")
    (zoe,) = _fields(_parse(data))
    assert zoe["full_name"] == "Zoé Garçon" and zoe["company"] == "Crêperie"
