"""factory_boy factories shared by the whole suite (registered as fixtures in conftest), and
`member_of`, a user with a role in an organisation."""

import factory
from allauth.account.models import EmailAddress
from django.utils.text import slugify

from accounts.models import User
from core.models import Municipality, Sector
from organizations.models import Invitation, Membership, Organization

DEFAULT_PASSWORD = "correct-horse-battery-9"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    full_name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", DEFAULT_PASSWORD)

    @factory.post_generation
    def verified_email(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            obj.save()
            EmailAddress.objects.get_or_create(
                user=obj, email=obj.email, defaults={"verified": True, "primary": True}
            )


class StaffFactory(UserFactory):
    is_staff = True


def municipality(slug="prishtine"):
    return Municipality.objects.get(slug=slug)


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    kind = Organization.Kind.REGISTERED_CSO
    registration_number = factory.Sequence(lambda n: f"5{n:07d}")
    municipality = factory.LazyFunction(lambda: Municipality.objects.order_by("?").first())
    description = factory.Faker("paragraph")
    email = factory.LazyAttribute(lambda o: f"info@{o.slug}.org")

    @factory.post_generation
    def sectors(obj, create, extracted, **kwargs):
        if create:
            obj.sectors.set(extracted if extracted is not None else Sector.objects.all()[:2])


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    organization = factory.SubFactory(OrganizationFactory)
    user = factory.SubFactory(UserFactory)
    role = Membership.Role.EDITOR


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    organization = factory.SubFactory(OrganizationFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.org")
    role = Membership.Role.EDITOR


def member_of(organization, role):
    """A fresh user holding `role` in `organization`."""
    user = UserFactory()
    Membership.objects.create(organization=organization, user=user, role=role)
    return user


def partner_token(scopes=None):
    """(token, key) of an API token of a fresh organisation holding `scopes`, every scope by
    default: a partner that may call every endpoint."""
    from organizations import services as org_services
    from organizations.models import ApiToken

    owner = member_of(OrganizationFactory(), Membership.Role.OWNER)
    return org_services.api_token_create(
        actor=owner,
        organization=owner.memberships.get().organization,
        name="Partner",
        scopes=list(scopes if scopes is not None else ApiToken.Scope.values),
    )
