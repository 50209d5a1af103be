"""Public funding of CSOs: the writes (one record, a CSV/XLSX import) and the reads of the
public dashboard and the staff reconciliation.

A record's fingerprint (institution + recipient + year + amount + programme) identifies
the same grant whichever path brought it in: an import skips rows already recorded, so
importing the same file twice creates nothing the second time, and the partner API
answers a repeated record with a conflict.
"""

import hashlib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Case, CharField, Count, F, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history

from core import tabular
from core.money import AmountError, parse_amount
from organizations.models import ApiToken, Organization
from transparency.choices import FundingProcedure, FundingSource
from transparency.models import PublicFundingRecord

WRITE_SCOPE = ApiToken.Scope.TRANSPARENCY_WRITE
CSO_KINDS = (Organization.Kind.REGISTERED_CSO, Organization.Kind.INFORMAL_GROUP)


def _may_write(actor, token=None) -> bool:
    if isinstance(token, ApiToken):
        return token.is_active and token.has_scope(WRITE_SCOPE)
    return bool(actor and actor.has_perm("transparency.manage_public_funding"))


def _require_writer(actor, token=None) -> None:
    if not _may_write(actor, token):
        raise PermissionDenied(_("You do not have permission to record public funding."))


# --- Fingerprint ---------------------------------------------------------------------------


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


# --- One record ----------------------------------------------------------------------------


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


# --- Import ----------------------------------------------------------------------------------

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


# --- Reads: the public dashboard ------------------------------------------------------------


@dataclass
class DashboardFilters:
    year_from: int | None = None
    year_to: int | None = None
    institution: Organization | None = None
    procedure: str = ""
    municipality: object = None
    source: str = FundingSource.DECLARED


def funding_records(filters: DashboardFilters | None = None) -> QuerySet[PublicFundingRecord]:
    """Records matching the dashboard's filters (source "" = both sources)."""
    qs = PublicFundingRecord.objects.all()
    f = filters or DashboardFilters()
    if f.year_from:
        qs = qs.filter(year__gte=f.year_from)
    if f.year_to:
        qs = qs.filter(year__lte=f.year_to)
    if f.institution is not None:
        qs = qs.filter(institution=f.institution)
    if f.procedure:
        qs = qs.filter(procedure=f.procedure)
    if f.municipality is not None:
        qs = qs.filter(recipient__municipality=f.municipality)
    if f.source:
        qs = qs.filter(source=f.source)
    return qs


OPEN_CALL = Q(procedure=FundingProcedure.OPEN_CALL)


def _share(part, whole) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part or 0) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def dashboard_totals(qs) -> dict:
    totals = qs.aggregate(
        total=Coalesce(Sum("amount"), Decimal("0")),
        open_call=Coalesce(Sum("amount", filter=OPEN_CALL), Decimal("0")),
        records=Count("pk"),
        recipients=Count("recipient", distinct=True),
        institutions=Count("institution", distinct=True),
    )
    totals["open_call_share"] = _share(totals["open_call"], totals["total"])
    return totals


def dashboard_trend(qs) -> list[dict]:
    rows = list(
        qs.values("year")
        .annotate(
            total=Sum("amount"),
            open_call=Coalesce(Sum("amount", filter=OPEN_CALL), Decimal("0")),
            records=Count("pk"),
        )
        .order_by("year")
    )
    for row in rows:
        row["open_call_share"] = _share(row["open_call"], row["total"])
    return rows


def dashboard_by_institution_year(qs) -> QuerySet:
    """Totals per institution and year (a values queryset: paginate it)."""
    return (
        qs.values("institution_id", "institution__name", "institution__slug", "year")
        .annotate(
            total=Sum("amount"),
            open_call=Coalesce(Sum("amount", filter=OPEN_CALL), Decimal("0")),
            records=Count("pk"),
            recipients=Count("recipient_name", distinct=True),
        )
        .order_by("-year", "-total", "institution__name")
    )


def dashboard_by_institution(qs, limit: int = 15) -> list[dict]:
    return list(
        qs.values("institution_id", "institution__name")
        .annotate(total=Sum("amount"), open_call=Coalesce(Sum("amount", filter=OPEN_CALL), Decimal("0")))
        .order_by("-total", "institution__name")[:limit]
    )


def _recipient_label():
    return Case(
        When(recipient__isnull=False, then=F("recipient__name")),
        default=F("recipient_name"),
        output_field=CharField(),
    )


def dashboard_top_recipients(qs, limit: int = 10) -> list[dict]:
    """Recipients by total received; unlinked recipients count by their declared name."""
    return list(
        qs.annotate(
            label=_recipient_label(),
            unlinked=Case(When(recipient__isnull=True, then=F("recipient_name")), default=Value("")),
        )
        .values("recipient_id", "unlinked", "label", "recipient__slug", "recipient__kind")
        .annotate(total=Sum("amount"), records=Count("pk"), institutions=Count("institution", distinct=True))
        .order_by("-total", "label")[:limit]
    )


def dashboard_by_municipality(qs) -> list[dict]:
    """Totals per municipality of the recipient (unlinked recipients: no municipality)."""
    rows = list(
        qs.values(
            "recipient__municipality_id",
            "recipient__municipality__slug",
            "recipient__municipality__name_sq",
            "recipient__municipality__name_sr",
            "recipient__municipality__name_en",
        )
        .annotate(total=Sum("amount"), records=Count("pk"), recipients=Count("recipient", distinct=True))
        .order_by("-total")
    )
    language = (translation.get_language() or "sq").lower()
    suffix = "sr" if language.startswith("sr") else "en" if language.startswith("en") else "sq"
    for row in rows:
        if row["recipient__municipality_id"] is None:
            row["name"] = _("Not known (recipient not in the registry)")
        else:
            row["name"] = (
                row[f"recipient__municipality__name_{suffix}"] or row["recipient__municipality__name_sq"]
            )
    return rows


