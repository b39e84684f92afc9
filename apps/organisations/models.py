"""Organisations whose staff work in Zicht, their members and the invitations that make members.

A gemeente is linked to its CBS code, so its workspace knows its area. Roles are per
organisation; the site roles (data steward, administrator) live on the user (apps.accounts).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Organisation(models.Model):
    class Kind(models.TextChoices):
        GEMEENTE = "gemeente", _("gemeente")
        RIEC = "riec", _("RIEC region")
        PARTNER = "partner", _("other partner")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    # The gemeente's CBS code (GM + 4 digits); empty for a RIEC region or another partner.
    area_code = models.CharField(_("CBS code of the gemeente"), max_length=6, blank=True, default="")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["area_code"], condition=~Q(area_code=""), name="one_organisation_per_gemeente"
            ),
            models.CheckConstraint(
                condition=Q(kind="gemeente", area_code__startswith="GM") | (~Q(kind="gemeente") & Q(area_code="")),
                name="gemeente_has_its_code",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    # Ordered by what they may do: each role may do what the one before it may.
    MEMBER = "member", _("member")
    EDITOR = "editor", _("editor")
    ADMIN = "admin", _("organisation admin")


ROLE_RANK = {Role.MEMBER: 0, Role.EDITOR: 1, Role.ADMIN: 2}


class Membership(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(_("member since"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [models.UniqueConstraint(fields=["user", "organisation"], name="one_membership_per_organisation")]

    def __str__(self) -> str:
        return f"{self.user} · {self.organisation} ({self.get_role_display()})"


class Invitation(models.Model):
    """An invitation by e-mail. Only a hash of the token is kept: the link in the e-mail is the
    only place the token itself exists."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("invited by")
    )
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("valid until"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("accepted by"),
    )

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation}"
