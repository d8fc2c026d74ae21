"""Background work of matching: tasks call the module that does the work, they hold no logic."""

from django_tasks import task


@task(queue_name="matching")
def arrays_refresh() -> int:
    """Rebuild the engine's arrays from the profiles; returns how many members they hold."""
    from django.core.cache import cache

    from matching.arrays import REFRESH_QUEUED_KEY, arrays_rebuild

    cache.delete(REFRESH_QUEUED_KEY)
    return len(arrays_rebuild())


@task(queue_name="matching")
def arrays_refresh_if_stale() -> bool:
    """Rebuild the engine's arrays if none are published or a queued rebuild never ran (the scheduler's check)."""
    from django.core.cache import cache

    from matching.arrays import REFRESH_QUEUED_KEY, arrays_are_stale, arrays_rebuild

    if not arrays_are_stale():
        return False
    cache.delete(REFRESH_QUEUED_KEY)
    arrays_rebuild()
    return True


@task(queue_name="matching")
def pairing_rounds_due() -> int:
    """A coffee-pairing round for every circle whose last round is older than its rhythm."""
    from matching.pairing import pairing_rounds_due as due

    return len(due())


@task(queue_name="matching")
def pairing_round_run(circle_id: int) -> int | None:
    """One coffee-pairing round in this circle now; returns the round's number (None: too few members)."""
    from circles.models import Circle
    from matching.pairing import pairing_round_create

    circle = Circle.objects.filter(pk=circle_id).first()
    if circle is None:
        return None
    made = pairing_round_create(circle=circle)
    return made.number if made else None
