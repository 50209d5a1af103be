"""Applications and invitations, and the organisation's answer.

Accepting locks the opportunity first (then the application): two editors accepting the
last place at the same moment are served one after the other, and the second is refused;
the database's `places_filled <= places` constraint is the last guard. An accepted
application becomes an engagement.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from core.notifications import email_user_template
from core.permissions import require
from volunteering.choices import ApplicationOrigin, ApplicationStatus, OpportunityStatus
from volunteering.models import Application, Engagement, Opportunity, VolunteerProfile
from volunteering.services.opportunities import lock as lock_opportunity
from volunteering.workflow import APPLICATION

A = ApplicationStatus


def lock(application: Application) -> Application:
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("opportunity__organization", "profile__user")
        .get(pk=application.pk)
    )


def _open_for_applications(opportunity: Opportunity) -> None:
    if opportunity.status != OpportunityStatus.OPEN:
        raise ValidationError(_("This opportunity is not open for applications."), code="not_open")
    if opportunity.deadline and opportunity.deadline < timezone.localdate():
        raise ValidationError(_("The application deadline has passed."), code="deadline")
    if opportunity.places_left <= 0:
        raise ValidationError(_("All places of this opportunity are filled."), code="full")


def application_submit(*, actor, opportunity: Opportunity, message: str = "") -> Application:
    """The actor applies with a short message (not twice, not after the deadline). An open
    invitation to the same opportunity is taken as accepted."""
    require(actor, "volunteering.apply", opportunity)
    profile = VolunteerProfile.objects.filter(user=actor).first()
    if profile is None:
        raise ValidationError(_("Create your volunteer profile first."), code="no_profile")
    try:
        with transaction.atomic():
            opportunity = lock_opportunity(opportunity)
            _open_for_applications(opportunity)
            existing = (
                Application.objects.select_for_update()
                .filter(opportunity=opportunity, profile=profile)
                .first()
            )
            if existing is not None:
                if existing.status != A.INVITED:
                    raise ValidationError(
                        _("You have already applied to this opportunity."), code="duplicate"
                    )
                existing.message = message[:2000]
                APPLICATION.move(existing, A.APPLIED, actor=actor, fields=["message"])
                return existing
            application = Application.objects.create(
                opportunity=opportunity,
                profile=profile,
                origin=ApplicationOrigin.APPLIED,
                status=A.APPLIED,
                message=message[:2000],
            )
            _record_creation(application, actor)
            for editor in _editors(opportunity):
                email_user_template(
                    template="volunteering/email/application_new",
                    context={"application": application, "opportunity": opportunity},
                    user=editor,
                )
            return application
    except IntegrityError:  # a double submit that raced the first
        raise ValidationError(_("You have already applied to this opportunity."), code="duplicate") from None


def _record_creation(application: Application, actor) -> None:
    from django.contrib.contenttypes.models import ContentType

    from core.models import StatusChange

    StatusChange.objects.create(
        content_type=ContentType.objects.get_for_model(application),
        object_id=application.pk,
        workflow=APPLICATION.name,
        from_status="",
        to_status=application.status,
        actor=actor,
    )


def _editors(opportunity: Opportunity):
    from organizations.models import Membership

    return [
        m.user
        for m in opportunity.organization.memberships.filter(
            role__in=[Membership.Role.OWNER, Membership.Role.EDITOR], user__is_active=True
        ).select_related("user")
    ]


def application_invite(
    *, actor, opportunity: Opportunity, profile: VolunteerProfile, message: str = ""
) -> Application:
    """An editor invites a consenting person (who then accepts by applying, or withdraws)."""
    try:
        with transaction.atomic():
            opportunity = lock_opportunity(opportunity)
            require(actor, "volunteering.invite", opportunity)
            _open_for_applications(opportunity)
            if not profile.contact_consent:
                raise ValidationError(_("This person does not wish to be contacted."), code="no_consent")
            if Application.objects.filter(opportunity=opportunity, profile=profile).exists():
                raise ValidationError(_("This person has already applied or been invited."), code="duplicate")
            application = Application.objects.create(
                opportunity=opportunity,
                profile=profile,
                origin=ApplicationOrigin.INVITED,
                status=A.INVITED,
                message=message[:2000],
                invited_by=actor,
            )
            _record_creation(application, actor)
            email_user_template(
                template="volunteering/email/invitation",
                context={"application": application, "opportunity": opportunity},
                user=profile.user,
            )
            return application
    except IntegrityError:
        raise ValidationError(
            _("This person has already applied or been invited."), code="duplicate"
        ) from None


@transaction.atomic
def application_decide(*, actor, application: Application, accept: bool, response: str = "") -> Application:
    """Accept (taking one place, creating the engagement) or decline with a message. The
    opportunity is locked before the application: places are never over-filled."""
    opportunity = lock_opportunity(application.opportunity)
    application = lock(application)
    target = A.ACCEPTED if accept else A.DECLINED
    if application.status == target:
        return application  # a double submit
    require(actor, "volunteering.decide_application", application)
    APPLICATION.check(application.status, target)
    if accept:
        if opportunity.places_filled >= opportunity.places:
            raise ValidationError(
                _("All %(places)s places are filled: no one more can be accepted.")
                % {"places": opportunity.places},
                code="full",
            )
        Opportunity.objects.filter(pk=opportunity.pk).update(places_filled=F("places_filled") + 1)
    application.response = response[:2000]
    application.decided_by, application.decided_at = actor, timezone.now()
    APPLICATION.move(
        application,
        target,
        actor=actor,
        note=response,
        fields=["response", "decided_by", "decided_at"],
        check_perm=False,
    )
    if accept:
        Engagement.objects.create(
            application=application, opportunity=opportunity, profile=application.profile
        )
    email_user_template(
        template="volunteering/email/decision",
        context={"application": application, "opportunity": opportunity, "accepted": accept},
        user=application.profile.user,
    )
    return application


@transaction.atomic
def application_withdraw(*, actor, application: Application) -> Application:
    application = lock(application)
    if application.status == A.WITHDRAWN:
        return application
    APPLICATION.move(application, A.WITHDRAWN, actor=actor)
    return application
