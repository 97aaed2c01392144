"""Sessions as configured (`cached_db`: the cache first, then the database), with the
database read as a prepared query (`core.prepared`): with the cache cold, every signed-in
request reads its session row, and building and compiling that query each time cost more
than running it."""

from __future__ import annotations

import datetime
import logging

from django.contrib.sessions.backends.cached_db import SessionStore as CachedDbStore
from django.contrib.sessions.models import Session
from django.core.exceptions import SuspiciousOperation
from django.utils import timezone

from uebergang.core.prepared import prepared


@prepared
def _live_session(session_key: str, now: datetime.datetime):
    return Session.objects.filter(session_key=session_key, expire_date__gt=now)[:2]


class SessionStore(CachedDbStore):
    def _get_session_from_db(self):
        try:
            rows = list(_live_session(session_key=self.session_key, now=timezone.now()))
        except SuspiciousOperation as e:  # as Django's own store does
            logging.getLogger(f"django.security.{e.__class__.__name__}").warning(str(e))
            rows = []
        if len(rows) == 1:
            return rows[0]
        self._session_key = None
        return None
