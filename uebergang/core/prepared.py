"""Queries built and compiled once per process, run again with other values.

A cold page spends most of its time not in the database but in Django building and compiling
its querysets: a filter with a join, a subquery and an ordering costs a few milliseconds of
Python on every request, the SQL itself well under one (`bench/profile.py`). A prepared
query is built once per process and database from its builder, its SQL kept, and on each
run only the values of its parameters are put in:

    @prepared
    def invitations_to_answer(network_id: int, user_id: int, now: datetime.datetime):
        return Invitation.objects.filter(network_id=network_id, person__user_id=user_id,
                                         meeting__starts_at__gte=now).select_related("meeting")

    for invitation in invitations_to_answer(network_id=1, user_id=2, now=timezone.now()):
        ...

Rules for a builder:
- it returns a QuerySet (model instances, `values()` or `values_list()`, annotations,
  `select_related`, `prefetch_related` all work) and depends on its keyword arguments only;
- each argument is a scalar that ends up as one or more SQL parameters unchanged or adapted
  as Django adapts a field value (int, str, bool, date, datetime, UUID); an argument that
  changes the shape of the SQL (None, a list for `__in`, a pattern for `__contains`) is
  refused when the query is prepared;
- what it returns is run as it is: chaining (`.filter()`, `.first()`, slicing, `.count()`)
  on the result raises, put that into the builder.

How the parameters are found: the builder is run with the first call's values and once
more per argument with that argument changed; the SQL must stay the same and the positions
whose value changed are that argument's. Each position's adaptation (as it is, or as a
date, datetime or UUID field adapts it) is checked against both runs.

No data is kept, only SQL text: this is not a cache of network data (`core.cachegen`
is the one cache of page content). With `settings.PREPARED_QUERIES_VERIFY` on (the test
suite) every run also builds the queryset through the ORM and checks that its SQL and
parameters are exactly the prepared ones, so a builder that breaks the rules fails the
tests that run it.

Why not a library: the one that does this (django-prepared-queries) was last released in
2019 for Django 1.x; the mechanism here is ~150 lines on Django's public compiler objects
(`Query.get_compiler`, `SQLCompiler.as_sql`), pinned by the tests of every query using
it."""

from __future__ import annotations

import copy
import datetime
import functools
import threading
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import connections
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.db.models.sql import Query


class NotPreparable(TypeError):
    """A builder or an argument that breaks the rules of a prepared query."""


