"""Entries kept under the versions that services bump.

An entry's key names every version it depends on (a profile's `updated_at`, two members'
relations versions…), so a change makes a new key on the very next read and nothing is ever
invalidated: old entries are simply no longer asked for and age out. They live in the "pages"
cache, never beside the rate-limit counters of the default cache.

With `CACHE_STATUS_HEADER` on (the benchmarks), each answer lists its lookups, e.g.
`X-Cercle-Cache: audience=hit, profile-body=miss`, to measure hit ratios from outside.
"""

import hashlib
from collections.abc import Callable
from contextvars import ContextVar
from typing import TypeVar

from django.core.cache import caches

T = TypeVar("T")

# A versioned entry is never stale: the timeout only frees memory nobody asks for any more.
TIMEOUT_S = 24 * 3600

_lookups: ContextVar[list[str] | None] = ContextVar("cercle_cache_lookups", default=None)


def versioned_key(name: str, *parts) -> str:
    return f"{name}:" + hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()


def get_or_build(name: str, parts: tuple, build: Callable[[], T], *, timeout: int = TIMEOUT_S) -> T:
    """The entry `name` for these versions, built (and kept) on a miss. `build` must not return None."""
    cache = caches["pages"]
    key = versioned_key(name, *parts)
    value = cache.get(key)
    note_lookup(name, hit=value is not None)
    if value is None:
        value = build()
        cache.set(key, value, timeout)
    return value


def note_lookup(name: str, *, hit: bool) -> None:
    lookups = _lookups.get()
    if lookups is not None:
        lookups.append(f"{name}={'hit' if hit else 'miss'}")


class CacheStatusMiddleware:
    """Only in settings when CACHE_STATUS_HEADER is on: adds `X-Cercle-Cache` to each answer."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _lookups.set([])
        try:
            response = self.get_response(request)
            if lookups := _lookups.get():
                response["X-Cercle-Cache"] = ", ".join(lookups)
        finally:
            _lookups.reset(token)
        return response
