from django import forms
from django.utils.translation import gettext_lazy as _

from intros.models import REASON_MAX_CHARS
from intros.services import clean_reason


class RequestForm(forms.Form):
    reason = forms.CharField(
        label=_("Why would you like to connect?"),
        help_text=_("A sentence at least: they will read it before answering."),
        max_length=REASON_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_reason(self):
        return clean_reason(self.cleaned_data["reason"])


class ReportForm(forms.Form):
    reason = forms.CharField(
        label=_("What happened?"),
        help_text=_("The organizers of a circle you share, or Cercle's operators, will read it."),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
