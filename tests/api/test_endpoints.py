"""What each workspace endpoint answers to those who may use it: status, the shape of the JSON,
filters, pages, headers, and a clear 400 (never a 500) for bad input.

Access control by role and organisation is tested in test_access.py; this file checks it only
where a behaviour depends on it (the author's rights, the organisation of a new item)."""

import pytest
from django.urls import reverse
from rest_framework.throttling import UserRateThrottle

from apps.organisations.models import Membership, Role
from apps.releases.cache import forget_current_release
from apps.releases.models import PublishedValue, Release
from apps.workspaces.models import KnowledgeItem, Note, SavedComparison
from tests.api.conftest import INDICATOR, OTHER_INDICATOR, make_member

# Access control of these names is in test_access.py.
COVERED_URL_NAMES: set[str] = set()

NOTE_FIELDS = {"id", "organisatie", "organisatie_naam", "auteur", "is_auteur", "gebied", "indicator", "jaar",
               "zichtbaarheid", "tekst", "tekst_html", "aangemaakt", "gewijzigd"}
KNOWLEDGE_FIELDS = {"id", "organisatie", "organisatie_naam", "auteur", "is_auteur", "soort", "titel", "tekst",
                    "tekst_html", "themas", "zichtbaarheid", "aantal_reacties", "aangemaakt"}
COMPARISON_FIELDS = {"id", "organisatie", "organisatie_naam", "auteur", "is_auteur", "titel", "gebieden",
                     "indicatoren", "jaren", "zichtbaarheid", "opgeslagen_op_release", "aangemaakt"}


# ---------------------------------------------------------------- organisations


def test_organisations_list_the_callers_own_with_their_role_in_each(items, author, amsterdam, api):
    Membership.objects.create(user=author, organisation=amsterdam, role=Role.MEMBER)
    response = api(author).get(reverse("api:organisation-list"))
    assert response.status_code == 200
    assert response.json()["results"] == [
        {"slug": "amsterdam", "naam": "Gemeente Amsterdam", "soort": "gemeente", "gebied": "GM0363", "rol": "member"},
        {"slug": "baarn", "naam": "Gemeente Baarn", "soort": "gemeente", "gebied": "GM0308", "rol": "editor"},
    ]
    detail = api(author).get(reverse("api:organisation-detail", args=["baarn"])).json()
    assert detail["rol"] == "editor"


# ---------------------------------------------------------------- notes


def test_a_member_writes_a_note_for_their_only_organisation_and_gets_it_back_rendered(items, colleague, api):
    body = {"gebied": "bu0308ab01", "indicator": INDICATOR, "jaar": 2024,
            "tekst": "**Let op** <script>alert(1)</script> [x](javascript:alert(1))", "zichtbaarheid": "shared"}
    response = api(colleague).post(reverse("api:note-list"), body, format="json")
    assert response.status_code == 201
    note = response.json()
    assert set(note) == NOTE_FIELDS
    assert note["organisatie"] == "baarn" and note["gebied"] == "BU0308AB01" and note["is_auteur"] is True
    assert note["tekst"] == body["tekst"]
    assert "<strong>Let op</strong>" in note["tekst_html"]
    assert "<script" not in note["tekst_html"] and "href=\"javascript" not in note["tekst_html"]
    assert Note.objects.get(pk=note["id"]).author == colleague
    assert api(colleague).get(reverse("api:note-detail", args=[note["id"]])).json() == note


def test_the_note_list_filters_by_area_indicator_and_year(items, author, baarn, api):
    Note.objects.create(organisation=baarn, author=author, area_code="WK030800", indicator=OTHER_INDICATOR,
                        year=2023, body="wijk")
    client = api(author)

    def ids(query):
        response = client.get(reverse("api:note-list"), query)
        assert response.status_code == 200, response.json()
        return {row["id"] for row in response.json()["results"]}

    baarn_notes = {items.private_note.pk, items.organisation_note.pk, items.shared_note.pk}
    assert ids({"gebied": "gm0308"}) == baarn_notes
    assert ids({"indicator": INDICATOR}) == baarn_notes
    assert len(ids({"jaar": 2023})) == 1 and not ids({"jaar": 2023}) & baarn_notes
    assert ids({"gebied": "GM0308", "jaar": 2023}) == set()


