"""One-time messages shown with the next page."""

from django.contrib import messages
from django.core.exceptions import ValidationError


def flash_errors(request, exc: ValidationError) -> None:
    """Each message of a refused action (a service's ValidationError), as an error on the next page."""
    for message in exc.messages:
        messages.error(request, message)
