"""Online submission in one request (``POST /api/v1/applications/``), as a citizen's mobile app
uses it: e-form answers, a scan per required document (or a document of her data store) and
the submission at once; a retry lands on the same dossier; bad input changes nothing."""

import json
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.authtoken.models import Token

from egov.core.models import AuditEvent
from egov.dossiers.models import Dossier, DossierDocument
from egov.dossiers.workflow import State
from egov.portal import services
from egov.portal.demo import scan
from egov.portal.eforms import bind
from egov.portal.eforms import services as eforms
from egov.portal.models import Application, DocumentReuse, StoredDocument

from .test_eforms import SCHEMA, UI, post
from .test_portal import _citizen, dossiers_of

pytestmark = pytest.mark.django_db

URL = "/api/v1/applications/"
ANSWERS = {
    "full_name": "Nguyễn Văn An",
    "citizen_id": "067085000123",
    "birth_date": "1990-08-25",
    "gender": "nam",
    "kind": "2",
    "copies": 2,
    "purposes": ["work", "visa"],
    "ban": False,
    "commitment": True,
}


@pytest.fixture
def version(procedures, desk):
    """The criminal-record procedure with its e-form, filed at the provincial centre."""
    version = procedures["1.000001"]
    version.receiving_places.set([desk["center"]])
    eforms.publish_definition(None, version.procedure, SCHEMA, UI)
    return version


@pytest.fixture
def citizen(db):
    return _citizen("an")


def token_of(user) -> str:
    return f"Token {Token.objects.get_or_create(user=user)[0].key}"


def apply(client, user, version, desk, *, key=None, answers=ANSWERS, files=None, **fields):
    """The multipart request of the app: answers, one scan per required document."""
    data = {
        "procedure": version.procedure.code,
        "receiving_agency": desk["center"].code,
        "answers": answers if isinstance(answers, str) else json.dumps(answers),
        **(files if files is not None else scans(version)),
        **fields,
    }
    headers = {"HTTP_AUTHORIZATION": token_of(user)}
    if key is not None:
        headers["HTTP_IDEMPOTENCY_KEY"] = str(key)
    return client.post(URL, data, **headers)


def scans(version):
    return {f"file-{r.pk}": scan(f"doc-{r.pk}") for r in version.documents.all()}


def counts():
    """Everything a submission writes."""
    return (
        Dossier.objects.count(),
        Application.objects.count(),
        DossierDocument.objects.count(),
        StoredDocument.objects.count(),
        DocumentReuse.objects.count(),
        AuditEvent.objects.count(),
    )


def test_a_citizen_submits_online_in_one_request(client, citizen, version, desk):
    response = apply(client, citizen, version, desk, key=uuid.uuid4())
    assert response.status_code == 201, response.content
    body = response.json()
    dossier = Dossier.objects.get(code=body["code"])
    assert body["state"] == State.SUBMITTED == dossier.state
    assert dossier.channel == "online" and dossier.applicant_user == citizen
    assert body["links"]["portal"] == f"/dich-vu-cong/ho-so/{dossier.code}/"
    # The answers are kept typed as the page keeps them, with the form version.
    application = dossier.application
    assert application.form.procedure == version.procedure
    assert application.answers["copies"] == 2 and application.answers["birth_date"] == "1990-08-25"
    # Both scans are on the dossier and in her data store, named after the dossier.
    assert dossier.documents.count() == 2
    stored = StoredDocument.objects.filter(owner=citizen)
    assert {s.source_code for s in stored} == {dossier.code} and stored.count() == 2
    # The same audit events as the pages, and the desk sees it waiting for its check.
    actions = AuditEvent.objects.filter(object_id=str(dossier.pk), object_type="dossiers.dossier")
    assert sorted(actions.values_list("action", flat=True)) == ["dossier.create", "dossier.submit"]
    assert dossier.code in dossiers_of(desk["officer"])
    # She follows it through the dossier API with the same token.
    detail = client.get(body["links"]["self"], HTTP_AUTHORIZATION=token_of(citizen))
    assert detail.status_code == 200 and detail.json()["state"] == State.SUBMITTED


def test_a_retry_with_the_same_key_returns_the_same_dossier(client, citizen, version, desk):
    key = uuid.uuid4()
    first = apply(client, citizen, version, desk, key=key)
    again = apply(client, citizen, version, desk, key=key)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert Dossier.objects.count() == 1 and StoredDocument.objects.count() == 2