def funding_years() -> list[int]:
    return list(PublicFundingRecord.objects.order_by("-year").values_list("year", flat=True).distinct())


def funding_institutions() -> QuerySet[Organization]:
    """Institutions that gave (for filter menus)."""
    return Organization.objects.filter(pk__in=PublicFundingRecord.objects.values("institution_id")).order_by(
        "name"
    )


# --- Reads: reconciliation ------------------------------------------------------------------

TOLERANCE_EUR = Decimal(str(getattr(settings, "TRANSPARENCY_FUNDING_TOLERANCE_EUR", 100)))
TOLERANCE_PERCENT = Decimal(str(getattr(settings, "TRANSPARENCY_FUNDING_TOLERANCE_PERCENT", 5)))


class Flag:
    REPORTED_MISMATCH = "reported_mismatch"
    MONITORING_MISMATCH = "monitoring_mismatch"
    MISSING_REPORT = "missing_report"
    NOT_CSO = "not_cso"
    UNMATCHED = "unmatched"


FLAG_LABELS = {
    Flag.REPORTED_MISMATCH: gettext_lazy("Reported by the CSO differs from the public funding"),
    Flag.MONITORING_MISMATCH: gettext_lazy("Monitoring differs from what institutions declared"),
    Flag.MISSING_REPORT: gettext_lazy("No published transparency report for the year"),
    Flag.NOT_CSO: gettext_lazy("Recipient is not a CSO"),
    Flag.UNMATCHED: gettext_lazy("Recipient not found in the registry"),
}


def differs(a: Decimal | None, b: Decimal | None) -> bool:
    """Beyond the tolerance: more than TOLERANCE_EUR and more than TOLERANCE_PERCENT of the
    larger amount (small rounding and small grants do not raise flags)."""
    a, b = Decimal(a or 0), Decimal(b or 0)
    gap = abs(a - b)
    return gap > TOLERANCE_EUR and gap > max(a, b) * TOLERANCE_PERCENT / 100


@dataclass
class ReconciliationRow:
    year: int
    recipient_id: int | None
    name: str
    slug: str
    kind: str
    kind_label: str
    declared: Decimal
    monitoring: Decimal
    reported: Decimal | None
    institutions: int
    records: int
    flags: list[str]

    @property
    def public_total(self) -> Decimal:
        return self.declared or self.monitoring

    @property
    def flag_labels(self) -> list[str]:
        return [str(FLAG_LABELS[f]) for f in self.flags]


def reconciliation(*, year: int, institution=None, flag: str = "") -> list[ReconciliationRow]:
    """Per recipient, for one year: what institutions declared, what monitoring found and
    what the CSO reported in its published transparency report, with flags.

    The sums run in the database (one row per recipient); the reported income comes from
    `transparency.selectors.public_income_reported` in one query. Filtering by institution
    keeps the recipients it funded, with their totals from every institution (a CSO's
    report covers all its public income)."""
    from transparency.selectors import public_income_reported

    qs = PublicFundingRecord.objects.filter(year=year)
    if institution is not None:
        funded = PublicFundingRecord.objects.filter(year=year, institution=institution)
        qs = qs.filter(
            Q(recipient_id__in=funded.filter(recipient__isnull=False).values("recipient_id"))
            | Q(
                recipient__isnull=True,
                recipient_name__in=funded.filter(recipient__isnull=True).values("recipient_name"),
            )
        )
    groups = list(
        qs.annotate(unlinked=Case(When(recipient__isnull=True, then=F("recipient_name")), default=Value("")))
        .values("recipient_id", "unlinked", "recipient__name", "recipient__slug", "recipient__kind")
        .annotate(
            declared=Coalesce(Sum("amount", filter=Q(source=FundingSource.DECLARED)), Decimal("0")),
            monitoring=Coalesce(Sum("amount", filter=Q(source=FundingSource.MONITORING)), Decimal("0")),
            institutions=Count("institution", distinct=True),
            records=Count("pk"),
        )
        .order_by("recipient__name", "unlinked")
    )
    org_ids = [g["recipient_id"] for g in groups if g["recipient_id"]]
    reported = public_income_reported(org_ids, year) if org_ids else {}
    kind_labels = dict(Organization.Kind.choices)
    rows = []
    for g in groups:
        flags = []
        rid = g["recipient_id"]
        kind = g["recipient__kind"] or ""
        amount_reported = reported.get(rid) if rid else None
        if rid is None:
            flags.append(Flag.UNMATCHED)
        elif kind not in CSO_KINDS:
            flags.append(Flag.NOT_CSO)
        elif amount_reported is None:
            flags.append(Flag.MISSING_REPORT)
        public_total = g["declared"] or g["monitoring"]
        if amount_reported is not None and differs(public_total, amount_reported):
            flags.append(Flag.REPORTED_MISMATCH)
        if g["declared"] and g["monitoring"] and differs(g["declared"], g["monitoring"]):
            flags.append(Flag.MONITORING_MISMATCH)
        if (flag == "any" and not flags) or (flag not in ("", "any") and flag not in flags):
            continue
        rows.append(
            ReconciliationRow(
                year=year,
                recipient_id=rid,
                name=g["recipient__name"] or g["unlinked"],
                slug=g["recipient__slug"] or "",
                kind=kind,
                kind_label=str(kind_labels.get(kind, "")) if kind else "",
                declared=g["declared"],
                monitoring=g["monitoring"],
                reported=amount_reported,
                institutions=g["institutions"],
                records=g["records"],
                flags=flags,
            )
        )
    return rows
