"""Organisations, roles and invitations: who may do what, and what the audit log keeps."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.core.models import AuditEvent
from apps.organisations import selectors, services
from apps.organisations.models import Invitation, Membership, Organisation, Role

from .conftest import make_user


def test_a_gemeente_needs_its_cbs_code_and_has_one_organisation(db):
    with pytest.raises(ValidationError):
        services.create_organisation(name="Gemeente X", slug="x", kind="gemeente", area_code="0308")
    services.create_organisation(name="Gemeente Baarn", slug="baarn", kind="gemeente", area_code="gm0308")
    assert Organisation.objects.get(slug="baarn").area_code == "GM0308"
    with pytest.raises(IntegrityError), transaction.atomic():
        services.create_organisation(name="Baarn bis", slug="baarn-2", kind="gemeente", area_code="GM0308")
    riec = services.create_organisation(name="RIEC Midden-Nederland", slug="riec-mn", kind="riec", area_code="GM0308")
    assert riec.area_code == ""  # only a gemeente is an area


def test_only_site_administrators_create_organisations(people):
    with pytest.raises(PermissionDenied):
        services.create_organisation(name="P", slug="p", kind="partner", actor=people["admin"])
    services.create_organisation(name="P", slug="p", kind="partner", actor=people["site_admin"])


@pytest.mark.parametrize("who", ["editor", "member", "other_admin", "stranger"])
def test_only_the_organisations_admins_invite(baarn, people, who):
    with pytest.raises(PermissionDenied):
        services.invite(baarn, email="nieuw@baarn.nl", actor=people[who])
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("who", ["admin", "site_admin"])
def test_an_invitation_makes_a_member_once(baarn, people, who):
    invitation, token = services.invite(baarn, email="Nieuw@Baarn.nl", role=Role.EDITOR, actor=people[who])
    assert invitation.token_hash != token and token not in str(Invitation.objects.values_list())
    newcomer = make_user(email="nieuw@baarn.nl")
    membership = services.accept_invitation(token, user=newcomer)
    assert membership.organisation == baarn and membership.role == Role.EDITOR
    assert selectors.has_role(newcomer, baarn, Role.EDITOR) and not selectors.has_role(newcomer, baarn, Role.ADMIN)
    with pytest.raises(ValidationError):
        services.accept_invitation(token, user=newcomer)  # used once
    actions = list(AuditEvent.objects.filter(subject="baarn").values_list("action", flat=True))
    assert "member_invited" in actions and "member_joined" in actions


def test_an_invitation_is_for_its_address_and_expires(baarn, people):
    invitation, token = services.invite(baarn, email="nieuw@baarn.nl", actor=people["admin"])
    with pytest.raises(ValidationError):
        services.accept_invitation(token, user=make_user(email="iemand@anders.nl"))
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    with pytest.raises(ValidationError):
        services.accept_invitation(token, user=make_user(email="nieuw@baarn.nl"))
    with pytest.raises(ValidationError):
        services.accept_invitation("geraden-token", user=make_user(email="nieuw@baarn.nl"))


@pytest.mark.parametrize("who", ["editor", "member", "other_admin", "stranger"])
def test_nobody_but_its_admins_changes_roles_or_removes_members(people, who):
    target = Membership.objects.get(user=people["member"])
    with pytest.raises(PermissionDenied):
        services.change_role(target, role=Role.ADMIN, actor=people[who])
    with pytest.raises(PermissionDenied):
        services.remove_member(target, actor=people[who])
    target.refresh_from_db()
    assert target.role == Role.MEMBER


def test_role_changes_and_removals_go_to_the_audit_log(people):
    target = Membership.objects.get(user=people["member"])
    services.change_role(target, role=Role.EDITOR, actor=people["admin"])
    event = AuditEvent.objects.filter(action="member_role_changed").latest("pk")
    assert event.actor == people["admin"]
    assert event.details == {"member": people["member"].username, "before": "member", "after": "editor"}
    services.remove_member(target, actor=people["admin"])
    assert not Membership.objects.filter(pk=target.pk).exists()
    assert AuditEvent.objects.filter(action="member_removed", details__member=people["member"].username).exists()


def test_an_organisation_keeps_at_least_one_admin(people):
    only_admin = Membership.objects.get(user=people["admin"])
    with pytest.raises(ValidationError):
        services.change_role(only_admin, role=Role.MEMBER, actor=people["admin"])
    with pytest.raises(ValidationError):
        services.remove_member(only_admin, actor=people["site_admin"])
    services.change_role(Membership.objects.get(user=people["editor"]), role=Role.ADMIN, actor=people["admin"])
    services.change_role(only_admin, role=Role.MEMBER, actor=people["admin"])


def test_members_are_seen_only_from_inside_the_organisation(baarn, people):
    for who in ("admin", "editor", "member", "site_admin"):
        assert selectors.members(baarn, viewer=people[who]).count() == 3, who
    for who in ("other_admin", "stranger"):
        assert not selectors.members(baarn, viewer=people[who]).exists(), who
    assert list(selectors.organisations_of(people["member"])) == [baarn]


def test_membership_changes_in_the_admin_go_to_the_audit_log(client, baarn, people):
    from tests.factories import login_with_two_factors, make_superuser

    login_with_two_factors(client, make_superuser())
    url = f"/admin/organisations/organisation/{baarn.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    memberships = list(Membership.objects.filter(organisation=baarn).order_by("pk"))
    data = {
        "name": baarn.name, "slug": baarn.slug, "kind": baarn.kind, "area_code": baarn.area_code,
        "memberships-TOTAL_FORMS": len(memberships), "memberships-INITIAL_FORMS": len(memberships),
        "memberships-MIN_NUM_FORMS": 0, "memberships-MAX_NUM_FORMS": 1000,
        "invitations-TOTAL_FORMS": 0, "invitations-INITIAL_FORMS": 0,
        "invitations-MIN_NUM_FORMS": 0, "invitations-MAX_NUM_FORMS": 1000,
    }
    for i, membership in enumerate(memberships):
        data |= {f"memberships-{i}-id": membership.pk, f"memberships-{i}-organisation": baarn.pk,
                 f"memberships-{i}-user": membership.user_id, f"memberships-{i}-role": membership.role}
    member_index = next(i for i, m in enumerate(memberships) if m.user == people["member"])
    data[f"memberships-{member_index}-role"] = Role.EDITOR
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Membership.objects.get(user=people["member"]).role == Role.EDITOR
    assert AuditEvent.objects.filter(action="member_role_changed", details__member=people["member"].username).exists()


def test_a_member_made_admin_loses_an_api_key_issued_without_a_second_factor(people):
    from apps.accounts.models import ApiKey
    from apps.accounts.services import issue_api_key

    issue_api_key(people["editor"])
    issue_api_key(people["member"])
    services.change_role(Membership.objects.get(user=people["member"]), role=Role.EDITOR, actor=people["admin"])
    assert ApiKey.objects.filter(user=people["member"]).exists()  # an editor needs no second factor
    services.change_role(Membership.objects.get(user=people["editor"]), role=Role.ADMIN, actor=people["admin"])
    assert not ApiKey.objects.filter(user=people["editor"]).exists()
