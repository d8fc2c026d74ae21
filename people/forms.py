from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.contrib.auth.hashers import make_password
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from people import vocab
from people.models import API_TOKEN_DAYS, API_TOKEN_LIFETIMES, DEFAULT_VISIBILITY, Discoverability, Level, Profile
from places.forms import CITY_UNKNOWN, resolve_city  # noqa: F401 - CITY_UNKNOWN: tests reuse it from here
from places.models import City

FIELD_LABELS = {
    "name": _("Name"),
    "photo": _("Photo"),
    "headline": _("Headline"),
    "profession": _("Profession"),
    "sector": _("Sector"),
    "city": _("City"),
    "languages": _("Languages"),
    "skills": _("Skills I can offer"),
    "learning": _("What I want to learn"),
    "values": _("Values"),
    "formats": _("Formats I like"),
    "objectives": _("Objectives"),
    "contact_email": _("Contact e-mail"),
    "phone": _("Phone"),
    "website": _("Website"),
}


class TermsField(forms.CharField):
    """A comma-separated list typed by the member ("growth marketing, public speaking")."""

    def prepare_value(self, value):
        return ", ".join(value) if isinstance(value, list) else value

    def to_python(self, value):
        text = super().to_python(value) or ""
        return [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]


class ProfileForm(forms.ModelForm):
    city_query = forms.CharField(
        label=_("City"),
        required=False,
        help_text=_("Start typing, then pick your town."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    city = forms.ModelChoiceField(queryset=City.objects.all(), required=False, widget=forms.HiddenInput)
    languages = forms.MultipleChoiceField(
        label=_("Languages"), choices=vocab.Language.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    skills = TermsField(
        label=_("Skills I can offer"), required=False, help_text=_("Separated by commas."), max_length=1200
    )
    learning = TermsField(
        label=_("What I want to learn"), required=False, help_text=_("Separated by commas."), max_length=1200
    )
    values = forms.MultipleChoiceField(
        label=_("Values"), choices=vocab.Value.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    other_values = TermsField(
        label=_("Other values"), required=False, help_text=_("Your own words, separated by commas."), max_length=600
    )
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    formats = forms.MultipleChoiceField(
        label=_("Formats I like"), choices=vocab.Format.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    field_order = [
        "display_name",
        "headline",
        "profession",
        "profession_other",
        "sector",
        "city_query",
        "languages",
        "skills",
        "learning",
        "values",
        "other_values",
        "formats",
        "contact_email",
        "phone",
        "website",
        "time_zone",
    ]

    class Meta:
        model = Profile
        fields = [
            "display_name",
            "headline",
            "profession",
            "profession_other",
            "sector",
            "time_zone",
            "contact_email",
            "phone",
            "website",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        profile = self.instance
        if profile.pk and not self.is_bound:
            self.initial["city_query"] = profile.city.name if profile.city_id else ""
            self.initial["city"] = profile.city_id
            for name in ("languages", "skills", "learning", "formats"):
                self.initial[name] = getattr(profile, name)
            self.initial["values"] = [v for v in profile.values if v in vocab.Value.values]
            self.initial["other_values"] = [v for v in profile.values if v not in vocab.Value.values]
        self.fields["profession_other"].help_text = _("If your profession is not in the list.")

    def clean(self):
        data = super().clean()
        resolve_city(self, data)
        return data

    def profile_fields(self) -> dict:
        data = self.cleaned_data
        fields = {name: data[name] for name in self.Meta.fields}
        fields.update(
            city=data["city"],
            languages=data["languages"],
            skills=data["skills"],
            learning=data["learning"],
            values=list(data["values"]) + list(data["other_values"]),
            formats=data["formats"],
        )
        return fields


class ConsentForm(forms.Form):
    discoverability = forms.ChoiceField(
        label=_("Who can find me"), choices=Discoverability.choices, widget=forms.RadioSelect
    )

    def __init__(self, *args, profile: Profile, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("discoverability", profile.discoverability)
        for field in DEFAULT_VISIBILITY:
            self.fields[f"level_{field}"] = forms.ChoiceField(
                label=FIELD_LABELS[field], choices=Level.choices, initial=profile.level_of(field)
            )

    def visibility(self) -> dict[str, str]:
        return {field: self.cleaned_data[f"level_{field}"] for field in DEFAULT_VISIBILITY}

    def level_fields(self):
        return [self[f"level_{field}"] for field in DEFAULT_VISIBILITY]


class PhotoForm(forms.Form):
    photo = forms.FileField(
        label=_("Photo"),
        help_text=_("JPEG, PNG or WebP, at most 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )


class ObjectiveForm(forms.Form):
    text = forms.CharField(label=_("Objective"), max_length=200)
    target_date = forms.DateField(
        label=_("Target date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class DeleteAccountForm(forms.Form):
    password = forms.CharField(label=_("Your password"), widget=forms.PasswordInput)


def _token_lifetimes() -> list[tuple[int, str]]:
    # A callable: the labels are put in the language of each request, not of the first import.
    return [(days, ngettext("%(count)d day", "%(count)d days", days) % {"count": days}) for days in API_TOKEN_LIFETIMES]


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Token name"), max_length=60, initial="API")
    days = forms.TypedChoiceField(
        label=_("Expires after"),
        choices=_token_lifetimes,
        coerce=int,
        initial=API_TOKEN_DAYS,
        required=False,
        empty_value=API_TOKEN_DAYS,
    )


class MemberSearchForm(forms.Form):
    q = forms.CharField(label=_("Name, city, skill or value"), required=False, max_length=100)


class SignupForm(AllauthSignupForm):
    """allauth's sign-up (ACCOUNT_FORMS), doing the same work whether or not the address has an account."""

    def try_save(self, request):
        if self.account_already_exists:
            # A real sign-up hashes the password (Argon2: most of its time) and a taken address
            # skipped it, so the answer's delay told which addresses have an account. Both paths
            # also hand one e-mail to the task queue (a verification, or "you already have an account").
            make_password(self.cleaned_data["password1"])
        return super().try_save(request)