def _perturb(value: Any) -> Any:
    """Another value of the same type, so that its SQL parameter differs."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 7919
    if isinstance(value, str):
        return value + "\u2063p"
    if isinstance(value, datetime.datetime):
        return value + datetime.timedelta(days=3, seconds=7)
    if isinstance(value, datetime.date):
        return value + datetime.timedelta(days=3)
    if isinstance(value, uuid.UUID):
        return uuid.uuid4()
    raise NotPreparable(
        f"a prepared query takes int, str, bool, date, datetime or UUID, not {value!r}"
    )


def _adapters(connection: Any) -> list[Callable[[Any], Any]]:
    ops = connection.ops
    return [
        lambda v: v,
        lambda v: ops.adapt_datetimefield_value(v) if isinstance(v, datetime.datetime) else None,
        lambda v: (
            ops.adapt_datefield_value(v)
            if isinstance(v, datetime.date) and not isinstance(v, datetime.datetime)
            else None
        ),
        lambda v: v.hex if isinstance(v, uuid.UUID) else None,
        lambda v: str(v) if isinstance(v, uuid.UUID) else None,
    ]


class _Entry:
    """One builder's compiled query on one database: SQL, fixed parameters, the positions
    and adaptation of each argument, and a compiler whose select state the iterables read."""

    def __init__(self, builder: Callable[..., QuerySet], values: dict[str, Any], using: str):
        connection = connections[using]
        sample = builder(**values)
        if not isinstance(sample, QuerySet):
            raise NotPreparable(f"{builder.__qualname__} must return a QuerySet")
        compiler = sample.query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        params = list(params)
        slots: dict[str, list[tuple[int, Callable[[Any], Any]]]] = {}
        taken: set[int] = set()
        for name, value in values.items():
            other = dict(values, **{name: _perturb(value)})
            sql_b, params_b = builder(**other).query.get_compiler(using=using).as_sql()
            params_b = list(params_b)
            if sql_b != sql or len(params_b) != len(params):
                raise NotPreparable(
                    f"{builder.__qualname__}: the argument {name!r} changes the SQL itself"
                )
            positions = [i for i, (a, b) in enumerate(zip(params, params_b, strict=True)) if a != b]
            if not positions:
                raise NotPreparable(f"{builder.__qualname__}: the argument {name!r} is not used")
            if taken.intersection(positions):
                raise NotPreparable(f"{builder.__qualname__}: two arguments share an SQL parameter")
            taken.update(positions)
            slots[name] = [
                (i, self._adapter(connection, value, other[name], params[i], params_b[i], name))
                for i in positions
            ]
        self.sql = sql
        self.params = params
        self.slots = slots
        self.compiler = compiler
        self.converters: dict = {}  # by the ids of the expressions asked for (the compiler's)
        self.sample = sample
        self.names = frozenset(values)

    @staticmethod
    def _adapter(connection: Any, a: Any, b: Any, pa: Any, pb: Any, name: str) -> Callable:
        for adapt in _adapters(connection):
            try:
                if adapt(a) == pa and adapt(b) == pb:
                    return adapt
            except (TypeError, ValueError, AttributeError):
                continue
        raise NotPreparable(
            f"the argument {name!r} is adapted in a way a prepared query cannot follow"
        )

    def bind(self, values: dict[str, Any]) -> list[Any]:
        params = list(self.params)
        for name, positions in self.slots.items():
            value = values[name]
            for i, adapt in positions:
                params[i] = adapt(value)
        return params


class _PreparedQuery(Query):
    """The query of a prepared queryset: hands out a compiler that runs the kept SQL with
    this run's parameters; it cannot be changed (a change would need a new compile)."""

    _prepared_sql: str
    _prepared_params: list[Any]
    _prepared_compiler: Any
    _prepared_converters: dict

    def get_compiler(self, using=None, connection=None, elide_empty=True):  # noqa: ARG002
        compiler = copy.copy(self._prepared_compiler)
        compiler.connection = connection or connections[using or "default"]
        sql, params = self._prepared_sql, tuple(self._prepared_params)
        compiler.as_sql = lambda *args, **kwargs: (sql, params)
        # The columns' converters (from the database's values to Python's) are the same on
        # every run: asked once per compiled query, not once per run and column.
        converters = self._prepared_converters
        original = compiler.get_converters

        def get_converters(expressions):
            key = (id(compiler.connection), *map(id, expressions))  # (a thread's own ops)
            if key not in converters:
                converters[key] = original(expressions)
            return converters[key]

        compiler.get_converters = get_converters
        return compiler

    def clone(self):
        raise NotPreparable(
            "a prepared query cannot be changed: put the filter, order or limit into its builder"
        )

    def chain(self, klass=None):
        return self.clone()


_entries: dict[tuple[Any, str], _Entry] = {}
_lock = threading.Lock()


def _verify(
    builder: Callable[..., QuerySet], entry: _Entry, values: dict, params: list, using: str
) -> None:
    sql, expected = builder(**values).query.get_compiler(using=using).as_sql()
    if sql != entry.sql or list(expected) != params:
        raise AssertionError(
            f"prepared query {builder.__qualname__} differs from the ORM's: "
            f"{params!r} != {list(expected)!r}"
        )


