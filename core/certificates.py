"""Certificates any app issues (hours volunteered, an academy completed...), checked publicly.

An app registers the text of each kind of certificate it issues, from its `AppConfig.ready()`:

    certificates.register(
        "volunteering.hours",
        title=gettext_lazy("Certificate of volunteering"),
        statements=lambda facts: [gettext("%(name)s volunteered %(hours)s hours ...") % facts],
    )

and issues one with `issue(kind=..., holder_name=..., facts={...}, source=obj, holder=user)`.
A certificate keeps the facts as issued (plain JSON values) and is rendered in any language:
`statements` is called with the language active. Each has an unguessable, human-readable
code (`XXXX-XXXX-XXXX-XXXX`, 16 letters and digits without look-alikes, ~78 bits) that anyone
types at `/<lang>/verify/` to see what it states — only that — and whether it was revoked.
`pdf(certificate)` renders it in the holder's language (WeasyPrint, `core.exports`).
"""

import io
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from core.models import Certificate

ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789"  # no 0/O, 1/I/L, U
GROUPS, GROUP_LENGTH = 4, 4


@dataclass(frozen=True)
class CertificateKind:
    kind: str
    title: object  # a (lazy) translated string
    statements: Callable[[dict], list[str]]  # facts -> sentences, in the active language


_KINDS: dict[str, CertificateKind] = {}


def register(kind: str, *, title, statements: Callable[[dict], list[str]]) -> None:
    """Register the text of a kind of certificate (idempotent per kind)."""
    _KINDS[kind] = CertificateKind(kind=kind, title=title, statements=statements)


def kind_of(certificate: Certificate) -> CertificateKind | None:
    return _KINDS.get(certificate.kind)


def new_code() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(GROUPS * GROUP_LENGTH))
    return "-".join(raw[i : i + GROUP_LENGTH] for i in range(0, len(raw), GROUP_LENGTH))


def normalise_code(text: str) -> str | None:
    """A typed code in the stored form (case, spaces and dashes forgiven), or None when it
    cannot be a code at all."""
    raw = re.sub(r"[\s\-–—]", "", (text or "")).upper()[:40]
    if len(raw) != GROUPS * GROUP_LENGTH or any(c not in ALPHABET for c in raw):
        return None
    return "-".join(raw[i : i + GROUP_LENGTH] for i in range(0, len(raw), GROUP_LENGTH))


def find(text: str) -> Certificate | None:
    code = normalise_code(text)
    return Certificate.objects.filter(code=code).first() if code else None


def issue(
    *, kind: str, holder_name: str, facts: dict, source=None, holder=None, language: str = ""
) -> Certificate:
    """A certificate of `kind` for `source`: the valid one already issued with the same facts
    (a double click issues nothing new), else a new one with a fresh code."""
    if kind not in _KINDS:
        raise LookupError(f"No certificate kind {kind!r} is registered.")
    holder_name = holder_name[: Certificate._meta.get_field("holder_name").max_length]  # as kept
    content_type = ContentType.objects.get_for_model(source) if source is not None else None
    object_id = source.pk if source is not None else None
    existing = Certificate.objects.filter(
        kind=kind, content_type=content_type, object_id=object_id, revoked_at__isnull=True, facts=facts
    ).first()
    if existing is not None and existing.holder_name == holder_name:
        return existing
    language = language or getattr(holder, "preferred_language", "") or "sq"
    for _attempt in range(5):  # a collision of ~78-bit codes: practically never
        try:
            with transaction.atomic():
                return Certificate.objects.create(
                    code=new_code(),
                    kind=kind,
                    holder_name=holder_name,
                    holder=holder,
                    language=language,
                    facts=facts,
                    content_type=content_type,
                    object_id=object_id,
                )
        except IntegrityError:
            continue
    raise RuntimeError("Could not find a free certificate code.")


def revoke(*, certificate: Certificate, reason: str = "") -> Certificate:
    with transaction.atomic():
        certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if certificate.revoked_at is None:
            certificate.revoked_at, certificate.revoked_reason = timezone.now(), reason[:300]
            certificate.save(update_fields=["revoked_at", "revoked_reason"])
    return certificate


def text(certificate: Certificate) -> dict:
    """Title and statements in the active language (what the PDF and the page show)."""
    registered = kind_of(certificate)
    if registered is None:
        return {"title": "", "statements": []}
    return {
        "title": str(registered.title),
        "statements": list(registered.statements(dict(certificate.facts))),
    }


def pdf(certificate: Certificate, language: str | None = None) -> bytes:
    """The certificate as a PDF, in `language` (the holder's by default)."""
    from core.exports import html_to_pdf
    from core.site_url import site_url

    with translation.override(language or certificate.language):
        html = render_to_string(
            "core/certificate_pdf.html",
            {"certificate": certificate, "site_url": site_url(), **text(certificate)},
        )
    out = io.BytesIO()
    html_to_pdf(out, html)
    return out.getvalue()
