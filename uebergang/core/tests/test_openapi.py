"""The OpenAPI document at /api/v1/openapi.json and the interactive docs at /api/v1/docs.

The document is checked for what OpenAPI 3.1 requires of it (every reference resolves, every
path parameter is declared, operation ids are unique, every response is described) and for
the project's conventions (docs/api.md): every operation documents 401/404/422 with the
`ErrorOut` schema, every write also 403/409."""

from __future__ import annotations

import re
from typing import Any

import pytest

OPENAPI_URL = "/api/v1/openapi.json"
DOCS_URL = "/api/v1/docs"
HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}
WRITE_METHODS = {"post", "put", "patch", "delete"}
ERROR_REF = "#/components/schemas/ErrorOut"
# Operations without an account: the signed token in the path is the credential (the
# personal reply link). They answer 404/410/422 (a write also 409), never 401 or 403.
TOKEN_PATHS = ("/api/v1/reply-links/",)


def _by_account(path: str) -> bool:
    return not path.startswith(TOKEN_PATHS)


@pytest.fixture
def schema(client) -> dict[str, Any]:
    response = client.get(OPENAPI_URL)
    assert response.status_code == 200
    return response.json()


def _operations(schema: dict[str, Any]):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in HTTP_METHODS:
                yield path, method, operation


def _refs(node: Any):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def _is_download(content: dict[str, Any]) -> bool:
    """A file download (a meeting's document; a table as XLSX or CSV): binary in every
    content type it names, none of them JSON."""
    return (
        bool(content)
        and "application/json" not in content
        and all(
            part.get("schema") == {"type": "string", "format": "binary"}
            for part in content.values()
        )
    )


def _is_upload(content: dict[str, Any]) -> bool:
    """A file upload: multipart/form-data with at least one binary field."""
    if list(content) != ["multipart/form-data"]:
        return False
    props = content["multipart/form-data"]["schema"].get("properties", {})
    return any(p.get("format") == "binary" for p in props.values())


def test_the_schema_is_served_as_json_to_anyone(client):
    # when the schema is fetched without signing in
    response = client.get(OPENAPI_URL)
    # then it is JSON
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"


def test_the_schema_is_openapi_3_1_with_title_and_version(schema):
    # then the header says OpenAPI 3.1 and names the API
    assert schema["openapi"] == "3.1.0"
    assert schema["info"]["title"] == "uebergang API"
    assert schema["info"]["version"] == "1"
    assert schema["info"]["description"].startswith("Die JSON-Schnittstelle von uebergang")


def test_the_schema_documents_both_ways_of_signing_in(schema):
    # then the two security schemes are there, and every operation accepts either
    assert schema["components"]["securitySchemes"] == {
        "TokenAuth": {
            "type": "http",
            "scheme": "bearer",
            "description": "Persönlicher API-Schlüssel (auf der Seite „API-Schlüssel“ erzeugt).",
        },
        "SessionAuth": {
            "type": "apiKey",
            "in": "cookie",
            "name": "sessionid",
            "description": "Die Sitzung der Web-Oberfläche; Schreibzugriffe brauchen das CSRF-Token.",
        },
    }
    without = [
        f"{method.upper()} {path}"
        for path, method, operation in _operations(schema)
        if _by_account(path)
        and operation.get("security") != [{"TokenAuth": []}, {"SessionAuth": []}]
    ]
    assert without == []
    # the token operations say that they need no sign-in
    assert {
        f"{method.upper()} {path}": operation.get("security")
        for path, method, operation in _operations(schema)
        if not _by_account(path)
    } == {"GET /api/v1/reply-links/{token}": None, "POST /api/v1/reply-links/{token}": None}


def test_every_path_lives_under_the_api_root(schema):
    # then every path is absolute under /api/v1/
    assert schema["paths"], "no paths documented"
    assert [path for path in schema["paths"] if not path.startswith("/api/v1/")] == []


def test_every_reference_resolves(schema):
    # given every $ref in the document
    components = schema["components"]["schemas"]
    refs = set(_refs(schema))
    # then each points to a component that exists
    assert refs, "no references at all"
    assert [ref for ref in refs if not ref.startswith("#/components/schemas/")] == []
    assert [ref for ref in refs if ref.rsplit("/", 1)[-1] not in components] == []


def test_every_path_parameter_is_declared_and_required(schema):
    # then each {param} of a path template is a required path parameter of each operation,
    # and no operation declares a path parameter that is not in the template
    problems = []
    for path, method, operation in _operations(schema):
        in_template = set(re.findall(r"\{(\w+)\}", path))
        declared = {p["name"]: p for p in operation.get("parameters", []) if p["in"] == "path"}
        if set(declared) != in_template:
            problems.append(f"{method.upper()} {path}: {sorted(declared)} != {sorted(in_template)}")
        problems += [
            f"{method.upper()} {path}: {name} not required"
            for name, p in declared.items()
            if p.get("required") is not True
        ]
    assert problems == []


