"""core.api.idempotency: the Idempotency-Key helper every API write uses (IETF draft), on a
tiny view here; giving's and transparency's endpoints have their own tests."""

import datetime
import json
import threading
import time
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone
from rest_framework import exceptions, status
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.test import APIClient, APIRequestFactory, force_authenticate
from rest_framework.views import APIView

from core.api import idempotency
from core.api.idempotency import idempotent
from core.models import IdempotencyKey
from core.tasks import idempotency_keys_purge
from organizations import services as org_services
from tests.factories import OrganizationFactory, StaffFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

factory = APIRequestFactory()
SCOPE = "tests.groups.create"


class GroupCreateView(APIView):
    """A write: creates a Group named in the body. `{"fail": ...}` makes it refuse the body
    (400), find a conflict (409), or crash after writing (a 500)."""

    throttle_classes: list = []
    delay = 0.0  # seconds the write takes (the concurrency test)

    @idempotent(SCOPE)
    def post(self, request):
        fail = request.data.get("fail")
        if fail == "validation":
            raise exceptions.ValidationError({"name": ["Enter a name."]})
        if Group.objects.filter(name=request.data["name"]).exists():
            return Response({"detail": "Already there."}, status=status.HTTP_409_CONFLICT)
        group = Group.objects.create(name=request.data["name"])
        time.sleep(self.delay)
        if fail == "crash":
            raise RuntimeError("the view crashed after writing")
        return Response({"id": group.pk, "name": group.name, "at": timezone.now()}, status=201)


def call(data, *, key="key-1", user=None, token=None, path="/groups/", view=GroupCreateView):
    headers = {} if key is None else {"HTTP_IDEMPOTENCY_KEY": key}
    request = factory.post(path, data, format="json", **headers)
    if user is not None:
        force_authenticate(request, user=user, token=token)
    response = view.as_view()(request)
    response.render()
    return response


def hash_of(data, path="/groups/") -> str:
    request = Request(factory.post(path, data, format="json"), parsers=[JSONParser()])
    return idempotency.fingerprint(request)


def written() -> list[str]:
    return list(Group.objects.filter(name__startswith="idem-").values_list("name", flat=True))


@pytest.fixture
def user():
    return UserFactory()


def test_same_key_same_body_replays_the_stored_response(user):
    first = call({"name": "idem-a", "tags": [1, 2]}, user=user)
    again = call({"tags": [1, 2], "name": "idem-a"}, user=user)  # key order does not matter
    assert first.status_code == again.status_code == 201
    # The same body, the timestamp included (as JSON: PostgreSQL's jsonb orders the keys).
    assert json.loads(again.content) == json.loads(first.content)
    assert again["Idempotent-Replayed"] == "true" and "Idempotent-Replayed" not in first
    assert len(written()) == 1
    (entry,) = IdempotencyKey.objects.all()
    assert (entry.client, entry.scope, entry.key) == (f"user:{user.pk}", SCOPE, "key-1")
    assert entry.response_status == 201 and entry.response_body["name"] == "idem-a"


def test_same_key_other_body_is_422(user):
    call({"name": "idem-a"}, user=user)
    response = call({"name": "idem-b"}, user=user)
    assert response.status_code == 422
    assert response.data["detail"] == (
        "This Idempotency-Key was already used for a different request. Use a new key for a new submission."
    )
    assert written() == ["idem-a"]


def test_same_key_on_another_path_is_another_request(user):
    call({"name": "idem-a"}, user=user, path="/groups/")
    assert call({"name": "idem-a"}, user=user, path="/other/").status_code == 422


def test_same_key_while_the_first_still_runs_is_409(user):
    IdempotencyKey.objects.create(
        client=f"user:{user.pk}", scope=SCOPE, key="key-1", request_hash=hash_of({"name": "idem-a"})
    )
    response = call({"name": "idem-a"}, user=user)
    assert response.status_code == 409
    assert response["Retry-After"] == str(idempotency.RETRY_AFTER_SECONDS)
    assert (
        response.data["detail"]
        == "A request with this Idempotency-Key is still being processed; retry later."
    )
    assert not written()
    assert IdempotencyKey.objects.get().response_status is None  # the first one's claim is kept


