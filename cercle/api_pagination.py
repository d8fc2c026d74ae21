"""One way to page through every list the API returns: `limit` and `offset` in, `items` and the
total `count` out. A list view returns its collection (a queryset or a list) and is decorated with
`@paginate(Page)`; when showing an item costs work, it returns `Shown(collection, show)` instead,
so that only the page asked for is shown."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

DEFAULT_LIMIT = 50
MAX_LIMIT = 100
# Far beyond any list here, and well inside every database's integers (a larger offset was a 500).
MAX_OFFSET = 1_000_000


@dataclass(frozen=True)
class Shown:
    """A collection and how to show a page of it (a list of its items in, what to answer out)."""

    items: QuerySet | Sequence
    show: Callable[[list], list]


class Page(LimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="How many items, 1 to 100")
        offset: int = Field(0, ge=0, le=MAX_OFFSET, description="How many items to skip")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_limit=MAX_LIMIT, **kwargs)

    def paginate_queryset(self, queryset, pagination: Input, request, **params) -> dict:
        items, show = (queryset.items, queryset.show) if isinstance(queryset, Shown) else (queryset, list)
        page = list(items[pagination.offset : pagination.offset + pagination.limit])
        count = items.count() if isinstance(items, QuerySet) else len(items)
        return {self.items_attribute: show(page), "count": count}
