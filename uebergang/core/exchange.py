"""Moving a whole network between installations: one documented JSON file
(docs/export-format.md).

`export_network(network)` returns the file's content as a dict; `dumps` serialises it
deterministically. `import_network(data)` checks the whole file first and writes it in one
transaction, or refuses it as a whole with `ImportRefused` (a list of German messages naming
record and field) and changes nothing.

Records are identified by their `public_id` and refer to each other by public id; accounts by
their e-mail address. No database id is written.

`core` knows no domain app: each app registers its *part* with
`register_part(name, order, export_fn, import_fn)` in its own `exchange` module, found
through the app registry (`autodiscover_modules("exchange")`, on first use). A part is a JSON object under `parts.<name>`:

* `export_fn(network, ctx: ExportContext) -> dict` returns the part's section;
* `import_fn(section, ctx: ImportContext) -> writer` checks the section (messages go to
  `ctx.error`) and returns a function without arguments that writes it. Writers run only when
  the whole file is valid, in the order of the parts.

Most parts are lists of model records ("collections"): `ctx.export_collections(...)` and
`ctx.import_collections(...)` do everything for them from the model's fields."""

from __future__ import annotations

import base64
import binascii
import contextlib
import datetime
import decimal
import hashlib
import json
import os
import re
import secrets
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.validators import EmailValidator
from django.db import IntegrityError, connection, models, transaction
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext as _

from .errors import DomainError
from .models import DatedMixin, HistoryEvent, Network, NetworkName, NetworkRole, NetworkSetting

FORMAT = "uebergang-network"
FORMAT_VERSION = 1

TOP_LEVEL_KEYS = {"format", "format_version", "network", "accounts", "parts", "history"}
ACCOUNT_KEYS = {"email", "display_name", "roles"}
BATCH_SIZE = 500


class ImportRefused(DomainError):
    """The file was refused as a whole; `messages` name each problem (record and field)."""

    default_code = "import_refused"

    def __init__(self, messages: list[str]) -> None:
        self.messages = [str(m) for m in messages]
        super().__init__(
            _("Der Import wurde abgelehnt (%(count)d Fehler); es wurde nichts geändert.")
            % {"count": len(self.messages)},
            details={"messages": self.messages},
        )


# --- parts -----------------------------------------------------------------------------------

ExportFn = Callable[[Network, "ExportContext"], dict[str, Any]]
Writer = Callable[[], None]
ImportFn = Callable[[Any, "ImportContext"], Writer | None]


@dataclass(frozen=True)
class Part:
    name: str
    order: int
    export_fn: ExportFn
    import_fn: ImportFn


_PARTS: dict[str, Part] = {}


def register_part(name: str, order: int, export_fn: ExportFn, import_fn: ImportFn) -> None:
    """Register the part `name`; parts are exported and imported by `order`. A second,
    different registration of the same name is an error."""
    known = _PARTS.get(name)
    if known is not None and (known.export_fn, known.import_fn) != (export_fn, import_fn):
        raise ValueError(f"exchange part {name!r} is registered twice")
    _PARTS[name] = Part(name=name, order=order, export_fn=export_fn, import_fn=import_fn)


def registered_parts() -> list[Part]:
    autodiscover_modules("exchange")
    return sorted(_PARTS.values(), key=lambda part: (part.order, part.name))


@dataclass(frozen=True)
class Collection:
    """A list of model records in a part, e.g. `Collection("partners", Partner)`. Every
    concrete field is written except the database id and the network (implied); `exclude`
    names further fields to leave out. Collection keys are unique across all parts, and a
    part lists its collections so that each refers only to earlier ones."""

    key: str
    model: type[models.Model]
    exclude: tuple[str, ...] = ()
    # A collection of stored files (a `file` field with `file_name`, `size`, `sha256`):
    # each record carries the bytes as `content` (base64); the import checks them and
    # stores them under `files_in/YYYY/MM/` with a new random name.
    files_in: str = ""

    @property
    def fields(self) -> list[models.Field]:
        return record_fields(self.model, (*self.exclude, "file") if self.files_in else self.exclude)


# Fields that are no data of the network: `Network.cache_generations` keys the page cache
# and must be new in every installation. A model may name more in `EXCHANGE_EXCLUDE`.
NOT_EXCHANGED = {"core.network": frozenset({"cache_generations"})}


def record_fields(model: type[models.Model], exclude: tuple[str, ...] = ()) -> list[models.Field]:
    """The fields a record of `model` has in the file."""
    skip = (
        set(exclude)
        | NOT_EXCHANGED.get(model._meta.label_lower, frozenset())
        | set(getattr(model, "EXCHANGE_EXCLUDE", ()))
    )
    return [
        f
        for f in model._meta.concrete_fields
        if not f.primary_key and not _is_network_fk(f) and f.name not in skip
    ]


def _is_network_fk(f: models.Field) -> bool:
    return bool(f.is_relation and f.related_model is Network)


def _is_user_fk(f: models.Field) -> bool:
    return bool(f.is_relation and f.related_model._meta.label == settings.AUTH_USER_MODEL)


def _has_public_id(model: type[models.Model]) -> bool:
    return any(f.name == "public_id" for f in model._meta.concrete_fields)


def _network_fk_name(model: type[models.Model]) -> str | None:
    for f in model._meta.concrete_fields:
        if _is_network_fk(f):
            return f.name
    return None