def test_the_author_changes_a_note_in_part_or_whole_and_deletes_it(items, author, api):
    client = api(author)
    url = reverse("api:note-detail", args=[items.organisation_note.pk])
    response = client.patch(url, {"tekst": "Bijgewerkt"}, format="json")
    assert response.status_code == 200
    assert response.json()["tekst"] == "Bijgewerkt" and response.json()["jaar"] == 2024  # the rest is kept
    whole = {"gebied": "WK030800", "indicator": "", "jaar": None, "tekst": "Opnieuw", "zichtbaarheid": "private"}
    response = client.put(url, whole, format="json")
    assert response.status_code == 200
    assert {key: response.json()[key] for key in whole} == whole
    assert client.patch(url, {"organisatie": "amsterdam"}, format="json").status_code == 400
    assert client.delete(url).status_code == 204
    assert not Note.objects.filter(pk=items.organisation_note.pk).exists()
    assert client.get(url).status_code == 404


def test_lists_come_in_pages_of_fifty_and_at_most_two_hundred(items, author, baarn, api):
    Note.objects.bulk_create(
        Note(organisation=baarn, author=author, area_code="GM0308", body=f"n{i}") for i in range(247)
    )
    client = api(author)
    first = client.get(reverse("api:note-list")).json()
    assert first["count"] == 250 and len(first["results"]) == 50
    assert "page=2" in first["next"] and first["previous"] is None
    assert len(client.get(reverse("api:note-list"), {"page_size": 10}).json()["results"]) == 10
    assert len(client.get(reverse("api:note-list"), {"page_size": 1000}).json()["results"]) == 200
    last = client.get(reverse("api:note-list"), {"page": 5}).json()
    assert len(last["results"]) == 50 and last["next"] is None
    seen = [row["id"] for page in range(1, 6)
            for row in client.get(reverse("api:note-list"), {"page": page}).json()["results"]]
    assert len(set(seen)) == 250  # stable order: every note once


# ---------------------------------------------------------------- comparisons


def test_a_comparison_is_saved_on_the_current_release(items, colleague, release, api):
    body = {"titel": "Baarn en Amsterdam", "gebieden": ["GM0308", "gm0363"], "indicatoren": [INDICATOR],
            "jaren": [2024, 2023]}
    response = api(colleague).post(reverse("api:comparison-list"), body, format="json")
    assert response.status_code == 201
    saved = response.json()
    assert set(saved) == COMPARISON_FIELDS
    assert saved["gebieden"] == ["GM0308", "GM0363"] and saved["jaren"] == [2023, 2024]
    assert saved["opgeslagen_op_release"] == 1 and saved["zichtbaarheid"] == "organisation"
    assert SavedComparison.objects.get(pk=saved["id"]).snapshot[f"{INDICATOR}|GM0308|2024"] == [21.0, "V"]
    listed = api(colleague).get(reverse("api:comparison-list")).json()
    assert saved["id"] in {row["id"] for row in listed["results"]}