def test_a_claim_left_by_a_dead_request_is_taken_over(user):
    entry = IdempotencyKey.objects.create(
        client=f"user:{user.pk}", scope=SCOPE, key="key-1", request_hash=hash_of({"name": "idem-a"})
    )
    old = timezone.now() - idempotency.STALE_CLAIM_AFTER - datetime.timedelta(seconds=1)
    IdempotencyKey.objects.filter(pk=entry.pk).update(updated_at=old)
    response = call({"name": "idem-a"}, user=user)
    assert response.status_code == 201 and len(written()) == 1
    assert IdempotencyKey.objects.get().response_status == 201


def test_a_400_is_not_stored_and_the_key_may_be_used_with_a_fixed_body(user):
    response = call({"name": "idem-a", "fail": "validation"}, user=user)
    assert response.status_code == 400 and response.data == {"name": ["Enter a name."]}
    assert not IdempotencyKey.objects.exists()
    response = call({"name": "idem-a"}, user=user)
    assert response.status_code == 201 and "Idempotent-Replayed" not in response
    assert len(written()) == 1


def test_a_crash_is_not_stored_and_its_writes_are_rolled_back(user):
    with pytest.raises(RuntimeError):
        call({"name": "idem-a", "fail": "crash"}, user=user)
    assert not IdempotencyKey.objects.exists() and not written()
    assert call({"name": "idem-a"}, user=user).status_code == 201


def test_another_4xx_of_the_view_is_stored_and_replayed(user):
    Group.objects.create(name="idem-a")
    first = call({"name": "idem-a"}, user=user)
    again = call({"name": "idem-a"}, user=user)
    assert first.status_code == again.status_code == 409
    assert again.data == {"detail": "Already there."} and again["Idempotent-Replayed"] == "true"
    assert IdempotencyKey.objects.get().response_status == 409


@pytest.mark.parametrize(
    ("code", "stored"),
    [
        (200, True),
        (201, True),
        (204, True),
        (400, False),
        (404, True),
        (409, True),
        (500, False),
        (503, False),
    ],
)
def test_which_responses_are_stored(code, stored):
    assert idempotency.is_stored(code) is stored


@pytest.mark.parametrize("key", [None, "", "   ", '""', "x" * 256, "ključ", "tab\tkey"])
def test_a_missing_or_malformed_key_is_400_naming_the_header(user, key):
    response = call({"name": "idem-a"}, user=user, key=key)
    assert response.status_code == 400
    assert list(response.data) == ["Idempotency-Key"]
    assert not IdempotencyKey.objects.exists() and not written()


def test_the_longest_key_and_the_quoted_form(user):
    assert call({"name": "idem-a"}, user=user, key="x" * 255).status_code == 201
    first = call({"name": "idem-b"}, user=user, key='"9f1c-4e"')  # an RFC 8941 string, as in the draft
    again = call({"name": "idem-b"}, user=user, key="9f1c-4e")
    assert first.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert len(written()) == 2


def test_keys_are_per_client(user):
    other = UserFactory()
    assert call({"name": "idem-a"}, user=user).status_code == 201
    assert call({"name": "idem-b"}, user=other).status_code == 201
    token_response = call({"name": "idem-c"}, user=user, token=SimpleNamespace(pk=7))
    assert token_response.status_code == 201
    assert set(IdempotencyKey.objects.values_list("client", flat=True)) == {
        f"user:{user.pk}",
        f"user:{other.pk}",
        "token:7",
    }


def test_anonymous_callers_are_refused():
    response = call({"name": "idem-a"})
    assert response.status_code == 401
    assert not IdempotencyKey.objects.exists() and not written()


# --- Expiry ---------------------------------------------------------------------------------


def test_the_purge_task_forgets_keys_older_than_24_hours(user):
    old = IdempotencyKey.objects.create(client="token:1", scope=SCOPE, key="old", request_hash="x")
    fresh = IdempotencyKey.objects.create(client="token:1", scope=SCOPE, key="fresh", request_hash="x")
    IdempotencyKey.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(hours=25))
    IdempotencyKey.objects.filter(pk=fresh.pk).update(
        created_at=timezone.now() - datetime.timedelta(hours=23)
    )
    assert idempotency_keys_purge.delay().get() == 1
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["fresh"]


def test_the_purge_runs_on_beat():
    (entry,) = [
        e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == "core.tasks.idempotency_keys_purge"
    ]
    assert entry["schedule"] <= 60 * 60


# --- Schema ---------------------------------------------------------------------------------


