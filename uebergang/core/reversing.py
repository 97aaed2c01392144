"""`reverse()` with the URL pattern worked out once per page name: the same URL as Django's
`reverse`, in a fraction of its time.

Django's `reverse` matches the arguments against every possible pattern of the name on each
call: about 75 Python calls, and a meeting's page has forty links. `fast_reverse` reverses
once per name (and per kind of each argument, language, script prefix and URL conf) with
stand-in values, keeps the result as a pattern, and puts the real values in.

Only values whose text in a URL is the value itself take the short way: UUIDs, integers ≥ 0
and strings of letters, digits, "-" and "_" (slugs). A stand-in is chosen to pass the same
converters (uuid, int, slug, str, path); a value of another kind, a pattern that does not
show each stand-in exactly once, or a stand-in a converter refuses goes through Django's
`reverse`, so a wrong argument raises `NoReverseMatch` as before. The kept patterns hold URL
structure only (no network data, no values)."""

from __future__ import annotations

import re
import uuid
from functools import lru_cache
from typing import Any

from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language

_SLUG = re.compile(r"[-a-zA-Z0-9_]+")
_NOT_SHORT = object()


def _kind(value: Any) -> str | None:
    if isinstance(value, uuid.UUID):
        return "uuid"
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return "int"
    if isinstance(value, str) and _SLUG.fullmatch(value):
        return "str"
    return None


def _stand_in(kind: str, i: int) -> Any:
    if kind == "uuid":
        return uuid.UUID(int=0x5EED_0000_0000_0000_0000_0000_0000 + i)
    if kind == "int":
        return 7_314_159_265_000 + i
    return f"qzxstandin{i}qzx"


@lru_cache(maxsize=4096)
def _pattern(
    name: str,
    arg_kinds: tuple[str, ...],
    kwarg_kinds: tuple[tuple[str, str], ...],
    current_app: str | None,
    prefix: str,  # noqa: ARG001 (part of the key: reverse() depends on it)
    urlconf: Any,
    language: str | None,  # noqa: ARG001 (part of the key: i18n patterns depend on it)
) -> Any:
    args = [_stand_in(kind, i) for i, kind in enumerate(arg_kinds)]
    kwargs = {key: _stand_in(kind, len(args) + i) for i, (key, kind) in enumerate(kwarg_kinds)}
    try:
        url = reverse(name, urlconf=urlconf, args=args, kwargs=kwargs, current_app=current_app)
    except NoReverseMatch:
        return _NOT_SHORT  # a stand-in was refused: the real value may still be fine
    texts = [str(a) for a in args] + [str(v) for v in kwargs.values()]
    if any(url.count(text) != 1 for text in texts):
        return _NOT_SHORT
    # The URL cut at each stand-in: literal, slot, literal, slot, …
    parts: list[Any] = []
    rest = url
    order = sorted(range(len(texts)), key=lambda i: url.index(texts[i]))
    for i in order:
        before, _, rest = rest.partition(texts[i])
        parts.extend([before, i])
    parts.append(rest)
    return tuple(parts)


def fast_reverse(
    name: str,
    args: list | tuple | None = None,
    kwargs: dict[str, Any] | None = None,
    current_app: str | None = None,
) -> str:
    """What `django.urls.reverse(name, args=…, kwargs=…, current_app=…)` returns."""
    args = list(args or ())
    kwargs = dict(kwargs or {})
    kinds = [_kind(a) for a in args]
    kw_kinds = [(k, _kind(v)) for k, v in kwargs.items()]
    if None not in kinds and all(kind is not None for _, kind in kw_kinds):
        pattern = _pattern(
            name,
            tuple(kinds),  # type: ignore[arg-type]
            tuple(kw_kinds),  # type: ignore[arg-type]
            current_app,
            get_script_prefix(),
            get_urlconf(),
            get_language(),
        )
        if pattern is not _NOT_SHORT:
            values = [str(a) for a in args] + [str(v) for v in kwargs.values()]
            return "".join(p if isinstance(p, str) else values[p] for p in pattern)
    return reverse(name, args=args, kwargs=kwargs, current_app=current_app)