def network_history(network: Network) -> models.QuerySet:
    """The network's events, including those about the network itself that
    `core.history.record` stores without the network."""
    return HistoryEvent.objects.filter(
        Q(network=network)
        | Q(network__isnull=True, object_type="core.network", object_id=network.public_id)
    )


def dumps(data: dict[str, Any]) -> str:
    """The file's text: sorted keys, two-space indent, UTF-8 characters as they are."""
    return json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False)


# --- export ----------------------------------------------------------------------------------


class ExportContext:
    """Turns records into JSON objects; remembers the accounts referred to."""

    def __init__(self, network: Network) -> None:
        self.network = network
        self._emails: dict[int, str] = {}
        self._public_ids: dict[type[models.Model], dict[Any, str]] = {}

    def email(self, user_pk: Any) -> str | None:
        """The e-mail of the account (the file's natural key for users); the account is added
        to the file's `accounts`."""
        if user_pk is None:
            return None
        if user_pk not in self._emails:
            user_model = apps.get_model(settings.AUTH_USER_MODEL)
            self._emails[user_pk] = user_model._base_manager.get(pk=user_pk).email.lower()
        return self._emails[user_pk]

    @property
    def referenced_user_pks(self) -> set[Any]:
        return set(self._emails)

    def public_id(self, model: type[models.Model], pk: Any) -> str | None:
        if pk is None:
            return None
        known = self._public_ids.get(model)
        if known is None:
            qs = model._base_manager.all()
            network_fk = _network_fk_name(model)
            if network_fk:
                qs = qs.filter(**{network_fk: self.network})
            elif model is Network:
                qs = qs.filter(pk=self.network.pk)
            known = self._public_ids[model] = {
                row_pk: str(pid) for row_pk, pid in qs.values_list("pk", "public_id")
            }
        if pk not in known:
            known[pk] = str(model._base_manager.values_list("public_id", flat=True).get(pk=pk))
        return known[pk]

    def value(self, obj: models.Model, f: models.Field) -> Any:
        raw = getattr(obj, f.attname)
        if f.is_relation:
            if _is_user_fk(f):
                return self.email(raw)
            if not _has_public_id(f.related_model):
                raise TypeError(f"{f} refers to a model without public_id")
            return self.public_id(f.related_model, raw)
        return to_json(raw)

    def record(self, obj: models.Model, fields: list[models.Field]) -> dict[str, Any]:
        return {f.name: self.value(obj, f) for f in fields}

    def export_collection(self, collection: Collection) -> list[dict[str, Any]]:
        model = collection.model
        network_fk = _network_fk_name(model)
        if network_fk is None:
            raise TypeError(f"{model} has no foreign key to the network")
        fields = collection.fields
        rows = []
        for obj in model._base_manager.filter(**{network_fk: self.network}):
            row = self.record(obj, fields)
            if collection.files_in:
                row[CONTENT] = file_to_json(obj.file)  # None: the file was missing
            rows.append(row)
        return sorted(rows, key=lambda row: row["public_id"])

    def export_collections(self, collections: tuple[Collection, ...] | list[Collection]) -> dict:
        return {c.key: self.export_collection(c) for c in collections}


def to_json(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat()
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, (uuid.UUID, decimal.Decimal)):
        return str(value)
    return value


@contextlib.contextmanager
def _snapshot() -> Iterator[None]:
    """Read everything in one transaction (on PostgreSQL one consistent snapshot)."""
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


def export_network(network: Network) -> dict:
    """The whole network as the exchange format (a JSON-ready dict)."""
    with _snapshot():
        network = Network.all_objects.get(pk=network.pk)
        ctx = ExportContext(network)
        net = ctx.record(network, record_fields(Network))
        name_fields = record_fields(NetworkName)
        net["names"] = sorted(
            (
                ctx.record(row, name_fields)
                for row in NetworkName.all_objects.filter(network=network)
            ),
            key=lambda row: row["public_id"],
        )
        parts = {part.name: part.export_fn(network, ctx) for part in registered_parts()}
        history_fields = record_fields(HistoryEvent)
        history = [
            ctx.record(event, history_fields)
            for event in network_history(network).order_by("at", "id")
        ]
        role_fields = record_fields(NetworkRole, ("user",))
        roles: dict[str, list[dict[str, Any]]] = {}
        for role in NetworkRole.all_objects.filter(network=network):
            roles.setdefault(ctx.email(role.user_id), []).append(ctx.record(role, role_fields))
        user_model = apps.get_model(settings.AUTH_USER_MODEL)
        accounts = [
            {
                "email": user.email.lower(),
                "display_name": user.display_name,
                "roles": sorted(roles.get(user.email.lower(), []), key=lambda r: r["public_id"]),
            }
            for user in user_model._base_manager.filter(pk__in=ctx.referenced_user_pks)
        ]
        accounts.sort(key=lambda account: account["email"])
    data: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "network": net,
        "accounts": accounts,
        "parts": parts,
        "history": history,
    }
    return data


# --- import ----------------------------------------------------------------------------------

DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DATETIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


@dataclass(frozen=True)
class _Ref:
    model: type[models.Model]
    public_id: str


@dataclass(frozen=True)
class _UserRef:
    email: str