def test_someone_elses_key_is_a_conflict_and_reveals_nothing(client, citizen, version, desk):
    key = uuid.uuid4()
    code = apply(client, citizen, version, desk, key=key).json()["code"]
    other = _citizen("binh", citizen_id="067085000124")
    before = counts()
    response = apply(client, other, version, desk, key=key)
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "conflict"
    assert code not in response.content.decode()
    assert counts() == before


def test_the_pages_draft_opened_with_a_key_is_completed_by_the_api(client, citizen, version, desk):
    key = uuid.uuid4()
    services.start_application(citizen, version, desk["center"], key)
    response = apply(client, citizen, version, desk, key=key)
    assert response.status_code == 201
    assert Dossier.objects.get().state == State.SUBMITTED


def _fake_pdf():
    return SimpleUploadedFile("scan.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")


BAD_INPUTS = {
    "a mandatory document missing": ({"files": {}}, "Tờ khai theo mẫu"),
    "a file that is not what it claims": ({"files": "fake"}, "scan.pdf"),
    "answers failing the e-form": ({"answers": {**ANSWERS, "copies": 40}}, "answers.copies"),
    "a required answer missing": (
        {"answers": {k: v for k, v in ANSWERS.items() if k != "gender"}},
        "answers.gender",
    ),
    "answers that are not JSON": ({"answers": "{copies: 2"}, "answers"),
    "an unknown procedure": ({"procedure": "9.999999"}, "procedure"),
    "a place that does not take the procedure": ({"receiving_agency": "000.00.99.H16"}, "000."),
    "a key that is not a UUID": ({"key": "twice"}, "Idempotency-Key"),
}


@pytest.mark.parametrize("case", BAD_INPUTS, ids=list(BAD_INPUTS))
def test_bad_input_is_refused_with_a_clear_message_and_nothing_created(
    client, citizen, version, desk, case
):
    changes, shown = BAD_INPUTS[case]
    changes = dict(changes)
    if changes.get("files") == "fake":
        changes["files"] = {**scans(version), f"file-{version.documents.first().pk}": _fake_pdf()}
    before = counts()
    response = apply(client, citizen, version, desk, **changes)
    assert response.status_code == 400, response.content
    assert shown in response.content.decode()
    assert response.json()["error"]["code"] == "invalid"
    assert counts() == before


def test_answers_are_checked_with_the_pages_messages(client, citizen, version, desk):
    wrong = {**ANSWERS, "copies": 40, "birth_date": "31/02/1990"}
    body = apply(client, citizen, version, desk, answers=wrong).json()["error"]["fields"]
    page = bind(
        version.procedure.application_forms.get(),
        post({"ef-copies": "40", "ef-birth_date": "31/02/1990"}),
    ).errors
    assert body["answers.copies"] == page["copies"]
    assert body["answers.birth_date"] == page["birth_date"]


def test_a_stored_document_is_reused_and_the_reuse_recorded(client, citizen, version, desk):
    first, second = version.documents.order_by("pk")
    kept = services.store_upload(citizen, "CCCD", scan("cccd"))
    files = {f"file-{first.pk}": scan("to-khai"), f"reuse-{second.pk}": kept.pk}
    response = apply(client, citizen, version, desk, files=files)
    assert response.status_code == 201, response.content
    dossier = Dossier.objects.get(code=response.json()["code"])
    reuse = DocumentReuse.objects.get()
    assert reuse.stored == kept and reuse.dossier == dossier
    assert reuse.document.requirement == second and reuse.document.sha256 == kept.sha256


def test_nobody_can_reuse_another_persons_stored_document(client, citizen, version, desk):
    first, second = version.documents.order_by("pk")
    theirs = services.store_upload(_citizen("binh", "067085000124"), "CCCD", scan("cccd"))
    before = counts()
    files = {f"file-{first.pk}": scan("to-khai"), f"reuse-{second.pk}": theirs.pk}
    response = apply(client, citizen, version, desk, files=files)
    assert response.status_code == 400
    assert counts() == before


def test_an_officials_token_is_refused(client, version, desk):
    before = counts()
    response = apply(client, desk["officer"], version, desk)
    assert response.status_code == 403
    assert counts() == before


def test_without_a_token_nothing_happens(client, version, desk):
    response = client.post(URL, {"procedure": version.procedure.code})
    assert response.status_code in (401, 403)
    assert Dossier.objects.count() == 0


def test_the_endpoint_is_described_in_the_openapi_schema(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    operation = schema["paths"]["/api/v1/applications/"]["post"]
    assert "multipart/form-data" in operation["requestBody"]["content"]
    assert operation["requestBody"]["content"]["multipart/form-data"]["examples"]
    assert "201" in operation["responses"]