def test_a_reopened_comparison_shows_its_values_now_and_what_changed(items, author, release, api):
    url = reverse("api:comparison-detail", args=[items.organisation_comparison.pk])
    unchanged = api(author).get(url).json()
    assert unchanged["huidige_release"] == 1 and unchanged["wijzigingen"] == []
    now = {"indicator": INDICATOR, "gebied": "GM0308", "jaar": 2024, "waarde": 21.0, "status": "V"}
    assert now in unchanged["waarden"]

    Release.objects.filter(pk=release.pk).update(is_current=False)
    second = Release.objects.create(number=2, status=Release.Status.PUBLISHED, is_current=True)
    forget_current_release()
    for area, year, value, status in (("GM0308", 2023, 20.0, "V"), ("GM0308", 2024, 25.0, "V"),
                                      ("GM0363", 2023, 30.0, "V"), ("GM0363", 2024, None, "D")):
        PublishedValue.objects.create(release=second, indicator=INDICATOR, area_code=area, vintage=2024, year=year,
                                      value=value, status=status)
    reopened = api(author).get(url).json()
    assert set(reopened) == COMPARISON_FIELDS | {"huidige_release", "waarden", "wijzigingen"}
    assert reopened["huidige_release"] == 2 and reopened["opgeslagen_op_release"] == 1
    assert reopened["wijzigingen"] == [
        {"indicator": INDICATOR, "gebied": "GM0308", "jaar": 2024,
         "voor": {"waarde": 21.0, "status": "V"}, "na": {"waarde": 25.0, "status": "V"}},
        {"indicator": INDICATOR, "gebied": "GM0363", "jaar": 2024,
         "voor": {"waarde": 31.0, "status": "V"}, "na": {"waarde": None, "status": "D"}},
    ]


def test_without_a_published_release_there_is_nothing_to_compare(baarn, colleague, api):
    body = {"gebieden": ["GM0308"], "indicatoren": [INDICATOR], "jaren": [2024]}
    response = api(colleague).post(reverse("api:comparison-list"), body, format="json")
    assert response.status_code == 409 and response.json()["code"] == "no_release"


def test_the_author_deletes_a_comparison(items, author, api):
    url = reverse("api:comparison-detail", args=[items.private_comparison.pk])
    assert api(author).delete(url).status_code == 204
    assert not SavedComparison.objects.filter(pk=items.private_comparison.pk).exists()


# ---------------------------------------------------------------- knowledge


def test_an_editor_shares_knowledge_that_others_filter_by_theme_and_kind(items, author, outsider, api):
    body = {"soort": "contact", "titel": "Wie belt wie", "tekst": "De *RIEC*-contactpersoon",
            "themas": ["drugs", "branches"]}
    response = api(author).post(reverse("api:knowledge-list"), body, format="json")
    assert response.status_code == 201
    item = response.json()
    assert set(item) == KNOWLEDGE_FIELDS
    assert item["zichtbaarheid"] == "shared" and item["aantal_reacties"] == 0 and item["organisatie"] == "baarn"
    assert item["tekst_html"] == "<p>De <em>RIEC</em>-contactpersoon</p>\n"

    def ids(query):
        response = api(outsider).get(reverse("api:knowledge-list"), query)
        assert response.status_code == 200
        return [row["id"] for row in response.json()["results"]]

    assert ids({}) == [item["id"], items.shared_knowledge.pk]  # newest first
    assert ids({"thema": "drugs"}) == [item["id"], items.shared_knowledge.pk]
    assert ids({"thema": "branches"}) == [item["id"]]
    assert ids({"soort": "approach"}) == [items.shared_knowledge.pk]
    assert ids({"thema": "vastgoed"}) == []  # Baarn's organisation-only item is not Amsterdam's to see


def test_a_knowledge_item_comes_with_its_comments_and_takes_new_ones(items, author, outsider, api):
    pk = items.shared_knowledge.pk
    detail = api(outsider).get(reverse("api:knowledge-detail", args=[pk])).json()
    assert set(detail) == KNOWLEDGE_FIELDS | {"reacties"}
    assert [comment["tekst"] for comment in detail["reacties"]] == ["Goed idee"]
    assert detail["aantal_reacties"] == 1 and detail["is_auteur"] is False

    response = api(outsider).post(reverse("api:knowledge-comments", args=[pk]), {"tekst": "Bij ons **ook**"},
                                  format="json")
    assert response.status_code == 201
    assert response.json()["organisatie"] == "amsterdam"
    assert response.json()["tekst_html"] == "<p>Bij ons <strong>ook</strong></p>\n"
    comments = api(author).get(reverse("api:knowledge-comments", args=[pk])).json()
    assert comments["count"] == 2
    assert [c["tekst"] for c in comments["results"]] == ["Goed idee", "Bij ons **ook**"]  # oldest first
    assert api(author).get(reverse("api:knowledge-list")).json()["results"][-1]["aantal_reacties"] == 2


