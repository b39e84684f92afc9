from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """Who did what, when: uploads, confirmations, publications, rollbacks, failures.

    Written by services only, never edited; the admin shows it read-only.
    """

    class Action(models.TextChoices):
        UPLOAD = "upload", _("upload")
        CONFIRM = "confirm", _("confirm")
        CANCEL = "cancel", _("cancel")
        RUN_SUCCEEDED = "run_succeeded", _("run succeeded")
        RUN_FAILED = "run_failed", _("run failed")
        RELEASE_BUILT = "release_built", _("release built")
        PUBLISH = "publish", _("publish")
        ROLLBACK = "rollback", _("roll back")
        ORGANISATION_CREATED = "organisation_created", _("organisation created")
        ORGANISATION_CHANGED = "organisation_changed", _("organisation changed")
        MEMBER_INVITED = "member_invited", _("member invited")
        INVITATION_REVOKED = "invitation_revoked", _("invitation revoked")
        MEMBER_JOINED = "member_joined", _("member joined")
        MEMBER_ADDED = "member_added", _("member added")
        MEMBER_ROLE_CHANGED = "member_role_changed", _("role changed")
        MEMBER_REMOVED = "member_removed", _("member removed")
        ACCOUNT_CREATED = "account_created", _("account created")
        API_KEY_ISSUED = "api_key_issued", _("API key issued")
        API_KEY_REVOKED = "api_key_revoked", _("API key revoked")
        WORKSPACE_EXPORTED = "workspace_exported", _("workspace exported")
        LAYER_UPLOADED = "layer_uploaded", _("own data uploaded")
        LAYER_CONFIRMED = "layer_confirmed", _("own data confirmed")
        LAYER_SHARED = "layer_shared", _("own data shared")
        LAYER_UNSHARED = "layer_unshared", _("own data no longer shared")
        LAYER_DELETED = "layer_deleted", _("own data deleted")

    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, blank=True, on_delete=models.SET_NULL
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    subject = models.CharField(_("subject"), max_length=200)
    details = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.subject}"
