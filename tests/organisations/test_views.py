"""The members pages, invitations and the export: what each role may do, what it changes, what
the audit log keeps; and access control as anonymous, as a member of another gemeente and as a
member without the right role."""

import io
import json
import re
import zipfile
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.core.models import AuditEvent
from apps.organisations import services
from apps.organisations.models import Invitation, Membership, Role
from apps.workspaces import services as workspaces
from apps.workspaces.models import Visibility
from tests.factories import login_with_two_factors
from tests.organisations.conftest import amsterdam, baarn, make_member, make_user, people  # noqa: F401

COVERED_URL_NAMES = {
    "organisations:members",
    "organisations:invite",
    "organisations:change-role",
    "organisations:remove-member",
    "organisations:revoke-invitation",
    "organisations:export",
    "organisations:accept-invitation",
}


def log_in(client, user):
    from apps.accounts.selectors import needs_two_factor

    if needs_two_factor(user):
        return login_with_two_factors(client, user)
    client.force_login(user)
    return client


@pytest.fixture
def invitation(baarn, people):  # noqa: F811
    found, _token = services.invite(baarn, email="nieuw@baarn.nl", role=Role.EDITOR, actor=people["admin"])
    return found


def baarn_urls(baarn, people, invitation):  # noqa: F811
    """(method, url) of every page and action of Baarn's members and export."""
    member = Membership.objects.get(user=people["member"], organisation=baarn)
    return [
        ("get", reverse("organisations:members", args=[baarn.slug])),
        ("post", reverse("organisations:invite", args=[baarn.slug])),
        ("post", reverse("organisations:change-role", args=[baarn.slug, member.pk])),
        ("get", reverse("organisations:remove-member", args=[baarn.slug, member.pk])),
        ("post", reverse("organisations:remove-member", args=[baarn.slug, member.pk])),
        ("post", reverse("organisations:revoke-invitation", args=[baarn.slug, invitation.pk])),
        ("get", reverse("organisations:export", args=[baarn.slug])),
        ("get", reverse("organisations:export", args=[baarn.slug]) + "?formaat=json"),
    ]


def _call(client, method, url):
    data = {"email": "x@baarn.nl", "role": Role.ADMIN}
    return client.get(url) if method == "get" else client.post(url, data)


# ---------------------------------------------------------------- access control


def test_anonymous_visitors_are_sent_to_the_login(client, baarn, people, invitation):  # noqa: F811
    for method, url in baarn_urls(baarn, people, invitation):
        response = _call(client, method, url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("two_factor:login")), url
    assert Membership.objects.filter(organisation=baarn).count() == 3
    assert Invitation.objects.filter(pk=invitation.pk).exists()


def test_a_member_of_another_gemeente_gets_404_for_every_page_of_baarn(client, baarn, people, invitation):  # noqa: F811
    log_in(client, people["other_admin"])
    for method, url in baarn_urls(baarn, people, invitation):
        assert _call(client, method, url).status_code == 404, url
    assert Membership.objects.filter(organisation=baarn).count() == 3
    assert not AuditEvent.objects.filter(actor=people["other_admin"]).exists()


def test_own_organisations_url_with_a_foreign_member_or_invitation_id_is_404(client, baarn, amsterdam, people,  # noqa: F811
                                                                             invitation):
    """Amsterdam's admin posts to Amsterdam's URLs, but with ids of Baarn's members."""
    log_in(client, people["other_admin"])
    baarn_member = Membership.objects.get(user=people["member"], organisation=baarn)
    for name in ("change-role", "remove-member"):
        url = reverse(f"organisations:{name}", args=[amsterdam.slug, baarn_member.pk])
        assert client.post(url, {"role": Role.ADMIN}).status_code == 404, name
        assert client.get(url).status_code in (404, 405), name
    url = reverse("organisations:revoke-invitation", args=[amsterdam.slug, invitation.pk])
    assert client.post(url).status_code == 404
    baarn_member.refresh_from_db()
    assert baarn_member.role == Role.MEMBER
    assert Invitation.objects.filter(pk=invitation.pk).exists()


