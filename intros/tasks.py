"""Background work of intros: tasks call the module that does the work, they hold no logic."""

from django_tasks import task


@task(queue_name="matching")
def graph_refresh() -> int:
    """Rebuild the connection graph for introduction paths; returns how many connections it holds."""
    from django.core.cache import cache

    from intros.graph import REFRESH_QUEUED_KEY, graph_rebuild

    cache.delete(REFRESH_QUEUED_KEY)
    return graph_rebuild().edge_count


@task(queue_name="matching")
def graph_refresh_if_stale() -> bool:
    """Rebuild the connection graph if connections changed since it was built (the scheduler's check)."""
    from intros.graph import graph_is_stale, graph_rebuild

    if not graph_is_stale():
        return False
    graph_rebuild()
    return True


@task()
def expire_overdue() -> dict:
    """Close introductions and introduction asks left unanswered past their date."""
    from intros.services import introduction_asks_expire, introductions_expire

    return {"introductions": introductions_expire(), "asks": introduction_asks_expire()}
