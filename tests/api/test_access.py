"""Access control of every workspace endpoint and method: anonymous callers get JSON 401/403
(never a redirect), a member of another gemeente gets 404 for what is not shared with them, a
member without the right role gets 403 for what they may read but not change."""

import pytest
from django.urls import reverse

from apps.organisations.models import Role
from apps.workspaces.models import KnowledgeComment, KnowledgeItem, Note, SavedComparison
from tests.api.conftest import INDICATOR, make_member, make_user

COVERED_URL_NAMES = {
    "api:organisation-list", "api:organisation-detail",
    "api:note-list", "api:note-detail",
    "api:comparison-list", "api:comparison-detail",
    "api:knowledge-list", "api:knowledge-detail", "api:knowledge-comments",
    "api:api-key",
}

NOTE = {"gebied": "GM0308", "indicator": INDICATOR, "jaar": 2024, "tekst": "Nieuw", "zichtbaarheid": "organisation"}
COMPARISON = {"titel": "Nieuw", "gebieden": ["GM0308"], "indicatoren": [INDICATOR], "jaren": [2024]}
KNOWLEDGE = {"soort": "approach", "titel": "Nieuw", "tekst": "Aanpak", "themas": ["drugs"]}
COMMENT = {"tekst": "Reactie"}


def test_every_url_of_the_api_workspace_is_covered_here():
    from tests.api import test_layers
    from tests.workspaces.test_every_url_is_covered import workspace_url_names

    api_workspace = {name for name in workspace_url_names() if name.startswith("api:")}
    assert api_workspace == COVERED_URL_NAMES | test_layers.COVERED_URL_NAMES


def _calls(items):
    """Every endpoint × method, with a valid body where the method takes one."""
    note, comparison = items.organisation_note.pk, items.organisation_comparison.pk
    knowledge = items.shared_knowledge.pk
    return [
        ("get", reverse("api:organisation-list"), None),
        ("get", reverse("api:organisation-detail", args=["baarn"]), None),
        ("get", reverse("api:note-list"), None),
        ("post", reverse("api:note-list"), NOTE),
        ("get", reverse("api:note-detail", args=[note]), None),
        ("put", reverse("api:note-detail", args=[note]), NOTE),
        ("patch", reverse("api:note-detail", args=[note]), {"tekst": "Anders"}),
        ("delete", reverse("api:note-detail", args=[note]), None),
        ("get", reverse("api:comparison-list"), None),
        ("post", reverse("api:comparison-list"), COMPARISON),
        ("get", reverse("api:comparison-detail", args=[comparison]), None),
        ("delete", reverse("api:comparison-detail", args=[comparison]), None),
        ("get", reverse("api:knowledge-list"), None),
        ("post", reverse("api:knowledge-list"), KNOWLEDGE),
        ("get", reverse("api:knowledge-detail", args=[knowledge]), None),
        ("delete", reverse("api:knowledge-detail", args=[knowledge]), None),
        ("get", reverse("api:knowledge-comments", args=[knowledge]), None),
        ("post", reverse("api:knowledge-comments", args=[knowledge]), COMMENT),
        ("get", reverse("api:api-key"), None),
        ("post", reverse("api:api-key"), None),
        ("delete", reverse("api:api-key"), None),
    ]


def _counts():
    return [model.objects.count() for model in (Note, SavedComparison, KnowledgeItem, KnowledgeComment)]


def _call(client, method, url, body=None):
    return getattr(client, method)(url, body, format="json") if body is not None else getattr(client, method)(url)


def test_anonymous_callers_get_json_401_everywhere_and_change_nothing(items, api):
    before = _counts()
    client = api()
    for method, url, body in _calls(items):
        response = _call(client, method, url, body)
        # The key endpoint takes sessions only, which have no challenge to send: 403. The rest
        # accept a token, so they answer 401 with "WWW-Authenticate: Token".
        expected = 403 if url == reverse("api:api-key") else 401
        assert response.status_code == expected, (method, url)
        assert response["Content-Type"] == "application/json", (method, url)
        assert response.json()["code"] == "not_authenticated", (method, url)
        assert "Location" not in response
        if expected == 401:
            assert response["WWW-Authenticate"] == "Token"
    assert _counts() == before


