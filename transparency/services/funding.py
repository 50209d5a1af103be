"""Writes of public funding records: one and in bulk (the API) and by import (CSV/XLSX through core.tabular)."""

import hashlib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from core import tabular
from core.fragments import touch
from core.money import AmountError, parse_amount
from core.page_cache import TRANSPARENCY
from organizations.models import ApiToken, Organization
from transparency.choices import FundingProcedure, FundingSource
from transparency.models import PublicFundingRecord

WRITE_SCOPE = ApiToken.Scope.TRANSPARENCY_WRITE


def _may_write(actor, token=None) -> bool:
    if isinstance(token, ApiToken):
        return token.is_active and token.has_scope(WRITE_SCOPE)
    return bool(actor and actor.has_perm("transparency.manage_public_funding"))


def _require_writer(actor, token=None) -> None:
    if not _may_write(actor, token):
        raise PermissionDenied(_("You do not have permission to record public funding."))


def _norm(text) -> str:
    text = unicodedata.normalize("NFKC", str(text or ""))
    return " ".join(text.split()).casefold()


def funding_fingerprint(*, institution_id, recipient_id, recipient_name, year, amount, programme) -> str:
    """The same grant gives the same fingerprint: a linked recipient counts by its id, an
    unlinked one by its declared name (case and spacing ignored); the amount to the cent."""
    recipient_key = f"org:{recipient_id}" if recipient_id else f"name:{_norm(recipient_name)}"
    amount = Decimal(amount).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    raw = "|".join([str(institution_id), recipient_key, str(int(year)), str(amount), _norm(programme)])
    return hashlib.sha256(raw.encode()).hexdigest()


def _fingerprint_of(record: PublicFundingRecord) -> str:
    return funding_fingerprint(
        institution_id=record.institution_id,
        recipient_id=record.recipient_id,
        recipient_name=record.recipient_name,
        year=record.year,
        amount=record.amount,
        programme=record.programme,
    )


class DuplicateFundingRecord(ValidationError):
    """The same grant (same fingerprint) is already recorded."""

    def __init__(self, existing: PublicFundingRecord):
        super().__init__(_("This grant is already recorded."), code="duplicate")
        self.existing = existing


RECORD_FIELDS = (
    "institution",
    "recipient",
    "recipient_name",
    "year",
    "amount",
    "programme",
    "procedure",
    "call_published",
    "results_published",
    "recipient_reported",
    "source",
    "notes",
)


def _check_parties(record: PublicFundingRecord) -> None:
    errors = {}
    if record.institution_id and record.institution.kind != Organization.Kind.PUBLIC_INSTITUTION:
        errors["institution"] = [_("The granting institution must be a public institution of the registry.")]
    if not record.recipient_name and record.recipient_id:
        record.recipient_name = record.recipient.name
    if not (record.recipient_name or "").strip():
        errors["recipient_name"] = [_("Name the recipient.")]
    if errors:
        raise ValidationError(errors)


def funding_record_prepare(*, data: dict, actor=None) -> PublicFundingRecord:
    """An unsaved, validated record with its fingerprint. `data` holds model values
    (institution and recipient as Organization instances)."""
    record = PublicFundingRecord(**{k: v for k, v in data.items() if k in RECORD_FIELDS})
    if actor is not None and getattr(actor, "is_authenticated", False):
        record.entered_by = actor
    record.recipient_name = (record.recipient_name or "").strip()
    _check_parties(record)
    record.full_clean(exclude=["fingerprint", "entered_by"])
    record.fingerprint = _fingerprint_of(record)
    return record


@transaction.atomic
def funding_record_create(*, actor, data: dict, token=None) -> PublicFundingRecord:
    """Record one grant. Staff, or a partner token with the `transparency:write` scope.
    Raises DuplicateFundingRecord when the same grant is already recorded."""
    _require_writer(actor, token)
    record = funding_record_prepare(data=data, actor=actor)
    existing = PublicFundingRecord.objects.select_for_update().filter(fingerprint=record.fingerprint).first()
    if existing is not None:
        raise DuplicateFundingRecord(existing)
    record.save()
    return record


