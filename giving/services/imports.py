"""Bulk import of giving records from CSV or XLSX.

Two steps, each one service:

- `import_validate()` reads the whole file, validates every row with the same rules as
  `services.prepare_record` (plus friendly parsing: codes or labels in sq/sr/en, dates
  as 2024-03-31 or 31.03.2024, amounts with `core.money.parse_amount` in the convention
  the person chose for the file: 1.500,50 or 1,500.50), finds exact
  duplicates (within the file and against the database, by fingerprint) and flags near
  duplicates. It stores the validated rows and the row-by-row errors on an
  `ImportBatch`; nothing else is written. A problem with the file as a whole (size,
  encoding, columns, too many rows: `core.tabular`) raises `TabularFileError` and stores
  nothing.
- `import_commit()` creates the records of a validated batch in one transaction,
  either every valid row ("valid_only") or, if any row is invalid, none
  ("all_or_nothing"). A batch is committed at most once; rows whose gift is already
  recorded are skipped, so importing the same file again creates nothing new.
"""

import bisect
import csv
import datetime
import hashlib
import io
import unicodedata
from collections.abc import Iterable
from decimal import Decimal

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import CheckConstraint, Q
from django.db.models.constants import LOOKUP_SEP
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries
from simple_history.utils import bulk_create_with_history

from core import limits, tabular
from core.models import Municipality
from core.money import AmountError, parse_amount
from giving.aggregates import refresh_on_commit
from giving.choices import (
    BeneficiaryGroup,
    Cause,
    DiasporaChannel,
    DonorType,
    Effect,
    Geography,
    RecipientType,
    Recurrence,
    Source,
    Status,
    SupportKind,
)
from giving.models import GivingRecord, ImportBatch
from giving.services import records as services
from organizations.models import Organization

MAX_FILE_BYTES = tabular.MAX_FILE_BYTES
MAX_COLUMNS = tabular.MAX_COLUMNS
CHUNK_SIZE = 500
PROGRESS_EVERY = 500  # rows between two progress updates of a background import
# What the background check of one file may take besides what the worker holds already
# (a 10 MB workbook within core.tabular's archive limits needs far less); past it the
# batch fails with a message instead of the worker being killed. Its time is bounded by
# the task's soft/hard time limits (giving.tasks.import_validate_task).
VALIDATE_MEMORY_MB = 768

MODE_VALID_ONLY = "valid_only"
MODE_ALL_OR_NOTHING = "all_or_nothing"
MODES = (MODE_VALID_ONLY, MODE_ALL_OR_NOTHING)

LANGUAGES = ("sq", "sr-latn", "en")

# The columns of an import file, in the template's order, with what each one holds.
COLUMNS: list[tuple[str, bool, str]] = [
    ("date", True, gettext_lazy("Date of the gift: 2024-03-31 or 31.03.2024; not in the future.")),
    ("amount", True, gettext_lazy("Amount in EUR, or the estimated value of goods, services or time.")),
    ("support_kind", True, gettext_lazy("Kind of support (code or label, see below).")),
    ("donor_type", True, gettext_lazy("Donor type (code or label).")),
    ("donor_name", False, gettext_lazy("Donor's name (optional).")),
    (
        "donor_name_public",
        False,
        gettext_lazy("yes if an individual donor agreed to be named publicly; otherwise no or empty."),
    ),
    ("donor_country", False, gettext_lazy("Diaspora donors: country of residence (DE, CH, … or its name).")),
    ("diaspora_channel", False, gettext_lazy("Diaspora donors: how the gift came (code or label).")),
    ("recipient_type", True, gettext_lazy("Recipient type (code or label).")),
    ("recipient_name", False, gettext_lazy("Recipient's name (optional).")),
    (
        "recipient_organization",
        False,
        gettext_lazy("The recipient organisation in the portal: registration number or address (slug)."),
    ),
    ("cause", True, gettext_lazy("Cause (code or label).")),
    ("beneficiary_group", True, gettext_lazy("Beneficiary group (code or label).")),
    (
        "geography",
        False,
        gettext_lazy("Where: municipality (the default), kosovo_wide or outside_kosovo (code or label)."),
    ),
    (
        "municipality",
        False,
        gettext_lazy(
            "Municipality (slug, or its name in Albanian, Serbian or English); needed for local gifts."
        ),
    ),
    ("recurrence", False, gettext_lazy("one_off (the default) or ongoing (code or label).")),
    ("effect", False, gettext_lazy("Short-term relief or long-term support (code or label; optional).")),
    ("description", False, gettext_lazy("What was given, for what (optional).")),
    ("source_url", False, gettext_lazy("Link to a media report or other public source (optional).")),
]
COLUMN_NAMES = [name for name, _required, _help in COLUMNS]
REQUIRED_COLUMNS = [name for name, required, _help in COLUMNS if required]

