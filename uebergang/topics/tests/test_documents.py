"""A topic's own documents and the copies each hand-over takes with it: uploaded while the
topic is with the decision board, copied with their SHA-256 into every hand-over, the copies
unchanged when the topic's files are removed or replaced later; who may upload, remove and
download them (pages and API); bad files refused with nothing changed."""

from __future__ import annotations

import datetime
import hashlib

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from uebergang.accounts.services import api_token_create
from uebergang.core.errors import DomainError, PermissionDenied
from uebergang.core.models import HistoryEvent
from uebergang.core.permissions import SYSTEM
from uebergang.topics import services
from uebergang.topics.models import HandedDocument, Outcome, Topic, TopicDocument
from uebergang.topics.tests.factories import make_topic_world, open_topic, refer

DUE = datetime.date(2026, 3, 30)
PDF = b"%PDF-1.4\n% Entwurf 1\n%%EOF\n"
PDF2 = b"%PDF-1.4\n% Entwurf 2, gekuerzt\n%%EOF\n"


@pytest.fixture(autouse=True)
def _day(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, 0), tick=False):
        yield


@pytest.fixture
def world(network, make_user):
    w = make_topic_world(network, make_user)
    w.topic = open_topic(w)
    return w


def pdf(data: bytes = PDF, name: str = "bogen.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def fresh(world) -> Topic:
    return Topic.objects.get(pk=world.topic.pk)


def rows() -> list:
    return [
        list(TopicDocument.all_objects.values_list("pk", "deleted_at")),
        list(HandedDocument.objects.values_list("pk")),
        HistoryEvent.objects.count(),
        list(Topic.objects.values_list("pk", "version")),
    ]


def test_documents_go_with_each_hand_over_as_frozen_copies(world):
    doc = services.document_add(
        actor=world.u_dieter, topic=fresh(world), upload=pdf(), title="Entwurf"
    )
    assert (doc.title, doc.size, doc.sha256) == (
        "Entwurf",
        len(PDF),
        hashlib.sha256(PDF).hexdigest(),
    )
    referral = refer(world, fresh(world), due=DUE)
    (copy,) = HandedDocument.objects.filter(referral=referral)
    assert (copy.title, copy.sha256, copy.source_id) == ("Entwurf", doc.sha256, doc.pk)
    assert copy.file.name != doc.file.name
    # no more uploads once handed over: what was handed over stays as it was
    before = rows()
    with pytest.raises(DomainError) as error:
        services.document_add(actor=SYSTEM, topic=fresh(world), upload=pdf(PDF2))
    assert error.value.code == "invalid_transition"
    assert rows() == before
    # a second round: the board replaces the draft; the first hand-over keeps the first
    services.topic_skip_working_groups(
        actor=SYSTEM, topic=fresh(world), expected_version=None, note="Klar."
    )
    services.topic_recommend(
        actor=SYSTEM, topic=fresh(world), expected_version=None, recommendation="Ja."
    )
    services.topic_decide(
        actor=SYSTEM,
        topic=fresh(world),
        expected_version=None,
        outcome=Outcome.SENT_BACK,
        text="Kürzen.",
    )
    services.document_remove(actor=world.u_dieter, document=TopicDocument.objects.get())
    services.topic_update(
        actor=world.u_dieter, topic=fresh(world), expected_version=None, data={"title": "Neu"}
    )
    services.document_add(actor=world.u_dieter, topic=fresh(world), upload=pdf(PDF2))
    second = refer(world, fresh(world), due=DUE)
    copy.refresh_from_db()
    with copy.file.open("rb") as handle:
        assert handle.read() == PDF
    assert copy.referral.snapshot_title == "Gemeinsamer Übergabebogen"
    (new_copy,) = HandedDocument.objects.filter(referral=second)
    assert new_copy.sha256 == hashlib.sha256(PDF2).hexdigest() != copy.sha256
    assert second.snapshot_title == "Neu"


def test_who_may_upload_and_bad_files(world):
    before = rows()
    with pytest.raises(PermissionDenied):
        services.document_add(actor=world.u_anna, topic=fresh(world), upload=pdf())
    for upload, message in (
        (SimpleUploadedFile("x.exe", b"MZ..."), "Erlaubt sind PDF- und Office-Dateien"),
        (SimpleUploadedFile("x.pdf", b"kein pdf"), "passt nicht zur Endung"),
        (SimpleUploadedFile("x.pdf", b""), "leer"),
    ):
        with pytest.raises(DomainError, match=message):
            services.document_add(actor=world.u_dieter, topic=fresh(world), upload=upload)
    assert rows() == before
    doc = services.document_add(actor=world.u_dieter, topic=fresh(world), upload=pdf())
    before = rows()
    with pytest.raises(PermissionDenied):
        services.document_remove(actor=world.u_anna, document=doc)
    assert rows() == before
    services.document_remove(actor=SYSTEM, document=doc)
    with pytest.raises(DomainError, match="bereits entfernt"):
        services.document_remove(actor=SYSTEM, document=doc)


def test_the_pages_of_the_documents(world, coordinator, member):
    net, pid = world.network, world.topic.public_id
    dieter, anna, nobody = Client(), Client(), Client()
    dieter.force_login(world.u_dieter)
    anna.force_login(world.u_anna)
    nobody.force_login(member)
    upload = reverse("topics:document_upload", args=[net.slug, pid])
    assert anna.get(upload).status_code == 403
    response = dieter.post(upload, {"file": pdf(b"kein pdf"), "version": fresh(world).version})
    assert response.status_code == 200 and "passt nicht zur Endung" in response.content.decode()
    assert not TopicDocument.objects.exists()
    response = dieter.post(
        upload, {"file": pdf(), "title": "Entwurf", "version": fresh(world).version}
    )
    assert response.status_code == 302
    doc = TopicDocument.objects.get()
    detail = reverse("topics:topic_detail", args=[net.slug, pid])
    assert "Entwurf" in dieter.get(detail).content.decode()
    refer(world, fresh(world), due=DUE)
    copy = HandedDocument.objects.get()
    page = anna.get(detail).content.decode()
    assert copy.sha256 in page and "Übergebene Unterlagen" in page
    got = anna.get(reverse("topics:handed_download", args=[net.slug, copy.public_id]))
    assert got.status_code == 200 and b"".join(got.streaming_content) == PDF
    assert got["X-Content-Type-Options"] == "nosniff"
    own = reverse("topics:document_download", args=[net.slug, doc.public_id])
    assert anna.get(own).status_code == 200
    assert nobody.get(own).status_code == 403
    remove = reverse("topics:document_remove", args=[net.slug, doc.public_id])
    assert dieter.get(remove).status_code == 405
    dieter.post(remove)  # refused: the topic is with the advisory board now
    assert TopicDocument.objects.filter(pk=doc.pk).exists()


def test_the_api_of_the_documents(world, network):
    _t, secret = api_token_create(actor=world.u_dieter, name="T")
    _t, anna_secret = api_token_create(actor=world.u_anna, name="T")
    client = Client(raise_request_exception=False)
    base = f"/api/v1/networks/{network.slug}/topics/{world.topic.public_id}"
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    before = rows()
    response = client.post(f"{base}/files", {"file": pdf(b"nein")}, **auth)
    assert response.status_code == 422 and "file" in response.json()["field_errors"]
    response = client.post(f"{base}/files", {}, **auth)
    assert response.status_code == 422
    assert set(response.json()) == {"code", "message", "field_errors", "details"}
    response = client.post(
        f"{base}/files", {"file": pdf()}, HTTP_AUTHORIZATION=f"Bearer {anna_secret}"
    )
    assert response.status_code == 403
    assert rows() == before
    response = client.post(f"{base}/files", {"file": pdf(), "title": "Entwurf"}, **auth)
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["sha256"] == hashlib.sha256(PDF).hexdigest()
    got = client.get(f"{base}/files/{created['id']}/download", **auth)
    assert got.status_code == 200 and b"".join(got.streaming_content) == PDF
    refer(world, fresh(world), due=DUE)
    detail = client.get(base, HTTP_AUTHORIZATION=f"Bearer {anna_secret}").json()
    assert [d["title"] for d in detail["documents"]] == ["Entwurf"]
    (handed,) = detail["referrals"][0]["documents"]
    assert (handed["sha256"], handed["source"]) == (created["sha256"], created["id"])
    got = client.get(
        f"{base}/handed-files/{handed['id']}/download",
        HTTP_AUTHORIZATION=f"Bearer {anna_secret}",
    )
    assert got.status_code == 200
    response = client.delete(f"{base}/files/{created['id']}", **auth)
    assert response.status_code == 422 and response.json()["code"] == "invalid_transition"
    missing = client.get(f"{base}/handed-files/{created['id']}/download", **auth)
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"


def test_the_documents_travel_with_their_bytes(world):
    import base64

    from uebergang.core.exchange import export_network

    services.document_add(actor=world.u_dieter, topic=fresh(world), upload=pdf(), title="Entwurf")
    refer(world, fresh(world), due=DUE)
    part = export_network(world.network)["parts"]["topics"]
    (own,) = part["documents"]
    (handed,) = part["handed_documents"]
    for row in (own, handed):
        assert base64.b64decode(row["content"]) == PDF
        assert row["sha256"] == hashlib.sha256(PDF).hexdigest()
        assert "file" not in row
    assert handed["source"] == own["public_id"]


def test_a_working_groups_result_files_go_back_with_the_result(world, make_user):
    from uebergang.topics.tests.factories import add_working_group

    add_working_group(world, make_user)
    refer(world, fresh(world), due=DUE)
    mandate = services.topic_refer_to_working_group(
        actor=SYSTEM,
        topic=fresh(world),
        expected_version=None,
        working_group=world.group,
        mandate="Entwurf.",
        due_date=DUE,
    )
    before = rows()
    for actor in (world.u_anna, world.u_dieter):
        with pytest.raises(PermissionDenied):
            services.result_document_add(actor=actor, referral=mandate, upload=pdf())
    assert rows() == before
    doc = services.result_document_add(
        actor=world.u_wanda, referral=mandate, upload=pdf(PDF2), title="Entwurf der AG"
    )
    assert doc.mandate == mandate
    services.mandate_result(actor=world.u_wanda, referral=mandate, result="Fertig.")
    back = services.topic_return_to_advisory_board(
        actor=SYSTEM, topic=fresh(world), expected_version=None
    )
    (copy,) = HandedDocument.objects.filter(referral=back)
    assert (copy.title, copy.sha256, copy.source_id) == (
        "Entwurf der AG",
        hashlib.sha256(PDF2).hexdigest(),
        doc.pk,
    )
    # the mandate is closed: its files stay as they are
    with pytest.raises(DomainError):
        services.document_remove(actor=world.u_wanda, document=doc)
    client = Client()
    client.force_login(world.u_anna)
    detail = reverse("topics:topic_detail", args=[world.network.slug, world.topic.public_id])
    assert "Entwurf der AG" in client.get(detail).content.decode()
    _t, secret = api_token_create(actor=world.u_anna, name="T")
    data = (
        Client()
        .get(
            f"/api/v1/networks/{world.network.slug}/topics/{world.topic.public_id}",
            HTTP_AUTHORIZATION=f"Bearer {secret}",
        )
        .json()
    )
    mandates = [r for r in data["referrals"] if r["role"] == "mandate"]
    assert [d["title"] for d in mandates[0]["result_documents"]] == ["Entwurf der AG"]
