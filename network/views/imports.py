"""Import (upload → preview → confirm or cancel) and export of contacts: thin views."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from network import exports, imports
from network.forms_import import ImportUploadForm
from network.importers import MAX_BYTES, MAX_ROWS
from network.importers.dedupe import MERGE, SKIP
from network.importers.errors import ImportRejected, skipped_problem, where
from network.models import ImportBatch
from network.selectors import import_batch_of

# Beyond these, rows are counted but not listed; unlisted duplicates keep the proposed action
# (and the confirm form stays under Django's limit of 1,000 fields).
DUPLICATES_SHOWN = 500
NEW_SHOWN = 200
REJECTED_SHOWN = 200
MATCHED_BY = {
    "email": gettext_lazy("same e-mail"),
    "phone": gettext_lazy("same phone"),
    "name": gettext_lazy("same name and company"),
}


@login_required
def import_upload(request):
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            batch = imports.import_preview(owner=request.user, filename=upload.name, data=upload.read())
        except ImportRejected as rejected:
            for message in rejected.messages:
                form.add_error("file", message)
        else:
            return redirect("network:import_preview", batch_id=batch.pk)
    context = {"form": form, "max_mb": MAX_BYTES // (1024 * 1024), "max_rows": MAX_ROWS}
    return render(request, "network/import_upload.html", context)


def _display(index: int, row: dict) -> dict:
    match = row.get("match")
    shown = {"index": index, "where": str(where(line=row["line"], card=row["card"])), **row["fields"]}
    if match:
        shown["match"] = {
            **match,
            "by": MATCHED_BY.get(match["by"], match["by"]),
            "earlier": str(where(line=match["line"], card=match["card"])) if "row" in match else "",
        }
        shown["action"] = row["action"]
    return shown


@login_required
def import_preview(request, batch_id: int):
    batch = import_batch_of(request.user, batch_id)
    duplicates, new = [], []
    for index, row in enumerate(batch.rows):
        if row.get("match"):
            if len(duplicates) < DUPLICATES_SHOWN:
                duplicates.append(_display(index, row))
        elif len(new) < NEW_SHOWN:
            new.append(_display(index, row))
    dup_count = sum(1 for row in batch.rows if row.get("match"))
    rejected = batch.summary.get("rejected", [])
    context = {
        "batch": batch,
        "pending": batch.status == ImportBatch.Status.PREVIEW,
        "duplicates": duplicates,
        "new": new,
        "dup_count": dup_count,
        "new_count": len(batch.rows) - dup_count,
        "dup_hidden": max(dup_count - len(duplicates), 0),
        "new_hidden": max(len(batch.rows) - dup_count - len(new), 0),
        "rejected": [str(skipped_problem(entry)) for entry in rejected[:REJECTED_SHOWN]],
        "rejected_hidden": max(len(rejected) - REJECTED_SHOWN, 0),
        "MERGE": MERGE,
        "SKIP": SKIP,
    }
    return render(request, "network/import_preview.html", context)


def _choices(post) -> dict[int, str]:
    """{row index: "merge" | "skip"} from the radios named row-<index>."""
    choices = {}
    for key, value in post.items():
        number = key.removeprefix("row-")
        if key.startswith("row-") and number.isdigit() and value in (MERGE, SKIP):
            choices[int(number)] = value
    return choices


@login_required
@require_POST
def import_confirm(request, batch_id: int):
    batch = import_batch_of(request.user, batch_id)
    try:
        summary = imports.import_confirm(batch=batch, choices=_choices(request.POST))
    except ImportRejected as rejected:
        messages.error(request, rejected.message)
        return redirect("network:import_preview", batch_id=batch.pk)
    messages.success(
        request,
        _("Import done: %(created)s created, %(merged)s merged, %(skipped)s skipped.")
        % {"created": summary["created"], "merged": summary["merged"], "skipped": summary["skipped"]},
    )
    return redirect("network:contact_list")


@login_required
@require_POST
def import_cancel(request, batch_id: int):
    batch = import_batch_of(request.user, batch_id)
    try:
        imports.import_cancel(batch=batch)
    except ImportRejected as rejected:
        messages.error(request, rejected.message)
        return redirect("network:import_preview", batch_id=batch.pk)
    messages.success(request, _("Import cancelled: nothing was written."))
    return redirect("network:import_upload")


def _download(content: str, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content.encode("utf-8"), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_GET
def export_vcard(request):
    return _download(exports.contacts_vcard(request.user), "text/vcard; charset=utf-8", "cercle-contacts.vcf")


@login_required
@require_GET
def export_csv(request):
    return _download(exports.contacts_csv(request.user), "text/csv; charset=utf-8", "cercle-contacts.csv")
