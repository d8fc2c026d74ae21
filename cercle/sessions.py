"""Django's database session store, read the cheap way: every signed-in page reads its session.

Same table, same rows and same expiry rule as `django.contrib.sessions.backends.db`; only the
read differs. It is plain SQL (building the ORM query cost more than running it), and a row's
signature is checked once per process: the same signed text always holds the same data, so
later reads of an unchanged session only parse its JSON.
"""

import functools

from django.conf import settings
from django.contrib.sessions.backends import db
from django.core import signing
from django.db import connections, router
from django.utils import timezone

from cercle.prepared import fetch_rows

# A signed-in session is a few hundred characters; larger ones are read the usual way, so that
# the cache of checked sessions (4,096 of them at most) stays a few megabytes at worst.
_CACHED_UP_TO = 1024


class SessionStore(db.SessionStore):
    def load(self):
        model = self.model
        using = router.db_for_read(model)
        connection = connections[using]
        if self.session_key is None:
            return {}
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        _columns, rows = fetch_rows(_select_sql(model, using), [self.session_key, now], using=using)
        if not rows:
            self._session_key = None  # as the db store does: a new key if anything is saved
            return {}
        session_data = rows[0][0]
        if len(session_data) > _CACHED_UP_TO:
            return self.decode(session_data)
        secrets = (settings.SECRET_KEY, tuple(settings.SECRET_KEY_FALLBACKS))
        payload = _verified_payload(session_data, self.key_salt, secrets)
        if payload is None:
            return self.decode(session_data)  # Django's own handling (and logging) of a bad row
        return self.serializer().loads(payload)


@functools.cache
def _select_sql(model, using: str) -> str:
    quote = connections[using].ops.quote_name
    table, key, data, expire = (
        quote(name) for name in (model._meta.db_table, "session_key", "session_data", "expire_date")
    )
    return f"SELECT {data} FROM {table} WHERE {key} = %s AND {expire} > %s"  # noqa: S608 - names quoted by the backend


class _Unparsed:
    """A `signing` serializer that hands back the verified bytes as they are."""

    def loads(self, data: bytes) -> bytes:
        return data


@functools.lru_cache(maxsize=4096)
def _verified_payload(session_data: str, salt: str, _secrets: tuple) -> bytes | None:
    # The secrets are part of the key so a changed SECRET_KEY never accepts an old row.
    try:
        return signing.loads(session_data, salt=salt, serializer=_Unparsed)
    except Exception:  # noqa: BLE001 - a bad signature or a damaged row: Django's decode() logs which
        return None