def test_schema_helper_adds_the_header_and_the_409_and_422():
    schema = idempotency.idempotency_schema({201: None}, conflict_description="Already recorded.")
    assert [p.name for p in schema["parameters"]] == ["Idempotency-Key"]
    assert set(schema["responses"]) == {201, 409, 422}
    assert str(schema["responses"][409].description).startswith("Already recorded. A request with the same")


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/giving/records/",
        "/api/v1/giving/records/bulk/",
        "/api/v1/transparency/public-funding/",
        "/api/v1/transparency/public-funding/bulk/",
    ],
)
def test_every_idempotent_endpoint_documents_the_header_and_the_answers(path):
    schema = _schema()
    operation = schema["paths"][path]["post"]
    (header,) = [p for p in operation["parameters"] if p["name"] == "Idempotency-Key"]
    assert header["in"] == "header" and header["required"] is True
    assert header["schema"]["maxLength"] == 255 and header["schema"]["pattern"] == idempotency.KEY_PATTERN
    assert {"400", "409", "422"} <= set(operation["responses"])
    assert "Idempotency-Key" in operation["responses"]["409"]["description"]
    assert "different body" in operation["responses"]["422"]["description"]


_SCHEMA = {}


def _schema():
    if not _SCHEMA:
        response = APIClient().get("/api/schema/", {"format": "json"}, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 200
        _SCHEMA.update(response.json())
    return _SCHEMA


# --- Concurrency (PostgreSQL) -------------------------------------------------------------


class SlowGroupCreateView(GroupCreateView):
    delay = 0.5


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite cannot run concurrent writers")
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("clients", [2, 4])
def test_concurrent_requests_with_one_key_write_once(clients):
    """Requests with the same key at the same time: exactly one runs the view and writes;
    the others get 409 (the first still running) or, once it finished, its replay."""
    user = UserFactory()
    start = threading.Barrier(clients)
    results = []

    def send():
        try:
            start.wait()
            response = call({"name": "idem-race"}, user=user, view=SlowGroupCreateView)
            results.append((response.status_code, response.get("Idempotent-Replayed")))
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert written() == ["idem-race"]
    assert IdempotencyKey.objects.get().response_status == 201
    fresh = [r for r in results if r == (201, None)]
    others = [r for r in results if r != (201, None)]
    assert len(fresh) == 1 and len(results) == clients
    assert all(r in ((409, None), (201, "true")) for r in others)


# --- The move from organizations (migration 0003) -------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_migration_copies_the_partner_keys_into_core():
    """organizations 0003 run on its own: the old table is made from the state before it (not by
    unapplying every later migration of every app, which took two minutes of CI), filled, and
    the migration applied to it as the executor would."""
    token, _key = org_services.api_token_create(
        actor=StaffFactory(), organization=OrganizationFactory(), name="feeder", scopes=["giving:write"]
    )
    loader = MigrationLoader(connection)
    migration = loader.get_migration("organizations", "0003_move_idempotency_keys_to_core")
    state = loader.project_state(migration.dependencies, at_end=True)
    Old = state.apps.get_model("organizations", "IdempotencyKey")
    with connection.schema_editor() as editor:
        editor.create_model(Old)
    try:
        answered = Old.objects.create(
            token_id=token.pk, scope="giving.records.create", key="k1", request_hash="h1",
            response_status=201, response_body={"id": 5},
        )  # fmt: skip
        Old.objects.create(token_id=token.pk, scope="s", key="refused", request_hash="h", response_status=400)
        Old.objects.create(token_id=token.pk, scope="s", key="running", request_hash="h")
        expired = Old.objects.create(
            token_id=token.pk, scope="s", key="expired", request_hash="h", response_status=201
        )
        Old.objects.filter(pk=expired.pk).update(created_at=timezone.now() - datetime.timedelta(hours=25))
        Old.objects.filter(pk=answered.pk).update(created_at=timezone.now() - datetime.timedelta(hours=2))

        with connection.schema_editor(atomic=migration.atomic) as editor:
            migration.apply(state, editor)
    finally:
        if "organizations_idempotencykey" in connection.introspection.table_names():
            with connection.schema_editor() as editor:
                editor.delete_model(Old)

    (copy,) = IdempotencyKey.objects.all()
    assert (copy.client, copy.scope, copy.key, copy.request_hash) == (
        f"token:{token.pk}",
        "giving.records.create",
        "k1",
        "h1",
    )
    assert copy.response_status == 201 and copy.response_body == {"id": 5}
    assert timezone.now() - copy.created_at > datetime.timedelta(hours=1)  # it expires on time
    assert "organizations_idempotencykey" not in connection.introspection.table_names()
