"""People, a release and workspace items for the API tests.

Baarn's editor (``author``) wrote one item of each kind and visibility; ``colleague`` is a plain
member of Baarn; ``outsider`` is an editor of Amsterdam (an editor, so a 404 for them is about
the organisation, never about a missing role)."""

from dataclasses import dataclass

import pytest
from rest_framework.test import APIClient

from apps.organisations.models import Role
from apps.releases.models import PublishedValue, Release
from apps.workspaces import services
from apps.workspaces.models import Visibility
from tests.organisations.conftest import (  # noqa: F401
    amsterdam, baarn, colleague, outsider, make_member, make_user, people,
)

INDICATOR = "aankopen_zonder_hypotheek"
OTHER_INDICATOR = "verdachte_transacties_per_1000_inwoners"
YEARS = (2023, 2024)


@pytest.fixture
def release(db):
    """Release 1, current: the indicator for Nederland, Baarn and Amsterdam in 2023 and 2024."""
    current = Release.objects.create(number=1, status=Release.Status.PUBLISHED, is_current=True)
    for area, base in (("NL00", 10.0), ("GM0308", 20.0), ("GM0363", 30.0)):
        for year in YEARS:
            PublishedValue.objects.create(release=current, indicator=INDICATOR, area_code=area, vintage=2024,
                                          year=year, value=base + year - 2023, status="V")
    return current


@pytest.fixture
def author(baarn):  # noqa: F811
    return make_member(baarn, Role.EDITOR)




@dataclass
class Items:
    private_note: object
    organisation_note: object
    shared_note: object
    private_comparison: object
    organisation_comparison: object
    organisation_knowledge: object
    shared_knowledge: object
    comment: object


@pytest.fixture
def items(baarn, author, colleague, release) -> Items:  # noqa: F811
    def note(visibility):
        return services.write_note(user=author, organisation=baarn, area_code="GM0308", indicator=INDICATOR,
                                   year=2024, body=f"**{visibility}** notitie", visibility=visibility)

    def comparison(visibility):
        return services.save_comparison(user=author, organisation=baarn, title=f"Vergelijking {visibility}",
                                        area_codes=["GM0308", "GM0363"], indicators=[INDICATOR], years=list(YEARS),
                                        release=release, visibility=visibility)

    def knowledge(visibility, kind, themes):
        return services.share_knowledge(user=author, organisation=baarn, kind=kind, title=f"Kennis {visibility}",
                                        body="Wat *werkte*.", themes=themes, visibility=visibility)

    shared_knowledge = knowledge(Visibility.SHARED, "approach", ["drugs"])
    return Items(
        private_note=note(Visibility.PRIVATE),
        organisation_note=note(Visibility.ORGANISATION),
        shared_note=note(Visibility.SHARED),
        private_comparison=comparison(Visibility.PRIVATE),
        organisation_comparison=comparison(Visibility.ORGANISATION),
        organisation_knowledge=knowledge(Visibility.ORGANISATION, "lesson", ["vastgoed"]),
        shared_knowledge=shared_knowledge,
        comment=services.comment(user=colleague, organisation=baarn, item=shared_knowledge, body="Goed idee"),
    )


def client_for(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def api():
    """``api(user)``: a client logged in as ``user`` (a session), ``api()`` an anonymous one."""
    return client_for
