"""The logo of the network's letterhead: the coordination office uploads, replaces and
removes it (page, settings page, API); the file is checked by its bytes, stored outside the
web root and handed out only to the network; every change is in the history; it travels
with the network's export."""

from __future__ import annotations

import copy
import hashlib
import json

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from uebergang.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from uebergang.core.exchange import ImportRefused, dumps, export_network, import_network
from uebergang.core.models import HistoryEvent
from uebergang.core.permissions import SYSTEM
from uebergang.networks import selectors, services
from uebergang.networks.models import NetworkLogo

from .factories import image_upload, jpeg, make_logo, png, row_counts

NO_RIGHT = "Dafür fehlt Ihnen die Berechtigung in diesem Netzwerk."
NOT_AN_IMAGE = "Die Datei ist kein Bild im Format PNG oder JPEG (SVG ist nicht erlaubt)."
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
PDF = b"%PDF-1.4\n% Beispiel\n%%EOF\n"
API = "/api/v1/networks/osterode/logo"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def logo_events() -> list[tuple]:
    return list(
        HistoryEvent.objects.filter(object_type="networks.networklogo")
        .order_by("at", "id")
        .values_list("action", "actor_name", "parent_type", "changes")
    )


def refused(call, error_type=DomainError):
    """The call is refused with `error_type`; no row, file or history changed."""
    before = (
        row_counts(),
        logo_events(),
        sorted(NetworkLogo.all_objects.values_list("sha256", "version", "file")),
    )
    with pytest.raises(error_type) as info:
        call()
    after = (
        row_counts(),
        logo_events(),
        sorted(NetworkLogo.all_objects.values_list("sha256", "version", "file")),
    )
    assert after == before
    return info.value


# --- services --------------------------------------------------------------------------------


def test_the_office_uploads_a_png_which_is_stored_under_a_random_name(network, coordinator):
    # when
    data = png()
    logo = services.network_logo_set(
        actor=coordinator, network=network, upload=image_upload("Unser Logo.png", data)
    )
    # then
    logo = NetworkLogo.objects.get(network=network)
    assert (logo.file_name, logo.content_type, logo.size, logo.sha256, logo.version) == (
        "Unser Logo.png",
        "image/png",
        len(data),
        hashlib.sha256(data).hexdigest(),
        1,
    )
    assert logo.file.name.startswith("logos/") and logo.file.name.endswith(".png")
    assert "Unser" not in logo.file.name
    assert default_storage.open(logo.file.name).read() == data
    assert logo_events() == [
        (
            "create",
            "Kim Koordinata",
            "core.network",
            {
                "file_name": [None, "Unser Logo.png"],
                "content_type": [None, "image/png"],
                "size": [None, len(data)],
                "sha256": [None, hashlib.sha256(data).hexdigest()],
            },
        )
    ]
    assert selectors.logo_image(network).data == data


def test_a_jpeg_is_recognised_by_its_bytes_whatever_its_name(network, coordinator):
    data = jpeg()
    logo = services.network_logo_set(
        actor=coordinator,
        network=network,
        upload=SimpleUploadedFile("logo.png", data, "image/png"),  # name and type lie
    )
    assert (logo.content_type, logo.file.name[-4:]) == ("image/jpeg", ".jpg")


def test_replacing_updates_the_record_and_deletes_the_old_file_after_commit(
    network, coordinator, django_capture_on_commit_callbacks
):
    # given
    first = make_logo(network, content=png(colour=(255, 0, 0, 255)), name="alt.png")
    old_file = first.file.name
    # when
    with django_capture_on_commit_callbacks(execute=True):
        logo = services.network_logo_set(
            actor=coordinator,
            network=network,
            upload=image_upload("neu.jpg", jpeg()),
            expected_sha256=first.sha256,
        )
    # then the same record, a new version, the new file, the old one gone
    assert NetworkLogo.all_objects.filter(network=network).count() == 1
    logo = NetworkLogo.objects.get(pk=first.pk)
    assert (logo.file_name, logo.content_type, logo.version) == ("neu.jpg", "image/jpeg", 2)
    assert not default_storage.exists(old_file)
    assert default_storage.exists(logo.file.name)
    action, actor, parent, changes = logo_events()[-1]
    assert (action, actor, parent) == ("update", "Kim Koordinata", "core.network")
    assert set(changes) == {"file_name", "content_type", "size", "sha256"}
    assert changes["file_name"] == ["alt.png", "neu.jpg"]


