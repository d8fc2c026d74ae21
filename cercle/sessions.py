"""Django's database session store, read with plain SQL: every signed-in page reads its session.

Same table, same rows and same expiry rule as `django.contrib.sessions.backends.db`; only the
read skips the ORM (building the query cost more than running it).
"""

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone


class SessionStore(db.SessionStore):
    def load(self):
        model = self.model
        using = router.db_for_read(model)
        connection = connections[using]
        if self.session_key is None:
            return {}
        table, key, data, expire = (
            connection.ops.quote_name(name)
            for name in (model._meta.db_table, "session_key", "session_data", "expire_date")
        )
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {data} FROM {table} WHERE {key} = %s AND {expire} > %s", [self.session_key, now])  # noqa: S608 - names quoted by the backend, values as parameters
            row = cursor.fetchone()
        if row is None:
            self._session_key = None  # as the db store does: a new key if anything is saved
            return {}
        return self.decode(row[0])
