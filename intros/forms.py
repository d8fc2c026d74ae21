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


class IntroductionForm(forms.Form):
    """Two of my connections (by the names they let me see) and why they should meet."""

    first = forms.TypedChoiceField(label=_("Introduce"), coerce=int)
    second = forms.TypedChoiceField(label=_("to"), coerce=int)
    reason = forms.CharField(
        label=_("Why should they meet?"),
        help_text=_(
            "A sentence at least. Each of them reads it with your name, and learns the other's name "
            "only if both accept."
        ),
        max_length=REASON_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        options = [("", _("Choose a connection"))] + list(choices)
        self.fields["first"].choices = options
        self.fields["second"].choices = options

    def clean_reason(self):
        return clean_reason(self.cleaned_data["reason"])

    def clean(self):
        data = super().clean()
        if data.get("first") and data.get("first") == data.get("second"):
            raise forms.ValidationError(_("Choose two different members."))
        return data


# The ask's starting words: no name in them (whoever reads them sees names as their settings allow).
ASK_REASON_PREFILL = _(
    "Hello! Could you introduce me? I would like to meet them to talk about our work: I think we "
    "would have things to share, and I would be glad to return the favour."
)


class AskForm(forms.Form):
    """Ask a connection (the first hop of a chain) to introduce me; the reason is theirs to read."""

    mutual = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Your message"),
        help_text=_("A sentence at least: your connection reads it before deciding."),
        max_length=REASON_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_reason(self):
        from intros.services import ASK_REASON_TOO_SHORT

        return clean_reason(self.cleaned_data["reason"], ASK_REASON_TOO_SHORT)


class AskIntroduceForm(forms.Form):
    """The mutual's words to both when they introduce them (the ask's reason to start with)."""

    reason = forms.CharField(
        label=_("Why should they meet?"),
        help_text=_(
            "Both read it with your name; the one who did not ask learns the other's name only if they accept."
        ),
        max_length=REASON_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_reason(self):
        return clean_reason(self.cleaned_data["reason"])