def run_prepared(
    key: Any, builder: Callable[..., QuerySet], using: str = "default", **values: Any
) -> QuerySet:
    """Run `builder`'s query, compiled once per process under `key` (for builders made at
    run time, e.g. per model; `prepared` keys by the builder itself)."""
    entry = _entries.get((key, using))
    if entry is None:
        with _lock:
            entry = _entries.get((key, using))
            if entry is None:
                entry = _Entry(builder, values, using)
                _entries[(key, using)] = entry
    if values.keys() != entry.names:
        raise NotPreparable(
            f"{builder.__qualname__} takes {sorted(entry.names)}, got {sorted(values)}"
        )
    params = entry.bind(values)
    if getattr(settings, "PREPARED_QUERIES_VERIFY", False):
        _verify(builder, entry, values, params, using)
    # A copy of the sample queryset with the query swapped: `_chain()` would also clone the
    # sample's query (its where tree, joins, annotations) only for it to be replaced here.
    # The copy's attributes are the sample's (the sample is never run nor chained); the
    # lists a run may extend are its own.
    sample = entry.sample
    queryset = sample.__class__.__new__(sample.__class__)
    queryset.__dict__.update(sample.__dict__)
    queryset._result_cache = None
    queryset._prefetch_done = False
    queryset._prefetch_related_lookups = sample._prefetch_related_lookups[:]
    query = copy.copy(sample.query)
    query.__class__ = _PreparedQuery
    query._prepared_sql = entry.sql
    query._prepared_params = params
    query._prepared_compiler = entry.compiler
    query._prepared_converters = entry.converters
    queryset._query = query  # (the setter would turn a values_list() into values())
    return queryset


def prepared(builder: Callable[..., QuerySet]) -> Callable[..., QuerySet]:
    """Decorate a queryset builder (keyword arguments only) so that calling it runs the
    query compiled once per process; see the module's rules."""

    @functools.wraps(builder)
    def run(*, using: str = "default", **values: Any) -> QuerySet:
        return run_prepared(builder, builder, using, **values)

    run.builder = builder  # type: ignore[attr-defined]
    return run


def _children_of(parents: list, rows: Any, foreign_key: Any) -> dict[Any, list]:
    """The rows by the parent their `foreign_key` points to, in the rows' order; each row
    gets that parent as its cached related object (what a prefetch does)."""
    groups: dict[Any, list] = {}
    for row in rows:
        groups.setdefault(getattr(row, foreign_key.attname), []).append(row)
    for parent in parents:
        for row in groups.get(parent.pk, ()):
            foreign_key.set_cached_value(row, parent)
    return groups


def fill_related(instances: list, name: str, rows: Any) -> None:
    """Give each instance its reverse relation `name` (e.g. a membership's `offices`) from
    `rows` (e.g. a prepared query of all offices of the body), as `prefetch_related` would:
    `instance.<name>.all()` needs no query, and each row's foreign key is the instance. The
    rows keep their order; rows of other instances are left out."""
    if not instances:
        return
    rel = getattr(type(instances[0]), name).rel
    groups = _children_of(instances, rows, rel.field)
    for instance in instances:
        filled = QuerySet(model=rel.related_model)
        filled._result_cache = groups.get(instance.pk, [])
        filled._prefetch_done = True
        instance.__dict__.setdefault("_prefetched_objects_cache", {})[rel.cache_name] = filled


def attach(parents: list, attr: str, rows: QuerySet, field: str) -> None:
    """Give each parent the list `attr` of the rows whose foreign key `field` (e.g.
    "partner") points to it, in the rows' order, and each row that parent as `row.<field>`:
    what a `Prefetch(..., to_attr=attr)` would give (`core.prepared`)."""
    if not parents:
        return
    groups = _children_of(parents, rows, rows.model._meta.get_field(field))
    for parent in parents:
        setattr(parent, attr, groups.get(parent.pk, []))


def network_count(rows: QuerySet) -> QuerySet:
    """How many `rows` there are (rows of one network), as a prepared builder returns it: one
    value, no row at all where there are none (read it with `first_value(..., 0)`)."""
    return rows.order_by().values("network_id").annotate(n=Count("pk")).values_list("n", flat=True)


def first_value(rows: Any, default: Any) -> Any:
    """The first of a prepared query's rows, or `default` if it has none."""
    return next(iter(rows), default)


def count_of(rows: QuerySet, field: str) -> Coalesce:
    """How many of `rows` point to the outer record through their foreign key `field` (e.g.
    the invitations of a meeting, "meeting"), as a subquery: a count per row of a display
    query without grouping it (0 where none)."""
    return Coalesce(
        Subquery(
            rows.filter(**{field: OuterRef("pk")})
            .order_by()
            .values(field)
            .annotate(n=Count("pk"))
            .values("n")
        ),
        0,
    )


def forget() -> None:
    """Drop every compiled query (tests that change settings the SQL depends on)."""
    with _lock:
        _entries.clear()