@pytest.mark.parametrize("who", ["member", "editor"])
def test_members_and_editors_see_the_members_but_may_not_manage_them(client, baarn, people, invitation, who):  # noqa: F811
    log_in(client, people[who])
    response = client.get(reverse("organisations:members", args=[baarn.slug]))
    assert response.status_code == 200
    page = response.content.decode()
    assert people["admin"].email in page and people["member"].email in page
    assert "nieuw@baarn.nl" not in page  # open invitations are for admins
    assert reverse("organisations:invite", args=[baarn.slug]) not in page
    for method, url in baarn_urls(baarn, people, invitation)[1:]:
        assert _call(client, method, url).status_code == 403, url
    assert Membership.objects.get(user=people["member"], organisation=baarn).role == Role.MEMBER
    assert Invitation.objects.filter(pk=invitation.pk).exists()
    assert not AuditEvent.objects.filter(actor=people[who]).exists()


def test_a_user_of_no_organisation_gets_404(client, baarn, people, invitation):  # noqa: F811
    log_in(client, people["stranger"])
    for method, url in baarn_urls(baarn, people, invitation):
        assert _call(client, method, url).status_code == 404, url


# ---------------------------------------------------------------- what admins do


def test_the_admin_sees_forms_for_each_member_and_the_open_invitations(client, baarn, people, invitation):  # noqa: F811
    log_in(client, people["admin"])
    response = client.get(reverse("organisations:members", args=[baarn.slug]))
    assert response.status_code == 200
    page = response.content.decode()
    for user in (people["admin"], people["editor"], people["member"]):
        membership = Membership.objects.get(user=user, organisation=baarn)
        assert reverse("organisations:change-role", args=[baarn.slug, membership.pk]) in page
        assert reverse("organisations:remove-member", args=[baarn.slug, membership.pk]) in page
    assert "nieuw@baarn.nl" in page
    assert reverse("organisations:revoke-invitation", args=[baarn.slug, invitation.pk]) in page


def test_invite_sends_the_link_by_email_and_keeps_the_token_out_of_page_and_log(client, baarn, people, mailoutbox):  # noqa: F811
    log_in(client, people["admin"])
    response = client.post(reverse("organisations:invite", args=[baarn.slug]),
                           {"email": "Collega@Baarn.nl", "role": Role.EDITOR}, follow=True)
    assert response.status_code == 200
    invitation = Invitation.objects.get(email="collega@baarn.nl")
    assert invitation.role == Role.EDITOR and invitation.invited_by == people["admin"]
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["collega@baarn.nl"]
    link = re.search(r"http://testserver/werkruimte/uitnodiging/([\w-]+)/", mailoutbox[0].body)
    assert link, mailoutbox[0].body
    token = link.group(1)
    assert "Gemeente Baarn" in mailoutbox[0].subject
    assert token not in response.content.decode()
    event = AuditEvent.objects.get(action="member_invited")
    assert event.actor == people["admin"] and token not in json.dumps(event.details)


def test_an_invalid_invitation_form_shows_its_errors(client, baarn, people, mailoutbox):  # noqa: F811
    log_in(client, people["admin"])
    response = client.post(reverse("organisations:invite", args=[baarn.slug]), {"email": "geen-adres", "role": "x"})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'class="error-summary"' in page and 'aria-describedby="id_email_error"' in page
    assert not Invitation.objects.exists() and not mailoutbox


def test_the_admin_changes_a_role_and_the_audit_log_says_so(client, baarn, people):  # noqa: F811
    log_in(client, people["admin"])
    membership = Membership.objects.get(user=people["member"], organisation=baarn)
    response = client.post(reverse("organisations:change-role", args=[baarn.slug, membership.pk]),
                           {f"member-{membership.pk}-role": Role.EDITOR})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.role == Role.EDITOR
    event = AuditEvent.objects.get(action="member_role_changed")
    assert event.details["after"] == Role.EDITOR and event.actor == people["admin"]


