"""`Idempotency-Key` for API writes, after the IETF draft "The Idempotency-Key HTTP Header
Field": a client sends a unique key with a POST so that a retry (a timeout, a dropped
connection) never does the write twice.

Use it on the view method that writes, and declare it in the schema in one line::

    @extend_schema(request=..., **idempotency_schema({201: RecordSerializer}))
    class RecordListView(generics.ListCreateAPIView):
        @idempotent("giving.records.create")
        def create(self, request, *args, **kwargs): ...

What a request with a key gets:

- no key, or not 1-255 printable ASCII characters: 400 naming the header (a quoted key,
  `"abc"`, the draft's structured-field form, is the same key as `abc`);
- a new key: the view runs; its response is stored (see below) and returned;
- the key again, same request (method, path and JSON body, key order ignored): the stored
  response, same status and body (the same JSON; PostgreSQL may order its keys otherwise),
  with the header `Idempotent-Replayed: true`;
- the key again with another request: 422;
- the key again while the first request is still running: 409 with `Retry-After`.

Keys are per client (`token:<id>` for a partner token, `user:<id>` for a signed-in
person; anonymous callers are refused with 401, as their keys could meet) and per `scope`
(the endpoint), and are kept 24 hours (`core.tasks.idempotency_keys_purge`, hourly).

What is stored (decided as Stripe does): only the outcome of a request the view actually
processed, i.e. a 2xx or a 4xx other than 400 (e.g. a 409 "already recorded", a 404). A
400 (the body failed validation) and a 5xx (or an exception) are not stored: the view's
writes are rolled back and the claim is released, so the client may correct the body, or
simply retry, with the same key. The view runs in one transaction with the storing of its
response, so a stored response always matches what was written.

Concurrency: the key is claimed first by inserting the row in its own short transaction
under the unique constraint (client, scope, key); of two requests with one key at once,
exactly one inserts and runs the view, the other (waiting on the unique index on
PostgreSQL until the first insert commits) finds the row and answers 409, or replays once
the response is stored. A claim whose request died without a response (a killed worker)
is taken over by a retry after STALE_CLAIM_AFTER, so a key is never stuck for 24 hours.

Rows copied from the old per-app table (organizations migration 0003) keep their old
fingerprint, which was of the body only: a retry of such a key gets 422, never a second
write; they are gone within 24 hours.
"""

import functools
import hashlib
import json
import re
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.utils.encoders import JSONEncoder

from core.api.schema import ErrorSerializer
from core.models import IdempotencyKey

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
MAX_KEY_LENGTH = 255
KEY_PATTERN = r"^[ -~]+$"  # printable ASCII, space to tilde
KEEP_FOR = timedelta(hours=24)
# Longer than any request may run (gunicorn's timeout, the proxy's): a claim this old with
# no response belongs to a request that died.
STALE_CLAIM_AFTER = timedelta(minutes=10)
RETRY_AFTER_SECONDS = 2

_VALID_KEY = re.compile(KEY_PATTERN)


# --- The request --------------------------------------------------------------------------


def read_key(request) -> str:
    """The request's key, or a 400 naming the header."""
    raw = request.headers.get(HEADER)
    key = (raw or "").strip()
    if len(key) >= 2 and key[0] == key[-1] == '"':  # the draft's sf-string form
        key = key[1:-1]
    if raw is None or not key:
        raise exceptions.ValidationError(
            {HEADER: [_("Send an Idempotency-Key header, e.g. a new UUID for each submission.")]}
        )
    if len(key) > MAX_KEY_LENGTH or not _VALID_KEY.match(key):
        raise exceptions.ValidationError(
            {
                HEADER: [
                    _(
                        "The Idempotency-Key must be 1 to 255 printable ASCII characters "
                        "(letters, digits, punctuation), e.g. a UUID."
                    )
                ]
            }
        )
    return key


def client_of(request) -> str:
    """Who is calling, without knowing the token model: the token (request.auth) when there
    is one, else the signed-in user."""
    pk = getattr(request.auth, "pk", None)
    if pk is not None:
        return f"token:{pk}"
    if request.user is not None and request.user.is_authenticated:
        return f"user:{request.user.pk}"
    raise exceptions.NotAuthenticated()


def _canonical(data) -> str:
    if hasattr(data, "lists"):  # a QueryDict (form or multipart body)
        data = {key: values for key, values in data.lists()}
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, cls=JSONEncoder)


def fingerprint(request) -> str:
    """sha256 of the method, the path and the body as canonical JSON (sorted keys)."""
    text = "\n".join((request.method, request.path, _canonical(request.data)))
    return hashlib.sha256(text.encode()).hexdigest()


def is_stored(status_code: int) -> bool:
    """Whether a response is kept for replay: 2xx and 4xx but 400 (see the docstring)."""
    return 200 <= status_code < 300 or (400 < status_code < 500)