@transaction.atomic
def funding_records_create_bulk(*, actor, items: list[dict], token=None) -> tuple[list, list]:
    """Record several grants at once, all or nothing: every item is validated first and a
    ValidationError names the failing items by index. Returns (created, duplicates) where
    duplicates are (index, existing record) pairs, skipped."""
    _require_writer(actor, token)
    prepared, errors = [], {}
    for index, data in enumerate(items):
        try:
            prepared.append((index, funding_record_prepare(data=data, actor=actor)))
        except ValidationError as exc:
            errors[str(index)] = exc.message_dict if hasattr(exc, "error_dict") else exc.messages
    if errors:
        raise ValidationError(errors)
    fingerprints = [r.fingerprint for _i, r in prepared]
    existing = {
        r.fingerprint: r
        for r in PublicFundingRecord.objects.select_for_update().filter(fingerprint__in=fingerprints)
    }
    created, duplicates, seen = [], [], {}
    for index, record in prepared:
        found = existing.get(record.fingerprint) or seen.get(record.fingerprint)
        if found is not None:
            duplicates.append((index, found))
            continue
        record.save()
        seen[record.fingerprint] = record
        created.append(record)
    return created, duplicates


IMPORT_COLUMNS = (
    "institution",
    "recipient",
    "recipient_name",
    "year",
    "amount",
    "programme",
    "procedure",
    "call_published",
    "results_published",
    "recipient_reported",
    "source",
    "notes",
)


IMPORT_MAX_ROWS = 20_000


IMPORT_MAX_BYTES = 10 * 1024 * 1024


IMPORT_ERROR_LIMIT = 500  # rows with errors listed in the report (all are counted)


TRUE_WORDS = {"1", "true", "yes", "y", "x", "po", "da", "po/yes"}


FALSE_WORDS = {"", "0", "false", "no", "n", "jo", "ne"}


@dataclass
class RowError:
    line: int
    messages: list[str]


@dataclass
class ImportResult:
    rows: int = 0
    valid: int = 0
    created: int = 0
    duplicates: list[tuple[int, str]] = field(default_factory=list)  # (line, why)
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    dry_run: bool = True

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    @property
    def to_create(self) -> int:
        return self.valid - len(self.duplicates)


def _choice_lookup(choices) -> dict[str, str]:
    """code and label (in every portal language), casefolded → code."""
    lookup = {}
    for code, label in choices:
        lookup[_norm(code)] = code
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                lookup[_norm(str(label))] = code
    return lookup


class _Registry:
    """Organisations named in the file, loaded in a few queries (not one per row)."""

    def __init__(self, rows: list[dict]):
        inst_keys = {_norm(r.get("institution")) for r in rows} - {""}
        recip_keys = {_norm(r.get("recipient")) for r in rows} - {""}
        keys = inst_keys | recip_keys
        self.by_number, self.by_slug, self.by_name = {}, {}, {}
        if not keys:
            return
        # Case-insensitive matching happens here, in Python, over the organisations whose
        # number, slug or name equals a key: the candidates come from one query on the
        # exact values and one on registration numbers (numbers are kept as typed).
        raw_values = {str(r.get(k) or "").strip() for r in rows for k in ("institution", "recipient")} - {""}
        candidates = Organization.objects.filter(
            Q(registration_number__in=raw_values) | Q(slug__in=raw_values) | Q(name__in=raw_values)
        ).only("pk", "name", "slug", "kind", "registration_number")
        missing_keys = keys - {_norm(v) for o in candidates for v in (o.registration_number, o.slug, o.name)}
        found = list(candidates)
        if missing_keys:  # names typed in another case or spacing: one more pass, in chunks
            chunk = 500
            keys_list = sorted(missing_keys)
            for start in range(0, len(keys_list), chunk):
                q = Q()
                for key in keys_list[start : start + chunk]:
                    q |= Q(name__iexact=key) | Q(registration_number__iexact=key)
                found.extend(
                    Organization.objects.filter(q).only("pk", "name", "slug", "kind", "registration_number")
                )
        for org in found:
            if org.registration_number:
                self.by_number.setdefault(_norm(org.registration_number), set()).add(org)
            self.by_slug.setdefault(_norm(org.slug), set()).add(org)
            self.by_name.setdefault(_norm(org.name), set()).add(org)

    def _one(self, key: str, *, kinds=None, slug=True):
        key = _norm(key)
        for index in (self.by_number, self.by_slug if slug else {}, self.by_name):
            orgs = {o for o in index.get(key, ()) if kinds is None or o.kind in kinds}
            if len(orgs) == 1:
                return next(iter(orgs)), False
            if len(orgs) > 1:
                return None, True
        return None, False

    def institution(self, key: str):
        return self._one(key, kinds={Organization.Kind.PUBLIC_INSTITUTION})

    def recipient(self, key: str):
        return self._one(key, slug=False)


