"""Background work of intros: tasks call the module that does the work, they hold no logic."""

from django_tasks import task


@task()
def graph_refresh() -> int:
    """Rebuild the connection graph for introduction paths; returns how many connections it holds."""
    from django.core.cache import cache

    from intros.graph import REFRESH_QUEUED_KEY, graph_rebuild

    cache.delete(REFRESH_QUEUED_KEY)
    return graph_rebuild().edge_count
