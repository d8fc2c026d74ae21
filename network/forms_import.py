"""The upload form of the contacts import (the file is checked by network.imports, not here)."""

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from network.importers import MAX_BYTES
from network.importers.errors import TOO_LARGE, Problem

ACCEPT = ".vcf,.vcard,.csv,.txt,text/vcard,text/x-vcard,text/csv"


class ImportUploadForm(forms.Form):
    # An empty file gets the import's own message, naming the problem the same way as the command.
    file = forms.FileField(
        label=_("Contacts file"),
        allow_empty_file=True,
        help_text=format_lazy(_("vCard (.vcf) or CSV, at most {} MB."), MAX_BYTES // (1024 * 1024)),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:  # refused before reading a byte of it
            raise forms.ValidationError(str(Problem(TOO_LARGE, max_mb=MAX_BYTES // (1024 * 1024))))
        return upload
