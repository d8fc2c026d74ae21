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
    cards = [
        (card, reasons_in_words(card.suggestion.reasons, card.seen))
        for card in selectors.suggestions_for(request.user, weights=weights.as_weights())
    ]
    return render(request, "matching/suggestions.html", {"cards": cards, "form": form}, status=status)


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
