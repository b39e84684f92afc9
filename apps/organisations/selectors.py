"""Reads of organisations, always from the point of view of a user: nobody sees or manages
another organisation's members."""

import hashlib

from django.db.models import QuerySet
from django.utils import timezone

from .models import ROLE_RANK, Invitation, Membership, Organisation, Role


def membership(user, organisation: Organisation) -> Membership | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Membership.objects.filter(user=user, organisation=organisation).first()


def has_role(user, organisation: Organisation, role: Role) -> bool:
    """The user holds ``role`` (or a higher one) in the organisation."""
    found = membership(user, organisation)
    return found is not None and ROLE_RANK[Role(found.role)] >= ROLE_RANK[role]


def can_manage(user, organisation: Organisation) -> bool:
    """Invite, change roles, remove members: the organisation's own admins, and the site's
    administrators."""
    if getattr(user, "is_authenticated", False) and user.is_site_administrator:
        return True
    return has_role(user, organisation, Role.ADMIN)


def organisations_of(user) -> QuerySet[Organisation]:
    if not getattr(user, "is_authenticated", False):
        return Organisation.objects.none()
    return Organisation.objects.filter(memberships__user=user).order_by("name")


def members(organisation: Organisation, *, viewer) -> QuerySet[Membership]:
    """The members of an organisation, for a viewer who belongs to it (or runs the site);
    nothing for anyone else."""
    if not (getattr(viewer, "is_authenticated", False) and (
        viewer.is_site_administrator or membership(viewer, organisation) is not None
    )):
        return Membership.objects.none()
    return organisation.memberships.select_related("user").order_by("user__last_name", "user__username")


def visible_organisation(user, slug: str) -> Organisation | None:
    """The organisation by its slug, for a user who belongs to it or runs the site; None for
    anyone else (the view answers 404, so a guessed slug tells nothing)."""
    if not getattr(user, "is_authenticated", False):
        return None
    found = Organisation.objects.filter(slug=slug).first()
    if found is None:
        return None
    if user.is_site_administrator or membership(user, found) is not None:
        return found
    return None


def member(organisation: Organisation, pk: int, *, viewer) -> Membership | None:
    """One membership of ``organisation`` by its id; None when the id belongs to another
    organisation or the viewer may not see this one's members."""
    return members(organisation, viewer=viewer).filter(pk=pk).first()


def open_invitations(organisation: Organisation, *, viewer) -> QuerySet[Invitation]:
    """Invitations not yet accepted or expired, for those who manage the organisation."""
    if not can_manage(viewer, organisation):
        return Invitation.objects.none()
    return organisation.invitations.filter(accepted_at__isnull=True, expires_at__gte=timezone.now()).select_related(
        "invited_by"
    )


def open_invitation(organisation: Organisation, pk: int, *, viewer) -> Invitation | None:
    return open_invitations(organisation, viewer=viewer).filter(pk=pk).first()


def invitation_by_token(token: str) -> Invitation | None:
    """The invitation a link's token belongs to (used, expired or open), or None."""
    return Invitation.objects.select_related("organisation").filter(token_hash=token_hash(token)).first()


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
