"""Errors every API router answers the same way."""

from django.core.exceptions import ValidationError
from ninja.errors import HttpError


def refused(exc: ValidationError) -> HttpError:
    """A service's refusal (its messages, in the caller's language) as a 422."""
    return HttpError(422, "; ".join(str(message) for message in exc.messages))
