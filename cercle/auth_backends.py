"""The authentication backends, with the user of each request read by one prepared query.

`get_user` runs on every signed-in request; the rest is Django's and allauth's own.
"""

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth import backends, get_user_model

from cercle.prepared import Prepared


def _user_row(*, user_id: int, **_):
    user_model = get_user_model()
    return user_model._default_manager.filter(pk=user_id).values(*(f.attname for f in user_model._meta.concrete_fields))


_user_query = Prepared(_user_row, "user_id")


class FastGetUser:
    def get_user(self, user_id):
        try:
            user_id = int(user_id)
        except (TypeError, ValueError):
            return None
        columns, rows = _user_query.rows(user_id=user_id)
        if not rows:
            return None
        user_model = get_user_model()
        user = user_model.from_db("default", columns, rows[0])
        return user if self.user_can_authenticate(user) else None


class ModelBackend(FastGetUser, backends.ModelBackend):
    pass


class AuthenticationBackend(FastGetUser, AllauthBackend):
    pass