@dataclass
class Checked:
    """One checked record: field name → Python value (`_Ref`/`_UserRef` for references)."""

    model: type[models.Model]
    where: str
    values: dict[str, Any]


@dataclass
class ImportReport:
    created_accounts: list[str] = field(default_factory=list)
    reused_accounts: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    replaced: bool = False


def _quote(name: str) -> str:
    return f"„{name}“"


def _shown(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "…"


class ImportContext:
    """State of one import: messages, declared public ids, and (while writing) the database
    ids of written records."""

    def __init__(self, *, replaced: Network | None = None) -> None:
        self.errors: list[str] = []
        self.replaced = replaced
        self.network: Network | None = None
        self.accounts: dict[str, str] = {}  # lower-case e-mail → where
        self._declared: dict[str, tuple[type[models.Model], str]] = {}
        self._surrogates: dict[str, int] = {}
        self._pks: dict[str, Any] = {}
        self._user_pks: dict[str, Any] = {}
        self.counts: dict[str, int] = {}

    # messages

    def error(self, where: str, message: str) -> None:
        self.errors.append(f"{where}: {message}" if where else message)

    @staticmethod
    def where(prefix: str, index: int | None, record: Any) -> str:
        """How messages name a record: `partners[3] (public_id …)`."""
        label = prefix if index is None else f"{prefix}[{index}]"
        if isinstance(record, dict) and isinstance(record.get("public_id"), str):
            label += f" (public_id {record['public_id']})"
        return label

    # dates

    def parse_date(self, value: Any) -> datetime.date:
        if not isinstance(value, str) or not DATE_RE.match(value):
            raise ValueError
        return datetime.date.fromisoformat(value)

    def parse_datetime(self, value: Any) -> datetime.datetime:
        if not isinstance(value, str) or not DATETIME_RE.match(value):
            raise ValueError
        moment = datetime.datetime.fromisoformat(value)
        if not timezone.is_aware(moment):
            raise ValueError
        return moment

    # public ids

    def declare(self, model: type[models.Model], raw: Any, where: str) -> str | None:
        """Claim a record's public id; refuse a missing, malformed or repeated one."""
        if raw is None:
            self.error(where, _("Pflichtfeld „public_id“ fehlt"))
            return None
        try:
            public_id = str(uuid.UUID(raw)) if isinstance(raw, str) else None
        except ValueError:
            public_id = None
        if public_id is None:
            self.error(where, _("„public_id“ muss eine UUID sein (ist: %s)") % _shown(raw))
            return None
        if public_id in self._declared:
            self.error(
                where,
                _("die öffentliche ID kommt in der Datei mehrfach vor (zuerst in %(first)s)")
                % {"first": self._declared[public_id][1]},
            )
            return None
        self._declared[public_id] = (model, where)
        self._surrogates[public_id] = len(self._surrogates) + 1
        return public_id

    def declared_ids(self) -> dict[type[models.Model], dict[str, str]]:
        by_model: dict[type[models.Model], dict[str, str]] = {}
        for public_id, (model, where) in self._declared.items():
            by_model.setdefault(model, {})[public_id] = where
        return by_model

    # values

    def _check_value(self, model: type[models.Model], f: models.Field, raw: Any) -> Any:
        """The Python value of `raw` for field `f`; raises ValueError with a message."""
        if raw is None:
            if f.null:
                return None
            raise ValueError(_("darf nicht null sein"))
        if f.is_relation:
            if _is_user_fk(f):
                email = raw.strip().lower() if isinstance(raw, str) else None
                if not email or email not in self.accounts:
                    raise ValueError(
                        _("verweist auf das Konto %s, das nicht unter „accounts“ steht")
                        % _shown(raw)
                    )
                return _UserRef(email)
            try:
                public_id = str(uuid.UUID(raw)) if isinstance(raw, str) else None
            except ValueError:
                public_id = None
            if public_id is None:
                raise ValueError(_("muss eine UUID sein (ist: %s)") % _shown(raw))
            target = self._declared.get(public_id)
            if target is None:
                raise ValueError(_("verweist auf die unbekannte öffentliche ID %s") % public_id)
            if not issubclass(target[0], f.related_model):
                raise ValueError(
                    _("verweist auf %(id)s, das ist aber kein(e) %(type)s, sondern %(where)s")
                    % {
                        "id": public_id,
                        "type": f.related_model._meta.verbose_name,
                        "where": target[1],
                    }
                )
            return _Ref(f.related_model, public_id)
        if isinstance(f, models.DateTimeField):
            try:
                return self.parse_datetime(raw)
            except ValueError:
                raise ValueError(
                    _(
                        "muss ein Zeitpunkt nach ISO 8601 mit Zeitzone sein, "
                        "z. B. 2026-05-04T09:30:00+02:00 (ist: %s)"
                    )
                    % _shown(raw)
                ) from None
        if isinstance(f, models.DateField):
            try:
                return self.parse_date(raw)
            except ValueError:
                raise ValueError(
                    _("muss ein Datum der Form JJJJ-MM-TT sein (ist: %s)") % _shown(raw)
                ) from None
        if isinstance(f, models.TimeField):
            try:
                return datetime.time.fromisoformat(raw) if isinstance(raw, str) else None
            except ValueError:
                pass
            raise ValueError(_("muss eine Uhrzeit der Form HH:MM:SS sein (ist: %s)") % _shown(raw))
        if isinstance(f, models.UUIDField):
            try:
                return uuid.UUID(raw) if isinstance(raw, str) else uuid.UUID("")
            except ValueError:
                raise ValueError(_("muss eine UUID sein (ist: %s)") % _shown(raw)) from None
        if isinstance(f, models.BooleanField):
            if not isinstance(raw, bool):
                raise ValueError(_("muss true oder false sein (ist: %s)") % _shown(raw))
            return raw
        if isinstance(f, models.IntegerField):
            if not isinstance(raw, int) or isinstance(raw, bool):
                raise ValueError(_("muss eine ganze Zahl sein (ist: %s)") % _shown(raw))
            return raw
        if isinstance(f, models.DecimalField):
            try:
                return decimal.Decimal(raw) if isinstance(raw, str) else decimal.Decimal("x")
            except decimal.InvalidOperation:
                raise ValueError(
                    _("muss eine Dezimalzahl als Text sein (ist: %s)") % _shown(raw)
                ) from None
        if isinstance(f, models.FloatField):
            if not isinstance(raw, (int, float)) or isinstance(raw, bool):
                raise ValueError(_("muss eine Zahl sein (ist: %s)") % _shown(raw))
            return float(raw)
        if isinstance(f, (models.CharField, models.TextField)):
            if not isinstance(raw, str):
                raise ValueError(_("muss ein Text sein (ist: %s)") % _shown(raw))
            return raw
        if isinstance(f, models.JSONField):
            return raw
        raise TypeError(f"field type of {model.__name__}.{f.name} is not supported")

    def check_record(
        self,
        model: type[models.Model],
        record: Any,
        where: str,
        *,
        exclude: tuple[str, ...] = (),
        extra: tuple[str, ...] = (),
        declare: bool = True,
    ) -> Checked | None:
        """Check one record of `model`: required and unknown fields, types, references,
        validators and choices, the period, and the table's check constraints. With
        `declare`, its public id is claimed first (pass False if it was already)."""
        if not isinstance(record, dict):
            self.error(where, _("muss ein JSON-Objekt sein"))
            return None
        fields = record_fields(model, exclude)
        names = {f.name for f in fields}
        before = len(self.errors)
        for key in sorted(set(record) - names - set(extra)):
            self.error(where, _("unbekanntes Feld „%s“") % key)
        values: dict[str, Any] = {}
        for f in fields:
            if f.name == "public_id":
                if declare:
                    self.declare(model, record.get("public_id"), where)
                if isinstance(record.get("public_id"), str):
                    with contextlib.suppress(ValueError):
                        values["public_id"] = uuid.UUID(record["public_id"])
                continue
            if f.name not in record:
                if f.has_default() or f.null or f.blank:
                    values[f.name] = None if f.is_relation else f.get_default()
                    continue
                self.error(where, _("Pflichtfeld „%s“ fehlt") % f.name)
                continue
            try:
                value = self._check_value(model, f, record[f.name])
            except ValueError as exc:
                self.error(where, f"{_quote(f.name)} {exc}")
                continue
            if not f.is_relation and value is not None:
                try:
                    f.validate(value, None)
                    f.run_validators(value)
                except ValidationError as exc:
                    self.error(where, f"{_quote(f.name)}: {' '.join(exc.messages)}")
                    continue
            values[f.name] = value
        if len(self.errors) > before:
            return None
        if issubclass(model, DatedMixin):
            start, end = values.get("valid_from"), values.get("valid_to")
            if start is not None and end is not None and end < start:
                self.error(
                    where,
                    _("valid_to liegt vor valid_from (%(end)s < %(start)s)")
                    % {"end": end.isoformat(), "start": start.isoformat()},
                )
                return None
        checked = Checked(model=model, where=where, values=values)
        self._check_constraints(checked)
        return checked if len(self.errors) == before else None

    def _surrogate_instance(self, checked: Checked) -> models.Model:
        """An unsaved instance whose references carry stand-in ids (for check constraints)."""
        kwargs: dict[str, Any] = {}
        for f in record_fields(checked.model):
            if f.name not in checked.values:
                continue
            value = checked.values[f.name]
            if isinstance(value, _Ref):
                kwargs[f.attname] = self._surrogates[value.public_id]
            elif isinstance(value, _UserRef):
                kwargs[f.attname] = -(list(self.accounts).index(value.email) + 1)
            else:
                kwargs[f.attname] = value
        return checked.model(**kwargs)

    def _check_constraints(self, checked: Checked) -> None:
        """The table's check constraints (a NULL result passes, as in the database)."""
        for constraint in checked.model._meta.constraints:
            if not isinstance(constraint, models.CheckConstraint):
                continue
            if constraint.name.endswith("_ends_after_start"):
                continue  # checked above with a clearer message
            try:
                violated = _evaluate(constraint.condition, checked.values) is False
            except _TooComplex:
                try:
                    constraint.validate(checked.model, self._surrogate_instance(checked))
                    violated = False
                except ValidationError:
                    violated = True
            if violated:
                self.error(checked.where, str(constraint.get_violation_error_message()))

    def check_unique(self, checked: list[Checked]) -> None:
        """Unique constraints among the file's records of one table."""
        if not checked:
            return
        model = checked[0].model
        uniques: list[tuple[tuple[_KeyPart, ...], Q | None]] = [
            (_unique_parts(c), c.condition)
            for c in model._meta.constraints
            if isinstance(c, models.UniqueConstraint)
        ]
        uniques += [
            (tuple((name, None) for name in fields), None) for fields in model._meta.unique_together
        ]
        uniques += [
            (((f.name, None),), None)
            for f in record_fields(model)
            if f.unique and f.name != "public_id"
        ]
        for parts, condition in uniques:
            parts = tuple(
                (name, how)
                for name, how in parts
                if not _is_network_fk(model._meta.get_field(name))
            )
            key_fields = [name for name, _how in parts]
            seen: dict[tuple[Any, ...], str] = {}
            for row in checked:
                if condition is not None and not self._condition_holds(condition, row):
                    continue
                key = tuple(_key_part(row.values.get(name), how) for name, how in parts)
                if key in seen:
                    self.error(
                        row.where,
                        _("%(fields)s: dieselbe Angabe gibt es schon in %(first)s")
                        % {
                            "fields": ", ".join(_quote(name) for name in key_fields),
                            "first": seen[key],
                        },
                    )
                else:
                    seen[key] = row.where

    def _condition_holds(self, condition: Q, row: Checked) -> bool:
        """Does a unique constraint's condition include the row (a NULL result does not)?"""
        try:
            return _evaluate(condition, row.values) is True
        except _TooComplex:
            instance = self._surrogate_instance(row)
            against = instance._get_field_expression_map(meta=row.model._meta)
            return bool(Q(condition).check(against))

    # collections

    def import_collections(
        self, section: Any, collections: tuple[Collection, ...] | list[Collection]
    ) -> Writer:
        """Check a part made of collections; return its writer."""
        if not isinstance(section, dict):
            self.error("", _("Ein Teil unter „parts“ muss ein JSON-Objekt sein."))
            return lambda: None
        known = {c.key for c in collections}
        for key in sorted(set(section) - known):
            self.error(
                "",
                _("unbekannte Sammlung „%(key)s“ (bekannt: %(known)s)")
                % {"key": key, "known": ", ".join(c.key for c in collections)},
            )
        lists: dict[str, list[Any]] = {}
        for c in collections:
            records = section.get(c.key, [])
            if not isinstance(records, list):
                self.error(c.key, _("muss eine Liste sein"))
                records = []
            lists[c.key] = records
            for index, record in enumerate(records):
                if isinstance(record, dict):
                    self.declare(c.model, record.get("public_id"), self.where(c.key, index, record))
        checked: dict[str, list[Checked]] = {}
        contents: dict[str, bytes | None] = {}
        for c in collections:
            rows = []
            for index, record in enumerate(lists[c.key]):
                row = self.check_record(
                    c.model,
                    record,
                    self.where(c.key, index, record),
                    exclude=(*c.exclude, "file") if c.files_in else c.exclude,
                    extra=(CONTENT,) if c.files_in else (),
                    declare=False,
                )
                if row is None:
                    continue
                if c.files_in:
                    contents[row.where] = file_from_json(row, record.get(CONTENT), self)
                rows.append(row)
            self.check_unique(rows)
            checked[c.key] = rows

        def write() -> None:
            for c in collections:
                rows = checked[c.key]
                if c.files_in:
                    for row in rows:
                        data = contents.get(row.where)
                        row.values["file"] = (
                            default_storage.save(_storage_name(c.files_in, row), ContentFile(data))
                            if data is not None
                            else ""
                        )
                self.write_records(c.model, rows)

        return write

    # writing

    def pk(self, public_id: str) -> Any:
        return self._pks[public_id]

    def user_pk(self, email: str) -> Any:
        return self._user_pks[email]

    def instance(self, checked: Checked, **extra: Any) -> models.Model:
        kwargs: dict[str, Any] = {}
        for name, value in checked.values.items():
            f = checked.model._meta.get_field(name)
            if isinstance(value, _Ref):
                kwargs[f.attname] = self.pk(value.public_id)
            elif isinstance(value, _UserRef):
                kwargs[f.attname] = self.user_pk(value.email)
            else:
                kwargs[f.attname] = value
        network_fk = _network_fk_name(checked.model)
        if network_fk and network_fk not in extra:
            kwargs[network_fk] = self.network
        kwargs.update(extra)
        return checked.model(**kwargs)

    def write_records(self, model: type[models.Model], rows: list[Checked], **extra: Any) -> None:
        objs = [self.instance(row, **extra) for row in rows]
        # Insert in the order the records were created, so that rows with equal sort keys
        # keep the order they had (the file itself is sorted by public id).
        objs.sort(
            key=lambda obj: (
                getattr(obj, "created", None) is None,
                getattr(obj, "created", None) or 0,
                str(getattr(obj, "public_id", "")),
            )
        )
        model._base_manager.bulk_create(objs, batch_size=BATCH_SIZE)
        if _has_public_id(model):
            if any(obj.pk is None for obj in objs):  # pragma: no cover (old SQLite)
                ids = [obj.public_id for obj in objs]
                pks = dict(
                    model._base_manager.filter(public_id__in=ids).values_list("public_id", "pk")
                )
                for obj in objs:
                    obj.pk = pks[obj.public_id]
            for obj in objs:
                self._pks[str(obj.public_id)] = obj.pk
        label = model._meta.label_lower
        self.counts[label] = self.counts.get(label, 0) + len(objs)


def _key(value: Any) -> Any:
    if isinstance(value, _Ref):
        return value.public_id
    if isinstance(value, _UserRef):
        return value.email
    return value


# One part of a unique key: a field, compared as it is (None) or in lower case ("lower").
_KeyPart = tuple[str, str | None]


def _unique_parts(constraint: models.UniqueConstraint) -> tuple[_KeyPart, ...]:
    """The fields of a unique constraint: plain fields, or expressions made of fields and
    `Lower(field)` (a case-insensitive unique name). Anything else is not supported, so that
    a new kind of constraint fails here instead of passing unchecked."""
    if constraint.fields:
        return tuple((name, None) for name in constraint.fields)
    parts: list[_KeyPart] = []
    for expression in constraint.expressions:
        if isinstance(expression, F):
            parts.append((expression.name, None))
            continue
        sources = expression.get_source_expressions() if isinstance(expression, Lower) else []
        if len(sources) == 1 and isinstance(sources[0], F):
            parts.append((sources[0].name, "lower"))
            continue
        raise TypeError(
            f"unique constraint {constraint.name}: expression {expression!r} is not supported"
        )
    return tuple(parts)


def _key_part(value: Any, how: str | None) -> Any:
    value = _key(value)
    if how == "lower" and isinstance(value, str):
        return value.lower()
    return value


class _TooComplex(Exception):
    """A condition `_evaluate` cannot decide in Python (the database decides then)."""


def _evaluate(condition: Q, values: dict[str, Any]) -> bool | None:
    """A condition of exact and isnull lookups (values or F() of the same record), evaluated
    like SQL with three values: True, False, or None for unknown (a comparison with NULL)."""
    results: list[bool | None] = []
    for child in condition.children:
        if isinstance(child, Q):
            results.append(_evaluate(child, values))
            continue
        lookup, expected = child
        name, _sep, op = lookup.partition("__")
        if name not in values or op not in ("", "exact", "isnull"):
            raise _TooComplex
        if isinstance(expected, F):
            if expected.name not in values:
                raise _TooComplex
            expected = _key(values[expected.name])
        elif hasattr(expected, "resolve_expression"):
            raise _TooComplex
        value = _key(values[name])
        if op == "isnull":
            results.append((value is None) == bool(expected))
        elif value is None or expected is None:
            results.append(None)
        else:
            results.append(value == expected)
    if condition.connector == Q.AND:
        outcome = False if False in results else (None if None in results else True)
    elif condition.connector == Q.OR:
        outcome = True if True in results else (None if None in results else False)
    else:
        raise _TooComplex
    if condition.negated and outcome is not None:
        outcome = not outcome
    return outcome


# --- files in the exchange file --------------------------------------------------------------
# A record with a stored file (a meeting's document, the network's logo) carries the file's
# bytes as base64 under `content` (null: the file was missing when exported), checked on
# import against the record's `size` and `sha256`. The storage name is not written.


CONTENT = "content"  # a stored file's bytes in a record of a collection of files


def _storage_name(directory: str, row: Checked) -> str:
    """A new random name like an upload's (`<directory>/YYYY/MM/<hex>.<ext>`)."""
    name = row.values.get("file_name") or ""
    suffix = os.path.splitext(name)[1].lower()[:10]
    month = timezone.localtime(row.values.get("created") or timezone.now())
    return f"{directory}/{month:%Y}/{month:%m}/{secrets.token_hex(16)}{suffix}"


def file_to_json(stored: Any) -> str | None:
    """The stored file's bytes as base64, or None if there is none or it is missing."""
    if not stored:
        return None
    try:
        with stored.open("rb") as handle:
            data = handle.read()
    except OSError:
        return None
    finally:
        stored.close()
    return base64.b64encode(data).decode("ascii")


def file_from_json(row: Checked, raw: Any, ctx: ImportContext) -> bytes | None:
    """The bytes of `content`; they must match the record's `size` and `sha256` (messages
    go to `ctx`). None for null."""
    if raw is None:
        return None
    if not isinstance(raw, str):
        ctx.error(row.where, _("„content“ muss die Datei als Base64-Text enthalten oder null sein"))
        return None
    try:
        data = base64.b64decode(raw.encode("ascii"), validate=True)
    except (binascii.Error, ValueError, UnicodeEncodeError):
        ctx.error(row.where, _("„content“ ist kein gültiger Base64-Text"))
        return None
    size = row.values.get("size")
    if size is not None and len(data) != size:
        ctx.error(
            row.where,
            _("„content“ hat %(actual)s Bytes, „size“ sagt %(size)s")
            % {"actual": len(data), "size": size},
        )
        return None
    digest = hashlib.sha256(data).hexdigest()
    if row.values.get("sha256") and digest != row.values["sha256"].lower():
        ctx.error(
            row.where,
            _("„content“ passt nicht zur Prüfsumme „sha256“ (%(actual)s)") % {"actual": digest},
        )
        return None
    return data


# --- deleting a network ----------------------------------------------------------------------


def _network_models() -> list[type[models.Model]]:
    """Every model with a foreign key to the network, those that others protect last."""
    candidates = [
        m
        for m in apps.get_models()
        if m is not Network and _network_fk_name(m) is not None and not m._meta.proxy
    ]
    blocks: dict[type[models.Model], set[type[models.Model]]] = {m: set() for m in candidates}
    for m in candidates:
        for f in m._meta.concrete_fields:
            if (
                f.is_relation
                and f.related_model in blocks
                and f.related_model is not m
                and f.remote_field.on_delete in (models.PROTECT, models.RESTRICT)
            ):
                blocks[f.related_model].add(m)  # m's rows go before related_model's
    ordered: list[type[models.Model]] = []
    remaining = sorted(candidates, key=lambda m: m._meta.label)
    while remaining:
        ready = [m for m in remaining if not (blocks[m] - set(ordered))]
        if not ready:  # pragma: no cover (a cycle of protecting keys)
            ready = remaining[:1]
        for m in ready:
            ordered.append(m)
            remaining.remove(m)
    return ordered


def delete_network(network: Network) -> None:
    """Delete the network with every row that belongs to it (soft-deleted rows too)."""
    network_history(network).delete()
    for model in _network_models():
        model._base_manager.filter(**{_network_fk_name(model): network}).delete()
    Network.all_objects.filter(pk=network.pk).delete()


# --- the import ------------------------------------------------------------------------------


def _check_top(data: Any, ctx: ImportContext) -> bool:
    if not isinstance(data, dict):
        ctx.error("", _("Die Datei enthält kein JSON-Objekt."))
        return False
    if data.get("format") != FORMAT:
        ctx.error(
            "",
            _("„format“ muss „%(expected)s“ sein (ist: %(value)s)")
            % {"expected": FORMAT, "value": _shown(data.get("format"))},
        )
        return False
    if data.get("format_version") != FORMAT_VERSION:
        ctx.error(
            "",
            _(
                "„format_version“ %(value)s wird nicht unterstützt; diese Installation liest "
                "Version %(supported)d."
            )
            % {"value": _shown(data.get("format_version")), "supported": FORMAT_VERSION},
        )
        return False
    for key in sorted(set(data) - TOP_LEVEL_KEYS):
        ctx.error("", _("unbekannter Eintrag „%s“ auf oberster Ebene") % key)
    if "network" not in data:
        ctx.error("", _("Pflichtfeld „network“ fehlt"))
    for key, kind in (("accounts", list), ("parts", dict), ("history", list)):
        if key in data and not isinstance(data[key], kind):
            ctx.error(
                "",
                _("„%(key)s“ muss eine Liste sein") % {"key": key}
                if kind is list
                else _("„%(key)s“ muss ein JSON-Objekt sein") % {"key": key},
            )
    return not ctx.errors


def _check_accounts(accounts: list[Any], ctx: ImportContext) -> list[tuple[str, str]]:
    """Account e-mails (the natural key) and display names; roles are checked later."""
    result = []
    validate_email = EmailValidator()
    for index, account in enumerate(accounts):
        where = f"accounts[{index}]"
        if not isinstance(account, dict):
            ctx.error(where, _("muss ein JSON-Objekt sein"))
            continue
        email = account.get("email")
        if isinstance(email, str):
            where += f" ({email})"
        for key in sorted(set(account) - ACCOUNT_KEYS):
            ctx.error(where, _("unbekanntes Feld „%s“") % key)
        if email is None:
            ctx.error(where, _("Pflichtfeld „email“ fehlt"))
            continue
        try:
            if not isinstance(email, str):
                raise ValidationError("")
            validate_email(email)
        except ValidationError:
            ctx.error(where, _("„email“ ist keine gültige E-Mail-Adresse: %s") % _shown(email))
            continue
        email = email.strip().lower()
        if email in ctx.accounts:
            ctx.error(
                where,
                _("das Konto steht mehrfach in der Liste (zuerst in %s)") % ctx.accounts[email],
            )
            continue
        display_name = account.get("display_name", "")
        if not isinstance(display_name, str) or len(display_name) > 200:
            ctx.error(where, _("„display_name“ muss ein Text mit höchstens 200 Zeichen sein"))
            continue
        ctx.accounts[email] = where
        result.append((email, display_name))
    return result


def _check_roles(accounts: list[Any], ctx: ImportContext) -> dict[str, list[Checked]]:
    roles: dict[str, list[Checked]] = {}
    for index, account in enumerate(accounts):
        if not isinstance(account, dict) or not isinstance(account.get("email"), str):
            continue
        email = account["email"].strip().lower()
        prefix = f"accounts[{index}].roles"
        records = account.get("roles", [])
        if not isinstance(records, list):
            ctx.error(prefix, _("muss eine Liste sein"))
            continue
        rows = []
        for r_index, record in enumerate(records):
            row = ctx.check_record(
                NetworkRole, record, ctx.where(prefix, r_index, record), exclude=("user",)
            )
            if row is not None:
                rows.append(row)
        alive = [row for row in rows if row.values.get("deleted_at") is None]
        if len(alive) > 1:
            ctx.error(prefix, _("ein Konto kann nur eine gültige Rolle (ohne deleted_at) haben"))
        roles[email] = rows
    return roles


def _check_foreign_ids(ctx: ImportContext) -> None:
    """Refuse public ids that belong to another network of this installation."""
    replaced = ctx.replaced.pk if ctx.replaced is not None else None
    for model, ids in ctx.declared_ids().items():
        keys = list(ids)
        network_fk = "pk" if model is Network else _network_fk_name(model)
        for start in range(0, len(keys), BATCH_SIZE):
            chunk = keys[start : start + BATCH_SIZE]
            qs = model._base_manager.filter(public_id__in=chunk)
            if network_fk is None:
                rows = [(pid, None, None) for pid in qs.values_list("public_id", flat=True)]
            else:
                slug = "slug" if model is Network else f"{network_fk}__slug"
                rows = qs.values_list("public_id", network_fk, slug)
            for public_id, network_pk, slug in rows:
                if network_pk is not None and network_pk == replaced:
                    continue
                ctx.error(
                    ids[str(public_id)],
                    _(
                        "die öffentliche ID gehört in dieser Installation schon zu einem "
                        "Datensatz des Netzwerks „%s“"
                    )
                    % slug
                    if slug
                    else _("die öffentliche ID gibt es in dieser Installation schon"),
                )


def import_network(
    data: Any,
    *,
    replace: bool = False,
    report: ImportReport | None = None,
) -> Network:
    """Import a network from the exchange format, in one transaction.

    Everything is checked first; any problem refuses the whole file (`ImportRefused`) and
    nothing is written. A network whose slug exists is refused unless `replace`, which
    deletes that network with all its rows first."""
    report = report if report is not None else ImportReport()
    with transaction.atomic():
        ctx = ImportContext()
        if not _check_top(data, ctx):
            raise ImportRefused(ctx.errors)
        net = data["network"]
        slug = net.get("slug") if isinstance(net, dict) else None
        existing = (
            Network.all_objects.select_for_update().filter(slug=slug).first()
            if isinstance(slug, str)
            else None
        )
        if existing is not None and not replace:
            ctx.error(
                "",
                _(
                    "Das Netzwerk „%s“ gibt es in dieser Installation schon. Zum Ersetzen "
                    "mit --replace importieren (alle seine Daten werden dabei gelöscht)."
                )
                % slug,
            )
        # Its rows' public ids are no conflict (replaced, or refused above anyway).
        ctx.replaced = existing

        accounts_data = data.get("accounts", [])
        accounts = _check_accounts(accounts_data, ctx)
        network_row = ctx.check_record(
            Network, net, ctx.where("network", None, net), extra=("names",)
        )
        names: list[Checked] = []
        raw_names = net.get("names", []) if isinstance(net, dict) else []
        if not isinstance(raw_names, list):
            ctx.error("network.names", _("muss eine Liste sein"))
            raw_names = []
        for index, record in enumerate(raw_names):
            row = ctx.check_record(NetworkName, record, ctx.where("network.names", index, record))
            if row is not None:
                names.append(row)
        roles = _check_roles(accounts_data, ctx)

        parts = {part.name: part for part in registered_parts()}
        sections = data.get("parts", {})
        for name in sorted(set(sections) - set(parts)):
            ctx.error(
                "",
                _("unbekannter Teil „%(name)s“ unter „parts“ (diese Installation kennt: %(known)s)")
                % {"name": name, "known": ", ".join(parts)},
            )
        writers = []
        for part in parts.values():
            if part.name in sections:
                writer = part.import_fn(sections[part.name], ctx)
                if writer is not None:
                    writers.append(writer)

        history: list[Checked] = []
        for index, record in enumerate(data.get("history", [])):
            row = ctx.check_record(HistoryEvent, record, f"history[{index}]")
            if row is not None:
                history.append(row)

        _check_foreign_ids(ctx)
        if ctx.errors or network_row is None:
            raise ImportRefused(ctx.errors)

        # Everything checked: write.
        try:
            if existing is not None:
                delete_network(existing)
                report.replaced = True
            _write_accounts(accounts, ctx, report)
            network = ctx.instance(network_row)
            network.save(force_insert=True)
            ctx.network = network
            ctx.counts["core.network"] = 1
            ctx.write_records(NetworkName, names)
            for email, rows in roles.items():
                ctx.write_records(NetworkRole, rows, user_id=ctx.user_pk(email))
            for writer in writers:
                writer()
            ctx.write_records(HistoryEvent, history)
        except IntegrityError as exc:
            raise ImportRefused(
                [_("Die Datenbank hat den Import abgelehnt: %s") % str(exc).strip()]
            ) from exc
        report.counts = dict(sorted(ctx.counts.items()))
    return network


def _write_accounts(
    accounts: list[tuple[str, str]], ctx: ImportContext, report: ImportReport
) -> None:
    """Reuse accounts with the same e-mail; create the others with a random password that
    nobody knows (usable for "Passwort vergessen", which ignores accounts without one)."""
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    for email, display_name in accounts:
        user = user_model._base_manager.filter(email__iexact=email).first()
        if user is None:
            user = user_model.objects.create_user(
                email=email, password=secrets.token_urlsafe(32), display_name=display_name
            )
            report.created_accounts.append(email)
        else:
            report.reused_accounts.append(email)
        ctx._user_pks[email] = user.pk


# --- core's own part: the network's settings (`core.netsettings`) ---------------------------

SETTINGS_COLLECTIONS = (Collection("network_settings", NetworkSetting),)


def _export_settings(network: Network, ctx: ExportContext) -> dict[str, Any]:
    return ctx.export_collections(SETTINGS_COLLECTIONS)


def _import_settings(section: Any, ctx: ImportContext) -> Writer:
    return ctx.import_collections(section, SETTINGS_COLLECTIONS)


register_part("settings", 5, _export_settings, _import_settings)
