"""The town field shared by every form with a city: typed text, helped by HTMX suggestions."""

from django import forms
from django.utils.translation import gettext_lazy as _

from places.models import City
from places.text import fold

CITY_UNKNOWN = _("No town called “%(name)s” was found. Pick one from the suggestions.")


def resolve_city(form: forms.Form, data: dict) -> None:
    """Set data["city"] from the picked suggestion ("city") or the typed name ("city_query").

    Without JavaScript only the typed name arrives: the biggest town of that name is taken.
    An unknown name is an error on the field, and the rest of the form keeps what was typed.
    """
    query = (data.get("city_query") or "").strip()
    name = query.split(",")[0]
    chosen = data.get("city")
    if chosen and fold(chosen.name) == fold(name):
        return
    if not query:
        data["city"] = None
        return
    found = City.objects.filter(search_name=fold(name)).order_by("-population").first()
    if found is None:
        form.add_error("city_query", forms.ValidationError(CITY_UNKNOWN, params={"name": name}))
    data["city"] = found