def test_the_same_file_again_changes_nothing(network, coordinator):
    logo = make_logo(network)
    events = logo_events()
    again = services.network_logo_set(actor=coordinator, network=network, upload=image_upload())
    assert (again.pk, again.version) == (logo.pk, 1)
    assert logo_events() == events


def test_removing_soft_deletes_the_record_and_its_file(
    network, coordinator, django_capture_on_commit_callbacks
):
    # given
    logo = make_logo(network)
    stored = logo.file.name
    # when
    with django_capture_on_commit_callbacks(execute=True):
        services.network_logo_remove(
            actor=coordinator, network=network, expected_sha256=logo.sha256
        )
    # then
    assert selectors.network_logo(network) is None
    assert selectors.logo_image(network) is None
    removed = NetworkLogo.all_objects.get(pk=logo.pk)
    assert removed.deleted_at is not None and not removed.file
    assert not default_storage.exists(stored)
    assert logo_events()[-1] == (
        "delete",
        "Kim Koordinata",
        "core.network",
        {"file_name": ["logo.png", None]},
    )
    # and a new one may be uploaded afterwards
    assert make_logo(network).pk != logo.pk


def test_a_member_may_not_upload_or_remove(network, member):
    make_logo(network)
    error = refused(
        lambda: services.network_logo_set(actor=member, network=network, upload=image_upload()),
        PermissionDenied,
    )
    assert error.message == NO_RIGHT
    error = refused(
        lambda: services.network_logo_remove(actor=member, network=network), PermissionDenied
    )
    assert error.message == NO_RIGHT


def test_the_office_of_another_network_may_not_upload(network, outsider):
    refused(
        lambda: services.network_logo_set(actor=outsider, network=network, upload=image_upload()),
        PermissionDenied,
    )


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("logo.svg", SVG, NOT_AN_IMAGE),
        ("logo.png", PDF, NOT_AN_IMAGE),
        ("logo.png", b"GIF89a" + b"\0" * 20, NOT_AN_IMAGE),
        ("logo.png", b"\x89PNG\r\n\x1a\n kein Bild", NOT_AN_IMAGE),
        ("logo.png", b"", "Die Datei ist leer."),
        ("logo.png", png() + b"\0" * 2048, "Die Datei ist zu groß (höchstens 2 KB)."),
    ],
    ids=["svg", "pdf", "gif", "png-signature-only", "empty", "too-large"],
)
def test_what_is_not_a_small_png_or_jpeg_is_refused_at_the_file(
    network, coordinator, settings, name, content, message
):
    settings.LOGO_MAX_BYTES = 2048
    error = refused(
        lambda: services.network_logo_set(
            actor=coordinator, network=network, upload=SimpleUploadedFile(name, content)
        )
    )
    assert error.field_errors == {"file": [message]}
    assert not default_storage.exists("logos") or default_storage.listdir("logos") == ([], [])


def test_the_limit_is_shown_in_megabytes(network, coordinator, settings):
    settings.LOGO_MAX_BYTES = 1024 * 1024
    big = SimpleUploadedFile("logo.png", png() + b"\0" * (1024 * 1024))
    error = refused(
        lambda: services.network_logo_set(actor=coordinator, network=network, upload=big)
    )
    assert error.field_errors == {"file": ["Die Datei ist zu groß (höchstens 1 MB)."]}