@pytest.mark.parametrize("name", ["private_note", "organisation_note"])
def test_another_gemeente_gets_404_for_a_note_not_shared_with_it(items, outsider, api, name):
    note = getattr(items, name)
    client, url = api(outsider), reverse("api:note-detail", args=[note.pk])
    for method, body in (("get", None), ("put", NOTE), ("patch", {"tekst": "Overgenomen"}), ("delete", None)):
        response = _call(client, method, url, body)
        assert response.status_code == 404, method
        assert response.json()["code"] == "not_found"
    note.refresh_from_db()
    assert note.body.endswith("notitie")
    listed = {row["id"] for row in client.get(reverse("api:note-list")).json()["results"]}
    assert listed == {items.shared_note.pk}


@pytest.mark.parametrize("name", ["private_comparison", "organisation_comparison"])
def test_another_gemeente_gets_404_for_a_comparison(items, outsider, api, name):
    comparison = getattr(items, name)
    client, url = api(outsider), reverse("api:comparison-detail", args=[comparison.pk])
    assert client.get(url).status_code == 404
    assert client.delete(url).status_code == 404
    assert SavedComparison.objects.filter(pk=comparison.pk).exists()
    assert client.get(reverse("api:comparison-list")).json()["count"] == 0


def test_another_gemeente_gets_404_for_organisation_only_knowledge_and_its_comments(items, outsider, api):
    client, pk = api(outsider), items.organisation_knowledge.pk
    assert client.get(reverse("api:knowledge-detail", args=[pk])).status_code == 404
    assert client.delete(reverse("api:knowledge-detail", args=[pk])).status_code == 404
    assert client.get(reverse("api:knowledge-comments", args=[pk])).status_code == 404
    response = client.post(reverse("api:knowledge-comments", args=[pk]), COMMENT, format="json")
    assert response.status_code == 404
    assert not KnowledgeComment.objects.filter(item_id=pk).exists()
    listed = {row["id"] for row in client.get(reverse("api:knowledge-list")).json()["results"]}
    assert listed == {items.shared_knowledge.pk}


def test_another_gemeente_reads_and_comments_on_shared_items_but_does_not_change_them(items, outsider, api):
    client = api(outsider)
    note_url = reverse("api:note-detail", args=[items.shared_note.pk])
    assert client.get(note_url).status_code == 200
    assert client.patch(note_url, {"tekst": "Overgenomen"}, format="json").status_code == 403
    assert client.delete(note_url).status_code == 403
    knowledge_url = reverse("api:knowledge-detail", args=[items.shared_knowledge.pk])
    assert client.get(knowledge_url).status_code == 200
    assert client.delete(knowledge_url).status_code == 403
    comments_url = reverse("api:knowledge-comments", args=[items.shared_knowledge.pk])
    response = client.post(comments_url, COMMENT, format="json")
    assert response.status_code == 201 and response.json()["organisatie"] == "amsterdam"


def test_another_gemeente_cannot_see_or_write_for_baarn(items, outsider, api):
    client = api(outsider)
    assert client.get(reverse("api:organisation-detail", args=["baarn"])).status_code == 404
    assert [row["slug"] for row in client.get(reverse("api:organisation-list")).json()["results"]] == ["amsterdam"]
    before = _counts()
    for name, body in (("api:note-list", NOTE), ("api:comparison-list", COMPARISON), ("api:knowledge-list", KNOWLEDGE)):
        response = client.post(reverse(name), {**body, "organisatie": "baarn"}, format="json")
        # The same answer as for a slug that does not exist: the field names nothing it should not.
        assert response.status_code == 400, name
        assert list(response.json()["fields"]) == ["organisatie"]
        unknown = client.post(reverse(name), {**body, "organisatie": "bestaat-niet"}, format="json")
        assert unknown.status_code == 400
        assert unknown.json()["fields"]["organisatie"] == [
            message.replace("baarn", "bestaat-niet") for message in response.json()["fields"]["organisatie"]
        ]
    comments = reverse("api:knowledge-comments", args=[items.shared_knowledge.pk])
    assert client.post(comments, {**COMMENT, "organisatie": "baarn"}, format="json").status_code == 400
    assert _counts() == before


