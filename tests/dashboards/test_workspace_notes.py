"""Workspace notes beside the public figures: shown to the logged-in readers the workspace's
visibility rules allow, to nobody else, and never kept in the public page cache."""

import pytest

from apps.organisations.models import Role
from apps.workspaces import services
from apps.workspaces.models import Visibility
from tests.organisations.conftest import amsterdam, baarn, make_member, people  # noqa: F401
from tests.releases.helpers import build

INDICATOR = "inwoners"
CELLS = [
    (INDICATOR, "NL00", 2024, 17_900_000.0, "V"),
    (INDICATOR, "GM0308", 2024, 25065.0, "V"),
    (INDICATOR, "WK030800", 2024, 5000.0, "V"),
    (INDICATOR, "BU03080000", 2024, 1825.0, "V"),
]
AREA_PAGE = "/gemeente/GM0308/"
BUURT_LEVEL_PAGE = f"/indicator/{INDICATOR}/GM0308/?niveau=buurt"


@pytest.fixture
def notes(geo, baarn, amsterdam, people):  # noqa: F811
    build(CELLS)
    editor = people["editor"]
    return {
        "organisation": services.write_note(
            user=editor, organisation=baarn, area_code="GM0308", body="Baarn-notitie voor collega's",
            visibility=Visibility.ORGANISATION),
        "buurt": services.write_note(
            user=editor, organisation=baarn, area_code="BU03080000", indicator=INDICATOR, year=2024,
            body="Buurtnotitie **vet** <script>alert(1)</script>", visibility=Visibility.ORGANISATION),
        "private": services.write_note(
            user=editor, organisation=baarn, area_code="GM0308", body="Alleen voor de schrijver",
            visibility=Visibility.PRIVATE),
        "shared_by_amsterdam": services.write_note(
            user=people["other_admin"], organisation=amsterdam, area_code="GM0308", indicator=INDICATOR,
            body="Gedeeld door Amsterdam", visibility=Visibility.SHARED),
        "amsterdam_only": services.write_note(
            user=people["other_admin"], organisation=amsterdam, area_code="GM0308", body="Intern Amsterdam",
            visibility=Visibility.ORGANISATION),
    }


def _page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_anonymous_visitors_see_no_notes_and_the_page_stays_public(client, notes):
    for url in (AREA_PAGE, BUURT_LEVEL_PAGE):
        response = client.get(url)
        html = response.content.decode()
        assert "Notes from your workspace" not in html and "Notities uit uw werkruimte" not in html
        for note in notes.values():
            assert note.body[:12] not in html
        assert "private" not in response.get("Cache-Control", "")


def test_a_colleague_sees_the_notes_of_the_organisation_and_shared_ones_beside_the_figures(client, baarn, notes):  # noqa: F811
    colleague = make_member(baarn, Role.MEMBER)
    client.force_login(colleague)
    response = client.get(AREA_PAGE)
    html = response.content.decode()
    assert "private" in response["Cache-Control"]
    assert "Baarn-notitie voor collega" in html
    assert "Buurtnotitie" in html  # a buurt inside the gemeente
    assert "Gedeeld door Amsterdam" in html
    assert "Alleen voor de schrijver" not in html
    assert "Intern Amsterdam" not in html
    assert "<script>alert(1)</script>" not in html and "<strong>vet</strong>" in html
    assert "/werkruimte/notities/nieuw/?gebied=GM0308" in html


def test_the_indicator_page_shows_only_notes_on_that_indicator(client, baarn, notes):  # noqa: F811
    client.force_login(make_member(baarn, Role.MEMBER))
    html = _page(client, BUURT_LEVEL_PAGE)
    assert "Buurtnotitie" in html and "Gedeeld door Amsterdam" in html
    assert "Baarn-notitie voor collega" not in html  # about the area as a whole, not this indicator
    assert f"indicator={INDICATOR}" in html and "jaar=2024" in html


def test_another_gemeente_sees_only_what_was_shared_with_it(client, amsterdam, notes):  # noqa: F811
    client.force_login(make_member(amsterdam, Role.MEMBER))
    html = _page(client, AREA_PAGE)
    assert "Gedeeld door Amsterdam" in html and "Intern Amsterdam" in html
    assert "Baarn-notitie voor collega" not in html and "Buurtnotitie" not in html


def test_the_author_sees_the_private_note_and_an_anonymous_visitor_after_it_does_not(client, people, notes):  # noqa: F811
    client.force_login(people["editor"])
    assert "Alleen voor de schrijver" in _page(client, AREA_PAGE)
    client.logout()
    # The figures are cached per release; the notes must not have gone into that cache.
    assert "Alleen voor de schrijver" not in _page(client, AREA_PAGE)


def test_a_user_without_organisation_is_not_offered_to_write(client, people, notes):  # noqa: F811
    client.force_login(people["stranger"])
    html = _page(client, AREA_PAGE)
    assert "Gedeeld door Amsterdam" not in html  # shared items are for member organisations only
    assert "/werkruimte/notities/nieuw/" not in html