CHOICE_COLUMNS = {
    "support_kind": SupportKind,
    "donor_type": DonorType,
    "diaspora_channel": DiasporaChannel,
    "recipient_type": RecipientType,
    "cause": Cause,
    "beneficiary_group": BeneficiaryGroup,
    "geography": Geography,
    "recurrence": Recurrence,
    "effect": Effect,
}
# Columns that may be left empty, with the value they then take.
CHOICE_DEFAULTS = {
    "diaspora_channel": "",
    "effect": "",
    "geography": Geography.MUNICIPALITY,
    "recurrence": Recurrence.ONE_OFF,
}

# The model fields an import sets (stored in the batch's payload between the two steps).
PAYLOAD_FIELDS = [
    "date",
    "amount",
    "support_kind",
    "donor_type",
    "is_diaspora",
    "donor_name",
    "donor_name_public",
    "donor_country",
    "diaspora_channel",
    "recipient_type",
    "recipient_name",
    "recipient_organization",
    "cause",
    "beneficiary_group",
    "geography",
    "municipality",
    "recurrence",
    "effect",
    "description",
    "source",
    "source_url",
    "confidence",
    "fingerprint",
]

EXAMPLE_ROW = {
    "date": "2024-03-15",
    "amount": "2500.00",
    "support_kind": SupportKind.MONEY,
    "donor_type": DonorType.COMPANY,
    "donor_name": "Example Company L.L.C.",
    "donor_name_public": "yes",
    "donor_country": "",
    "diaspora_channel": "",
    "recipient_type": RecipientType.SCHOOL,
    "recipient_name": "Example Primary School",
    "recipient_organization": "",
    "cause": Cause.EDUCATION,
    "beneficiary_group": BeneficiaryGroup.CHILDREN,
    "geography": Geography.MUNICIPALITY,
    "municipality": "prishtine",
    "recurrence": Recurrence.ONE_OFF,
    "effect": Effect.STRATEGIC,
    "description": "Computers for the school's IT classroom",
    "source_url": "https://example.org/news/computers-for-school",
}


# --- Reading the file: core.tabular -------------------------------------------------------


def _norm(value) -> str:
    return " ".join(str(value).split()).casefold()


def _plain(value) -> str:
    """Lower case without diacritics: "Prishtinë" and "prishtine" match."""
    text = unicodedata.normalize("NFKD", _norm(value).replace("đ", "dj"))
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def read_table(name: str, data: bytes) -> tabular.Table:
    """The checked header and the data rows of an import file (core.tabular's rules: the
    template's columns, GIVING_IMPORT_MAX_ROWS rows, notes rows starting with "#" skipped).
    Raises TabularFileError."""
    return tabular.read_table(
        name,
        data,
        columns=COLUMN_NAMES,
        required=REQUIRED_COLUMNS,
        max_rows=settings.GIVING_IMPORT_MAX_ROWS,
        max_bytes=MAX_FILE_BYTES,
        max_columns=MAX_COLUMNS,
    )


# --- Parsing cells ---------------------------------------------------------------------------


class _Lookups:
    """Code/label tables and the reference data an import needs, loaded once per file."""

    def __init__(self):
        self.choices: dict[str, dict[str, str]] = {}
        for column, choices in CHOICE_COLUMNS.items():
            table = {}
            for value, label in zip(choices.values, choices.labels, strict=True):
                table[_norm(value)] = value
                for language in LANGUAGES:
                    with translation.override(language):
                        table.setdefault(_norm(str(label)), value)
                        table.setdefault(_plain(str(label)), value)
            self.choices[column] = table
        self.yes_no = {}
        for word in ("yes", "true", "1", "po", "da", "y", "x"):
            self.yes_no[word] = True
        for word in ("no", "false", "0", "jo", "ne", "n"):
            self.yes_no[word] = False
        for language in LANGUAGES:
            with translation.override(language):
                self.yes_no.setdefault(_norm(_("Yes")), True)
                self.yes_no.setdefault(_norm(_("No")), False)
        self.municipalities: dict[str, Municipality] = {}
        for municipality in Municipality.objects.all():
            for key in (municipality.slug, municipality.name_sq, municipality.name_sr, municipality.name_en):
                self.municipalities.setdefault(_norm(key), municipality)
                self.municipalities.setdefault(_plain(key), municipality)
        self._organizations: dict[str, Organization | None] = {}

    def organization(self, text: str) -> Organization | None:
        key = _norm(text)
        if key not in self._organizations:
            self._organizations[key] = (
                Organization.objects.filter(is_active=True)
                .filter(Q(slug=text.strip()) | Q(registration_number__iexact=text.strip()))
                .order_by("pk")
                .first()
            )
        return self._organizations[key]


_DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y", "%d.%m.%y", "%Y/%m/%d")