def test_the_last_admin_cannot_step_down_and_is_told_why(client, baarn, people):  # noqa: F811
    log_in(client, people["admin"])
    membership = Membership.objects.get(user=people["admin"], organisation=baarn)
    response = client.post(reverse("organisations:change-role", args=[baarn.slug, membership.pk]),
                           {"role": Role.MEMBER}, follow=True)
    assert "at least one admin" in response.content.decode() or "ten minste één" in response.content.decode()
    membership.refresh_from_db()
    assert membership.role == Role.ADMIN
    assert not AuditEvent.objects.filter(action="member_role_changed").exists()


def test_removing_a_member_asks_to_confirm_first(client, baarn, people):  # noqa: F811
    log_in(client, people["admin"])
    membership = Membership.objects.get(user=people["editor"], organisation=baarn)
    url = reverse("organisations:remove-member", args=[baarn.slug, membership.pk])
    response = client.get(url)
    assert response.status_code == 200 and f'action="{url}"' in response.content.decode()
    assert Membership.objects.filter(pk=membership.pk).exists()
    assert client.post(url).status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert AuditEvent.objects.get(action="member_removed").details["member"] == people["editor"].username


def test_the_admin_withdraws_an_open_invitation(client, baarn, people, invitation):  # noqa: F811
    log_in(client, people["admin"])
    url = reverse("organisations:revoke-invitation", args=[baarn.slug, invitation.pk])
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 302
    assert not Invitation.objects.filter(pk=invitation.pk).exists()
    assert AuditEvent.objects.get(action="invitation_revoked").details["email"] == "nieuw@baarn.nl"
    assert client.post(url).status_code == 404  # gone


def test_a_site_administrator_manages_any_organisation(client, baarn, people):  # noqa: F811
    log_in(client, people["site_admin"])
    membership = Membership.objects.get(user=people["member"], organisation=baarn)
    assert client.get(reverse("organisations:members", args=[baarn.slug])).status_code == 200
    client.post(reverse("organisations:change-role", args=[baarn.slug, membership.pk]), {"role": Role.EDITOR})
    membership.refresh_from_db()
    assert membership.role == Role.EDITOR
    assert client.get(reverse("organisations:export", args=[baarn.slug])).status_code == 200


# ---------------------------------------------------------------- export


@pytest.fixture
def content(baarn, amsterdam, people):  # noqa: F811
    admin, editor, other = people["admin"], people["editor"], people["other_admin"]
    notes = {
        "own_private": workspaces.write_note(user=admin, organisation=baarn, area_code="GM0308", body="Eigen privé",
                                             visibility=Visibility.PRIVATE),
        "colleague_private": workspaces.write_note(user=editor, organisation=baarn, area_code="GM0308",
                                                   body="Privé van collega", visibility=Visibility.PRIVATE),
        "organisation": workspaces.write_note(user=editor, organisation=baarn, area_code="GM0308",
                                              body="Voor Baarn", visibility=Visibility.ORGANISATION),
        "amsterdam": workspaces.write_note(user=other, organisation=amsterdam, area_code="GM0363",
                                           body="Van Amsterdam", visibility=Visibility.SHARED),
    }
    item = workspaces.share_knowledge(user=editor, organisation=baarn, kind="approach", title="Integrale controle",
                                      body="Zo doen wij het.", themes=["drugs"])
    workspaces.comment(user=other, organisation=amsterdam, item=item, body="Reactie uit Amsterdam")
    return {"notes": notes, "item": item}


