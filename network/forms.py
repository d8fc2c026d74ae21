from django import forms
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from network.models import Contact, Interaction, InteractionKind
from people.forms import TermsField

INVALID_EMAIL = _("“%(email)s” is not a valid e-mail address.")


CARD_UNKNOWN = _("This card link does not work (it may have been renewed): ask them for their current card.")


class ContactForm(forms.ModelForm):
    emails = TermsField(label=_("E-mails"), required=False, help_text=_("Separated by commas."), max_length=1000)
    phones = TermsField(label=_("Phones"), required=False, help_text=_("Separated by commas."), max_length=1000)
    labels = TermsField(
        label=_("Labels"), required=False, help_text=_("e.g. client, mentor, BNI Marseille"), max_length=1000
    )
    linkedin_url = forms.URLField(label=_("LinkedIn profile"), required=False, assume_scheme="https")
    member_card = forms.CharField(
        label=_("Their Cercle card"),
        required=False,
        max_length=300,
        help_text=_("Paste the link of the card they shared with you to link this contact to their account."),
    )
    unlink_member = forms.BooleanField(label=_("Unlink their Cercle account"), required=False)

    class Meta:
        model = Contact
        fields = [
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
            "linkedin_url",
            "notes",
        ]
        widgets = {
            "met_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "how_met": forms.Textarea(attrs={"rows": 2}),
            "why": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "cadence_days": _("Leave empty for no reminder. 30 = about once a month."),
            "why": _("What this relationship is about: it helps you write to them later."),
        }

    def clean_emails(self) -> list[str]:
        emails = self.cleaned_data["emails"]
        for email in emails:
            try:
                validate_email(email)
            except forms.ValidationError:
                raise forms.ValidationError(INVALID_EMAIL, params={"email": email}) from None
        return emails

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not (self.instance.pk and self.instance.member_id):
            del self.fields["unlink_member"]

    def clean_member_card(self):
        """A card link is consent: the member gave it. An e-mail lookup would reveal who has an account."""
        from people.models import Profile

        text = self.cleaned_data["member_card"].strip().rstrip("/")
        if not text:
            return None
        token = text.split("/c/")[-1].split("/")[0]
        profile = Profile.objects.select_related("user").filter(card_token=token, user__is_active=True).first()
        if profile is None:
            raise forms.ValidationError(CARD_UNKNOWN)
        return profile.user

    def contact_fields(self) -> dict:
        fields = {name: self.cleaned_data[name] for name in self.Meta.fields}
        if self.cleaned_data.get("member_card"):
            fields["member"] = self.cleaned_data["member_card"]
        elif self.cleaned_data.get("unlink_member"):
            fields["member"] = None
        return fields


NO_CONTACT_MATCHES = _("No contact matches “%(who)s”.")
SEVERAL_CONTACTS_MATCH = _("Several contacts match “%(who)s”: pick one from the suggestions.")


class InteractionForm(forms.Form):
    """Quick add: type a name, pick among suggestions (HTMX); without JS a unique match is enough."""

    who = forms.CharField(label=_("With"), required=False, max_length=100)
    contacts = forms.ModelMultipleChoiceField(
        queryset=Contact.objects.none(), required=False, widget=forms.MultipleHiddenInput
    )
    kind = forms.ChoiceField(label=_("What"), choices=InteractionKind.choices, initial=InteractionKind.COFFEE)
    occurred_on = forms.DateField(label=_("When"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=4000)

    def __init__(self, *args, owner, **kwargs):
        super().__init__(*args, **kwargs)
        from django.utils import timezone

        self.owner = owner
        self.fields["contacts"].queryset = Contact.objects.filter(owner=owner, archived=False)
        self.fields["occurred_on"].initial = timezone.localdate()

    def clean(self):
        from network.selectors import contacts_search

        data = super().clean()
        who = (data.get("who") or "").strip()
        if not data.get("contacts"):
            if not who:
                self.add_error("who", _("Choose at least one contact."))
            else:
                found = list(contacts_search(owner=self.owner, query=who)[:2])
                if not found:
                    self.add_error("who", forms.ValidationError(NO_CONTACT_MATCHES, params={"who": who}))
                elif len(found) > 1:
                    self.add_error("who", forms.ValidationError(SEVERAL_CONTACTS_MATCH, params={"who": who}))
                else:
                    data["contacts"] = found
        return data


class ContactInteractionForm(forms.ModelForm):
    """Logging from a contact's own page: the contact is implied."""

    class Meta:
        model = Interaction
        fields = ["kind", "occurred_on", "note"]
        widgets = {
            "occurred_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "note": forms.Textarea(attrs={"rows": 2}),
        }


class RhythmForm(forms.Form):
    weekly_goal = forms.IntegerField(label=_("Meetings a week"), min_value=0, max_value=21)
    goal_kinds = forms.MultipleChoiceField(
        label=_("What counts"), choices=InteractionKind.choices, widget=forms.CheckboxSelectMultiple
    )


class ContactSearchForm(forms.Form):
    q = forms.CharField(label=_("Search my contacts"), required=False, max_length=100)
    label = forms.CharField(required=False, max_length=100, widget=forms.HiddenInput)
    archived = forms.BooleanField(label=_("Archived contacts"), required=False)