def test_the_author_deletes_a_knowledge_item_with_its_comments(items, author, api):
    pk = items.shared_knowledge.pk
    assert api(author).delete(reverse("api:knowledge-detail", args=[pk])).status_code == 204
    assert not KnowledgeItem.objects.filter(pk=pk).exists()
    assert api(author).get(reverse("api:knowledge-comments", args=[pk])).status_code == 404


# ---------------------------------------------------------------- bad input: 400, never 500


BAD_REQUESTS = [
    ("get", "api:note-list", {"gebied": "Baarn"}, "gebied"),
    ("get", "api:note-list", {"gebied": "GM03"}, "gebied"),
    ("get", "api:note-list", {"indicator": "bestaat-niet"}, "indicator"),
    ("get", "api:note-list", {"jaar": "vorig-jaar"}, "jaar"),
    ("get", "api:note-list", {"jaar": 1850}, "jaar"),
    ("get", "api:note-list", {"page": "abc"}, "page"),
    ("get", "api:note-list", {"page": 99}, "page"),
    ("get", "api:knowledge-list", {"thema": "onbekend"}, "thema"),
    ("get", "api:knowledge-list", {"soort": "roddel"}, "soort"),
    ("post", "api:note-list", {"gebied": "BU12", "tekst": "x"}, "gebied"),
    ("post", "api:note-list", {"gebied": "GM0308", "indicator": "bestaat-niet", "tekst": "x"}, "indicator"),
    ("post", "api:note-list", {"gebied": "GM0308", "jaar": 3000, "tekst": "x"}, "jaar"),
    ("post", "api:note-list", {"gebied": "GM0308", "jaar": "twee", "tekst": "x"}, "jaar"),
    ("post", "api:note-list", {"gebied": "GM0308", "tekst": "   "}, "tekst"),
    ("post", "api:note-list", {"gebied": "GM0308", "tekst": "x", "zichtbaarheid": "iedereen"}, "zichtbaarheid"),
    ("post", "api:note-list", {"gebied": "GM0308", "tekst": "x", "organisatie": "nergens"}, "organisatie"),
    ("post", "api:note-list", {"gebied": ["GM0308"], "tekst": "x"}, "gebied"),
    ("post", "api:comparison-list", {"gebieden": ["GM0308"], "indicatoren": [INDICATOR], "jaren": [2019]}, "jaren"),
    ("post", "api:comparison-list", {"gebieden": ["GM0308"], "indicatoren": ["nope"], "jaren": [2024]}, "indicatoren"),
    ("post", "api:comparison-list", {"gebieden": ["X"], "indicatoren": [INDICATOR], "jaren": [2024]}, "gebieden"),
    ("post", "api:comparison-list", {"gebieden": [], "indicatoren": [INDICATOR], "jaren": [2024]}, "gebieden"),
    ("post", "api:comparison-list", {"gebieden": ["GM0308", "GM0363", "GM0307", "GM0310", "GM0312", "GM0313",
                                                  "GM0317"], "indicatoren": [INDICATOR], "jaren": [2024]}, "gebieden"),
    ("post", "api:comparison-list", {"gebieden": ["GM0308"], "indicatoren": [INDICATOR], "jaren": [2024],
                                     "zichtbaarheid": "shared"}, "zichtbaarheid"),
    ("post", "api:knowledge-list", {"soort": "approach", "titel": "t", "tekst": "b", "themas": ["onbekend"]}, "themas"),
    ("post", "api:knowledge-list", {"soort": "roddel", "titel": "t", "tekst": "b"}, "soort"),
    ("post", "api:knowledge-list", {"soort": "approach", "titel": "", "tekst": "b"}, "titel"),
]


