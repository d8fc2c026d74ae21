"""Forms of events: the organizer's event form, the RSVP and "who did you meet?"."""

import datetime as dt
from zoneinfo import ZoneInfo

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from circles.vocab import Family
from events.models import Event, Recurrence
from events.vocab import EventFormat
from people import vocab
from people.forms import TermsField
from people.models import TIMEZONE_CHOICES
from places.forms import resolve_city
from places.models import City

DATETIME_INPUT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"]
PRICE_NEEDED = _("Give the price, or tick “free”.")


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class EventForm(forms.ModelForm):
    """Times are typed as wall-clock times in the event's own time zone."""

    circle = forms.ModelChoiceField(queryset=None, label=_("Circle"), empty_label=None)
    starts_at = forms.DateTimeField(
        label=_("Starts at"), widget=LocalDateTimeInput(), input_formats=DATETIME_INPUT_FORMATS
    )
    ends_at = forms.DateTimeField(label=_("Ends at"), widget=LocalDateTimeInput(), input_formats=DATETIME_INPUT_FORMATS)
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=TIMEZONE_CHOICES, initial="Europe/Paris")
    city_query = forms.CharField(
        label=_("City"),
        required=False,
        help_text=_("Start typing, then pick the town."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    city = forms.ModelChoiceField(queryset=City.objects.all(), required=False, widget=forms.HiddenInput)
    topics = TermsField(label=_("Topics"), required=False, help_text=_("Separated by commas."), max_length=600)
    language = forms.ChoiceField(label=_("Language"), choices=vocab.Language.choices, initial="fr")
    format = forms.ChoiceField(label=_("Format"), choices=EventFormat.choices)
    family = forms.ChoiceField(
        label=_("Family"),
        choices=[("", _("As the circle"))] + list(Family.choices),
        required=False,
    )
    ticket_url = forms.URLField(label=_("Ticket link"), required=False, assume_scheme="https", max_length=200)
    recurrence = forms.ChoiceField(
        label=_("Repeats"),
        choices=Recurrence.choices,
        required=False,
        help_text=_("A weekly or monthly series is created for the next six months (at most 12 dates)."),
    )

    field_order = [
        "circle", "title", "format", "family", "description", "starts_at", "ends_at", "time_zone", "recurrence",
        "venue", "address", "city_query", "language", "topics", "capacity", "allow_guest", "is_free", "price",
        "ticket_url",
    ]  # fmt: skip

    class Meta:
        model = Event
        fields = [
            "title", "description", "venue", "address", "capacity", "allow_guest", "is_free", "price",
        ]  # fmt: skip
        widgets = {"description": forms.Textarea(attrs={"rows": 8})}

    def __init__(self, *args, circles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["circle"].queryset = circles
        event = self.instance
        self.fields["description"].help_text = _("Markdown: **bold**, *italic*, lists, links.")
        self.fields["capacity"].help_text = _("Leave empty for no limit. A guest takes a seat.")
        if event.pk:
            # An existing event keeps its circle and its place in a series.
            del self.fields["circle"]
            del self.fields["recurrence"]
            if not self.is_bound:
                zone = ZoneInfo(event.time_zone)
                self.initial.update(
                    starts_at=timezone.localtime(event.starts_at, zone).replace(tzinfo=None),
                    ends_at=timezone.localtime(event.ends_at, zone).replace(tzinfo=None),
                    time_zone=event.time_zone,
                    city_query=event.city.name if event.city_id else "",
                    city=event.city_id,
                    topics=event.topics,
                    language=event.language,
                    format=event.format,
                    family=event.family,
                    ticket_url=event.ticket_url,
                )

    def clean(self):
        data = super().clean()
        zone = ZoneInfo(data.get("time_zone") or "Europe/Paris")
        for name in ("starts_at", "ends_at"):
            value = data.get(name)
            if value is not None:
                # Django read the time in the active zone; it was typed in the event's zone.
                naive = timezone.make_naive(value) if timezone.is_aware(value) else value
                data[name] = timezone.make_aware(naive, zone)
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] < data["starts_at"]:
            self.add_error("ends_at", _("The event must end after it starts."))
        if not data.get("is_free") and not (data.get("price") or "").strip() and not data.get("ticket_url"):
            self.add_error("price", PRICE_NEEDED)
        resolve_city(self, data)
        return data

    def event_fields(self) -> dict:
        data = self.cleaned_data
        fields = {name: data[name] for name in self.Meta.fields}
        fields.update(
            format=data["format"],
            family=data["family"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            time_zone=data["time_zone"],
            city=data["city"],
            language=data["language"],
            topics=data["topics"],
            ticket_url=data["ticket_url"],
        )
        if fields["is_free"]:
            fields["price"] = ""
        return fields


def default_times(now: dt.datetime | None = None) -> dict:
    """A week from now at 8:30, for two hours: a sensible start for a new event's form."""
    local = timezone.localtime(now or timezone.now()) + dt.timedelta(days=7)
    start = local.replace(hour=8, minute=30, second=0, microsecond=0).replace(tzinfo=None)
    return {"starts_at": start, "ends_at": start + dt.timedelta(hours=2)}


class RsvpForm(forms.Form):
    going = forms.TypedChoiceField(
        choices=[("yes", _("Going")), ("no", _("Not going"))], coerce=lambda v: v == "yes", empty_value=False
    )
    with_guest = forms.BooleanField(label=_("I'll come with a guest"), required=False)
    guest_name = forms.CharField(label=_("Guest's name"), required=False, max_length=120)


class MetForm(forms.Form):
    met = forms.TypedMultipleChoiceField(
        label=_("Who did you meet?"), coerce=int, widget=forms.CheckboxSelectMultiple, choices=[]
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["met"].choices = [(p.user_id, p.display_name) for p in candidates]


class CheckinForm(forms.Form):
    rsvp = forms.IntegerField(widget=forms.HiddenInput)
    undo = forms.BooleanField(required=False, widget=forms.HiddenInput)
