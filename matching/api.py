"""People to meet and coffee pairings over the API, with the pages' rules: every member shown is
seen through the privacy selector, a reason rests only on what the viewer may see, someone else's
pairing and a member one may not find are the same 404 as a missing one."""

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from cercle.api_errors import refused
from cercle.engine.scoring import COMPONENTS
from matching import selectors, services
from matching.forms import MAX_WEIGHT
from matching.reasons import reasons_in_words, visible_reasons
from people.selectors import active_member_or_404
from privacy.selectors import VisibleProfile, is_discoverable_by

router = Router(tags=["matching"])

MAX_SUGGESTIONS = 50


class PersonOut(Schema):
    id: int
    name: str | None
    headline: str
    profession: str
    city: str


class SuggestionOut(Schema):
    member: PersonOut
    score: float
    reasons: dict[str, Any] = Field(description="Structured reasons (terms, flags, a distance in km)")
    reasons_text: list[str] = Field(description="The same reasons in words, in the request's language")


class WeightsOut(Schema):
    spirit: float
    location: float
    gap: float
    synchronicity: float
    objectives: float
    availability: float


class WeightsIn(Schema):
    """Only the components given change; each from 0 (ignore it) to 3."""

    spirit: float | None = Field(None, ge=0, le=MAX_WEIGHT)
    location: float | None = Field(None, ge=0, le=MAX_WEIGHT)
    gap: float | None = Field(None, ge=0, le=MAX_WEIGHT)
    synchronicity: float | None = Field(None, ge=0, le=MAX_WEIGHT)
    objectives: float | None = Field(None, ge=0, le=MAX_WEIGHT)
    availability: float | None = Field(None, ge=0, le=MAX_WEIGHT)


class CircleRef(Schema):
    name: str
    slug: str


class PairingOut(Schema):
    id: int
    circle: CircleRef
    round: int
    created_at: datetime
    partners: list[PersonOut]
    suggested_format: str = Field(description="The format's label, in the request's language")
    openers: list[str]
    met: bool | None


class MetIn(Schema):
    met: bool


def _person(seen: VisibleProfile) -> dict:
    return {
        "id": seen.user_id,
        "name": seen.name,
        "headline": seen.headline,
        "profession": seen.profession,
        "city": seen.city,
    }


def _weights_out(row) -> dict:
    return {name: getattr(row, name) for name in COMPONENTS}


def _pairing_out(row: selectors.PairingRow) -> dict:
    round_ = row.pairing.group.round
    return {
        "id": row.pairing.pk,
        "circle": {"name": round_.circle.name, "slug": round_.circle.slug},
        "round": round_.number,
        "created_at": round_.created_at,
        "partners": [_person(p) for p in row.partners],
        "suggested_format": row.format,
        "openers": row.openers,
        "met": row.pairing.met,
    }


@router.get("/suggestions", response=list[SuggestionOut], summary="People to meet this week, with reasons")
def list_suggestions(request, k: int = 10):
    cards = selectors.suggestions_for(request.user, k=max(1, min(k, MAX_SUGGESTIONS)))
    return [
        {
            "member": _person(card.seen),
            "score": round(card.suggestion.score, 4),
            "reasons": visible_reasons(card.suggestion.reasons, card.seen),
            "reasons_text": reasons_in_words(card.suggestion.reasons, card.seen),
        }
        for card in cards
    ]


@router.post("/suggestions/{member_id}/dismiss", response={204: None}, summary="Never suggest this member again")
def dismiss_suggestion(request, member_id: int):
    target = active_member_or_404(member_id)
    if target.pk == request.user.pk or not is_discoverable_by(request.user, target):
        raise Http404
    services.suggestion_dismiss(member=request.user, dismissed=target)
    return Status(204, None)


@router.get("/weights", response=WeightsOut, summary="How I weigh the engine's components")
def get_weights(request):
    return _weights_out(selectors.weights_row(request.user))


@router.patch("/weights", response=WeightsOut, summary="Change some of my weights")
def set_weights(request, payload: WeightsIn):
    changes = {name: value for name, value in payload.dict().items() if value is not None}
    try:
        row = services.weights_update(member=request.user, **changes)
    except ValueError as exc:
        raise HttpError(422, str(exc)) from exc
    return _weights_out(row)


@router.get("/pairings", response=list[PairingOut], summary="My coffee pairings, newest first")
def list_pairings(request):
    return [_pairing_out(row) for row in selectors.pairings_of(request.user)]


@router.post("/pairings/{pairing_id}/met", response=PairingOut, summary='Answer "did you meet?"')
def answer_pairing(request, pairing_id: int, payload: MetIn):
    from matching.pairing import pairing_answer

    pairing = selectors.pairing_of_or_404(request.user, pairing_id)
    try:
        pairing_answer(pairing=pairing, met=payload.met)
    except ValidationError as exc:
        raise refused(exc) from exc
    [row] = selectors.pairings_of(request.user, pairing_id=pairing.pk)
    return _pairing_out(row)