def _text(cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    return str(cell).strip()


def parse_date(cell) -> datetime.date:
    if isinstance(cell, datetime.datetime):
        return cell.date()
    if isinstance(cell, datetime.date):
        return cell
    text = _text(cell)
    for fmt in _DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(_("Enter a date as 2024-03-31 or 31.03.2024."))


def parse_country(text: str) -> str:
    code = text.strip().upper()
    if len(code) == 2 and code in dict(countries):
        return code
    for language in ("en", *LANGUAGES):
        try:
            found = countries.by_name(text.strip(), language=language)
        except (KeyError, LookupError):
            found = None
        if isinstance(found, str) and found:
            return found
    raise ValueError(_("Unknown country: give its two-letter code, e.g. DE or CH."))


def _choice(lookups: _Lookups, column: str, cell) -> str:
    text = _text(cell)
    if text == "":
        if column in CHOICE_DEFAULTS:
            return CHOICE_DEFAULTS[column]
        raise ValueError(_("This column is required."))
    table = lookups.choices[column]
    value = table.get(_norm(text)) or table.get(_plain(text))
    if value is None:
        raise ValueError(
            _("Unknown value “%(value)s”; use one of: %(codes)s.")
            % {"value": text[:60], "codes": ", ".join(CHOICE_COLUMNS[column].values)}
        )
    return value


def parse_row(
    lookups: _Lookups, cells: dict, amount_language: str | None = None
) -> tuple[dict, dict[str, str]]:
    """Model field values from the cells of one row, and the errors by column. Amounts are
    read with `core.money.parse_amount` in the convention `amount_language` (how the file
    writes amounts: "sq"/"sr-latn" 1.500,00, "en" 1,500.00; None refuses "1.500")."""
    values: dict = {}
    errors: dict[str, str] = {}

    def attempt(column, parse):
        try:
            return parse(cells.get(column))
        except ValueError as exc:
            errors[column] = str(exc)
        except AmountError as exc:
            errors[column] = exc.messages[0]
        return None

    def required(cell):
        if _text(cell) == "" and not isinstance(cell, datetime.date):
            raise ValueError(_("This column is required."))
        return cell

    values["date"] = attempt("date", lambda c: parse_date(required(c)))
    values["amount"] = attempt(
        "amount", lambda c: parse_amount(required(c), language=amount_language, allow_zero=False)
    )
    for column in CHOICE_COLUMNS:
        values[column] = attempt(column, lambda c, col=column: _choice(lookups, col, c))
    for column in ("donor_name", "recipient_name", "description", "source_url"):
        values[column] = _text(cells.get(column))

    def public(cell):
        text = _text(cell)
        if isinstance(cell, bool):
            return cell
        if text == "":
            return False
        if _norm(text) not in lookups.yes_no:
            raise ValueError(_("Write yes or no."))
        return lookups.yes_no[_norm(text)]

    values["donor_name_public"] = attempt("donor_name_public", public)

    def country(cell):
        text = _text(cell)
        return parse_country(text) if text else ""

    values["donor_country"] = attempt("donor_country", country)

    def municipality(cell):
        text = _text(cell)
        if not text:
            return None
        found = lookups.municipalities.get(_norm(text)) or lookups.municipalities.get(_plain(text))
        if found is None:
            raise ValueError(_("Unknown municipality “%(value)s”.") % {"value": text[:60]})
        return found

    values["municipality"] = attempt("municipality", municipality)

    def organization(cell):
        text = _text(cell)
        if not text:
            return None
        found = lookups.organization(text)
        if found is None:
            raise ValueError(
                _("No organisation in the portal has the registration number or address “%(value)s”.")
                % {"value": text[:60]}
            )
        return found

    values["recipient_organization"] = attempt("recipient_organization", organization)
    return values, errors


# --- Validation at the speed of a file --------------------------------------------------------
#
# `services.prepare_record` is the one set of rules for a record. Run as is, it costs a
# handful of queries per row (Django checks every foreign key and every CheckConstraint
# with a query), which makes a 20,000-row file take minutes. `prepare_fast` runs the
# very same function on a record whose foreign keys were just read from the database
# (so they exist), with the model's check constraints evaluated in Python; a constraint
# the evaluator does not understand is still checked by the database.


def _q_fields(q: Q) -> set[str]:
    names = set()
    for child in q.children:
        if isinstance(child, Q):
            names |= _q_fields(child)
        else:
            names.add(child[0].split(LOOKUP_SEP)[0])
    return names


_LOOKUPS = {
    "exact": lambda a, b: a == b,
    "in": lambda a, b: a in b,
    "gt": lambda a, b: a > b,
    "gte": lambda a, b: a >= b,
    "lt": lambda a, b: a < b,
    "lte": lambda a, b: a <= b,
}


def _q_holds(q: Q, record: GivingRecord) -> bool | None:
    """Whether `record` satisfies `q`, or None when this evaluator cannot tell."""
    if q.connector not in (Q.AND, Q.OR):
        return None
    results = []
    for child in q.children:
        if isinstance(child, Q):
            result = _q_holds(child, record)
        else:
            path, expected = child
            name, _sep, lookup = path.partition(LOOKUP_SEP)
            try:
                field = GivingRecord._meta.get_field(name)
            except FieldDoesNotExist:
                return None
            value = getattr(record, field.attname, None)
            if lookup == "isnull":
                result = (value is None) == bool(expected)
            elif lookup in ("", "exact", "in", "gt", "gte", "lt", "lte") and not hasattr(
                expected, "resolve_expression"
            ):
                if value is None:
                    return None  # SQL's NULL logic: leave it to the database
                result = _LOOKUPS[lookup or "exact"](value, expected)
            else:
                return None
        if result is None:
            return None
        results.append(result)
    holds = all(results) if q.connector == Q.AND else any(results)
    return not holds if q.negated else holds


def _validate_constraints(record: GivingRecord, exclude=None) -> None:
    exclude = set(exclude or ())
    errors: dict = {}
    for constraint in GivingRecord._meta.constraints:
        condition = (
            getattr(constraint, "condition", None) if isinstance(constraint, CheckConstraint) else None
        )
        holds = None
        if isinstance(condition, Q):
            if _q_fields(condition) & exclude:
                continue
            holds = _q_holds(condition, record)
        try:
            if holds is None:
                constraint.validate(GivingRecord, record, exclude=exclude)
            elif not holds:
                raise ValidationError(
                    constraint.get_violation_error_message(), code=constraint.violation_error_code
                )
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


_RELATIONS = [f.name for f in GivingRecord._meta.concrete_fields if f.is_relation]


def prepare_fast(record: GivingRecord) -> GivingRecord:
    """`services.prepare_record(record)` for a record whose related objects were loaded
    from the database: the existence of the foreign keys is not queried again and check
    constraints are evaluated in Python."""
    clean_fields = record.clean_fields

    def clean_fields_but_relations(exclude=None):
        return clean_fields(exclude=[*(exclude or ()), *_RELATIONS])

    record.clean_fields = clean_fields_but_relations
    record.validate_constraints = lambda exclude=None: _validate_constraints(record, exclude)
    try:
        return services.prepare_record(record)
    finally:
        del record.clean_fields
        del record.validate_constraints


def near_duplicates(records: list[GivingRecord]) -> dict[int, int]:
    """For each record (by index) the id of a recorded gift that looks the same, with the
    criteria of `services.find_near_duplicate` (same recipient type, place and cause,
    amount within 2 %, date within a week, same recipient organisation if given), in one
    query per group of records instead of one per record."""
    share = services.NEAR_DUPLICATE_AMOUNT_SHARE
    days = datetime.timedelta(days=services.NEAR_DUPLICATE_DAYS)
    groups: dict[tuple, list[int]] = {}
    for index, record in enumerate(records):
        key = (record.recipient_type, record.cause, record.geography, record.municipality_id)
        groups.setdefault(key, []).append(index)
    found: dict[int, int] = {}
    for (recipient_type, cause, geography, municipality_id), indexes in groups.items():
        dates = [records[i].date for i in indexes]
        amounts = [Decimal(records[i].amount) for i in indexes]
        candidates = sorted(
            GivingRecord.objects.exclude(status=Status.REJECTED)
            .filter(
                recipient_type=recipient_type,
                cause=cause,
                geography=geography,
                municipality_id=municipality_id,
                date__gte=min(dates) - days,
                date__lte=max(dates) + days,
                amount__gte=min(amounts) * (1 - share),
                amount__lte=max(amounts) * (1 + share),
            )
            .values_list("date", "pk", "amount", "recipient_organization_id")
        )
        candidate_dates = [candidate[0] for candidate in candidates]
        for index in indexes:
            record = records[index]
            amount = Decimal(record.amount)
            low = bisect.bisect_left(candidate_dates, record.date - days)
            high = bisect.bisect_right(candidate_dates, record.date + days)
            matches = [
                pk
                for _date, pk, other_amount, organization_id in candidates[low:high]
                if amount * (1 - share) <= other_amount <= amount * (1 + share)
                and (
                    not record.recipient_organization_id
                    or organization_id == record.recipient_organization_id
                )
            ]
            if matches:
                found[index] = min(matches)
    return found


def _column_of(field: str, values: dict) -> str:
    if field in COLUMN_NAMES:
        return field
    if values.get("geography") == Geography.MUNICIPALITY and values.get("municipality") is None:
        return "municipality"
    return ""


def source_for(actor, values: dict) -> str:
    """Staff import what they collected (a media report when a link is given); other
    people import their organisation's own records."""
    if actor.has_perm("giving.import_for_any_organization"):
        return Source.MEDIA if values.get("source_url") else Source.STAFF
    return Source.CSO_SELF


def _payload_values(record: GivingRecord) -> dict:
    out = {}
    for name in PAYLOAD_FIELDS:
        field = GivingRecord._meta.get_field(name)
        value = getattr(record, field.attname)
        if isinstance(value, datetime.date | Decimal):
            value = str(value)
        elif value is not None and not isinstance(value, bool | int | str):
            value = str(value)
        out[field.attname] = value
    return out


def _record_from_payload(values: dict, **extra) -> GivingRecord:
    record = GivingRecord(**extra)
    for name in PAYLOAD_FIELDS:
        field = GivingRecord._meta.get_field(name)
        setattr(record, field.attname, field.to_python(values.get(field.attname)))
    return record


def _is_example(cells: dict) -> bool:
    return all(_norm(_text(cells.get(c))) == _norm(EXAMPLE_ROW[c]) for c in ("donor_name", "recipient_name"))


def _existing_fingerprints(fingerprints: Iterable[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    unique = sorted(set(fingerprints))
    for start in range(0, len(unique), CHUNK_SIZE):
        qs = (
            GivingRecord.objects.filter(fingerprint__in=unique[start : start + CHUNK_SIZE])
            .exclude(status=Status.REJECTED)
            .order_by("pk")
            .values_list("fingerprint", "pk")
        )
        for fingerprint, pk in qs:
            found.setdefault(fingerprint, pk)
    return found


def _check_actor(actor, entered_for: Organization | None) -> None:
    if actor is None or not actor.is_authenticated or not actor.has_perm("giving.import_records"):
        raise PermissionDenied(_("You do not have permission to import giving records."))
    any_organization = actor.has_perm("giving.import_for_any_organization")
    if entered_for is not None and not any_organization:
        from giving.rules import importing_org_ids

        if entered_for.pk not in importing_org_ids(actor):
            raise PermissionDenied(_("You may import only for verified organisations you edit."))
    if entered_for is None and not any_organization:
        raise ValidationError({"entered_for": _("Choose the organisation you import for.")})


# --- The services ------------------------------------------------------------------------------


def _read_upload(uploaded_file) -> tuple[str, bytes]:
    name, data = tabular.read_upload(uploaded_file, max_bytes=MAX_FILE_BYTES)
    return name or "import.csv", data


def validate_rows(
    *, actor, name: str, data: bytes, entered_for=None, progress=None, amount_language: str | None = None
) -> dict:
    """The validation itself: the ImportBatch field values for file `name` holding `data`.
    `progress(done, total)` is called every PROGRESS_EVERY rows; `amount_language` says how
    the file writes amounts (see `parse_row`). Raises TabularFileError."""
    rows = read_table(name, data).rows

    lookups = _Lookups()
    errors = tabular.ErrorReport()
    payload: list[dict] = []
    first_row_of: dict[str, int] = {}
    records: list[tuple[dict, GivingRecord]] = []
    for done, row in enumerate(rows):
        if progress is not None and done and done % PROGRESS_EVERY == 0:
            progress(done, len(rows))
        number, cells = row.number, row.cells
        row_errors: dict[str, str] = {}
        if row.extra:
            row_errors[""] = _("This row has more values than the file has columns.")
        if _is_example(cells):
            row_errors[""] = _(
                "This is the template's example row: replace it with a real gift or delete it."
            )
        values, parse_errors = parse_row(lookups, cells, amount_language)
        row_errors.update(parse_errors)
        record = GivingRecord(
            **values,
            source=source_for(actor, values),
            status=Status.REPORTED,
            entered_by=actor,
            entered_for=entered_for,
        )
        try:
            prepare_fast(record)
        except ValidationError as exc:
            messages_by_field = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
            for field, messages in messages_by_field.items():
                column = _column_of(field, values)
                if column not in row_errors:
                    row_errors[column] = " ".join(messages)
        if row_errors:
            for column, message in row_errors.items():
                errors.add(number, column, message)
            continue
        entry = {"row": number, "values": _payload_values(record), "duplicate_of": None}
        if record.fingerprint in first_row_of:
            entry["duplicate_of_row"] = first_row_of[record.fingerprint]
        else:
            first_row_of[record.fingerprint] = number
        payload.append(entry)
        records.append((entry, record))

    existing = _existing_fingerprints(entry["values"]["fingerprint"] for entry in payload)
    fresh = []
    for entry, record in records:
        entry["duplicate_of"] = existing.get(record.fingerprint)
        if entry["duplicate_of"] is None and "duplicate_of_row" not in entry:
            fresh.append((entry, record))
    near = near_duplicates([record for _entry, record in fresh])
    for index, (entry, _record) in enumerate(fresh):
        entry["near_duplicate_of"] = near.get(index)

    duplicates = sum(1 for e in payload if e["duplicate_of"] or e.get("duplicate_of_row"))
    return {
        "file_name": name[:255],
        "file_hash": hashlib.sha256(data).hexdigest(),
        "rows_total": len(rows),
        "rows_valid": len(payload) - duplicates,
        "rows_duplicate": duplicates,
        "errors": errors.as_dicts(),
        "payload": payload,
    }


def import_validate(
    *,
    actor,
    uploaded_file,
    entered_for: Organization | None = None,
    amount_language: str | None = None,
) -> ImportBatch:
    """Read and validate a whole CSV/XLSX file; return a `validated` ImportBatch holding
    the rows to import and the errors by row. Raises TabularFileError when the file as a
    whole cannot be read, PermissionDenied when the actor may not import. (The synchronous
    core; the web pages use `import_start` and the Celery task `validate_batch`.)"""
    _check_actor(actor, entered_for)
    name, data = _read_upload(uploaded_file)
    fields = validate_rows(
        actor=actor, name=name, data=data, entered_for=entered_for, amount_language=amount_language
    )
    return ImportBatch.objects.create(uploaded_by=actor, entered_for=entered_for, progress=100, **fields)


def check_header(name: str, data: bytes) -> None:
    """The quick checks of an upload, in the request, before it is queued: size, type,
    encoding, the archive of a workbook (entries, sizes, ratio: a bomb is refused here) and
    the column names. Reading the first row only, it takes milliseconds; the file is read
    whole only by the task. Raises TabularFileError."""
    tabular.read_header(
        name,
        data,
        columns=COLUMN_NAMES,
        required=REQUIRED_COLUMNS,
        max_bytes=MAX_FILE_BYTES,
        max_columns=MAX_COLUMNS,
    )


def import_start(
    *,
    actor,
    uploaded_file,
    entered_for: Organization | None = None,
    amount_language: str | None = None,
) -> ImportBatch:
    """Check the upload quickly, store the file in private storage and queue its
    validation (`giving.tasks.import_validate_task`, with `amount_language`) after commit.
    Raises like `import_validate` for what can be seen without reading the whole file."""
    from core.notifications import enqueue_on_commit

    _check_actor(actor, entered_for)
    name, data = _read_upload(uploaded_file)
    check_header(name, data)
    with transaction.atomic():
        batch = ImportBatch(
            uploaded_by=actor,
            entered_for=entered_for,
            file_name=name[:255],
            file_hash=hashlib.sha256(data).hexdigest(),
            state=ImportBatch.State.VALIDATING,
            progress=0,
        )
        suffix = ".xlsx" if tabular.file_kind(name, data) == "xlsx" else ".csv"
        batch.file.save(f"import{suffix}", ContentFile(data), save=False)
        batch.save()
        enqueue_on_commit("giving.tasks.import_validate_task", batch.pk, amount_language)
    return batch


def _set_progress(batch_id: int, state: str, done: int, total: int, share: tuple[int, int] = (0, 100)):
    low, high = share
    percent = low + (high - low) * done // max(total, 1)
    ImportBatch.objects.filter(pk=batch_id, state=state).update(
        progress=min(max(percent, 0), 99), updated_at=timezone.now()
    )


def _progress_key(batch_id: int) -> str:
    return f"giving:import-progress:{batch_id}"


def shown_progress(batch: ImportBatch) -> int:
    """The progress to show: an import in progress publishes it through the cache (its
    transaction's writes are not seen before it commits)."""
    if batch.state == ImportBatch.State.IMPORTING:
        return max(batch.progress, cache.get(_progress_key(batch.pk)) or 0)
    return batch.progress


def _fail(batch_id: int, state: str, message: str) -> None:
    ImportBatch.objects.filter(pk=batch_id, state=state).update(
        state=ImportBatch.State.FAILED, status_message=message, updated_at=timezone.now()
    )


def _too_big_to_check():
    return _("Checking this file took too long or needed too much memory. Split it into smaller files.")


def validate_batch(batch_id: int, amount_language: str | None = None) -> ImportBatch | None:
    """The Celery side of the upload: validate the stored file of a `validating` batch
    (amounts written as `amount_language` writes them) and store the result. Idempotent: a batch in any other state is left as it is, and of two
    runs at once only the first to finish writes (a conditional update under a row lock)."""
    batch = ImportBatch.objects.select_related("uploaded_by", "entered_for").filter(pk=batch_id).first()
    if batch is None or batch.state != ImportBatch.State.VALIDATING:
        return None
    state = ImportBatch.State.VALIDATING
    try:
        _check_actor(batch.uploaded_by, batch.entered_for)
        with batch.file.open("rb") as stored:
            data = stored.read(MAX_FILE_BYTES + 1)
        language = getattr(batch.uploaded_by, "preferred_language", "") or settings.LANGUAGE_CODE
        with translation.override(language), limits.memory_limit(VALIDATE_MEMORY_MB):
            fields = validate_rows(
                actor=batch.uploaded_by,
                name=batch.file_name,
                data=data,
                entered_for=batch.entered_for,
                progress=lambda done, total: _set_progress(batch_id, state, done, total),
                amount_language=amount_language,
            )
    except (ValidationError, PermissionDenied) as exc:
        messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
        _fail(batch_id, state, " ".join(str(m) for m in messages))
        return None
    except MemoryError:
        _fail(batch_id, state, str(_too_big_to_check()))
        return None
    except SoftTimeLimitExceeded:
        _fail(batch_id, state, str(_too_big_to_check()))
        return None
    except Exception:
        _fail(batch_id, state, _("The file could not be checked. Please try again later."))
        raise
    with transaction.atomic():
        locked = ImportBatch.objects.select_for_update().get(pk=batch_id)
        if locked.state != state:
            return None
        for field, value in fields.items():
            if field != "file_name":
                setattr(locked, field, value)
        locked.state = ImportBatch.State.VALIDATED
        locked.progress = 100
        locked.status_message = ""
        stored_name = locked.file.name
        locked.file = ""
        locked.save()
        if stored_name:  # the rows are in the payload now; the file itself is not kept
            transaction.on_commit(lambda: ImportBatch.file.field.storage.delete(stored_name))
    return locked


def rows_invalid(batch: ImportBatch) -> int:
    return len({error["row"] for error in batch.errors})


def can_see_batch(user, batch: ImportBatch) -> bool:
    return user.has_perm("giving.view_import_batch", batch)


@transaction.atomic
def import_commit(
    *, actor, batch: ImportBatch, mode: str, verify: bool = False, progress=None
) -> ImportBatch:
    """Create the records of a validated batch. "valid_only" imports every valid row that
    is not already recorded; "all_or_nothing" refuses (ValidationError) when any row is
    invalid. A batch already imported or discarded is returned unchanged. `verify` (staff
    only) makes the records public at once; otherwise they wait for moderation.

    One transaction, under the batch's row lock: a failure leaves the database unchanged,
    and a second run (or one that waited for the lock) finds the batch imported and does
    nothing. The records are written CHUNK_SIZE at a time, skipping every gift already
    recorded; `progress(done, total)` is called after each chunk (the background task
    publishes it through the cache, as this transaction's writes are not seen until it
    commits)."""
    if mode not in MODES:
        raise ValidationError(_("Unknown import mode."))
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if not can_see_batch(actor, batch) or not actor.has_perm("giving.import_records"):
        raise PermissionDenied(_("You do not have permission to import giving records."))
    if batch.state not in (ImportBatch.State.VALIDATED, ImportBatch.State.IMPORTING):
        return batch
    if mode == MODE_ALL_OR_NOTHING and batch.errors:
        raise ValidationError(
            _("Nothing was imported: %(count)s rows have errors. Correct them and upload the file again.")
            % {"count": rows_invalid(batch)},
            code="invalid_rows",
        )
    batch.rows_imported = 0
    verified = bool(verify and actor.has_perm("giving.moderate_record"))
    now = timezone.now()
    candidates = [e for e in batch.payload if not e.get("duplicate_of") and not e.get("duplicate_of_row")]
    org_ids = {e["values"].get("recipient_organization_id") for e in candidates} - {None}
    live_orgs = set(Organization.objects.filter(pk__in=org_ids).values_list("pk", flat=True))
    near_ids = {e.get("near_duplicate_of") for e in candidates} - {None}
    live_near = set(GivingRecord.objects.filter(pk__in=near_ids).values_list("pk", flat=True))
    records, seen = [], set()
    for entry in candidates:
        values = entry["values"]
        if values["fingerprint"] in seen:
            continue
        seen.add(values["fingerprint"])
        record = _record_from_payload(
            values,
            status=Status.VERIFIED if verified else Status.REPORTED,
            entered_by=actor,
            entered_for_id=batch.entered_for_id,
            reviewed_by=actor if verified else None,
            reviewed_at=now if verified else None,
        )
        if record.recipient_organization_id not in live_orgs:
            record.recipient_organization_id = None
        near = entry.get("near_duplicate_of")
        record.possible_duplicate_of_id = near if near in live_near else None
        records.append(record)
    created: list[GivingRecord] = []
    for start in range(0, len(records), CHUNK_SIZE):
        chunk = records[start : start + CHUNK_SIZE]
        # Recorded in the meantime (another import, the API, a form): skipped, never doubled.
        existing = _existing_fingerprints(record.fingerprint for record in chunk)
        chunk = [record for record in chunk if record.fingerprint not in existing]
        if chunk:
            bulk_create_with_history(chunk, GivingRecord, batch_size=CHUNK_SIZE, default_user=actor)
        created.extend(chunk)
        batch.rows_imported += len(chunk)
        if progress is not None:
            progress(min(start + CHUNK_SIZE, len(records)), len(records))
    if verified and created:  # reported rows are not public yet; never [] (a full rebuild)
        if all(record.pk for record in created):  # only their cells: fast whatever the months
            refresh_on_commit(record_ids=[record.pk for record in created])
        else:
            refresh_on_commit(sorted({record.date for record in created}))
    batch.state = ImportBatch.State.IMPORTED
    batch.progress = 100
    batch.status_message = ""
    batch.save(update_fields=["state", "rows_imported", "progress", "status_message", "updated_at"])
    return batch


def import_commit_start(*, actor, batch: ImportBatch, mode: str, verify: bool = False) -> bool:
    """Queue the import of a validated batch (`giving.tasks.import_commit_task`) after
    commit. False when the batch is not `validated` (already handled): nothing is queued.
    "all_or_nothing" with invalid rows raises ValidationError at once."""
    from core.notifications import enqueue_on_commit

    if mode not in MODES:
        raise ValidationError(_("Unknown import mode."))
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if not can_see_batch(actor, batch) or not actor.has_perm("giving.import_records"):
            raise PermissionDenied(_("You do not have permission to import giving records."))
        if batch.state != ImportBatch.State.VALIDATED:
            return False
        if mode == MODE_ALL_OR_NOTHING and batch.errors:
            raise ValidationError(
                _("Nothing was imported: %(count)s rows have errors. Correct them and upload the file again.")
                % {"count": rows_invalid(batch)},
                code="invalid_rows",
            )
        batch.state = ImportBatch.State.IMPORTING
        batch.rows_imported = 0
        batch.progress = 0
        batch.status_message = ""
        batch.save(update_fields=["state", "rows_imported", "progress", "status_message", "updated_at"])
        enqueue_on_commit("giving.tasks.import_commit_task", batch.pk, mode, bool(verify), actor.pk)
    return True


def commit_batch(batch_id: int, mode: str, verify: bool = False, actor_id: int | None = None):
    """The Celery side of the commit button: import an `importing` batch. Idempotent: a
    batch in any other state is left as it is (see `import_commit` for concurrent runs)."""
    from django.contrib.auth import get_user_model

    batch = ImportBatch.objects.select_related("uploaded_by").filter(pk=batch_id).first()
    if batch is None or batch.state != ImportBatch.State.IMPORTING:
        return None
    actor = batch.uploaded_by
    if actor_id is not None and actor_id != actor.pk:
        actor = get_user_model().objects.filter(pk=actor_id).first() or actor
    state = ImportBatch.State.IMPORTING

    def progress(done, total):
        cache.set(_progress_key(batch_id), min(99, 100 * done // max(total, 1)), 3600)

    try:
        return import_commit(actor=actor, batch=batch, mode=mode, verify=verify, progress=progress)
    except (ValidationError, PermissionDenied) as exc:
        messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
        # Nothing was imported: back to the review, with the reason.
        ImportBatch.objects.filter(pk=batch_id, state=state).update(
            state=ImportBatch.State.VALIDATED,
            status_message=" ".join(str(m) for m in messages),
            progress=100,
            updated_at=timezone.now(),
        )
        return None
    except Exception:
        _fail(batch_id, state, _("The import stopped with an error. Please try again later."))
        raise


@transaction.atomic
def import_discard(*, actor, batch: ImportBatch) -> ImportBatch:
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if not can_see_batch(actor, batch):
        raise PermissionDenied(_("You do not have permission to do this."))
    if batch.state == ImportBatch.State.VALIDATED:
        batch.state = ImportBatch.State.DISCARDED
        batch.payload = []
        batch.save(update_fields=["state", "payload", "updated_at"])
    return batch


# --- The template ------------------------------------------------------------------------------


def template_codes() -> list[tuple[str, str, str]]:
    """(column, code, label in the current language) for every choice column, then the
    municipalities."""
    rows = []
    for column, choices in CHOICE_COLUMNS.items():
        for value, label in zip(choices.values, choices.labels, strict=True):
            rows.append((column, value, str(label)))
    for municipality in Municipality.objects.order_by("slug"):
        rows.append(("municipality", municipality.slug, municipality.name))
    return rows


def template_columns() -> list[tuple[str, str, str]]:
    """(column, required or optional, what it holds) in the current language."""
    return [
        (name, _("required") if required else _("optional"), str(help_)) for name, required, help_ in COLUMNS
    ]


def write_template_csv(out) -> None:
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="", write_through=True)
    try:
        writer = csv.writer(text)
        writer.writerow(COLUMN_NAMES)
        writer.writerow([EXAMPLE_ROW[c] for c in COLUMN_NAMES])
        writer.writerow([])
        writer.writerow(
            [
                "# "
                + _(
                    "Notes (rows starting with # are ignored): replace the example row with your gifts, "
                    "one per row. Choice columns take the code or the label in any language."
                )
            ]
        )
        for column, requirement, help_ in template_columns():
            writer.writerow([f"# {column}", requirement, help_])
        for column, code, label in template_codes():
            writer.writerow([f"# {column}", code, label])
        text.flush()
    finally:
        text.detach()


def write_template_xlsx(out) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "records"
    sheet.append(COLUMN_NAMES)
    sheet.append([EXAMPLE_ROW[c] for c in COLUMN_NAMES])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for cell in sheet[2]:
        cell.number_format = "@"
    sheet.freeze_panes = "A2"
    help_sheet = workbook.create_sheet(_("codes")[:31])
    help_sheet.append([_("Column"), _("Required"), _("What it holds")])
    for row in template_columns():
        help_sheet.append(list(row))
    help_sheet.append([])
    help_sheet.append([_("Column"), _("Code"), _("Label")])
    for row in template_codes():
        help_sheet.append(list(row))
    for sheet_ in (sheet, help_sheet):
        for index in range(1, sheet_.max_column + 1):
            sheet_.column_dimensions[sheet_.cell(row=1, column=index).column_letter].width = 24
    workbook.save(out)