def test_a_change_in_between_is_a_conflict(network, coordinator):
    # given someone saw no logo, then another person uploaded one
    logo = make_logo(network)
    # when the first one uploads as if there were none
    error = refused(
        lambda: services.network_logo_set(
            actor=coordinator,
            network=network,
            upload=image_upload("anderes.jpg", jpeg()),
            expected_sha256="",
        ),
        Conflict,
    )
    # then they are told, with the current state
    assert error.details == {"current_sha256": logo.sha256}
    refused(
        lambda: services.network_logo_remove(
            actor=coordinator, network=network, expected_sha256="0" * 64
        ),
        Conflict,
    )


def test_removing_without_a_logo_is_not_found(network, coordinator):
    error = refused(
        lambda: services.network_logo_remove(actor=coordinator, network=network), NotFound
    )
    assert error.message == "Dieses Netzwerk hat kein Logo."


def test_a_missing_file_leaves_the_letterhead_without_logo(network):
    logo = make_logo(network)
    default_storage.delete(logo.file.name)
    assert selectors.logo_image(network) is None


# --- pages -----------------------------------------------------------------------------------


def test_the_settings_page_shows_the_upload_and_after_it_the_preview(coordinator_client, network):
    # given no logo
    page = coordinator_client.get("/n/osterode/einstellungen/").content.decode()
    assert "Logo im Briefkopf" in page
    assert "Es ist noch kein Logo hinterlegt." in page
    assert 'enctype="multipart/form-data"' in page
    assert "Logo entfernen" not in page
    # when the office uploads one from the settings page
    response = coordinator_client.post(
        "/n/osterode/angaben/logo/",
        {"file": image_upload(), "expected_sha256": "", "back": "einstellungen"},
    )
    # then it is back on the settings page, with the preview and the removal
    assert response.status_code == 302
    assert response["Location"] == "/n/osterode/einstellungen/"
    logo = NetworkLogo.objects.get(network=network)
    page = coordinator_client.get("/n/osterode/einstellungen/").content.decode()
    assert "Das Logo ist gespeichert." in page
    assert (
        f'<img src="/n/osterode/angaben/logo/bild/?v={logo.sha256[:16]}" '
        f'alt="{network.name}">' in page
    )
    assert "Logo ersetzen" in page and "Logo entfernen" in page


