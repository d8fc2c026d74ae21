"""Thin views of the agenda, the calendars (.ics) and the iCal feeds page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from cercle.public_pages import public_page
from circles.models import Circle, Visibility
from events.agenda import (
    PAGE_SIZE,
    AgendaPaginator,
    agenda_events,
    agenda_rows,
    circle_feed_events,
    event_for_viewer_or_404,
    my_calendar_events,
    public_circles_of,
)
from events.feeds import (
    FeedError,
    circles_organized_by,
    feed_managed_or_404,
    feed_refresh_later,
    feed_register,
    feed_remove,
    feed_status,
    feeds_managed_by,
    may_manage_feeds,
    may_publish_to_cities,
)
from events.forms_agenda import AgendaForm, FeedForm
from events.ical import calendar_of, calendar_token_of, calendar_token_renew
from places.models import City

ICS_CONTENT_TYPE = "text/calendar; charset=utf-8"


def _home_city(user) -> City | None:
    if not user.is_authenticated:
        return None
    return City.objects.filter(profile__user=user).first()


@require_safe
def agenda(request):
    template = "events/_agenda_results.html" if request.htmx else "events/agenda.html"
    if not request.user.is_authenticated:
        return public_page(request, template, lambda: _agenda_context(request))
    return render(request, template, _agenda_context(request))


def _agenda_context(request) -> dict:
    home_city = _home_city(request.user)
    data = request.GET
    if not data and home_city is not None:  # first visit: my own city
        data = QueryDict(mutable=True)
        data.update({"city": str(home_city.pk), "city_query": home_city.name})
    form = AgendaForm(data, home_city=home_city)
    page, rows = None, []
    if form.is_valid():
        events, distances = agenda_events(viewer=request.user, query=form.agenda_query())
        # Pages of ids (cheap to count and sort), then the page's rows as plain values.
        page = AgendaPaginator(events.values_list("pk", flat=True), PAGE_SIZE).get_page(request.GET.get("page"))
        rows = agenda_rows(event_ids=list(page.object_list), distances=distances)
    context = {"form": form, "page": page, "rows": rows, "querystring": form.querystring(), "home_city": home_city}
    if not request.htmx:
        context["may_manage_feeds"] = may_manage_feeds(user=request.user)
    return context


def _ics(body: bytes, *, filename: str = "", private: bool = True) -> HttpResponse:
    response = HttpResponse(body, content_type=ICS_CONTENT_TYPE)
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # A private feed (an event seen signed in, my own calendar by its token) is stored nowhere.
    response["Cache-Control"] = "private, no-store" if private else "public, max-age=600"
    response["X-Robots-Tag"] = "noindex"
    return response


@require_safe
def event_ics(request, event_id: int):
    event = event_for_viewer_or_404(viewer=request.user, event_id=event_id)
    body = calendar_of(events=[event], name=event.title, uid=f"event-{event.pk}")
    return _ics(body, filename=f"cercle-event-{event.pk}.ics")


@require_safe
def circle_ics(request, slug: str):
    # Feed readers cannot log in: only public circles have an open feed; members see the events
    # of other circles through their private feed.
    circle = Circle.objects.filter(slug=slug, visibility=Visibility.PUBLIC).first()
    if circle is None:
        raise Http404
    body = calendar_of(
        events=circle_feed_events(circle=circle), name=circle.name, uid=f"circle-{circle.pk}", refresh_hours=1
    )
    return _ics(body, private=False)


@require_safe
def my_ics(request, token: str):
    calendar_token = calendar_token_of(token=token)
    if calendar_token is None:
        raise Http404
    owner = calendar_token.owner
    events, waitlisted = my_calendar_events(owner=owner)
    body = calendar_of(
        events=events,
        name=_("My Cercle events"),
        uid=f"member-{owner.pk}",
        refresh_hours=1,
        tentative_ids=waitlisted,
    )
    return _ics(body)


@login_required
@require_safe
def calendars(request):
    calendar_token = calendar_token_of(owner=request.user)
    private_url = ""
    if calendar_token is not None:
        private_url = request.build_absolute_uri(reverse("agenda:my_ics", kwargs={"token": calendar_token.token}))
    circle_feeds = [
        (circle, request.build_absolute_uri(reverse("agenda:circle_ics", kwargs={"slug": circle.slug})))
        for circle in public_circles_of(member=request.user)
    ]
    return render(
        request,
        "events/calendars.html",
        {
            "private_url": private_url,
            "webcal_url": private_url.replace("https://", "webcal://", 1).replace("http://", "webcal://", 1),
            "circle_feeds": circle_feeds,
        },
    )


@login_required
@require_POST
def calendar_renew(request):
    had_one = calendar_token_of(owner=request.user) is not None
    calendar_token_renew(owner=request.user)
    if had_one:
        messages.success(request, _("Your private calendar has a new address; the old one no longer works."))
    else:
        messages.success(request, _("Your private calendar address is ready."))
    return redirect("agenda:calendars")


def _feeds_page(request, form: FeedForm, status: int = 200):
    feeds = [(feed, feed_status(feed=feed)) for feed in feeds_managed_by(user=request.user)]
    return render(request, "events/feeds.html", {"form": form, "feeds": feeds}, status=status)


def _feed_form(request, data=None) -> FeedForm:
    user = request.user
    return FeedForm(data, circles=circles_organized_by(user=user), cities_allowed=may_publish_to_cities(user=user))


def _may_manage_or_404(user) -> None:
    if not may_manage_feeds(user=user):
        raise Http404


@login_required
@require_safe
def feed_list(request):
    _may_manage_or_404(request.user)
    return _feeds_page(request, _feed_form(request))


@login_required
@require_POST
def feed_add(request):
    _may_manage_or_404(request.user)
    form = _feed_form(request, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            feed_register(url=data["url"], city=data["city"], circle=data["circle"], created_by=request.user)
        except FeedError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The feed is registered; its events arrive in a moment."))
            return redirect("agenda:feed_list")
    return _feeds_page(request, form, status=400)


@login_required
@require_POST
def feed_delete(request, feed_id: int):
    feed = feed_managed_or_404(user=request.user, feed_id=feed_id)
    feed_remove(feed=feed)
    messages.success(request, _("The feed is removed; its upcoming events left the agenda."))
    return redirect("agenda:feed_list")


@login_required
@require_POST
def feed_refresh(request, feed_id: int):
    feed = feed_managed_or_404(user=request.user, feed_id=feed_id)
    feed_refresh_later(feed=feed)
    messages.success(request, _("The feed will be fetched again in a moment."))
    return redirect("agenda:feed_list")
