import datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from members import roles
from members.models import (
    Charter,
    CharterSignature,
    Invitation,
    Membership,
    Organisation,
    OrganisationMembership,
    Profile,
)

PASSWORD = "motdepasse-de-test-42"


def today():
    return timezone.localdate()


class UserFactory(factory.django.DjangoModelFactory):
    username = factory.Sequence(lambda n: f"membre{n}@example.org")
    email = factory.SelfAttribute("username")
    first_name = factory.Sequence(lambda n: f"Prénom{n}")
    last_name = factory.Sequence(lambda n: f"Nom{n}")
    password = factory.django.Password(PASSWORD)

    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)


class OrganisationFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = Organisation.Kind.SME

    class Meta:
        model = Organisation


class ProfileFactory(factory.django.DjangoModelFactory):
    user = factory.SubFactory(UserFactory)
    job_title = "DSI"

    class Meta:
        model = Profile
        django_get_or_create = ("user",)


class MembershipFactory(factory.django.DjangoModelFactory):
    user = factory.SubFactory(UserFactory)
    tier = "basic"
    category = "adherent"
    valid_from = factory.LazyFunction(lambda: today() - datetime.timedelta(days=30))
    valid_until = factory.LazyFunction(lambda: today() + datetime.timedelta(days=335))

    class Meta:
        model = Membership


class OrganisationMembershipFactory(factory.django.DjangoModelFactory):
    organisation = factory.SubFactory(OrganisationFactory)
    tier = "premium"
    seats = 2
    valid_from = factory.LazyFunction(lambda: today() - datetime.timedelta(days=30))
    valid_until = factory.LazyFunction(lambda: today() + datetime.timedelta(days=335))

    class Meta:
        model = OrganisationMembership


class CharterFactory(factory.django.DjangoModelFactory):
    title = "Charte d'éthique"
    version = factory.Sequence(lambda n: f"1.{n}")
    body = "<p>Indépendance, confidentialité, loyauté, professionnalisme.</p>"
    effective_date = factory.LazyFunction(lambda: today() - datetime.timedelta(days=365))

    class Meta:
        model = Charter


class InvitationFactory(factory.django.DjangoModelFactory):
    email = factory.Sequence(lambda n: f"invite{n}@example.org")
    tier = "basic"
    category = "adherent"
    expires_at = factory.LazyFunction(Invitation.default_expiry)
    token_hash = factory.Sequence(lambda n: f"{n:064d}")

    class Meta:
        model = Invitation


def current_charter():
    return Charter.current() or CharterFactory()


def make_member(tier="basic", *, signed=True, expired=False, category="adherent", roles_=(), **user_fields):
    """A person with a membership (valid, or ended yesterday) who signed (or not) the current charter."""
    user = UserFactory(**user_fields)
    ProfileFactory(user=user)
    if expired:
        MembershipFactory(
            user=user,
            tier=tier,
            category=category,
            valid_from=today() - datetime.timedelta(days=400),
            valid_until=today() - datetime.timedelta(days=1),
        )
    else:
        MembershipFactory(user=user, tier=tier, category=category)
    charter = current_charter()  # an unsigned member only means something if a charter is in force
    if signed:
        CharterSignature.objects.create(user=user, charter=charter)
    if roles_:
        user.groups.add(*Group.objects.filter(name__in=roles_))
    # The membership's own save put the person in the tier groups (members/signals.py), as a log-in or the
    # hourly sync would.
    return user


def make_staff(**user_fields):
    return make_member("premium", category="effective", roles_=[roles.CLUB_STAFF], **user_fields)


class MembershipRequestFactory(factory.django.DjangoModelFactory):
    user = factory.SubFactory(UserFactory)
    kind = "renewal"
    tier = "basic"
    message = "Je souhaite renouveler."

    class Meta:
        model = "members.MembershipRequest"