def test_operation_ids_are_unique_and_every_operation_has_a_summary_and_a_tag(schema):
    # given all operations
    operations = list(_operations(schema))
    ids = [operation["operationId"] for _path, _method, operation in operations]
    # then the ids are unique, and each operation is summarised and tagged
    assert len(ids) == len(set(ids))
    assert [
        i for (_p, _m, op), i in zip(operations, ids, strict=True) if not op.get("summary")
    ] == []
    assert [i for (_p, _m, op), i in zip(operations, ids, strict=True) if not op.get("tags")] == []


def test_every_response_is_described(schema):
    # then every response of every operation has a description (required by OpenAPI)
    missing = [
        f"{method.upper()} {path} {status}"
        for path, method, operation in _operations(schema)
        for status, response in operation["responses"].items()
        if not response.get("description")
    ]
    assert missing == []


def test_every_operation_documents_one_success_with_a_json_body(schema):
    # then each operation has exactly one 2xx answer, described by a JSON schema
    problems = []
    for path, method, operation in _operations(schema):
        successes = [s for s in operation["responses"] if s.startswith("2")]
        if len(successes) != 1:
            problems.append(f"{method.upper()} {path}: {successes}")
            continue
        content = operation["responses"][successes[0]].get("content", {})
        if _is_download(content):
            continue
        if "schema" not in content.get("application/json", {}):
            problems.append(f"{method.upper()} {path}: no JSON schema for {successes[0]}")
    assert problems == []


def test_every_operation_documents_401_404_422_in_the_error_format(schema):
    # then every operation answers 401, 404 and 422 with ErrorOut
    problems = []
    for path, method, operation in _operations(schema):
        for status in ("401", "404", "422") if _by_account(path) else ("404", "410", "422"):
            response = operation["responses"].get(status)
            ref = (response or {}).get("content", {}).get("application/json", {}).get("schema")
            if ref != {"$ref": ERROR_REF}:
                problems.append(f"{method.upper()} {path} {status}: {ref}")
    assert problems == []


def test_every_write_also_documents_403_and_409_in_the_error_format(schema):
    # then every write operation answers 403 and 409 with ErrorOut too
    writes = [(p, m, o) for p, m, o in _operations(schema) if m in WRITE_METHODS]
    assert writes, "no write operations documented"
    problems = []
    for path, method, operation in writes:
        for status in ("403", "409") if _by_account(path) else ("409",):
            response = operation["responses"].get(status)
            ref = (response or {}).get("content", {}).get("application/json", {}).get("schema")
            if ref != {"$ref": ERROR_REF}:
                problems.append(f"{method.upper()} {path} {status}: {ref}")
    assert problems == []


def test_request_bodies_are_required_json(schema):
    # given the operations that take a body
    with_body = [(p, m, o) for p, m, o in _operations(schema) if "requestBody" in o]
    # then the body is JSON and required, and only writes take one
    assert len(with_body) >= 16
    problems = [
        f"{method.upper()} {path}"
        for path, method, operation in with_body
        if method not in WRITE_METHODS
        or operation["requestBody"].get("required") is not True
        or (
            list(operation["requestBody"]["content"]) != ["application/json"]
            and not _is_upload(operation["requestBody"]["content"])
        )
    ]
    assert problems == []


def test_the_error_schema_has_the_documented_shape(schema):
    # then ErrorOut is {code, message, field_errors, details}: all four always present,
    # field_errors and details null where there is nothing to say
    error = schema["components"]["schemas"]["ErrorOut"]
    assert error["type"] == "object"
    assert error["required"] == ["code", "message", "field_errors", "details"]
    assert list(error["properties"]) == ["code", "message", "field_errors", "details"]
    assert error["properties"]["code"]["type"] == "string"
    assert error["properties"]["message"]["type"] == "string"
    assert error["properties"]["field_errors"]["anyOf"] == [
        {"additionalProperties": {"items": {"type": "string"}, "type": "array"}, "type": "object"},
        {"type": "null"},
    ]
    assert error["properties"]["details"]["anyOf"] == [
        {"additionalProperties": True, "type": "object"},
        {"type": "null"},
    ]


def test_the_registry_and_the_account_are_documented(schema):
    # then the paths of both apps are in the document
    paths = set(schema["paths"])
    assert {
        "/api/v1/me",
        "/api/v1/me/tokens",
        "/api/v1/me/tokens/{tid}/revoke",
        "/api/v1/networks/{network}",
        "/api/v1/networks/{network}/partners",
        "/api/v1/networks/{network}/partners/{pid}",
        "/api/v1/networks/{network}/history",
        "/api/v1/networks/{network}/{kind}/{pid}/history",
    } <= paths


def test_the_docs_page_renders(client, schema):
    # when the documentation is opened
    response = client.get(DOCS_URL)
    # then it is a page of the site (no Swagger UI script) that lists every operation of the
    # schema and links the schema itself; its accessibility: core/tests/browser/test_reflow.py
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "swagger-ui" not in page
    assert '<html lang="de">' in page
    assert f'href="{OPENAPI_URL}"' in page
    listed = re.findall(r"<code>(GET|POST|PUT|PATCH|DELETE) ([^<]+)</code>", page)
    assert sorted(listed) == sorted(
        (method.upper(), path) for path, method, _operation in _operations(schema)
    )
