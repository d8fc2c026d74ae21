from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from referrals.models import LOST_REASON_MAX_CHARS, MAX_VALUE, NEED_MAX_CHARS, ReferralStatus


class GiveForm(forms.Form):
    """A fellow member (by the name they let me see) and the prospect."""

    receiver = forms.TypedChoiceField(label=_("For"), coerce=int)
    prospect_name = forms.CharField(label=_("Prospect's name"), max_length=120)
    prospect_company = forms.CharField(label=_("Company"), max_length=120, required=False)
    prospect_email = forms.EmailField(label=_("E-mail"), required=False)
    prospect_phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    need = forms.CharField(
        label=_("What do they need?"),
        help_text=_("Only the member you choose reads the prospect's details. Make sure the prospect agrees."),
        max_length=NEED_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, receivers=(), **kwargs):
        super().__init__(*args, **kwargs)
        options = [("", _("Choose a member"))]
        for receiver in receivers:
            label = f"{receiver.name} · {receiver.profession}" if receiver.profession else receiver.name
            options.append((receiver.user_id, label))
        self.fields["receiver"].choices = options


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"))
    value = forms.DecimalField(
        label=_("Value of the business won (euros)"),
        required=False,
        min_value=0,
        max_value=MAX_VALUE,
        max_digits=12,
        decimal_places=2,
        localize=True,
    )
    lost_reason = forms.CharField(
        label=_("Why was it lost? (optional)"),
        required=False,
        max_length=LOST_REASON_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, referral=None, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = referral.next_statuses if referral is not None else ReferralStatus.values
        self.fields["status"].choices = [(s, ReferralStatus(s).label) for s in allowed]


class FilterForm(forms.Form):
    direction = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[
            ("", _("Given and received")),
            ("given", pgettext_lazy("referrals", "Given")),
            ("received", pgettext_lazy("referrals", "Received")),
        ],
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), ("open", _("Open (given or contacted)"))] + list(ReferralStatus.choices),
    )

    def filters(self) -> dict:
        if not self.is_valid():
            return {"direction": "", "status": ""}
        return {"direction": self.cleaned_data["direction"], "status": self.cleaned_data["status"]}
