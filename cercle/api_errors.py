"""Errors every API router answers the same way."""

import math

from django.core.exceptions import ValidationError
from django.utils.translation import ngettext
from ninja.errors import HttpError, Throttled


def refused(exc: ValidationError) -> HttpError:
    """A service's refusal (its messages, in the caller's language) as a 422."""
    return HttpError(422, "; ".join(str(message) for message in exc.messages))


def too_many_requests(request, exc: Throttled, *, api):
    """A 429 that says when to come back, in words and in `Retry-After` (whole seconds)."""
    seconds = max(1, math.ceil(exc.wait)) if exc.wait is not None else 60
    detail = ngettext(
        "Too many requests: try again in %(seconds)d second.",
        "Too many requests: try again in %(seconds)d seconds.",
        seconds,
    ) % {"seconds": seconds}
    response = api.create_response(request, {"detail": detail}, status=429)
    response["Retry-After"] = str(seconds)
    return response
