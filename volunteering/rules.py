"""Who may do what in volunteering. Checked by views and again by services.

Objects: `post_opportunity` and `view_organization_opportunities` take the organisation;
the opportunity permissions take the opportunity; the application, engagement and hours
permissions take those rows. Only editors of a *verified* organisation post, decide and
confirm; any member may read the applicants; a volunteer acts on their own rows only.
"""

import rules

from organizations.rules import is_org_editor, is_org_member
from volunteering.choices import ApplicationStatus, OpportunityStatus

is_staff = rules.is_staff & rules.is_active


@rules.predicate
def is_verified_org_editor(user, organization):
    return organization is not None and organization.is_verified and is_org_editor(user, organization)


@rules.predicate
def is_public_opportunity(user, opportunity):
    return opportunity is not None and opportunity.status != OpportunityStatus.DRAFT


@rules.predicate
def is_opportunity_member(user, opportunity):
    return opportunity is not None and is_org_member(user, opportunity.organization)


@rules.predicate
def is_opportunity_editor(user, opportunity):
    return opportunity is not None and is_verified_org_editor(user, opportunity.organization)


@rules.predicate
def is_application_editor(user, application):
    return application is not None and is_opportunity_editor(user, application.opportunity)


@rules.predicate
def is_application_member(user, application):
    return application is not None and is_opportunity_member(user, application.opportunity)


@rules.predicate
def is_applicant(user, application):
    return application is not None and user.is_authenticated and application.profile.user_id == user.pk


@rules.predicate
def is_accepted(user, application):
    return application is not None and application.status == ApplicationStatus.ACCEPTED


@rules.predicate
def is_engagement_volunteer(user, engagement):
    return engagement is not None and user.is_authenticated and engagement.profile.user_id == user.pk


@rules.predicate
def is_engagement_editor(user, engagement):
    return engagement is not None and is_opportunity_editor(user, engagement.opportunity)


@rules.predicate
def is_engagement_member(user, engagement):
    return engagement is not None and is_opportunity_member(user, engagement.opportunity)


@rules.predicate
def is_hours_volunteer(user, entry):
    return entry is not None and is_engagement_volunteer(user, entry.engagement)


@rules.predicate
def is_hours_editor(user, entry):
    return entry is not None and is_engagement_editor(user, entry.engagement)


# Volunteers
rules.add_perm("volunteering.keep_profile", rules.is_authenticated & rules.is_active)
rules.add_perm("volunteering.apply", rules.is_authenticated & rules.is_active)

# On an organisation
rules.add_perm("volunteering.post_opportunity", is_verified_org_editor)
rules.add_perm("volunteering.view_organization_opportunities", is_org_member | is_staff)

# On an opportunity
rules.add_perm("volunteering.view_opportunity", is_public_opportunity | is_opportunity_member | is_staff)
rules.add_perm("volunteering.edit_opportunity", is_opportunity_editor)
rules.add_perm("volunteering.view_applicants", is_opportunity_member | is_staff)
rules.add_perm("volunteering.invite", is_opportunity_editor)

# On an application
rules.add_perm("volunteering.decide_application", is_application_editor)
rules.add_perm("volunteering.answer_invitation", is_applicant)
rules.add_perm("volunteering.withdraw_application", is_applicant)
rules.add_perm("volunteering.view_contact", (is_application_member & is_accepted) | is_staff)

# On an engagement
rules.add_perm("volunteering.view_engagement", is_engagement_volunteer | is_engagement_member | is_staff)
rules.add_perm("volunteering.end_engagement", is_engagement_volunteer | is_engagement_editor)
rules.add_perm("volunteering.log_hours", is_engagement_volunteer)
rules.add_perm("volunteering.download_certificate", is_engagement_volunteer)
rules.add_perm("volunteering.give_feedback", is_engagement_volunteer | is_engagement_editor)

# On an hours entry
rules.add_perm("volunteering.confirm_hours", is_hours_editor)
rules.add_perm("volunteering.correct_hours", is_hours_volunteer)

# Staff
rules.add_perm("volunteering.view_figures", is_staff)