def _parse_bool(text: str, label: str) -> bool:
    value = _norm(text)
    if value in TRUE_WORDS:
        return True
    if value in FALSE_WORDS:
        return False
    raise ValueError(_("%(column)s: write yes or no, not “%(value)s”.") % {"column": label, "value": text})


def _parse_row(
    row: dict, registry: _Registry, procedures: dict, sources: dict, amount_language: str | None = None
) -> tuple[dict, list[str]]:
    errors: list[str] = []
    data: dict = {}
    inst_key = (row.get("institution") or "").strip()
    if not inst_key:
        errors.append(_("institution: this column is required."))
    else:
        institution, ambiguous = registry.institution(inst_key)
        if institution is None:
            errors.append(
                _(
                    "institution: “%(value)s” matches more than one public institution; use its registration number or slug."
                )
                % {"value": inst_key}
                if ambiguous
                else _("institution: no public institution “%(value)s” in the registry.")
                % {"value": inst_key}
            )
        data["institution"] = institution
    recip_key = (row.get("recipient") or "").strip()
    recipient_name = (row.get("recipient_name") or "").strip()
    recipient = None
    if recip_key:
        recipient, _ambiguous = registry.recipient(recip_key)  # unmatched or ambiguous: kept as declared
    if not recipient_name:
        recipient_name = recipient.name if recipient else recip_key
    if not recipient_name:
        errors.append(_("recipient: give the recipient's registration number or name."))
    if len(recipient_name) > 255:
        errors.append(_("recipient_name: at most 255 characters."))
    data["recipient"] = recipient
    data["recipient_name"] = recipient_name
    year_text = (row.get("year") or "").strip()
    try:
        year = int(year_text)
        if not 2000 <= year <= 2100:
            raise ValueError
        data["year"] = year
    except ValueError:
        errors.append(_("year: “%(value)s” is not a year between 2000 and 2100.") % {"value": year_text})
    try:
        data["amount"] = parse_amount(
            row.get("amount"), language=amount_language, field="amount", allow_zero=False
        )
    except AmountError as exc:
        errors.extend(exc.messages)
    programme = (row.get("programme") or "").strip()
    if len(programme) > 255:
        errors.append(_("programme: at most 255 characters."))
    data["programme"] = programme
    procedure = procedures.get(_norm(row.get("procedure")))
    if procedure is None:
        errors.append(
            _("procedure: “%(value)s” is not one of: %(choices)s.")
            % {"value": row.get("procedure") or "", "choices": ", ".join(FundingProcedure.values)}
        )
    data["procedure"] = procedure
    source_text = _norm(row.get("source"))
    source = sources.get(source_text) if source_text else FundingSource.DECLARED
    if source is None:
        errors.append(
            _("source: “%(value)s” is not one of: %(choices)s.")
            % {"value": row.get("source"), "choices": ", ".join(FundingSource.values)}
        )
    data["source"] = source
    for name in ("call_published", "results_published", "recipient_reported"):
        try:
            data[name] = _parse_bool(row.get(name) or "", name)
        except ValueError as exc:
            errors.append(str(exc))
    data["notes"] = (row.get("notes") or "").strip()
    return data, errors


