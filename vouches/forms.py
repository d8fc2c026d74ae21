from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vouches import services
from vouches.models import TEXT_MAX_CHARS, Relation


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class VouchForm(forms.Form):
    """The declaration comes first: only someone who worked with the person may vouch."""

    worked_with = forms.BooleanField(
        label=_("I worked with this person"),
        help_text=_("Having met once at an event is not enough: a vouch is about work done together."),
        required=True,
        error_messages={"required": services.DECLARATION_REQUIRED},
    )
    relation = forms.ChoiceField(
        label=_("How did you work together?"),
        choices=[("", _("Choose…"))] + list(Relation.choices),
        error_messages={"required": services.RELATION_REQUIRED},
    )
    started_on = forms.DateField(
        label=_("From"), widget=DateInput(), error_messages={"required": services.START_REQUIRED}
    )
    ended_on = forms.DateField(
        label=_("To"), required=False, widget=DateInput(), help_text=_("Leave empty if you still work together.")
    )
    text = forms.CharField(
        label=_("Your vouch"),
        help_text=_(
            "What was it like to work with them? A few sentences: they read it first, and it appears on their "
            "profile only if they approve it."
        ),
        max_length=TEXT_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            # Declared when the vouch was written; its dates and text may still change.
            del self.fields["worked_with"]

    def clean_text(self):
        return services.clean_text(self.cleaned_data["text"])

    def clean(self):
        data = super().clean()
        started_on = data.get("started_on")
        if started_on is None:
            return data
        try:
            services.clean_period(started_on, data.get("ended_on"))
        except ValidationError as exc:
            on_end = exc.code == "end_before_start" or (exc.code == "future" and started_on <= timezone.localdate())
            self.add_error("ended_on" if on_end else "started_on", exc)
        return data

    def service_fields(self) -> dict:
        data = self.cleaned_data
        return {k: data.get(k) for k in ("relation", "started_on", "ended_on", "text")}
