"""My network over the API: the owner's contacts and interactions, nobody else's (404 otherwise)."""

from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from ninja import File, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile
from ninja.pagination import paginate

from cercle.api_errors import refused
from cercle.api_pagination import Page, Shown
from network import selectors, services
from network.forms import INVALID_EMAIL
from network.importers.errors import skipped_problem
from network.models import Contact

router = Router(tags=["network"])


class ContactOut(Schema):
    id: int
    full_name: str
    emails: list[str]
    phones: list[str]
    company: str
    position: str
    city: str
    sector: str
    how_met: str
    why: str
    met_on: date | None
    labels: list[str]
    cadence_days: int | None
    notes: str
    linkedin_url: str
    source: str
    archived: bool
    last_interaction_on: date | None
    next_due_on: date | None


class ContactIn(Schema):
    full_name: str
    emails: list[str] = []
    phones: list[str] = []
    company: str = ""
    position: str = ""
    city: str = ""
    sector: str = ""
    how_met: str = ""
    why: str = ""
    met_on: date | None = None
    labels: list[str] = []
    cadence_days: int | None = None
    notes: str = ""
    linkedin_url: str = ""


class ContactPatch(Schema):
    full_name: str | None = None
    emails: list[str] | None = None
    phones: list[str] | None = None
    company: str | None = None
    position: str | None = None
    city: str | None = None
    sector: str | None = None
    how_met: str | None = None
    why: str | None = None
    met_on: date | None = None
    labels: list[str] | None = None
    cadence_days: int | None = None
    notes: str | None = None
    linkedin_url: str | None = None
    archived: bool | None = None


class InteractionOut(Schema):
    id: int
    occurred_on: date
    kind: str
    note: str
    contact_ids: list[int]


class InteractionIn(Schema):
    contact_ids: list[int]
    kind: str
    occurred_on: date | None = None
    note: str = ""


def _check_emails(emails: list[str] | None) -> None:
    """The same rule as the contact form: every e-mail must be one."""
    for email in emails or []:
        try:
            validate_email(" ".join(email.split()))
        except ValidationError:
            raise HttpError(422, str(INVALID_EMAIL) % {"email": email}) from None


@router.get("/contacts", response=list[ContactOut], summary="My contacts (search like the contacts page)")
@paginate(Page)
def list_contacts(request, q: str = "", label: str = "", archived: bool = False):
    return selectors.contacts_search(owner=request.user, query=q, label=label, archived=archived)


@router.post("/contacts", response={201: ContactOut}, summary="Add a contact")
def create_contact(request, payload: ContactIn):
    _check_emails(payload.emails)
    try:
        return Status(201, services.contact_create(owner=request.user, **payload.dict()))
    except ValidationError as exc:
        raise refused(exc) from exc


@router.get("/contacts/{contact_id}", response=ContactOut)
def get_contact(request, contact_id: int):
    return selectors.contact_of(request.user, contact_id)


@router.patch("/contacts/{contact_id}", response=ContactOut, summary="Edit a contact (only the fields sent)")
def patch_contact(request, contact_id: int, payload: ContactPatch):
    contact: Contact = selectors.contact_of(request.user, contact_id)
    fields = payload.dict(exclude_unset=True)
    archived = fields.pop("archived", None)
    _check_emails(fields.get("emails"))
    try:
        if fields:
            services.contact_update(contact=contact, **fields)
        if archived is not None:
            services.contact_set_archived(contact=contact, archived=archived)
    except ValidationError as exc:
        raise refused(exc) from exc
    return contact


@router.get("/interactions", response=list[InteractionOut], summary="My interactions, newest first")
@paginate(Page)
def list_interactions(request, contact_id: int | None = None):
    from network.models import Interaction

    interactions = Interaction.objects.filter(owner=request.user).prefetch_related("contacts")
    if contact_id is not None:
        interactions = interactions.filter(contacts=selectors.contact_of(request.user, contact_id))
    return Shown(
        interactions,
        lambda page: [
            {
                "id": i.pk,
                "occurred_on": i.occurred_on,
                "kind": i.kind,
                "note": i.note,
                "contact_ids": [c.pk for c in i.contacts.all()],
            }
            for i in page
        ],
    )


@router.post("/interactions", response={201: InteractionOut}, summary="Log an interaction (resets the cadence clock)")
def create_interaction(request, payload: InteractionIn):
    contacts = [selectors.contact_of(request.user, pk) for pk in payload.contact_ids]
    try:
        interaction = services.interaction_log(
            owner=request.user, contacts=contacts, kind=payload.kind, occurred_on=payload.occurred_on, note=payload.note
        )
    except ValidationError as exc:
        raise refused(exc) from exc
    return Status(
        201,
        {
            "id": interaction.pk,
            "occurred_on": interaction.occurred_on,
            "kind": interaction.kind,
            "note": interaction.note,
            "contact_ids": [c.pk for c in contacts],
        },
    )


class ImportRowOut(Schema):
    index: int
    line: int
    card: int | None = None
    fields: dict
    action: str
    match: dict | None = None


class ImportOut(Schema):
    id: int
    file_format: str
    filename: str
    status: str
    rows: list[ImportRowOut]
    summary: dict


class ImportConfirmIn(Schema):
    """Per duplicate row index, "merge" or "skip"; rows left out keep the proposed action."""

    choices: dict[int, str] = {}


def _import_out(batch) -> dict:
    return {
        "id": batch.pk,
        "file_format": batch.file_format,
        "filename": batch.filename,
        "status": batch.status,
        "rows": [
            {
                "index": i,
                "line": r["line"],
                "card": r.get("card"),
                "fields": r["fields"],
                "action": r["action"],
                "match": r.get("match"),
            }
            for i, r in enumerate(batch.rows)
        ],
        "summary": batch.summary | {"rejected": _rejected_out(batch.summary.get("rejected", []))},
    }


def _rejected_out(rejected: list[dict]) -> list[dict]:
    """The cards left out, each with its message in the caller's language."""
    return [entry | {"message": str(skipped_problem(entry))} for entry in rejected]


@router.post("/imports", response={201: ImportOut}, summary="Upload a contacts file: a preview, nothing imported yet")
def create_import(request, file: File[UploadedFile]):
    from network.importers import MAX_BYTES
    from network.importers.errors import TOO_LARGE, ImportRejected, Problem
    from network.imports import import_preview

    if file.size > MAX_BYTES:
        raise HttpError(413, str(Problem(TOO_LARGE, max_mb=MAX_BYTES // (1024 * 1024))))
    try:
        batch = import_preview(owner=request.user, filename=file.name or "contacts", data=file.read())
    except ImportRejected as exc:
        raise refused(exc) from exc
    return Status(201, _import_out(batch))


@router.get("/imports/{batch_id}", response=ImportOut, summary="An import's preview or its result")
def get_import(request, batch_id: int):
    return _import_out(selectors.import_batch_of(request.user, batch_id))


@router.post("/imports/{batch_id}/confirm", response=ImportOut, summary="Import the previewed rows, atomically")
def confirm_import(request, batch_id: int, payload: ImportConfirmIn):
    from network.importers.errors import ImportRejected
    from network.imports import import_confirm

    batch = selectors.import_batch_of(request.user, batch_id)
    try:
        import_confirm(batch=batch, choices=payload.choices)
    except ImportRejected as exc:
        raise refused(exc) from exc
    batch.refresh_from_db()
    return _import_out(batch)
