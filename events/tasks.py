"""Background work of the agenda: fetching external iCal feeds. Tasks call services only."""

from django_tasks import task


@task(queue_name="feeds")
def refresh_ical_feed(*, feed_id: int) -> dict:
    """Fetch one registered feed and upsert its events; the outcome is recorded on the feed."""
    from events.feeds import feed_refresh
    from events.models import IcalFeed

    feed = IcalFeed.objects.select_related("city", "circle__city", "created_by").filter(pk=feed_id).first()
    if feed is None:  # removed in the meantime
        return {}
    result = feed_refresh(feed=feed)
    return result.counts() if result is not None else {"rejected": feed.last_error}


@task(queue_name="feeds")
def refresh_all_ical_feeds() -> int:
    """Queue a refresh of every registered feed (the scheduler runs it every hour)."""
    from events.models import IcalFeed

    # Feeds imported from a file by an operator (file://) have no address to fetch.
    feed_ids = list(IcalFeed.objects.filter(url__startswith="http").values_list("pk", flat=True))
    for feed_id in feed_ids:
        refresh_ical_feed.enqueue(feed_id=feed_id)
    return len(feed_ids)


@task(queue_name="mail")
def send_rsvp_alerts(*, since: str, period: str) -> int:
    """Organizers' hourly summary of the answers to their events."""
    import datetime as dt

    from events.alerts import rsvp_activity_alert

    return rsvp_activity_alert(since=dt.datetime.fromisoformat(since), until=dt.datetime.fromisoformat(period))


@task(queue_name="mail")
def send_new_event_alerts(*, since: str, period: str) -> int:
    """Members' hourly message of the events created in their circles."""
    import datetime as dt

    from events.alerts import new_events_alert

    return new_events_alert(since=dt.datetime.fromisoformat(since), until=dt.datetime.fromisoformat(period))
