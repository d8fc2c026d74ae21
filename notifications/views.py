"""My notifications, my preferences, my digest, and the one-click unsubscribe: thin views."""

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from notifications import selectors, services
from notifications.context_processors import unread
from notifications.digest import digest_for
from notifications.emails import render_message, time_zone_of, unsubscribe_read
from notifications.forms import PreferencesForm
from notifications.models import Kind, Notification

PAGE_SIZE = 20


@dataclass(frozen=True)
class Item:
    """A notification as its reader sees it: the message in their language."""

    notification: Notification
    text: str

    @property
    def unread(self) -> bool:
        return self.notification.read_at is None

    @property
    def href(self) -> str:
        """Only links inside Cercle (or plain web addresses) are followed from the list."""
        url = self.notification.url
        return url if url.startswith(("/", "https://", "http://")) and not url.startswith("//") else ""


def _items(notifications) -> list[Item]:
    return [Item(notification=n, text=render_message(n)) for n in notifications]


def _render(request, template: str, context: dict):
    # Times in the reader's time zone (their profile's, Europe/Paris by default). The count of the
    # bell is given here too: HTMX responses swap it out of band.
    with timezone.override(time_zone_of(request.user)):
        return render(request, template, context | unread(request))


def _list_context(request) -> dict:
    page = Paginator(selectors.notifications_for(member=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return {"page": page, "items": _items(page.object_list)}


@login_required
def notification_list(request):
    template = "notifications/_list.html" if request.htmx else "notifications/list.html"
    return _render(request, template, _list_context(request))


def _back_to_list(request):
    """Back to the page of the list the reader was on."""
    target = request.POST.get("next", "")
    list_path = reverse("notifications:list")
    if (
        target
        and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})
        and urlsplit(target).path == list_path
    ):
        return redirect(target)
    return redirect(list_path)


@login_required
@require_POST
def notification_read(request, notification_id: int):
    notification = services.notification_mark_read(
        notification=selectors.notification_of(request.user, notification_id)
    )
    if request.htmx:
        return _render(request, "notifications/_read.html", {"item": _items([notification])[0]})
    return _back_to_list(request)


@login_required
@require_POST
def notifications_read_all(request):
    services.notifications_mark_all_read(member=request.user)
    if request.htmx:
        return _render(request, "notifications/_read_all.html", _list_context(request))
    messages.success(request, _("All your notifications are marked as read."))
    return _back_to_list(request)


@login_required
def preferences_edit(request):
    current = selectors.preferences_of(member=request.user)
    form = PreferencesForm(request.POST or None, initial=PreferencesForm.initial_from(current))
    if request.method == "POST" and form.is_valid():
        services.preferences_save(member=request.user, choices=form.choices())
        messages.success(request, _("Your notification settings are saved."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})


@login_required
def digest_view(request):
    """This week's digest, live: what the weekly e-mail would hold now."""
    with timezone.override(time_zone_of(request.user)):
        digest = digest_for(member=request.user)
        return render(request, "notifications/digest.html", {"digest": digest})


# The signed token is the only credential of this page, by design: a mail client's one-click
# POST (RFC 8058) carries neither a session nor a CSRF token, and a forged request would need
# the token, which only the member's mailbox holds.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    target = unsubscribe_read(token)
    if target is None:
        raise Http404
    member_id, kind = target
    member = get_user_model().objects.filter(pk=member_id, is_active=True).first()
    if member is None:
        raise Http404
    context = {"kind": Kind(kind), "token": token, "done": False}
    if request.method == "POST":
        services.email_unsubscribe(member=member, kind=kind)
        context["done"] = True
    return render(request, "notifications/unsubscribe.html", context)
