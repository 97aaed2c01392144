"""Django's model backend, with the signed-in user read as a prepared query
(`core.prepared`) on every request: building and compiling `User.objects.get(pk=…)` each
time cost more than running it."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.core.exceptions import ValidationError

from uebergang.core.prepared import prepared


@prepared
def _user(pk: int):
    return get_user_model()._default_manager.filter(pk=pk)[:2]


class ModelBackend(DjangoModelBackend):
    def get_user(self, user_id):
        try:
            pk = get_user_model()._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        if pk is None:
            return None
        rows = list(_user(pk=pk))
        if len(rows) != 1:
            return None
        return rows[0] if self.user_can_authenticate(rows[0]) else None