@pytest.mark.parametrize(("method", "name", "data", "field"), BAD_REQUESTS)
def test_bad_parameters_get_a_400_that_names_the_field(items, author, api, method, name, data, field):
    client = api(author)
    if method == "get":
        response = client.get(reverse(name), data)
    else:
        response = client.post(reverse(name), data, format="json")
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "invalid"
    assert field in body["fields"], body
    assert body["detail"].startswith(f"{field}: ") and len(body["detail"]) > len(field) + 4


def test_broken_json_and_odd_ids_get_json_errors(items, author, api):
    client = api(author)
    response = client.post(reverse("api:note-list"), "{niet: json", content_type="application/json")
    assert response.status_code == 400 and response.json()["code"] == "parse_error"
    response = client.post(reverse("api:note-list"), "gebied=GM0308", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 415 and response.json()["code"] == "unsupported_media_type"
    for url in ("/api/v1/werkruimte/notities/abc/", "/api/v1/werkruimte/kennis/99999/reacties/"):
        response = client.get(url)
        assert response.status_code == 404 and response.json()["code"] == "not_found", url


# ---------------------------------------------------------------- headers and throttling


def test_every_answer_is_private_and_varies_by_credentials(items, author, api):
    for response in (
        api(author).get(reverse("api:note-list")),
        api(author).get(reverse("api:note-detail", args=[items.shared_note.pk])),
        api(author).get(reverse("api:note-list"), {"gebied": "x"}),
        api().get(reverse("api:knowledge-list")),
        api(author).get(reverse("api:api-key")),
    ):
        assert response["Cache-Control"] == "private, no-store"
        vary = {part.strip() for part in response["Vary"].split(",")}
        assert {"Authorization", "Cookie"} <= vary


def test_a_user_over_the_rate_is_throttled_with_a_json_429(items, author, api, monkeypatch):
    monkeypatch.setattr(UserRateThrottle, "rate", "3/min", raising=False)
    client = api(author)
    statuses = [client.get(reverse("api:note-list")).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = client.get(reverse("api:note-list"))
    assert response.json()["code"] == "throttled" and int(response["Retry-After"]) > 0


def test_a_user_of_two_organisations_names_the_one_a_new_item_is_for(items, author, amsterdam, api):
    make_member(amsterdam, Role.MEMBER)  # another person, to show that only the caller's memberships count
    Membership.objects.create(user=author, organisation=amsterdam, role=Role.MEMBER)
    client = api(author)
    body = {"gebied": "GM0363", "tekst": "Voor Amsterdam"}
    response = client.post(reverse("api:note-list"), body, format="json")
    assert response.status_code == 400 and list(response.json()["fields"]) == ["organisatie"]
    response = client.post(reverse("api:note-list"), {**body, "organisatie": "amsterdam"}, format="json")
    assert response.status_code == 201 and response.json()["organisatie"] == "amsterdam"
    # A member of Amsterdam, not an editor there: sharing knowledge for Amsterdam is refused.
    knowledge = {"soort": "lesson", "titel": "t", "tekst": "b", "organisatie": "amsterdam"}
    assert client.post(reverse("api:knowledge-list"), knowledge, format="json").status_code == 403


@pytest.mark.parametrize("page_size", ["0", "-1", "abc", "1.5"])
def test_a_bad_page_size_is_a_400_that_names_it(items, author, api, page_size):
    response = api(author).get(reverse("api:note-list") + f"?page_size={page_size}")
    assert response.status_code == 400
    assert "page_size" in response.json()["fields"]


def test_an_address_no_endpoint_has_is_a_json_404(api):
    for path in ("/api/v1/bestaat-niet/", "/api/v1/werkruimte/notities/0.5/x/", "/api/v1/releases/null,null/"):
        response = api().get(path)
        assert response.status_code == 404, path
        assert response["Content-Type"] == "application/json" and response.json()["code"] == "not_found", path
