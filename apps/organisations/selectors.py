"""Reads of organisations, always from the point of view of a user: nobody sees or manages
another organisation's members."""

from django.db.models import QuerySet

from .models import ROLE_RANK, Membership, Organisation, Role


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