def test_private_items_of_a_colleague_are_404_for_colleagues_too(items, colleague, api):
    client = api(colleague)
    assert client.get(reverse("api:note-detail", args=[items.private_note.pk])).status_code == 404
    assert client.get(reverse("api:comparison-detail", args=[items.private_comparison.pk])).status_code == 404


def test_a_member_may_read_but_not_change_what_another_wrote(items, colleague, api):
    client = api(colleague)
    note_url = reverse("api:note-detail", args=[items.organisation_note.pk])
    assert client.get(note_url).status_code == 200
    for method, body in (("put", NOTE), ("patch", {"tekst": "Overschreven"}), ("delete", None)):
        response = _call(client, method, note_url, body)
        assert response.status_code == 403, method
        assert response.json()["code"] == "permission_denied"
    items.organisation_note.refresh_from_db()
    assert items.organisation_note.body == "**organisation** notitie"
    comparison_url = reverse("api:comparison-detail", args=[items.organisation_comparison.pk])
    assert client.get(comparison_url).status_code == 200
    assert client.delete(comparison_url).status_code == 403
    knowledge_url = reverse("api:knowledge-detail", args=[items.organisation_knowledge.pk])
    assert client.get(knowledge_url).status_code == 200
    assert client.delete(knowledge_url).status_code == 403
    assert SavedComparison.objects.filter(pk=items.organisation_comparison.pk).exists()
    assert KnowledgeItem.objects.filter(pk=items.organisation_knowledge.pk).exists()


def test_a_member_may_not_share_knowledge_but_may_comment_and_write_notes(items, colleague, api):
    client = api(colleague)
    response = client.post(reverse("api:knowledge-list"), KNOWLEDGE, format="json")
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"
    assert KnowledgeItem.objects.count() == 2
    comments = reverse("api:knowledge-comments", args=[items.organisation_knowledge.pk])
    assert client.post(comments, COMMENT, format="json").status_code == 201
    assert client.post(reverse("api:note-list"), NOTE, format="json").status_code == 201
    assert client.post(reverse("api:comparison-list"), COMPARISON, format="json").status_code == 201


def test_organisations_are_read_only(items, author, api):
    client = api(author)
    assert client.post(reverse("api:organisation-list"), {"slug": "x"}, format="json").status_code == 405
    assert client.delete(reverse("api:organisation-detail", args=["baarn"])).status_code == 405


def test_a_user_of_no_organisation_reads_nothing_and_writes_nothing(items, api):
    client = api(make_user())
    for name in ("api:note-list", "api:comparison-list", "api:knowledge-list", "api:organisation-list"):
        assert client.get(reverse(name)).json()["count"] == 0, name
    assert client.get(reverse("api:knowledge-detail", args=[items.shared_knowledge.pk])).status_code == 404
    response = client.post(reverse("api:note-list"), NOTE, format="json")
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"


def test_the_key_endpoint_only_touches_the_callers_own_key(items, author, outsider, api):
    from apps.accounts.models import ApiKey
    from apps.accounts.services import api_key_digest

    author_key = api(author).post(reverse("api:api-key")).json()["sleutel"]
    other = api(outsider)
    assert other.get(reverse("api:api-key")).json()["heeft_sleutel"] is False
    assert other.delete(reverse("api:api-key")).status_code == 204
    assert ApiKey.objects.filter(digest=api_key_digest(author_key)).exists()
    # A member of Baarn without a special role may have a key (no second factor required).
    member = make_member(items.shared_note.organisation, Role.MEMBER)
    assert api(member).post(reverse("api:api-key")).status_code == 201