def test_export_json_holds_the_workspace_without_colleagues_private_items(client, baarn, people, content):  # noqa: F811
    log_in(client, people["admin"])
    response = client.get(reverse("organisations:export", args=[baarn.slug]) + "?formaat=json")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    assert "no-store" in response["Cache-Control"]
    document = json.loads(response.content)
    assert document["organisation"]["slug"] == "baarn"
    assert {row["username"] for row in document["members"]} == {
        people["admin"].username, people["editor"].username, people["member"].username}
    assert {row["role"] for row in document["members"]} == {"admin", "editor", "member"}
    bodies = {row["body"] for row in document["notes"]}
    assert bodies == {"Eigen privé", "Voor Baarn"}
    assert [row["title"] for row in document["knowledge_items"]] == ["Integrale controle"]
    assert [(row["body"], row["organisation"]) for row in document["knowledge_comments"]] == [
        ("Reactie uit Amsterdam", "amsterdam")]
    assert document["data_layers"] == []
    event = AuditEvent.objects.get(action="workspace_exported")
    assert event.actor == people["admin"] and event.details["format"] == "json"
    assert event.details["rows"]["notes"] == 2


def test_export_csv_is_a_zip_with_one_table_per_kind(client, baarn, people, content):  # noqa: F811
    log_in(client, people["admin"])
    response = client.get(reverse("organisations:export", args=[baarn.slug]) + "?formaat=csv")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = set(archive.namelist())
    assert {"members.csv", "notes.csv", "comparisons.csv", "knowledge_items.csv", "knowledge_comments.csv",
            "data_layers.csv"} <= names
    notes = archive.read("notes.csv").decode("utf-8-sig").splitlines()
    assert notes[0].startswith("id;author;area_code")
    assert len(notes) == 3 and not any("Privé van collega" in line for line in notes)
    assert "Reactie uit Amsterdam" in archive.read("knowledge_comments.csv").decode("utf-8-sig")
    assert AuditEvent.objects.get(action="workspace_exported").details["format"] == "csv"


def test_export_page_explains_the_formats_and_writes_no_audit_event(client, baarn, people):  # noqa: F811
    log_in(client, people["admin"])
    response = client.get(reverse("organisations:export", args=[baarn.slug]))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'href="?formaat=json"' in page and 'href="?formaat=csv"' in page
    assert not AuditEvent.objects.filter(action="workspace_exported").exists()


# ---------------------------------------------------------------- accepting an invitation


def _invite(baarn, people, email="nieuw@baarn.nl", role=Role.EDITOR):  # noqa: F811
    return services.invite(baarn, email=email, role=role, actor=people["admin"])


def test_invitation_end_to_end_a_new_colleague_creates_an_account(client, baarn, people, mailoutbox):  # noqa: F811
    admin_client = log_in(client.__class__(), people["admin"])
    admin_client.post(reverse("organisations:invite", args=[baarn.slug]), {"email": "nieuw@baarn.nl", "role": Role.EDITOR})
    link = re.search(r"http://testserver(/werkruimte/uitnodiging/[\w-]+/)", mailoutbox[0].body).group(1)

    response = client.get(link)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Gemeente Baarn" in page and "nieuw@baarn.nl" in page
    assert "no-store" in response["Cache-Control"] and response["Referrer-Policy"] == "no-referrer"
    assert "next=%2Fwerkruimte%2Fuitnodiging%2F" in page  # the log-in link comes back here

    response = client.post(link, {"first_name": "Nieuwe", "last_name": "Collega", "username": "ncollega",
                                  "password1": "een-heel-lang-wachtwoord", "password2": "een-heel-lang-wachtwoord"})
    assert response.status_code == 302
    assert response["Location"] == reverse("workspaces:dashboard", args=[baarn.slug])
    membership = Membership.objects.get(user__username="ncollega", organisation=baarn)
    assert membership.role == Role.EDITOR and membership.user.email == "nieuw@baarn.nl"
    assert membership.user.get_full_name() == "Nieuwe Collega"
    assert client.session["_auth_user_id"] == str(membership.user.pk)  # logged in
    assert AuditEvent.objects.filter(action="member_joined", actor=membership.user).exists()

    # The link works once.
    client.logout()
    response = client.get(link)
    assert response.status_code == 410
    assert "not valid" in response.content.decode() or "niet (meer) geldig" in response.content.decode()


