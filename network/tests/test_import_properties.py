"""Property-based tests: no input crashes the parsers or writes a row; export → import round trips."""

import datetime as dt

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from network.exports import contacts_vcard
from network.importers import multi_line, one_line
from network.importers.csv_formats import DELIMITERS
from network.importers.errors import ImportRejected
from network.imports import import_confirm, import_file, import_preview, parse_file
from network.models import Contact, ImportBatch
from network.services import contact_create
from people.vocab import Sector
from places.text import fold

pytestmark = pytest.mark.django_db

DB_SETTINGS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)

# --- Anything at all --------------------------------------------------------------------------

PROPERTIES = ["FN", "N", "EMAIL", "TEL", "ORG", "TITLE", "ADR", "NOTE", "CATEGORIES", "URL", "PHOTO", "VERSION"]
PROPERTIES += ["X-CERCLE-MET-ON", "X-CERCLE-CADENCE-DAYS", "X-CERCLE-SECTOR", "BEGIN", "END", "item1.EMAIL", ""]
PARAMS = ["", ";CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE", ";ENCODING=QUOTED-PRINTABLE", ";CHARSET=nope"]
PARAMS += [";ENCODING=b", ';TYPE="a,b"', ";X-CERCLE-FIELD=why", ";CHARSET=ISO-8859-1;QUOTED-PRINTABLE"]
HEADERS = [
    "First Name,Last Name,URL,Email Address,Company,Position,Connected On",
    "First Name,Last Name,E-mail 1 - Value,Phone 1 - Value,Organization Name,Labels,Notes",
    "First Name,Middle Name,Last Name,E-mail Address,Mobile Phone,Company,Job Title,Categories",
]

vcard_line = st.builds(
    lambda name, param, value, fold_it: f"{name}{param}:{value}" + ("\r\n " if fold_it else ""),
    st.sampled_from(PROPERTIES),
    st.sampled_from(PARAMS),
    st.text(max_size=40),
    st.booleans(),
)
vcard_like = st.builds(
    lambda lines, version, encoding: (
        f"BEGIN:VCARD\r\nVERSION:{version}\r\n" + "\r\n".join(lines) + "\r\nEND:VCARD\r\n"
    ).encode(encoding, "replace"),
    st.lists(vcard_line, max_size=12),
    st.sampled_from(["2.1", "3.0", "4.0", "", "9"]),
    st.sampled_from(["utf-8", "latin-1", "utf-16"]),
)
csv_like = st.builds(
    lambda header, rows, delimiter, preamble: (
        ("Notes:\n\n" if preamble else "")
        + header.replace(",", delimiter)
        + "\n"
        + "\n".join(delimiter.join(row) for row in rows)
    ).encode("utf-8", "replace"),
    st.sampled_from(HEADERS),
    st.lists(st.lists(st.text(max_size=15), max_size=9), max_size=8),
    st.sampled_from(DELIMITERS),
    st.booleans(),
)
any_bytes = st.one_of(
    st.binary(max_size=2000),
    st.binary(max_size=500).map(lambda b: b"BEGIN:VCARD\r\n" + b),
    st.binary(max_size=500).map(lambda b: HEADERS[0].encode() + b"\n" + b),
    vcard_like,
    csv_like,
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=any_bytes)
def test_parsers_never_crash(data):
    try:
        parsed = parse_file(data=data)
    except ImportRejected as rejected:
        assert rejected.message and all(rejected.messages)
    else:
        for row in parsed.rows:
            assert row["fields"]["full_name"]
            assert len(row["fields"]["full_name"]) <= 200


@DB_SETTINGS
@given(data=any_bytes)
def test_a_preview_never_writes_a_contact(owner, data):
    try:
        batch = import_preview(owner=owner, filename="any", data=data)
    except ImportRejected:
        pass
    else:
        assert batch.status == ImportBatch.Status.PREVIEW
    assert not Contact.objects.exists()


# --- Round trips ------------------------------------------------------------------------------

