from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from cercle.engine.scoring import COMPONENTS
from circles.models import PairingRhythm
from matching.models import MatchWeights

MAX_WEIGHT = 3.0


class RangeInput(forms.NumberInput):
    input_type = "range"


class WeightsForm(forms.Form):
    """One slider per component of the engine, from 0 (ignore it) to 3."""

    def __init__(self, *args, instance: MatchWeights, **kwargs):
        kwargs.setdefault("initial", {name: getattr(instance, name) for name in COMPONENTS})
        super().__init__(*args, **kwargs)
        for name in COMPONENTS:
            self.fields[name] = forms.FloatField(
                label=capfirst(MatchWeights._meta.get_field(name).verbose_name),
                min_value=0.0,
                max_value=MAX_WEIGHT,
                widget=RangeInput(attrs={"step": "0.1"}),
            )


class PairingSettingsForm(forms.Form):
    enabled = forms.BooleanField(label=_("Coffee pairing is on"), required=False)
    rhythm = forms.ChoiceField(label=_("Rhythm"), choices=PairingRhythm.choices)


class PairingAnswerForm(forms.Form):
    met = forms.TypedChoiceField(
        label=_("Did you meet?"),
        choices=[("yes", _("Yes, we met")), ("no", _("No, we did not meet"))],
        coerce=lambda value: value == "yes",
    )