def test_a_refused_upload_shows_the_error_summary_on_the_logo_page(coordinator_client, network):
    response = coordinator_client.post(
        "/n/osterode/angaben/logo/",
        {"file": SimpleUploadedFile("logo.svg", SVG), "expected_sha256": ""},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "error-summary" in page
    assert f'<a class="kern-link" href="#id_file">Neues Logo: {NOT_AN_IMAGE}</a>' in page
    assert not NetworkLogo.objects.exists()


def test_the_logo_page_shows_a_conflict(coordinator_client, network):
    logo = make_logo(network)
    response = coordinator_client.post(
        "/n/osterode/angaben/logo/", {"file": image_upload("b.jpg", jpeg()), "expected_sha256": ""}
    )
    page = response.content.decode()
    assert "Das Logo wurde inzwischen von jemand anderem geändert." in page
    assert f'value="{logo.sha256}"' in page  # the next try is against the logo as it is


def test_the_office_removes_the_logo_on_the_settings_page(coordinator_client, network):
    logo = make_logo(network)
    response = coordinator_client.post(
        "/n/osterode/angaben/logo/",
        {"remove": "1", "expected_sha256": logo.sha256, "back": "einstellungen"},
    )
    assert response.status_code == 302
    assert selectors.network_logo(network) is None
    page = coordinator_client.get(response["Location"]).content.decode()
    assert "Das Logo ist entfernt." in page


def test_members_see_the_logo_file_but_not_its_page(member_client, network):
    logo = make_logo(network)
    response = member_client.get("/n/osterode/angaben/logo/bild/")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == default_storage.open(logo.file.name).read()
    assert member_client.get("/n/osterode/angaben/logo/").status_code == 403
    assert (
        member_client.post("/n/osterode/angaben/logo/", {"file": image_upload()}).status_code == 403
    )
    assert NetworkLogo.objects.get().version == 1


def test_the_logo_file_is_not_found_without_a_logo_and_for_others(client, outsider, network):
    client.force_login(outsider)
    make_logo(network)
    assert client.get("/n/osterode/angaben/logo/bild/").status_code == 404


def test_without_a_logo_the_file_is_not_found(member_client, network):
    assert member_client.get("/n/osterode/angaben/logo/bild/").status_code == 404


# --- API -------------------------------------------------------------------------------------


def test_the_office_uploads_reads_and_removes_the_logo_through_the_api(coordinator_client, network):
    data = png()
    response = coordinator_client.post(API, {"file": image_upload("logo.png", data)})
    assert response.status_code == 200, response.content
    body = response.json()
    logo = NetworkLogo.objects.get(network=network)
    assert {k: body[k] for k in ("id", "file_name", "content_type", "size", "sha256")} == {
        "id": str(logo.public_id),
        "file_name": "logo.png",
        "content_type": "image/png",
        "size": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
    }
    response = coordinator_client.get(API)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["ETag"] == f'"{logo.sha256}"'
    assert b"".join(response.streaming_content) == data
    # replace, checking against what was read
    response = coordinator_client.post(
        API, {"file": image_upload("neu.jpg", jpeg()), "expected_sha256": logo.sha256}
    )
    assert response.status_code == 200
    assert response.json()["content_type"] == "image/jpeg"
    response = coordinator_client.delete(API)
    assert response.status_code == 200
    assert response.json() == {"id": str(logo.public_id), "deleted": True}
    assert coordinator_client.get(API).json()["code"] == "not_found"
    assert coordinator_client.delete(API).status_code == 404
    assert [event[0] for event in logo_events()] == ["create", "update", "delete"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (SVG, NOT_AN_IMAGE),
        (PDF, NOT_AN_IMAGE),
        (b"", "Die Datei ist leer."),
        (png() + b"\0" * 4096, "Die Datei ist zu groß (höchstens 4 KB)."),
    ],
    ids=["svg", "pdf", "empty", "too-large"],
)
def test_the_api_refuses_what_is_not_a_small_image_with_422(
    coordinator_client, network, settings, content, message
):
    settings.LOGO_MAX_BYTES = 4096
    response = coordinator_client.post(API, {"file": SimpleUploadedFile("logo.png", content)})
    assert response.status_code == 422, response.content
    assert response.json() == {
        "code": "invalid",
        "message": message,
        "field_errors": {"file": [message]},
        "details": None,
    }
    assert not NetworkLogo.objects.exists()


def test_the_api_refuses_a_request_without_file_and_a_stale_checksum(coordinator_client, network):
    response = coordinator_client.post(API, {"expected_sha256": ""})
    assert response.status_code == 422
    assert set(response.json()) == {"code", "message", "field_errors", "details"}
    logo = make_logo(network)
    response = coordinator_client.post(
        API, {"file": image_upload("b.jpg", jpeg()), "expected_sha256": ""}
    )
    assert response.status_code == 409
    assert response.json()["details"] == {"current_sha256": logo.sha256}
    response = coordinator_client.delete(f"{API}?expected_sha256=abc")
    assert response.status_code == 409
    assert NetworkLogo.objects.get().sha256 == logo.sha256


def test_a_member_may_neither_read_nor_change_the_logo_through_the_api(member_client, network):
    make_logo(network)
    for response in (
        member_client.get(API),
        member_client.post(API, {"file": image_upload("b.jpg", jpeg())}),
        member_client.delete(API),
    ):
        assert response.status_code == 403
        assert response.json()["message"] == NO_RIGHT
    assert NetworkLogo.objects.get().version == 1


