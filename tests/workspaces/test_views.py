"""The workspace item pages: each works for whom it is for (author, colleague, editor), and
answers as it must to an anonymous visitor (login), a member of another gemeente (404 for what
is not theirs) and a member without the right role (403 for what they may read but not change)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.comparisons.models import Zoekgebied
from apps.organisations import services as organisation_services
from apps.organisations.models import Role
from apps.releases.models import PublishedValue, Release
from apps.workspaces import services
from apps.workspaces.models import KnowledgeComment, KnowledgeItem, Note, SavedComparison, Visibility
from tests.organisations.conftest import (  # noqa: F401
    amsterdam, baarn, colleague, outsider, make_member, make_user, people,
)

COVERED_URL_NAMES = {
    "workspaces:home", "workspaces:dashboard", "workspaces:feed",
    "workspaces:notes", "workspaces:note-create", "workspaces:note", "workspaces:note-edit", "workspaces:note-delete",
    "workspaces:comparisons", "workspaces:comparison-create", "workspaces:comparison", "workspaces:comparison-delete",
    "workspaces:knowledge", "workspaces:knowledge-create", "workspaces:knowledge-item", "workspaces:knowledge-comment",
    "workspaces:knowledge-delete",
}
INDICATOR = "aankopen_zonder_hypotheek"


@pytest.fixture
def client(client, settings):
    """Pages in English (the language switch's cookie), so what the tests read does not depend
    on the Dutch translations."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


# ---------------------------------------------------------------- people and items


@pytest.fixture
def editor(people):  # noqa: F811
    return people["editor"]




@pytest.fixture
def release(db):
    first = Release.objects.create(number=1, status=Release.Status.PUBLISHED, is_current=True,
                                   published_at=timezone.now() - dt.timedelta(days=10))
    for area, value in (("GM0308", 20.0), ("GM0307", 30.0), ("WK030800", 12.5)):
        PublishedValue.objects.create(release=first, indicator=INDICATOR, area_code=area, vintage=2024, year=2024,
                                      value=value, status="V")
    return first


def newer_release(first: Release) -> Release:
    """Release 2: Baarn's value changed, Amersfoort's is now withheld; it becomes current."""
    first.is_current = False
    first.save()
    second = Release.objects.create(number=2, status=Release.Status.PUBLISHED, is_current=True,
                                    published_at=timezone.now())
    for area, value, status in (("GM0308", 25.0, "V"), ("GM0307", None, "D"), ("WK030800", 12.5, "V")):
        PublishedValue.objects.create(release=second, indicator=INDICATOR, area_code=area, vintage=2024, year=2024,
                                      value=value, status=status)
    from apps.releases.cache import forget_current_release

    forget_current_release()
    return second


@pytest.fixture
def items(baarn, editor, release):  # noqa: F811
    """The editor's items in Baarn, one per visibility where it applies."""
    note = {v: services.write_note(user=editor, organisation=baarn, area_code="GM0308", indicator=INDICATOR,
                                   year=2024, body=f"Notitie {v}", visibility=v) for v in Visibility}
    comparison = {v: services.save_comparison(user=editor, organisation=baarn, title=f"Vergelijking {v}",
                                              area_codes=["GM0308", "GM0307"], indicators=[INDICATOR], years=[2024],
                                              release=release, visibility=v)
                  for v in (Visibility.PRIVATE, Visibility.ORGANISATION)}
    knowledge = {v: services.share_knowledge(user=editor, organisation=baarn, kind="approach", title=f"Aanpak {v}",
                                             body="Wat werkte.", themes=["drugs"], visibility=v) for v in Visibility}
    return {"note": note, "comparison": comparison, "knowledge": knowledge}


def item_urls(items) -> dict[str, list[str]]:
    urls = {}
    for name in ("note", "note-edit", "note-delete"):
        urls[name] = [reverse(f"workspaces:{name}", args=[n.pk]) for n in items["note"].values()]
    for name in ("comparison", "comparison-delete"):
        urls[name] = [reverse(f"workspaces:{name}", args=[c.pk]) for c in items["comparison"].values()]
    for name in ("knowledge-item", "knowledge-delete", "knowledge-comment"):
        urls[name] = [reverse(f"workspaces:{name}", args=[k.pk]) for k in items["knowledge"].values()]
    return urls


# ---------------------------------------------------------------- anonymous


def test_every_page_sends_an_anonymous_visitor_to_the_login(client, items):
    login = reverse("two_factor:login")
    urls = [reverse(f"workspaces:{name}") for name in (
        "home", "notes", "note-create", "comparisons", "comparison-create", "knowledge", "knowledge-create")]
    urls += [reverse("workspaces:dashboard", args=["baarn"]), reverse("workspaces:feed", args=["baarn"])]
    urls += [url for group in item_urls(items).values() for url in group]
    for url in urls:
        for method in (client.get, client.post):
            if method == client.get and url.endswith("/reageren/"):
                continue
            response = method(url)
            assert response.status_code == 302, url
            assert response["Location"].startswith(login), url
    assert Note.objects.count() == 3 and KnowledgeItem.objects.count() == 3 and SavedComparison.objects.count() == 2


# ---------------------------------------------------------------- another gemeente


def test_a_member_of_another_gemeente_gets_404_for_what_is_not_shared_with_them(client, items, outsider):
    client.force_login(outsider)
    assert client.get(reverse("workspaces:dashboard", args=["baarn"])).status_code == 404
    assert client.get(reverse("workspaces:feed", args=["baarn"])).status_code == 404
    hidden = {"note": [Visibility.PRIVATE, Visibility.ORGANISATION],
              "comparison": [Visibility.PRIVATE, Visibility.ORGANISATION],
              "knowledge": [Visibility.PRIVATE, Visibility.ORGANISATION]}
    for kind, visibilities in hidden.items():
        for visibility in visibilities:
            pk = items[kind][visibility].pk
            names = {"note": ("note", "note-edit", "note-delete"), "comparison": ("comparison", "comparison-delete"),
                     "knowledge": ("knowledge-item", "knowledge-delete")}[kind]
            for name in names:
                url = reverse(f"workspaces:{name}", args=[pk])
                assert client.get(url).status_code == 404, url
                assert client.post(url).status_code == 404, url
            if kind == "knowledge":
                url = reverse("workspaces:knowledge-comment", args=[pk])
                assert client.post(url, {"body": "Hallo"}).status_code == 404
    # A guessed id that does not exist reads the same as one that is not theirs.
    assert client.get(reverse("workspaces:note", args=[999_999])).status_code == 404
    # Nothing was removed or added.
    assert Note.objects.count() == 3 and SavedComparison.objects.count() == 2
    assert KnowledgeItem.objects.count() == 3 and KnowledgeComment.objects.count() == 0


def test_lists_of_another_gemeente_show_only_what_was_shared(client, items, outsider):
    client.force_login(outsider)
    notes = client.get(reverse("workspaces:notes")).content.decode()
    assert notes.count(reverse("workspaces:note", args=[items["note"][Visibility.SHARED].pk]) + '"') == 1
    for visibility in (Visibility.PRIVATE, Visibility.ORGANISATION):
        assert reverse("workspaces:note", args=[items["note"][visibility].pk]) + '"' not in notes
    comparisons = client.get(reverse("workspaces:comparisons")).content.decode()
    assert "Vergelijking" not in comparisons
    knowledge = client.get(reverse("workspaces:knowledge")).content.decode()
    assert "Aanpak shared" in knowledge and "Aanpak organisation" not in knowledge and "Aanpak private" not in knowledge


def test_a_shared_item_of_another_gemeente_is_read_and_commented_but_not_changed(client, items, outsider, amsterdam):  # noqa: F811
    client.force_login(outsider)
    note = items["note"][Visibility.SHARED]
    assert client.get(reverse("workspaces:note", args=[note.pk])).status_code == 200
    assert client.get(reverse("workspaces:note-edit", args=[note.pk])).status_code == 403
    assert client.post(reverse("workspaces:note-delete", args=[note.pk])).status_code == 403
    item = items["knowledge"][Visibility.SHARED]
    response = client.post(reverse("workspaces:knowledge-comment", args=[item.pk]), {"body": "Herkenbaar"})
    assert response.status_code == 302
    comment = KnowledgeComment.objects.get()
    assert comment.organisation == amsterdam and comment.author == outsider
    assert client.post(reverse("workspaces:knowledge-delete", args=[item.pk])).status_code == 403
    assert KnowledgeItem.objects.filter(pk=item.pk).exists() and Note.objects.filter(pk=note.pk).exists()


# ---------------------------------------------------------------- without the right role


def test_a_member_reads_the_editors_items_but_may_not_change_them(client, items, colleague):
    client.force_login(colleague)
    note = items["note"][Visibility.ORGANISATION]
    assert client.get(reverse("workspaces:note", args=[note.pk])).status_code == 200
    assert client.get(reverse("workspaces:note-edit", args=[note.pk])).status_code == 403
    assert client.post(reverse("workspaces:note-edit", args=[note.pk]), {
        "area_code": "GM0308", "body": "overschreven", "visibility": "organisation"}).status_code == 403
    assert client.post(reverse("workspaces:note-delete", args=[note.pk])).status_code == 403
    saved = items["comparison"][Visibility.ORGANISATION]
    assert client.get(reverse("workspaces:comparison", args=[saved.pk])).status_code == 200
    assert client.post(reverse("workspaces:comparison-delete", args=[saved.pk])).status_code == 403
    item = items["knowledge"][Visibility.ORGANISATION]
    assert client.post(reverse("workspaces:knowledge-delete", args=[item.pk])).status_code == 403
    # The private ones stay the author's.
    assert client.get(reverse("workspaces:note", args=[items["note"][Visibility.PRIVATE].pk])).status_code == 404
    note.refresh_from_db()
    assert note.body == "Notitie organisation"
    assert SavedComparison.objects.filter(pk=saved.pk).exists() and KnowledgeItem.objects.filter(pk=item.pk).exists()


def test_knowledge_is_shared_by_editors_only(client, items, colleague):
    client.force_login(colleague)
    page = client.get(reverse("workspaces:knowledge"))
    assert page.status_code == 200
    assert reverse("workspaces:knowledge-create") not in page.content.decode()
    assert client.get(reverse("workspaces:knowledge-create")).status_code == 403
    response = client.post(reverse("workspaces:knowledge-create"), {
        "kind": "lesson", "title": "Mag niet", "body": "x", "visibility": "shared"})
    assert response.status_code == 403
    assert not KnowledgeItem.objects.filter(title="Mag niet").exists()


def test_without_an_organisation_nothing_can_be_written(client, items, people):  # noqa: F811
    client.force_login(people["stranger"])
    home = client.get(reverse("workspaces:home"))
    assert home.status_code == 200 and "/admin/" not in home.content.decode()
    assert client.get(reverse("workspaces:note-create")).status_code == 403
    assert client.post(reverse("workspaces:note-create"), {"area_code": "GM0308", "body": "x",
                                                           "visibility": "private"}).status_code == 403
    assert client.get(reverse("workspaces:comparison-create") + "?gebied=GM0308").status_code == 403
    assert client.post(reverse("workspaces:knowledge-create")).status_code == 403
    assert client.get(reverse("workspaces:dashboard", args=["baarn"])).status_code == 404
    # A shared item is for members of an organisation: a user of none does not read it.
    shared = items["knowledge"][Visibility.SHARED]
    assert client.get(reverse("workspaces:knowledge-item", args=[shared.pk])).status_code == 404
    assert client.post(reverse("workspaces:knowledge-comment", args=[shared.pk]), {"body": "x"}).status_code == 404
    assert Note.objects.count() == 3


def test_a_steward_without_an_organisation_is_pointed_to_the_admin(client, db):
    from apps.accounts.models import SiteRole
    from tests.factories import login_with_two_factors

    steward = make_user(site_role=SiteRole.STEWARD)
    login_with_two_factors(client, steward)
    page = client.get(reverse("workspaces:home"))
    assert page.status_code == 200 and 'href="/admin/"' in page.content.decode()


# ---------------------------------------------------------------- home, dashboard, feed


def test_home_sends_a_member_of_one_organisation_to_its_dashboard_and_lists_several(client, baarn, amsterdam, editor):  # noqa: F811
    client.force_login(editor)
    assert client.get(reverse("workspaces:home"))["Location"] == reverse("workspaces:dashboard", args=["baarn"])
    from apps.organisations.models import Membership

    Membership.objects.create(user=editor, organisation=amsterdam, role=Role.MEMBER)
    page = client.get(reverse("workspaces:home")).content.decode()
    assert reverse("workspaces:dashboard", args=["baarn"]) in page
    assert reverse("workspaces:dashboard", args=["amsterdam"]) in page


def test_the_gemeente_dashboard_shows_buurt_zoekgebieden_notes_knowledge_and_news(client, geo, items, colleague, release):
    Zoekgebied.objects.create(release=release, theme="vastgoed", area_code="BU03080000", level="buurt", vintage=2024,
                              year=2024, signals=[INDICATOR, "onverklaarbare_aankopen"], n_signals=2)
    Zoekgebied.objects.create(release=release, theme="vastgoed", area_code="BU03630000", level="buurt", vintage=2024,
                              year=2024, signals=[INDICATOR, "onverklaarbare_aankopen"], n_signals=2)
    client.force_login(colleague)
    response = client.get(reverse("workspaces:dashboard", args=["baarn"]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Baarn" in page and 'href="/gemeente/GM0308/"' in page
    # The buurt-level zoekgebied of Baarn, linked to its page; not Amsterdam's.
    assert 'href="/buurt/BU03080000/"' in page and "BU03630000" not in page
    assert "Own data layers" in page and reverse("datalayers:layers") in page
    assert 'id="area-map"' in page  # the map of the gemeente, with the portal's script
    assert "Aanpak organisation" in page  # latest knowledge
    assert reverse("workspaces:note", args=[items["note"][Visibility.ORGANISATION].pk]) in page
    assert reverse("workspaces:note", args=[items["note"][Visibility.PRIVATE].pk]) + '"' not in page
    assert reverse("workspaces:feed", args=["baarn"]) in page and "Notitie" not in page


def test_a_riec_dashboard_has_no_gemeente_part(client, items, db):
    riec = organisation_services.create_organisation(name="RIEC Midden", slug="riec-midden", kind="riec")
    member = make_member(riec, Role.MEMBER)
    client.force_login(member)
    response = client.get(reverse("workspaces:dashboard", args=["riec-midden"]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "zoekgebieden" not in page and "Aanpak shared" in page and "Own data layers" in page


def test_the_feed_lists_what_others_added_and_what_a_release_changed_in_the_gemeente(client, items, colleague, release):
    newer_release(release)
    client.force_login(colleague)
    response = client.get(reverse("workspaces:feed", args=["baarn"]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Aanpak organisation" in page and "Vergelijking organisation" in page
    assert "Aanpak private" not in page and "Vergelijking private" not in page
    assert page.count(f"({items['note'][Visibility.SHARED].organisation.name})") >= 3
    # Release 2 changed one of Baarn's values (GM0308; WK030800 stayed), none of Amersfoort's counts here.
    assert "Release 2 published" in page
    assert ("Compared with release 1, in your gemeente and its wijken and buurten: changed values 1, new values 0, "
            "values no longer published 0.") in page
    # The colleague's own items are not news to them.
    mine = services.write_note(user=colleague, organisation=items["note"][Visibility.SHARED].organisation,
                               area_code="GM0308", body="Eigen notitie")
    page = client.get(reverse("workspaces:feed", args=["baarn"])).content.decode()
    assert reverse("workspaces:note", args=[mine.pk]) not in page


def test_the_feed_is_paginated(client, baarn, editor, colleague, release):  # noqa: F811
    for i in range(30):
        services.write_note(user=editor, organisation=baarn, area_code="GM0308", body=f"n{i}")
    client.force_login(colleague)
    first = client.get(reverse("workspaces:feed", args=["baarn"]))
    second = client.get(reverse("workspaces:feed", args=["baarn"]) + "?pagina=2")
    assert first.context["page_obj"].paginator.count == 31  # 30 notes and release 1
    assert len(first.context["page_obj"].object_list) == 25 and len(second.context["page_obj"].object_list) == 6


# ---------------------------------------------------------------- notes


def test_a_note_is_written_from_a_public_figure_and_leads_back_to_it(client, baarn, colleague, release):  # noqa: F811
    client.force_login(colleague)
    back = f"/indicator/{INDICATOR}/GM0308/?jaar=2024"
    form = client.get(reverse("workspaces:note-create") + f"?gebied=GM0308&indicator={INDICATOR}&jaar=2024&terug={back}")
    assert form.status_code == 200
    assert form.context["form"].initial["area_code"] == "GM0308" and form.context["form"].initial["year"] == 2024
    assert f'value="{INDICATOR}" selected' in form.content.decode()
    response = client.post(reverse("workspaces:note-create"), {
        "area_code": "gm0308", "indicator": INDICATOR, "year": "2024", "body": "**Let op**", "visibility": "organisation",
        "terug": back})
    assert response.status_code == 302 and response["Location"] == back
    note = Note.objects.get()
    assert (note.author, note.organisation, note.area_code, note.year) == (colleague, baarn, "GM0308", 2024)
    detail = client.get(reverse("workspaces:note", args=[note.pk])).content.decode()
    assert "<strong>Let op</strong>" in detail and f'href="/indicator/{INDICATOR}/GM0308/?jaar=2024"' in detail


def test_a_return_address_elsewhere_is_ignored(client, colleague, release):
    client.force_login(colleague)
    response = client.post(reverse("workspaces:note-create"), {
        "area_code": "GM0308", "body": "x", "visibility": "private", "terug": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] == reverse("workspaces:note", args=[Note.objects.get().pk])


def test_note_errors_are_shown_per_field_and_summarised(client, colleague, release):
    client.force_login(colleague)
    response = client.post(reverse("workspaces:note-create"), {"area_code": "Baarn", "body": "", "visibility": "shared"})
    assert response.status_code == 200 and not Note.objects.exists()
    page = response.content.decode()
    assert 'class="error-summary"' in page and 'href="#id_body"' in page
    assert 'id="id_body_error"' in page and 'aria-describedby="id_body_helptext id_body_error"' in page
    response = client.post(reverse("workspaces:note-create"), {"area_code": "Baarn", "body": "tekst", "visibility": "shared"})
    assert "is not a CBS area code" in response.content.decode() and 'id="id_area_code_error"' in response.content.decode()


def test_markdown_in_a_note_is_sanitised_on_the_page(client, baarn, editor, release):  # noqa: F811
    note = services.write_note(user=editor, organisation=baarn, area_code="GM0308",
                               body="<script>alert('x')</script>\n\n[klik](javascript:alert(1)) *schuin*")
    client.force_login(editor)
    page = client.get(reverse("workspaces:note", args=[note.pk])).content.decode()
    assert "<script>alert" not in page and "&lt;script&gt;alert" in page
    assert 'href="javascript' not in page and "<em>schuin</em>" in page


def test_the_author_edits_and_removes_a_note(client, items, editor):
    client.force_login(editor)
    note = items["note"][Visibility.ORGANISATION]
    assert client.get(reverse("workspaces:note-edit", args=[note.pk])).status_code == 200
    response = client.post(reverse("workspaces:note-edit", args=[note.pk]), {
        "area_code": "WK030800", "indicator": "", "year": "", "body": "Bijgewerkt", "visibility": "private"})
    assert response.status_code == 302
    note.refresh_from_db()
    assert (note.area_code, note.indicator, note.year, note.body, note.visibility) == (
        "WK030800", "", None, "Bijgewerkt", "private")
    assert client.get(reverse("workspaces:note-delete", args=[note.pk])).status_code == 200
    assert client.post(reverse("workspaces:note-delete", args=[note.pk])).status_code == 302
    assert not Note.objects.filter(pk=note.pk).exists()


def test_notes_are_filtered_by_area_indicator_and_scope(client, items, baarn, colleague):  # noqa: F811
    services.write_note(user=colleague, organisation=baarn, area_code="BU03080000", body="Eigen buurtnotitie")
    client.force_login(colleague)
    url = reverse("workspaces:notes")
    mine = client.get(url + "?van=mine").context["page_obj"]
    assert [n.body for n in mine] == ["Eigen buurtnotitie"]
    by_area = client.get(url + "?gebied=bu03080000").context["page_obj"]
    assert [n.area_code for n in by_area] == ["BU03080000"]
    by_indicator = client.get(url + f"?indicator={INDICATOR}").context["page_obj"]
    assert {n.body for n in by_indicator} == {"Notitie organisation", "Notitie shared"}
    shared = client.get(url + "?van=shared").context["page_obj"]
    assert [n.body for n in shared] == ["Notitie shared"]
    organisation = client.get(url + "?van=organisation").context["page_obj"]
    assert {n.body for n in organisation} == {"Notitie organisation", "Notitie shared", "Eigen buurtnotitie"}


# ---------------------------------------------------------------- saved comparisons


def test_a_comparison_is_saved_from_the_compare_page_selection(client, baarn, colleague, release):  # noqa: F811
    client.force_login(colleague)
    url = reverse("workspaces:comparison-create") + "?gebied=GM0308&gebied=gm0307&thema=vastgoed"
    form = client.get(url)
    assert form.status_code == 200
    initial = form.context["form"].initial
    assert initial["area_codes"] == ["GM0308", "GM0307"] and INDICATOR in initial["indicators"]
    assert "drugs" not in {s.split("_")[0] for s in initial["indicators"]} and initial["years"] == [2024]
    response = client.post(url, {"title": "Baarn en Amersfoort", "area_codes": ["GM0308", "GM0307"],
                                 "indicators": [INDICATOR], "years": ["2024"], "visibility": "private"})
    saved = SavedComparison.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("workspaces:comparison", args=[saved.pk])
    assert (saved.organisation, saved.release_number, saved.visibility) == (baarn, 1, "private")
    assert saved.snapshot == {f"{INDICATOR}|GM0308|2024": [20.0, "V"], f"{INDICATOR}|GM0307|2024": [30.0, "V"]}
    # Shared with everyone is not a choice for a comparison.
    response = client.post(url, {"title": "x", "area_codes": ["GM0308"], "indicators": [INDICATOR], "years": ["2024"],
                                 "visibility": "shared"})
    assert response.status_code == 200 and SavedComparison.objects.count() == 1


def test_a_saved_comparison_reopened_on_a_newer_release_marks_the_changed_cells(client, items, colleague, release):
    saved = items["comparison"][Visibility.ORGANISATION]
    newer_release(release)
    client.force_login(colleague)
    response = client.get(reverse("workspaces:comparison", args=[saved.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('cell--changed"') == 2
    assert "25.0" in page and "was 20.0 in release 1" in page
    # The withheld value shows as withheld, never as a number.
    assert "secret" in page and "was 30.0 in release 1" in page and ">30.0<" not in page
    assert "2 values changed between release 1 and release 2" in page


def test_a_comparison_opened_on_its_own_release_marks_nothing(client, items, editor):
    client.force_login(editor)
    page = client.get(reverse("workspaces:comparison", args=[items["comparison"][Visibility.PRIVATE].pk])).content.decode()
    assert "cell--changed" not in page and "20.0" in page


def test_the_author_removes_a_comparison(client, items, editor):
    client.force_login(editor)
    saved = items["comparison"][Visibility.PRIVATE]
    assert client.get(reverse("workspaces:comparisons")).status_code == 200
    assert client.get(reverse("workspaces:comparison-delete", args=[saved.pk])).status_code == 200
    assert client.post(reverse("workspaces:comparison-delete", args=[saved.pk])).status_code == 302
    assert not SavedComparison.objects.filter(pk=saved.pk).exists()


def test_the_public_compare_page_offers_saving_to_members_only(client, baarn, colleague, release):  # noqa: F811
    url = reverse("dashboards:compare") + "?gebied=GM0308&gebied=GM0307&thema=vastgoed"
    save = reverse("workspaces:comparison-create")
    assert save not in client.get(url).content.decode()
    client.force_login(make_user())
    assert save not in client.get(url).content.decode()
    client.force_login(colleague)
    page = client.get(url).content.decode()
    assert f"{save}?gebied=GM0308&amp;gebied=GM0307&amp;thema=vastgoed" in page


# ---------------------------------------------------------------- knowledge


def test_an_editor_shares_knowledge_and_others_comment(client, baarn, editor, colleague, release):  # noqa: F811
    client.force_login(editor)
    list_page = client.get(reverse("workspaces:knowledge")).content.decode()
    assert reverse("workspaces:knowledge-create") in list_page
    assert client.get(reverse("workspaces:knowledge-create")).status_code == 200
    response = client.post(reverse("workspaces:knowledge-create"), {
        "kind": "lesson", "title": "Bibob-toets", "body": "Zo deden we het.", "themes": ["vastgoed"],
        "visibility": "shared"})
    item = KnowledgeItem.objects.get()
    assert response.status_code == 302 and (item.organisation, item.themes) == (baarn, ["vastgoed"])
    client.force_login(colleague)
    assert client.get(reverse("workspaces:knowledge") + "?thema=vastgoed&soort=lesson").context["page_obj"].paginator.count == 1
    assert client.get(reverse("workspaces:knowledge") + "?thema=drugs").context["page_obj"].paginator.count == 0
    assert client.get(reverse("workspaces:knowledge") + "?soort=contact").context["page_obj"].paginator.count == 0
    response = client.post(reverse("workspaces:knowledge-comment", args=[item.pk]), {"body": "<b>Dank</b>"})
    assert response.status_code == 302
    page = client.get(reverse("workspaces:knowledge-item", args=[item.pk])).content.decode()
    assert "Zo deden we het." in page and "&lt;b&gt;Dank&lt;/b&gt;" in page
    assert reverse("workspaces:knowledge-delete", args=[item.pk]) not in page
    # An empty comment is refused with the reason on the field.
    response = client.post(reverse("workspaces:knowledge-comment", args=[item.pk]), {"body": ""})
    assert response.status_code == 400 and 'id="id_body_error"' in response.content.decode()
    assert client.get(reverse("workspaces:knowledge-comment", args=[item.pk])).status_code == 405
    client.force_login(editor)
    assert client.post(reverse("workspaces:knowledge-delete", args=[item.pk])).status_code == 302
    assert not KnowledgeItem.objects.exists() and not KnowledgeComment.objects.exists()
