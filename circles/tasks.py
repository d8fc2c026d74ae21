"""Background work of circles. Tasks call services; they hold no logic of their own."""

import datetime as dt

from django_tasks import task


@task(queue_name="mail")
def send_join_request_alerts(*, since: str, period: str) -> int:
    """Organizers' hourly summary of the requests to join their circles."""
    from circles.alerts import join_requests_alert

    return join_requests_alert(since=dt.datetime.fromisoformat(since), until=dt.datetime.fromisoformat(period))


@task(queue_name="mail")
def send_report_alerts(*, since: str, period: str) -> int:
    """Organizers' and operators' hourly summary of the reports to handle."""
    from circles.alerts import reports_alert

    return reports_alert(since=dt.datetime.fromisoformat(since), until=dt.datetime.fromisoformat(period))