def test_the_logo_routes_are_in_the_openapi_schema(client):
    schema = client.get("/api/v1/openapi.json").json()
    operations = schema["paths"]["/api/v1/networks/{network}/logo"]
    assert set(operations) == {"get", "post", "delete"}
    assert set(operations["get"]["responses"]["200"]["content"]) == {"image/png", "image/jpeg"}
    upload = operations["post"]["requestBody"]["content"]["multipart/form-data"]["schema"]
    assert upload["required"] == ["file"]


# --- export and import -----------------------------------------------------------------------


def test_the_logo_travels_with_the_export(network, coordinator, django_capture_on_commit_callbacks):
    # given a logo that was replaced once, and a removed one before it
    with django_capture_on_commit_callbacks(execute=True):
        first = make_logo(network, content=png(colour=(1, 2, 3, 255)))
        services.network_logo_remove(actor=SYSTEM, network=network)
        logo = make_logo(network, content=png(colour=(4, 5, 6, 255)))
        logo = services.network_logo_set(
            actor=coordinator, network=network, upload=image_upload("neu.jpg", jpeg())
        )
    # when the network is exported and imported again
    first_text = dumps(export_network(network))
    data = json.loads(first_text)
    rows = sorted(data["parts"]["networks"]["network_logos"], key=lambda r: r["deleted_at"] or "")
    assert [(r["public_id"], r["content"] is None) for r in rows] == [
        (str(logo.public_id), False),
        (str(first.public_id), True),
    ]
    assert "file" not in rows[0]
    imported = import_network(data, replace=True)
    # then the same file (under a new name), and the export says the same, byte for byte
    restored = NetworkLogo.objects.get(network=imported)
    assert restored.public_id == logo.public_id
    assert restored.file.name != logo.file.name
    assert default_storage.open(restored.file.name).read() == jpeg()
    assert NetworkLogo.all_objects.get(public_id=first.public_id).file == ""
    assert dumps(export_network(imported)) == first_text


def test_an_import_with_a_logo_that_is_not_an_image_is_refused(network):
    make_logo(network)
    data = export_network(network)
    [row] = data["parts"]["networks"]["network_logos"]
    where = f"network_logos[0] (public_id {row['public_id']})"

    bad = copy.deepcopy(data)
    [bad_row] = bad["parts"]["networks"]["network_logos"]
    import base64

    svg = base64.b64encode(SVG).decode()
    bad_row.update(content=svg, size=len(SVG), sha256=hashlib.sha256(SVG).hexdigest())
    with pytest.raises(ImportRefused) as info:
        import_network(bad, replace=True)
    assert info.value.messages == [f"{where}: „content“ ist kein Bild vom Typ image/png"]

    bad = copy.deepcopy(data)
    bad["parts"]["networks"]["network_logos"][0]["content_type"] = "image/svg+xml"
    with pytest.raises(ImportRefused) as info:
        import_network(bad, replace=True)
    assert info.value.messages == [f"{where}: „content_type“ muss image/png oder image/jpeg sein"]

    bad = copy.deepcopy(data)
    bad["parts"]["networks"]["network_logos"][0]["content"] = "kein base64!"
    with pytest.raises(ImportRefused) as info:
        import_network(bad, replace=True)
    assert info.value.messages == [f"{where}: „content“ ist kein gültiger Base64-Text"]

    bad = copy.deepcopy(data)
    bad["parts"]["networks"]["network_logos"].append(
        {**row, "public_id": "00000000-0000-4000-8000-000000000001"}
    )
    with pytest.raises(ImportRefused) as info:
        import_network(bad, replace=True)
    assert info.value.messages == [
        "network_logos[1] (public_id 00000000-0000-4000-8000-000000000001): ein Netzwerk hat "
        f"höchstens ein Logo ohne „deleted_at“ (schon: {where})"
    ]
