"""Who may do what in transparency: reports, public funding and the strategy. Checked by views (and admin actions) and
again by services.

Objects: the `*_reports` permissions of an organisation take the organisation; the
others take the report. Published (and superseded) reports and their documents are
public; drafts are seen by the organisation's members and KCSF staff only.
"""

import rules

from organizations.rules import is_org_editor, is_org_member
from transparency.choices import ReportStatus

is_staff = rules.is_staff & rules.is_active


@rules.predicate
def is_public_report(user, report):
    return report is not None and report.status in (ReportStatus.PUBLISHED, ReportStatus.SUPERSEDED)


@rules.predicate
def is_report_member(user, report):
    return report is not None and is_org_member(user, report.organization)


@rules.predicate
def is_report_editor(user, report):
    return report is not None and is_org_editor(user, report.organization)


# On an organisation
rules.add_perm("transparency.view_organization_reports", is_org_member | is_staff)
rules.add_perm("transparency.start_report", is_org_editor)

# On a report
rules.add_perm("transparency.view_report", is_public_report | is_report_member | is_staff)
rules.add_perm("transparency.view_report_private", is_report_member | is_staff)
rules.add_perm("transparency.edit_report", is_report_editor)
rules.add_perm("transparency.submit_report", is_report_editor)
rules.add_perm("transparency.correct_report", is_report_editor)
rules.add_perm("transparency.review_report", is_staff)
rules.add_perm("transparency.publish_report", is_staff)
rules.add_perm("transparency.view_report_document", is_public_report | is_report_member | is_staff)

# Public funding (staff import and reconcile; the API's tokens are checked by scope)
rules.add_perm("transparency.manage_public_funding", is_staff)
rules.add_perm("transparency.view_funding_reconciliation", is_staff)

# The strategy's measures
rules.add_perm("transparency.comment_on_measure", rules.is_authenticated & rules.is_active)
rules.add_perm("transparency.moderate_measure_comments", is_staff)