def test_a_new_account_needs_matching_passwords_that_pass_the_validators(client, baarn, people):  # noqa: F811
    _invitation, token = _invite(baarn, people)
    url = reverse("organisations:accept-invitation", args=[token])
    response = client.post(url, {"first_name": "A", "last_name": "B", "username": "ab",
                                 "password1": "kort", "password2": "kort"})
    assert response.status_code == 400
    assert 'aria-describedby="id_password1_helptext id_password1_error"' in response.content.decode()
    response = client.post(url, {"first_name": "A", "last_name": "B", "username": "ab",
                                 "password1": "een-heel-lang-wachtwoord", "password2": "een-ander-lang-wachtwoord"})
    assert response.status_code == 400
    from apps.accounts.models import User

    assert not User.objects.filter(username="ab").exists()


def test_expired_and_unknown_invitations_say_so(client, baarn, people):  # noqa: F811
    invitation, token = _invite(baarn, people)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(days=1))
    response = client.get(reverse("organisations:accept-invitation", args=[token]))
    assert response.status_code == 410
    assert "expired" in response.content.decode() or "verlopen" in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    response = client.post(reverse("organisations:accept-invitation", args=[token]),
                           {"first_name": "A", "last_name": "B", "username": "ab",
                            "password1": "een-heel-lang-wachtwoord", "password2": "een-heel-lang-wachtwoord"})
    assert response.status_code == 410 and not Membership.objects.filter(user__username="ab").exists()
    assert client.get(reverse("organisations:accept-invitation", args=["geraden-token"])).status_code == 404


def test_a_logged_in_user_with_the_invited_address_joins_with_a_post(client, baarn, people):  # noqa: F811
    user = make_user(email="Bestaand@Baarn.nl")
    _invitation, token = _invite(baarn, people, email="bestaand@baarn.nl", role=Role.MEMBER)
    url = reverse("organisations:accept-invitation", args=[token])
    anonymous = client.get(url)
    assert anonymous.status_code == 200 and "<form" not in anonymous.content.decode().split("<main", 1)[1]
    client.force_login(user)
    assert client.get(url).status_code == 200
    assert not Membership.objects.filter(user=user).exists()  # GET changes nothing
    assert client.post(url).status_code == 302
    assert Membership.objects.get(user=user, organisation=baarn).role == Role.MEMBER


def test_an_invitation_for_another_address_is_refused_clearly(client, baarn, people):  # noqa: F811
    _invitation, token = _invite(baarn, people, email="iemand-anders@baarn.nl")
    log_in(client, people["other_admin"])
    url = reverse("organisations:accept-invitation", args=[token])
    response = client.get(url)
    assert response.status_code == 403
    assert "another e-mail address" in response.content.decode() or "ander e-mailadres" in response.content.decode()
    assert client.post(url).status_code == 403
    assert not Membership.objects.filter(user=people["other_admin"], organisation=baarn).exists()


def test_export_holds_the_organisations_own_data_layers_and_their_values(geo, client, baarn, amsterdam, people):  # noqa: F811
    from tests.datalayers.helpers import DISTINCTIVE, active_layer

    own = active_layer(people["editor"], baarn)
    log_in(client, people["admin"])
    document = json.loads(client.get(reverse("organisations:export", args=[baarn.slug]) + "?formaat=json").content)
    assert [row["id"] for row in document["data_layers"]] == [own.pk]
    values = document["data_layer_values"]
    assert {row["layer_id"] for row in values} == {own.pk}
    assert DISTINCTIVE in {row["value"] for row in values}
    assert len(values) == own.values.count()
