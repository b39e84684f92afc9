"""Writes to organisations: invitations, roles, members. Every change goes to the audit log,
and every write checks who asks: an organisation's admins manage their own organisation only."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.services import revoke_api_key
from apps.core.services import record_event
from apps.geography.levels import CODE_PATTERNS, Level

from . import selectors
from .models import Invitation, Membership, Organisation, Role

INVITATION_DAYS = 14


def _token_hash(token: str) -> str:
    return selectors.token_hash(token)


def _require_manager(actor, organisation: Organisation) -> None:
    if not selectors.can_manage(actor, organisation):
        raise PermissionDenied(_("Only the admins of %(organisation)s may do this.") % {"organisation": organisation})


def create_organisation(*, name: str, slug: str, kind: str, area_code: str = "", actor=None) -> Organisation:
    """A new organisation (site administrators only). A gemeente names its CBS code."""
    if actor is not None and not actor.is_site_administrator:
        raise PermissionDenied(_("Only site administrators create organisations."))
    area_code = area_code.strip().upper()
    if kind == Organisation.Kind.GEMEENTE and not CODE_PATTERNS[Level.GEMEENTE].fullmatch(area_code):
        raise ValidationError({"area_code": _("A gemeente needs its CBS code, e.g. GM0308.")})
    if kind != Organisation.Kind.GEMEENTE:
        area_code = ""
    organisation = Organisation.objects.create(name=name, slug=slug, kind=kind, area_code=area_code)
    record_event("organisation_created", organisation.slug, actor=actor, kind=kind, area_code=area_code)
    return organisation


def invite(organisation: Organisation, *, email: str, role: str = Role.MEMBER, actor) -> tuple[Invitation, str]:
    """An invitation and its token (to put in the link; it is not stored)."""
    _require_manager(actor, organisation)
    Role(role)  # a bad role is a programming error, not a user's
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        organisation=organisation,
        email=email.strip().lower(),
        role=role,
        token_hash=_token_hash(token),
        invited_by=actor,
        expires_at=timezone.now() + timedelta(days=INVITATION_DAYS),
    )
    record_event("member_invited", organisation.slug, actor=actor, email=invitation.email, role=role)
    return invitation, token


def check_invitation(invitation: Invitation | None) -> Invitation:
    """The invitation if it can still be accepted; else a ValidationError that says why."""
    if invitation is None or invitation.accepted_at is not None:
        raise ValidationError(_("This invitation is not valid (any more)."))
    if invitation.expires_at < timezone.now():
        raise ValidationError(_("This invitation has expired; ask for a new one."))
    return invitation


def accept_invitation(token: str, *, user) -> Membership:
    """Join the organisation of the invitation. The invitation is for one e-mail address, is
    used once and expires."""
    with transaction.atomic():
        invitation = check_invitation(
            Invitation.objects.select_for_update().select_related("organisation")
            .filter(token_hash=_token_hash(token)).first()
        )
        if (user.email or "").strip().lower() != invitation.email:
            raise ValidationError(_("This invitation is for another e-mail address."))
        membership, created = Membership.objects.get_or_create(
            user=user, organisation=invitation.organisation, defaults={"role": invitation.role}
        )
        if not created and membership.role != invitation.role:
            membership.role = invitation.role
            membership.save(update_fields=["role"])
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
    record_event("member_joined", invitation.organisation.slug, actor=user, role=invitation.role)
    if invitation.role == Role.ADMIN:
        revoke_api_key(user)  # as in change_role: an admin's key must come from a verified session
    return membership


def join_with_new_account(token: str, *, username: str, first_name: str, last_name: str, password: str):
    """A new account for the address the invitation was sent to, joined to its organisation in
    the same transaction (an invitation that cannot be accepted creates no account). The
    password has been checked by the form against the site's validators."""
    from django.contrib.auth import get_user_model

    User = get_user_model()
    with transaction.atomic():
        invitation = check_invitation(selectors.invitation_by_token(token))
        if User.objects.filter(email__iexact=invitation.email).exists():
            raise ValidationError(_("An account with this e-mail address exists already: log in to accept."))
        user = User.objects.create_user(username=username, email=invitation.email, password=password,
                                        first_name=first_name, last_name=last_name)
        record_event("account_created", username, actor=user, via="invitation",
                     organisation=invitation.organisation.slug)
        membership = accept_invitation(token, user=user)
    return membership


def _other_admins(membership: Membership) -> bool:
    return membership.organisation.memberships.filter(role=Role.ADMIN).exclude(pk=membership.pk).exists()


def change_role(membership: Membership, *, role: str, actor) -> Membership:
    _require_manager(actor, membership.organisation)
    role = Role(role)
    if membership.role == Role.ADMIN and role != Role.ADMIN and not _other_admins(membership):
        raise ValidationError(_("An organisation keeps at least one admin."))
    before = membership.role
    membership.role = role
    membership.save(update_fields=["role"])
    record_event("member_role_changed", membership.organisation.slug, actor=actor,
                 member=membership.user.get_username(), before=before, after=role.value)
    if role == Role.ADMIN and before != Role.ADMIN:
        # An admin needs two factors; an API key from before would let them skip the second.
        revoke_api_key(membership.user, actor=actor)
    return membership


def remove_member(membership: Membership, *, actor) -> None:
    _require_manager(actor, membership.organisation)
    if membership.role == Role.ADMIN and not _other_admins(membership):
        raise ValidationError(_("An organisation keeps at least one admin."))
    organisation, member = membership.organisation, membership.user.get_username()
    membership.delete()
    record_event("member_removed", organisation.slug, actor=actor, member=member)


def revoke_invitation(invitation: Invitation, *, actor) -> None:
    """Withdraw an invitation that was not used yet: its link stops working."""
    _require_manager(actor, invitation.organisation)
    if invitation.accepted_at is not None:
        raise ValidationError(_("This invitation has been accepted already; remove the member instead."))
    organisation, email = invitation.organisation, invitation.email
    invitation.delete()
    record_event("invitation_revoked", organisation.slug, actor=actor, email=email)
