"""Background work of matching: tasks call the module that does the work, they hold no logic."""

from django_tasks import task


@task()
def arrays_refresh() -> int:
    """Rebuild the engine's arrays from the profiles; returns how many members they hold."""
    from django.core.cache import cache

    from matching.arrays import REFRESH_QUEUED_KEY, arrays_rebuild

    cache.delete(REFRESH_QUEUED_KEY)
    return len(arrays_rebuild())