# --- The answers --------------------------------------------------------------------------


def _key_reused() -> Response:
    return Response(
        {
            "detail": _(
                "This Idempotency-Key was already used for a different request. "
                "Use a new key for a new submission."
            )
        },
        status=status.HTTP_422_UNPROCESSABLE_ENTITY,
    )


def _in_progress() -> Response:
    return Response(
        {"detail": _("A request with this Idempotency-Key is still being processed; retry later.")},
        status=status.HTTP_409_CONFLICT,
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )


def _replay(entry: IdempotencyKey) -> Response:
    return Response(entry.response_body, status=entry.response_status, headers={REPLAYED_HEADER: "true"})


# --- The claim ----------------------------------------------------------------------------


def _claim(client: str, scope: str, key: str, request_hash: str):
    """(row, None) when this request owns the key now, else (None, the answer to give)."""
    try:
        with transaction.atomic():
            return IdempotencyKey.objects.create(
                client=client, scope=scope, key=key, request_hash=request_hash
            ), None
    except IntegrityError:
        pass
    entry = IdempotencyKey.objects.filter(client=client, scope=scope, key=key).first()
    if entry is None:  # released (or purged) in between: the client may simply retry
        return None, _in_progress()
    if entry.request_hash != request_hash:
        return None, _key_reused()
    if entry.response_status is not None:
        return None, _replay(entry)
    now = timezone.now()
    taken_over = IdempotencyKey.objects.filter(
        pk=entry.pk, response_status__isnull=True, updated_at__lt=now - STALE_CLAIM_AFTER
    ).update(updated_at=now)
    if taken_over:  # its request died; the conditional update lets only one retry in
        return entry, None
    return None, _in_progress()


def _release(entry: IdempotencyKey) -> None:
    IdempotencyKey.objects.filter(pk=entry.pk, response_status__isnull=True).delete()


def idempotent(scope: str):
    """Decorate a DRF view method (`create`, `post`, ...) so that it runs at most once per
    (client, `scope`, Idempotency-Key); see the module docstring."""

    def decorator(method):
        @functools.wraps(method)
        def wrapper(view, request, *args, **kwargs):
            key = read_key(request)
            client = client_of(request)
            entry, answer = _claim(client, scope, key, fingerprint(request))
            if answer is not None:
                return answer
            stored = False
            try:
                with transaction.atomic():
                    try:
                        response = method(view, request, *args, **kwargs)
                    except Exception as exc:  # noqa: BLE001 - answered (4xx) or re-raised (500)
                        response = view.handle_exception(exc)
                    if is_stored(response.status_code):
                        entry.response_status = response.status_code
                        entry.response_body = json.loads(json.dumps(response.data, cls=JSONEncoder))
                        entry.save(update_fields=["response_status", "response_body", "updated_at"])
                        stored = True
                    else:  # nothing of a refused or failed request stays written
                        transaction.set_rollback(True)
            finally:
                if not stored:
                    _release(entry)
            return response

        wrapper.idempotency_scope = scope
        return wrapper

    return decorator


# --- The schema ---------------------------------------------------------------------------

PARAMETER = OpenApiParameter(
    HEADER,
    {"type": "string", "minLength": 1, "maxLength": MAX_KEY_LENGTH, "pattern": KEY_PATTERN},
    OpenApiParameter.HEADER,
    required=True,
    description=gettext_lazy(
        "A unique key per submission (e.g. a new UUID), 1 to 255 printable ASCII characters, kept "
        "24 hours. Retrying with the same key and body returns the first response (header "
        "Idempotent-Replayed: true) and writes nothing new; the same key with another body is "
        "refused with 422; while the first request is still running, 409. A request refused as "
        "invalid (400) is not kept: correct it and send it again with the same key."
    ),
)
IN_PROGRESS_DESCRIPTION = gettext_lazy(
    "A request with the same Idempotency-Key is still being processed: retry after the seconds in "
    "Retry-After."
)
KEY_REUSED_DESCRIPTION = gettext_lazy("The Idempotency-Key was already used with a different body.")


def idempotency_schema(responses: dict, *, conflict=None, conflict_description=None) -> dict:
    """`extend_schema(**idempotency_schema({201: S}))`: the header and the 409 and 422
    responses added to the view's own `responses`. A view whose writes can also conflict
    (an existing record) gives that 409's body and says when it happens; the description
    then names both cases."""
    description = IN_PROGRESS_DESCRIPTION
    if conflict_description:
        description = format_lazy("{} {}", conflict_description, IN_PROGRESS_DESCRIPTION)
    return {
        "parameters": [PARAMETER],
        "responses": {
            **responses,
            409: OpenApiResponse(conflict or ErrorSerializer, description=description),
            422: OpenApiResponse(ErrorSerializer, description=KEY_REUSED_DESCRIPTION),
        },
    }
