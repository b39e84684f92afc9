"""Organisations and people in each role: factories in the style of the rest of the suite."""

import itertools

import pytest

from apps.accounts.models import SiteRole, User
from apps.organisations import services
from apps.organisations.models import Membership, Organisation, Role

_numbers = itertools.count(1)


def make_user(*, email: str = "", site_role: str = SiteRole.NONE) -> User:
    number = next(_numbers)
    return User.objects.create_user(
        username=f"user{number}", email=email or f"user{number}@example.nl", password="een-lang-wachtwoord",
        site_role=site_role,
    )


def make_member(organisation: Organisation, role: str) -> User:
    user = make_user()
    Membership.objects.create(user=user, organisation=organisation, role=role)
    return user


@pytest.fixture
def baarn(db) -> Organisation:
    return services.create_organisation(name="Gemeente Baarn", slug="baarn", kind="gemeente", area_code="GM0308")


@pytest.fixture
def amsterdam(db) -> Organisation:
    return services.create_organisation(name="Gemeente Amsterdam", slug="amsterdam", kind="gemeente", area_code="GM0363")


@pytest.fixture
def people(baarn, amsterdam) -> dict[str, User]:
    """One person per role in Baarn, an admin of Amsterdam, a site administrator, a stranger."""
    return {
        "admin": make_member(baarn, Role.ADMIN),
        "editor": make_member(baarn, Role.EDITOR),
        "member": make_member(baarn, Role.MEMBER),
        "other_admin": make_member(amsterdam, Role.ADMIN),
        "site_admin": make_user(site_role=SiteRole.ADMINISTRATOR),
        "stranger": make_user(),
    }


@pytest.fixture
def colleague(baarn) -> User:
    """A plain member of Baarn: reads the organisation's items, may not change an editor's."""
    return make_member(baarn, Role.MEMBER)


@pytest.fixture
def outsider(amsterdam) -> User:
    """An editor of another gemeente (an editor, so a 404 for them is about the organisation,
    never about a missing role)."""
    return make_member(amsterdam, Role.EDITOR)
