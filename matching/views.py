"""People to meet: thin views over matching.selectors and matching.services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from matching import selectors, services
from matching.forms import WeightsForm
from matching.models import MatchWeights
from matching.reasons import reasons_in_words
from people.selectors import active_member_or_404
from privacy.selectors import is_discoverable_by


def _page(request, form: WeightsForm, weights: MatchWeights, status: int = 200):
    from intros.selectors import pending_ask_target_ids, strongest_mutuals

    cards = [
        (card, reasons_in_words(card.suggestion.reasons, card.seen))
        for card in selectors.suggestions_for(request.user, weights=weights.as_weights())
    ]
    # "Ask a mutual for an introduction": the strongest mutual connection per card, when there is one.
    mutuals = strongest_mutuals(request.user, [card.profile.user_id for card, _reasons in cards])
    context = {
        "cards": cards,
        "form": form,
        "intro_mutuals": mutuals,
        "intro_asked_ids": pending_ask_target_ids(request.user) if mutuals else set(),
    }
    return render(request, "matching/suggestions.html", context, status=status)


@login_required
def suggestions(request):
    weights = selectors.weights_row(request.user)
    return _page(request, WeightsForm(instance=weights), weights)


@login_required
@require_POST
def dismiss(request, member_id: int):
    target = active_member_or_404(member_id)
    if target.pk == request.user.pk or not is_discoverable_by(request.user, target):
        raise Http404
    services.suggestion_dismiss(member=request.user, dismissed=target)
    if request.htmx:
        return HttpResponse("")  # the card is swapped out
    messages.success(request, _("This suggestion will not be shown again."))
    return redirect("matching:suggestions")


@login_required
@require_POST
def weights(request):
    weights = selectors.weights_row(request.user)
    form = WeightsForm(request.POST, instance=weights)
    if not form.is_valid():
        return _page(request, form, weights, status=400)
    services.weights_update(member=request.user, **form.cleaned_data)
    messages.success(request, _("Your preferences are saved."))
    return redirect("matching:suggestions")


# --- Coffee pairing


def _organized_circle_or_404(request, slug: str):
    from circles.models import Circle
    from circles.services import is_organizer

    circle = Circle.objects.filter(slug=slug).first()
    if circle is None or not is_organizer(circle=circle, user=request.user):
        raise Http404
    return circle


@login_required
def pairings(request):
    from matching.forms import PairingAnswerForm

    rows = selectors.pairings_of(request.user)
    return render(request, "matching/pairings.html", {"rows": rows, "form": PairingAnswerForm()})


@login_required
@require_POST
def pairing_met(request, pairing_id: int):
    from django.core.exceptions import ValidationError

    from matching.forms import PairingAnswerForm
    from matching.pairing import pairing_answer

    pairing = selectors.pairing_of_or_404(request.user, pairing_id)
    form = PairingAnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tell us whether you met."))
        return redirect("matching:pairings")
    try:
        pairing_answer(pairing=pairing, met=form.cleaned_data["met"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("matching:pairings")
    if form.cleaned_data["met"]:
        messages.success(request, _("Great! The coffee is logged in your network."))
    else:
        messages.success(request, _("Thank you for telling us."))
    return redirect("matching:pairings")


@login_required
def pairing_settings(request, slug: str):
    from matching.forms import PairingSettingsForm
    from matching.models import PairingRound
    from matching.pairing import pairing_settings_update

    circle = _organized_circle_or_404(request, slug)
    initial = {"enabled": circle.pairing_enabled, "rhythm": circle.pairing_rhythm}
    form = PairingSettingsForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            pairing_settings_update(
                circle=circle, enabled=form.cleaned_data["enabled"], rhythm=form.cleaned_data["rhythm"]
            )
            messages.success(request, _("Coffee pairing settings saved."))
            return redirect("matching:pairing_settings", slug=circle.slug)
        status = 400
    rounds = PairingRound.objects.filter(circle=circle).order_by("-number")[:10]
    return render(
        request, "matching/pairing_settings.html", {"circle": circle, "form": form, "rounds": rounds}, status=status
    )


@login_required
@require_POST
def pairing_run(request, slug: str):
    from matching.tasks import pairing_round_run

    circle = _organized_circle_or_404(request, slug)
    pairing_round_run.enqueue(circle.pk)
    messages.success(request, _("A round is being made: paired members will be notified."))
    return redirect("matching:pairing_settings", slug=circle.slug)
