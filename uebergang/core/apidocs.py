"""The API documentation at /api/v1/docs: the OpenAPI document as a server-rendered page in
the site's layout (KERN UX, German, WCAG 2.1 AA), instead of Swagger UI's script-built page.
Every operation with its parameters, request body and answers, then every schema with its
fields; the machine-readable document stays at /api/v1/openapi.json."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja.openapi.docs import DocsBase

METHODS = ("get", "post", "put", "patch", "delete")
REF = "#/components/schemas/"


def _type(schema: dict[str, Any]) -> str:
    """A short name of a JSON schema's type: `Partner`, `list[Partner]`, `string (date)`."""
    if not schema:
        return ""
    if "$ref" in schema:
        return schema["$ref"].removeprefix(REF)
    for combined in ("anyOf", "oneOf", "allOf"):
        if combined in schema:
            parts = [_type(part) for part in schema[combined]]
            return " | ".join(part for part in parts if part)
    kind = schema.get("type", "")
    if kind == "array":
        return f"list[{_type(schema.get('items', {}))}]"
    if "enum" in schema:
        return " | ".join(str(value) for value in schema["enum"])
    if "format" in schema:
        return f"{kind} ({schema['format']})"
    return str(kind)


def _body(content: dict[str, Any]) -> list[dict[str, str]]:
    return [
        {
            "media_type": media_type,
            "type": _type(spec.get("schema", {})),
            "ref": spec.get("schema", {}).get("$ref", "").removeprefix(REF),
        }
        for media_type, spec in content.items()
    ]


def _operations(schema: dict[str, Any]) -> list[dict[str, Any]]:
    """The operations grouped by their first tag, in the document's order."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for path, item in schema.get("paths", {}).items():
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            tag = (operation.get("tags") or ["API"])[0]
            groups.setdefault(tag, []).append(
                {
                    "id": operation.get("operationId", f"{method}-{path}"),
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "parameters": [
                        {
                            "name": parameter["name"],
                            "in": parameter.get("in", ""),
                            "required": parameter.get("required", False),
                            "type": _type(parameter.get("schema", {})),
                            "description": parameter.get("description", ""),
                        }
                        for parameter in operation.get("parameters", [])
                    ],
                    "body": _body(operation.get("requestBody", {}).get("content", {})),
                    "responses": [
                        {
                            "status": status,
                            "description": response.get("description", ""),
                            "body": _body(response.get("content", {})),
                        }
                        for status, response in operation.get("responses", {}).items()
                    ],
                }
            )
    return [
        {"tag": tag, "id": f"tag-{index}", "operations": operations}
        for index, (tag, operations) in enumerate(groups.items())
    ]


def _schemas(schema: dict[str, Any]) -> list[dict[str, Any]]:
    found = []
    for name, spec in schema.get("components", {}).get("schemas", {}).items():
        required = set(spec.get("required", []))
        found.append(
            {
                "name": name,
                "description": spec.get("description", ""),
                "fields": [
                    {
                        "name": field,
                        "type": _type(field_spec),
                        "required": field in required,
                        "description": field_spec.get("description", "")
                        or field_spec.get("title", ""),
                    }
                    for field, field_spec in spec.get("properties", {}).items()
                ],
            }
        )
    return found


class ApiDocs(DocsBase):
    """django-ninja's docs renderer (`NinjaAPI(docs=ApiDocs())`)."""

    template = "core/api_docs.html"

    def render_page(self, request: HttpRequest, api: Any, **kwargs: Any) -> HttpResponse:
        schema = api.get_openapi_schema(path_params=kwargs)
        return render(
            request,
            self.template,
            {
                "info": schema.get("info", {}),
                "openapi_url": self.get_openapi_url(api, kwargs),
                "groups": _operations(schema),
                "schemas": _schemas(schema),
            },
        )
