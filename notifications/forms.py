"""The preferences form: for each kind of notification, in the app and by e-mail."""

from django import forms
from django.utils.translation import gettext_lazy as _

from notifications.models import Kind


class PreferencesForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for kind in Kind:
            self.fields[f"{kind.value}_in_app"] = forms.BooleanField(
                label=_("%(kind)s: in the app") % {"kind": kind.label}, required=False
            )
            self.fields[f"{kind.value}_email"] = forms.BooleanField(
                label=_("%(kind)s: by e-mail") % {"kind": kind.label}, required=False
            )

    @staticmethod
    def initial_from(preferences: dict[str, tuple[bool, bool]]) -> dict[str, bool]:
        initial = {}
        for kind, (in_app, email) in preferences.items():
            initial[f"{kind}_in_app"] = in_app
            initial[f"{kind}_email"] = email
        return initial

    def rows(self):
        """(label, in-app field, e-mail field) per kind, for the table."""
        return [(kind.label, self[f"{kind.value}_in_app"], self[f"{kind.value}_email"]) for kind in Kind]

    def choices(self) -> dict[str, tuple[bool, bool]]:
        data = self.cleaned_data
        return {kind: (data[f"{kind}_in_app"], data[f"{kind}_email"]) for kind in Kind.values}
