"""Who may do what with giving records. Views declare these permissions and the services
check them again. A record's organisations are its `entered_for`, `recipient_organization`
and `donor_organization`; "editor" means an owner or editor of the organisation."""

import rules

from giving.choices import Status
from organizations.rules import is_staff


def _load_org_ids(user) -> None:
    """The organisations the user may act for, and those of them that are verified, in one
    query, kept on the user object for the request (however many records are checked, and
    both the "record" and "import" buttons of a page)."""
    from organizations.models import Organization
    from organizations.selectors import organizations_editable_by

    rows = list(organizations_editable_by(user=user).values_list("pk", "verification_status"))
    user._giving_editable_org_ids = frozenset(pk for pk, _status in rows)
    user._giving_importing_org_ids = frozenset(
        pk for pk, status in rows if status == Organization.Verification.VERIFIED
    )


def _editable_org_ids(user) -> frozenset:
    """Ids of the organisations the user may act for, cached on the user object for the
    request (one query however many records are checked)."""
    if not user.is_authenticated:
        return frozenset()
    if getattr(user, "_giving_editable_org_ids", None) is None:
        _load_org_ids(user)
    return user._giving_editable_org_ids


def editable_org_ids(user) -> frozenset:
    return _editable_org_ids(user)


def importing_org_ids(user) -> frozenset:
    """Ids of the verified organisations the user edits: the ones they may import for.
    Cached on the user object for the request, with `editable_org_ids` (one query for both)."""
    if not user.is_authenticated:
        return frozenset()
    if getattr(user, "_giving_importing_org_ids", None) is None:
        _load_org_ids(user)
    return user._giving_importing_org_ids


@rules.predicate
def edits_verified_organization(user):
    return bool(importing_org_ids(user))


@rules.predicate
def edits_any_organization(user):
    return bool(_editable_org_ids(user))


@rules.predicate
def is_record_verified(user, record):
    return record is not None and record.status == Status.VERIFIED


@rules.predicate
def is_record_reported(user, record):
    return record is not None and record.status == Status.REPORTED


@rules.predicate
def entered_record(user, record):
    return record is not None and user.is_authenticated and record.entered_by_id == user.pk


@rules.predicate
def edits_recipient_org(user, record):
    return record is not None and record.recipient_organization_id in _editable_org_ids(user)


@rules.predicate
def edits_donor_org(user, record):
    return record is not None and record.donor_organization_id in _editable_org_ids(user)


@rules.predicate
def edits_record_org(user, record):
    if record is None:
        return False
    ids = _editable_org_ids(user)
    return any(
        pk in ids
        for pk in (record.entered_for_id, record.recipient_organization_id, record.donor_organization_id)
        if pk
    )


@rules.predicate
def uploaded_batch(user, batch):
    return batch is not None and user.is_authenticated and batch.uploaded_by_id == user.pk


rules.add_perm("giving.add_record", is_staff | edits_any_organization)
# Imports: staff import for any organisation (or none: their own collection), others only
# for the VERIFIED organisations they edit (owner or editor): an import writes thousands of
# records at once, which a sign-up with an unverified informal group must not; a batch is
# seen by who uploaded it and by staff.
rules.add_perm("giving.import_records", is_staff | edits_verified_organization)
rules.add_perm("giving.import_for_any_organization", is_staff)
rules.add_perm("giving.view_import_batch", uploaded_batch | is_staff)
rules.add_perm("giving.report_gift", rules.always_allow)
rules.add_perm("giving.moderate_record", is_staff)
rules.add_perm("giving.confirm_record", edits_recipient_org | edits_donor_org)
# Who may see everything of an unverified record (and the donor's name when it is private).
rules.add_perm("giving.view_record_private", is_staff | entered_record | edits_record_org)
rules.add_perm("giving.view_record", is_record_verified | is_staff | entered_record | edits_record_org)
rules.add_perm("giving.change_record", is_staff | (entered_record & is_record_reported))
