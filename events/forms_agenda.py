"""Forms of the agenda: its search (GET, works without JavaScript) and registering an iCal feed."""

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from circles.vocab import Family
from events.agenda import DEFAULT_DAYS, MAX_DAYS, RADII_KM, AgendaQuery, day_start
from events.feeds import feed_address, feed_address_problem
from events.vocab import EventFormat
from people.vocab import Language
from places.forms import CITY_UNKNOWN
from places.models import City
from places.text import fold

END_BEFORE_START = _("The end date comes before the start date.")
RANGE_TOO_LONG = _("Choose at most %(days)s days.")
NEAR_NEEDS_CITY = _("Add your city to your profile to see what happens near you.")
BAD_FEED_ADDRESS = _("Enter the address of an iCal feed (https://… or webcal://…).")
ONE_TARGET = _("Choose a city or one of your circles.")


def _city_from(query: str, chosen: City | None) -> City | None:
    """The town picked in the suggestions, or the biggest one of that name; None for none typed."""
    name = (query or "").split(",")[0].strip()
    if chosen is not None and (not name or fold(chosen.name) == fold(name)):
        return chosen
    if not name:
        return None
    found = City.objects.filter(search_name=fold(name)).order_by("-population").first()
    if found is None:
        raise forms.ValidationError(CITY_UNKNOWN, params={"name": name})
    return found


class AgendaForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    city_query = forms.CharField(
        label=_("City"), required=False, max_length=200, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    city = forms.ModelChoiceField(queryset=City.objects.all(), required=False, widget=forms.HiddenInput)
    near = forms.TypedChoiceField(
        label=_("Near me"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Anywhere"))]
        + [(str(km), format_lazy(_("Within {km} km of my city"), km=km)) for km in RADII_KM],
    )
    start = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    format = forms.ChoiceField(label=_("Format"), required=False, choices=[("", _("Any format")), *EventFormat.choices])
    family = forms.ChoiceField(label=_("Family"), required=False, choices=[("", _("Any family")), *Family.choices])
    topic = forms.CharField(label=_("Topic"), required=False, max_length=60)
    language = forms.ChoiceField(
        label=_("Language"), required=False, choices=[("", _("Any language")), *Language.choices]
    )

    def __init__(self, *args, home_city: City | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.home_city = home_city

    def clean(self):
        data = super().clean()
        try:
            data["city"] = _city_from(data.get("city_query", ""), data.get("city"))
        except forms.ValidationError as error:
            self.add_error("city_query", error)
        if data.get("near") and self.home_city is None:
            self.add_error("near", NEAR_NEEDS_CITY)
        today = timezone.localdate()
        start = data.get("start") or today
        end = data.get("end") or (start + timedelta(days=DEFAULT_DAYS))
        if end < start:
            self.add_error("end", END_BEFORE_START)
        elif (end - start).days > MAX_DAYS:
            self.add_error("end", forms.ValidationError(RANGE_TOO_LONG, params={"days": MAX_DAYS}))
        data["start"], data["end"] = start, end
        return data

    def agenda_query(self) -> AgendaQuery:
        data = self.cleaned_data
        start, end = data["start"], data["end"]
        # From now when the range starts today: what has already begun is not on the agenda.
        starts_from = max(day_start(start), timezone.now()) if start <= timezone.localdate() else day_start(start)
        return AgendaQuery(
            starts_from=starts_from,
            starts_before=day_start(end + timedelta(days=1)),
            city=data.get("city"),
            near=self.home_city if data.get("near") else None,
            radius_km=data.get("near"),
            format=data.get("format", ""),
            family=data.get("family", ""),
            topic=data.get("topic", "").strip(),
            language=data.get("language", ""),
            text=data.get("q", ""),
        )

    def querystring(self) -> str:
        """The search as given, without the page: what pagination links carry along."""
        params = self.data.copy()
        params.pop("page", None)
        return params.urlencode()


class FeedForm(forms.Form):
    url = forms.CharField(
        label=_("Feed address"),
        max_length=500,
        help_text=_("The iCal (.ics) address of an agenda: https://… or webcal://…"),
        widget=forms.URLInput(attrs={"placeholder": "https://…/agenda.ics"}),
    )
    city_query = forms.CharField(
        label=_("City"),
        required=False,
        max_length=200,
        help_text=_("Its events join the agenda of this city, for everyone."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    city = forms.ModelChoiceField(queryset=City.objects.all(), required=False, widget=forms.HiddenInput)
    circle = forms.ModelChoiceField(
        label=_("or one of my circles"),
        queryset=None,
        required=False,
        help_text=_("Its events become the circle's events, seen as the circle is."),
    )

    def __init__(self, *args, circles, cities_allowed: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["circle"].queryset = circles
        if not cities_allowed:  # a city's agenda is public: operators only (events.feeds)
            del self.fields["city_query"], self.fields["city"]
            self.fields["circle"].label = _("For my circle")
            self.fields["circle"].required = True

    def clean_url(self):
        url = feed_address(url=self.cleaned_data["url"])
        try:
            forms.URLField(assume_scheme="https").clean(url)
        except forms.ValidationError:
            raise forms.ValidationError(BAD_FEED_ADDRESS) from None
        if not url.lower().startswith(("https://", "http://")):
            raise forms.ValidationError(BAD_FEED_ADDRESS)
        problem = feed_address_problem(url=url)
        if problem:
            raise forms.ValidationError(problem)
        return url

    def clean(self):
        data = super().clean()
        if "city" not in self.fields:
            data["city"] = None
            return data
        try:
            data["city"] = _city_from(data.get("city_query", ""), data.get("city"))
        except forms.ValidationError as error:
            self.add_error("city_query", error)
            return data
        if (data.get("city") is None) == (data.get("circle") is None):
            raise forms.ValidationError(ONE_TARGET)
        return data
