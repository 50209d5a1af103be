"""The imports' staff tests are rules (giving/rules.py), not `is_staff` in the import service (giving/services/imports.py)."""

import pytest

from giving.models import ImportBatch
from giving.services import imports
from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_only_staff_import_for_any_organization():
    assert StaffFactory().has_perm("giving.import_for_any_organization")
    assert not UserFactory().has_perm("giving.import_for_any_organization")
    assert not StaffFactory(is_active=False).has_perm("giving.import_for_any_organization")


def test_a_batch_is_seen_by_who_uploaded_it_and_staff():
    uploader, stranger, staff = UserFactory(), UserFactory(), StaffFactory()
    batch = ImportBatch(uploaded_by=uploader)
    assert uploader.has_perm("giving.view_import_batch", batch)
    assert staff.has_perm("giving.view_import_batch", batch)
    assert not stranger.has_perm("giving.view_import_batch", batch)
    assert imports.can_see_batch(uploader, batch) and not imports.can_see_batch(stranger, batch)


def test_staff_imports_are_staff_or_media_records_others_the_cso_s_own():
    staff, editor = StaffFactory(), UserFactory()
    assert imports.source_for(staff, {"source_url": "https://example.org"}) == "media"
    assert imports.source_for(staff, {}) == "staff"
    assert imports.source_for(editor, {}) == "cso_self"