# Text as people type it: any letters, marks, symbols and punctuation (vCard's own \ , ; : too).
TEXT = st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"))
line_text = st.text(TEXT, max_size=40).map(one_line)
name_text = st.text(TEXT, min_size=1, max_size=40).map(one_line).filter(bool)
long_text = st.lists(st.text(TEXT, max_size=30), max_size=4).map("\n".join).map(multi_line)
slug = st.text("abcdefghijklmnopqrstuvwxyz0123456789-", min_size=1, max_size=20)


@st.composite
def contact_fields(draw, index: int) -> dict:
    """One contact; e-mails and phones carry the index so that two contacts never share them."""
    emails = [f"{draw(slug)}.{index}.{n}@example.org" for n in range(draw(st.integers(0, 2)))]
    phones = [f"+33 6 {index:02d} {n:02d} {draw(st.integers(10, 99))} 00" for n in range(draw(st.integers(0, 2)))]
    return {
        "full_name": draw(name_text),
        "emails": emails,
        "phones": phones,
        "company": draw(line_text),
        "position": draw(line_text),
        "city": draw(line_text.map(lambda text: text[:120].strip())),
        "sector": draw(st.sampled_from(["", *Sector.values])),
        "how_met": draw(long_text),
        "why": draw(long_text),
        "met_on": draw(st.none() | st.dates(dt.date(1950, 1, 1), dt.date(2030, 12, 31))),
        "labels": draw(st.lists(line_text.filter(bool), max_size=3)),
        "cadence_days": draw(st.none() | st.integers(1, 3650)),
        "notes": draw(long_text),
        "linkedin_url": draw(st.just("") | slug.map(lambda s: f"https://www.linkedin.com/in/{s}")),
    }


@st.composite
def networks(draw) -> list[dict]:
    """A few contacts, no two of which a careful person would call the same (distinct companies)."""
    size = draw(st.integers(1, 6))
    contacts = [draw(contact_fields(index)) for index in range(size)]
    assume(len({fold(c["company"]) for c in contacts}) == size)
    return contacts


COMPARED = [
    "full_name",
    "emails",
    "phones",
    "company",
    "position",
    "city",
    "sector",
    "how_met",
    "why",
    "met_on",
    "labels",
    "cadence_days",
    "notes",
    "linkedin_url",
]


def _snapshot(contact: Contact) -> dict:
    return {name: getattr(contact, name) for name in COMPARED}


def _fresh(*owners) -> None:
    Contact.objects.filter(owner__in=owners).delete()
    ImportBatch.objects.filter(owner__in=owners).delete()


@DB_SETTINGS
@given(contacts=networks())
def test_reimporting_my_vcard_export_finds_every_contact_and_changes_nothing(owner, contacts):
    _fresh(owner)
    created = [contact_create(owner=owner, **fields) for fields in contacts]
    before = {contact.pk: _snapshot(contact) for contact in created}
    batch = import_preview(owner=owner, filename="mine.vcf", data=contacts_vcard(owner).encode())
    assert len(batch.rows) == len(created)
    assert all(row["match"] and row["match"].get("contact_id") in before for row in batch.rows)
    assert sorted(row["match"]["contact_id"] for row in batch.rows) == sorted(before)  # each finds itself
    summary = import_confirm(batch=batch, choices={})
    assert (summary["created"], summary["merged"], summary["changed"]) == (0, len(created), 0)
    after = {contact.pk: _snapshot(contact) for contact in Contact.objects.filter(owner=owner)}
    assert after == before


@DB_SETTINGS
@given(contacts=networks())
def test_export_then_import_into_an_empty_network_recreates_every_field(owner, member, contacts):
    _fresh(owner, member)
    for fields in contacts:
        contact_create(owner=owner, **fields)
    summary = import_file(owner=member, filename="from-owner.vcf", data=contacts_vcard(owner).encode())
    assert summary["created"] == len(contacts)

    def by_company(who):
        return {fold(c.company): _snapshot(c) for c in Contact.objects.filter(owner=who)}

    assert by_company(member) == by_company(owner)
