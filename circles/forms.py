from django import forms
from django.utils.translation import gettext_lazy as _

from circles.models import Circle, Participation, Role
from circles.vocab import Family
from people import vocab
from people.forms import TermsField
from places.forms import resolve_city
from places.models import City


class CircleSearchForm(forms.Form):
    q = forms.CharField(label=_("Search circles"), required=False, max_length=100)
    city = forms.TypedChoiceField(label=_("City"), required=False, coerce=int, empty_value=None)
    family = forms.ChoiceField(label=_("Family"), required=False, choices=[("", _("All families")), *Family.choices])
    value = forms.ChoiceField(label=_("Value"), required=False, choices=[("", _("All values")), *vocab.Value.choices])
    topic = forms.CharField(label=_("Topic"), required=False, max_length=60)

    def __init__(self, *args, cities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["city"].choices = [("", _("All cities")), *((c.pk, c.name) for c in cities)]

    def filters(self) -> dict:
        if not self.is_valid():
            return {"query": "", "city_id": None, "family": "", "value": "", "topic": ""}
        data = self.cleaned_data
        return {
            "query": data["q"],
            "city_id": data["city"],
            "family": data["family"],
            "value": data["value"],
            "topic": data["topic"],
        }


class CircleForm(forms.ModelForm):
    city_query = forms.CharField(
        label=_("City"),
        required=False,
        help_text=_("Start typing, then pick the town."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    city = forms.ModelChoiceField(queryset=City.objects.all(), required=False, widget=forms.HiddenInput)
    topics = TermsField(
        label=_("Topics"), required=False, help_text=_("Separated by commas, e.g. SEO, startups."), max_length=600
    )
    values = forms.MultipleChoiceField(
        label=_("Values of the charter"),
        choices=vocab.Value.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    other_values = TermsField(
        label=_("Other values"), required=False, help_text=_("Your own words, separated by commas."), max_length=600
    )

    field_order = [
        "name",
        "family",
        "description",
        "charter",
        "city_query",
        "topics",
        "values",
        "other_values",
        "visibility",
        "membership_mode",
        "pairing_enabled",
        "pairing_rhythm",
    ]

    class Meta:
        model = Circle
        fields = [
            "name",
            "family",
            "description",
            "charter",
            "visibility",
            "membership_mode",
            "pairing_enabled",
            "pairing_rhythm",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "charter": forms.Textarea(attrs={"rows": 6}),
            "visibility": forms.RadioSelect,
            "membership_mode": forms.RadioSelect,
        }
        help_texts = {
            "charter": _("The values members commit to. Organizers refer to it when they remove someone."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        circle = self.instance
        if circle.pk and not self.is_bound:
            self.initial["city_query"] = circle.city.name if circle.city_id else ""
            self.initial["city"] = circle.city_id
            self.initial["topics"] = circle.topics
            self.initial["values"] = [v for v in circle.values if v in vocab.Value.values]
            self.initial["other_values"] = [v for v in circle.values if v not in vocab.Value.values]

    def clean(self):
        data = super().clean()
        resolve_city(self, data)
        return data

    def circle_fields(self) -> dict:
        data = self.cleaned_data
        fields = {name: data[name] for name in self.Meta.fields}
        fields.update(
            city=data["city"], topics=data["topics"], values=list(data["values"]) + list(data["other_values"])
        )
        return fields


class JoinForm(forms.Form):
    message = forms.CharField(
        label=_("A word for the organizers"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why you would like to join: it helps them answer."),
    )


class DecideForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("decline", _("Decline"))])
    answer = forms.CharField(
        label=_("Message to the member"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class RemoveForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The member reads it. Refer to the charter."),
    )


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("Their e-mail address"))
    message = forms.CharField(
        label=_("A personal word"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class AnnouncementForm(forms.Form):
    text = forms.CharField(
        label=_("Announcement"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Sent to every member, remote followers included."),
    )


class ReportForm(forms.Form):
    reported = forms.TypedChoiceField(label=_("Member"), required=False, coerce=int, empty_value=None)
    about = forms.CharField(
        label=_("Or some content"),
        required=False,
        max_length=200,
        help_text=_("e.g. an event, a message, a post."),
    )
    reason = forms.CharField(label=_("What happened"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reported"].choices = [("", _("Nobody in particular")), *members]


class ResolveForm(forms.Form):
    resolution = forms.CharField(
        label=_("What was done"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )


class MentoringPairForm(forms.Form):
    mentor = forms.TypedChoiceField(label=_("Mentor (marraine or parrain)"), coerce=int)
    mentee = forms.TypedChoiceField(label=_("Mentee"), coerce=int)

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentor"].choices = list(members)
        self.fields["mentee"].choices = list(members)


class CheckinForm(forms.Form):
    occurred_on = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), required=False
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))


class ParticipationForm(forms.Form):
    participation = forms.ChoiceField(choices=Participation.choices)