def read_table(uploaded_file) -> tabular.Table:
    """The checked header and the rows of an uploaded CSV/XLSX file (`core.tabular`: every
    column required, at most IMPORT_MAX_ROWS rows). Raises TabularFileError."""
    name, data = tabular.read_upload(uploaded_file, max_bytes=IMPORT_MAX_BYTES)
    return tabular.read_table(
        name,
        data,
        columns=IMPORT_COLUMNS,
        max_rows=IMPORT_MAX_ROWS,
        max_bytes=IMPORT_MAX_BYTES,
        skip_comments=False,
    )


def _row_values(cells: dict) -> dict:
    """Cells as text (an XLSX year 2024.0 as "2024"), but the amount as the cell holds it."""
    return {name: value if name == "amount" else tabular.cell_text(value) for name, value in cells.items()}


def funding_import(
    *, actor, uploaded_file, dry_run: bool = True, amount_language: str | None = None
) -> ImportResult:
    """Validate a whole CSV/XLSX file of funding records, then (unless `dry_run`, and only
    when every row is valid) create its new records in one transaction. Rows already
    recorded (same fingerprint, in the database or earlier in the file) are skipped and
    reported. Amounts are read as `amount_language` writes them ("sq"/"sr-latn" 1.500,00,
    "en" 1,500.00; None refuses the ambiguous "1.500"). Raises TabularFileError when the file
    itself cannot be used."""
    _require_writer(actor)
    table = read_table(uploaded_file)
    rows = [(row.number, None if row.extra else _row_values(row.cells)) for row in table.rows]

    registry = _Registry([r for _l, r in rows if r])
    procedures = _choice_lookup(FundingProcedure.choices)
    sources = _choice_lookup(FundingSource.choices)
    result = ImportResult(rows=len(rows), dry_run=dry_run)
    report = tabular.ErrorReport(limit=IMPORT_ERROR_LIMIT)
    prepared: list[tuple[int, PublicFundingRecord]] = []
    for line, row in rows:
        if row is None:
            errors = [_("This row has more cells than the header has columns.")]
        else:
            data, errors = _parse_row(row, registry, procedures, sources, amount_language)
            if not errors:
                try:
                    prepared.append((line, funding_record_prepare(data=data, actor=actor)))
                except ValidationError as exc:
                    errors = [
                        f"{name}: {message}" if name != "__all__" else message
                        for name, messages in exc.message_dict.items()
                        for message in messages
                    ]
        for error in errors:
            report.add(line, "", error)
    result.error_count = report.row_count
    result.errors = [
        RowError(line=line, messages=[e.message for e in errors]) for line, errors in report.by_row().items()
    ]
    result.valid = len(prepared)
    if not result.ok:
        return result

    with transaction.atomic():
        fingerprints = [r.fingerprint for _l, r in prepared]
        existing = set()
        for start in range(0, len(fingerprints), 900):
            existing.update(
                PublicFundingRecord.objects.filter(
                    fingerprint__in=fingerprints[start : start + 900]
                ).values_list("fingerprint", flat=True)
            )
        seen: dict[str, int] = {}
        new_records = []
        for line, record in prepared:
            if record.fingerprint in existing:
                result.duplicates.append((line, _("already recorded")))
            elif record.fingerprint in seen:
                result.duplicates.append(
                    (line, _("the same as line %(line)d of this file") % {"line": seen[record.fingerprint]})
                )
            else:
                seen[record.fingerprint] = line
                new_records.append(record)
        if not dry_run and new_records:
            bulk_create_with_history(
                new_records,
                PublicFundingRecord,
                batch_size=500,
                default_user=actor if getattr(actor, "is_authenticated", False) else None,
                default_change_reason="import",
            )
            touch(TRANSPARENCY)  # bulk: no post_save (core.page_cache)
            result.created = len(new_records)
    return result


def import_template_rows() -> Iterable[list[str]]:
    """An example row for the downloadable template."""
    yield [
        "ministry-of-culture",
        "5100001",
        "Zëri i të Rinjve",
        "2024",
        "12500.00",
        "Youth initiatives 2024",
        "open_call",
        "yes",
        "yes",
        "no",
        "declared",
        "",
    ]
