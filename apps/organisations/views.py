"""Members, invitations and the export of an organisation's workspace.

An organisation the user does not belong to is a 404 (a guessed slug or member id tells
nothing); a member without the right to manage gets 403. The services check who asks again and
write the audit log; the views show what they refuse as a message."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from apps.core.services import record_event
from apps.workspaces import export as workspace_export

from . import selectors, services
from .forms import CreateAccountForm, InviteForm, RoleForm
from .models import Organisation


def _organisation(request, slug: str) -> Organisation:
    found = selectors.visible_organisation(request.user, slug)
    if found is None:
        raise Http404
    return found


def _managed_organisation(request, slug: str) -> Organisation:
    organisation = _organisation(request, slug)
    if not selectors.can_manage(request.user, organisation):
        raise PermissionDenied
    return organisation


def _report(request, error: ValidationError | PermissionDenied) -> None:
    texts = error.messages if isinstance(error, ValidationError) else [str(error) or _("You may not do this.")]
    for text in texts:
        messages.error(request, text)


def _members_page(request, organisation: Organisation, *, invite_form: InviteForm | None = None, status: int = 200):
    can_manage = selectors.can_manage(request.user, organisation)
    memberships = list(selectors.members(organisation, viewer=request.user))
    rows = [
        {"membership": membership,
         "form": RoleForm(initial={"role": membership.role}, prefix=f"member-{membership.pk}") if can_manage else None}
        for membership in memberships
    ]
    return render(request, "organisations/members.html", {
        "section": "members",
        "organisation": organisation,
        "rows": rows,
        "can_manage": can_manage,
        "invite_form": (invite_form or InviteForm()) if can_manage else None,
        "invitations": selectors.open_invitations(organisation, viewer=request.user) if can_manage else [],
    }, status=status)


@login_required
def members(request, org: str):
    return _members_page(request, _organisation(request, org))


def _send_invitation(request, invitation, token: str) -> None:
    link = request.build_absolute_uri(reverse("organisations:accept-invitation", args=[token]))
    context = {"invitation": invitation, "link": link, "inviter": request.user,
               "organisation": invitation.organisation, "role": invitation.get_role_display()}
    subject = _("Invitation to the Zicht workspace of %(organisation)s") % {"organisation": invitation.organisation}
    body = render_to_string("organisations/invitation_email.txt", context, request=request)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [invitation.email])


@login_required
@require_POST
def invite(request, org: str):
    organisation = _managed_organisation(request, org)
    form = InviteForm(request.POST)
    if not form.is_valid():
        return _members_page(request, organisation, invite_form=form, status=400)
    try:
        invitation, token = services.invite(organisation, email=form.cleaned_data["email"],
                                            role=form.cleaned_data["role"], actor=request.user)
    except (ValidationError, PermissionDenied) as error:
        _report(request, error)
    else:
        _send_invitation(request, invitation, token)
        messages.success(request, _("An invitation has been sent to %(email)s.") % {"email": invitation.email})
    return redirect("organisations:members", organisation.slug)


def _member_or_404(request, organisation: Organisation, pk: int):
    found = selectors.member(organisation, pk, viewer=request.user)
    if found is None:
        raise Http404
    return found


@login_required
@require_POST
def change_role(request, org: str, pk: int):
    organisation = _managed_organisation(request, org)
    membership = _member_or_404(request, organisation, pk)
    form = RoleForm(request.POST, prefix=f"member-{membership.pk}")
    if not form.is_valid():
        form = RoleForm(request.POST)  # a plain "role" field works too (scripts, tests)
    if not form.is_valid():
        messages.error(request, _("Choose one of the roles."))
        return redirect("organisations:members", organisation.slug)
    try:
        services.change_role(membership, role=form.cleaned_data["role"], actor=request.user)
    except (ValidationError, PermissionDenied) as error:
        _report(request, error)
    else:
        messages.success(request, _("%(member)s is now %(role)s.") % {
            "member": membership.user.get_full_name() or membership.user.get_username(),
            "role": membership.get_role_display()})
    return redirect("organisations:members", organisation.slug)


@login_required
@require_http_methods(["GET", "POST"])
def remove_member(request, org: str, pk: int):
    """GET asks to confirm; POST removes."""
    organisation = _managed_organisation(request, org)
    membership = _member_or_404(request, organisation, pk)
    if request.method == "GET":
        return render(request, "organisations/remove_member.html",
                      {"section": "members", "organisation": organisation, "membership": membership})
    name = membership.user.get_full_name() or membership.user.get_username()
    try:
        services.remove_member(membership, actor=request.user)
    except (ValidationError, PermissionDenied) as error:
        _report(request, error)
    else:
        messages.success(request, _("%(member)s is no longer a member.") % {"member": name})
    return redirect("organisations:members", organisation.slug)


@login_required
@require_POST
def revoke_invitation(request, org: str, pk: int):
    organisation = _managed_organisation(request, org)
    invitation = selectors.open_invitation(organisation, pk, viewer=request.user)
    if invitation is None:
        raise Http404
    try:
        services.revoke_invitation(invitation, actor=request.user)
    except (ValidationError, PermissionDenied) as error:
        _report(request, error)
    else:
        messages.success(request, _("The invitation to %(email)s has been withdrawn.") % {"email": invitation.email})
    return redirect("organisations:members", organisation.slug)


@login_required
def export(request, org: str):
    organisation = _managed_organisation(request, org)
    fmt = request.GET.get("formaat", "")
    if fmt not in workspace_export.FORMATS:
        return render(request, "organisations/export.html", {"section": "export", "organisation": organisation})
    data, counts = workspace_export.export(organisation, request.user, fmt)
    record_event("workspace_exported", organisation.slug, actor=request.user, format=fmt, rows=counts)
    filename = f"zicht-werkruimte-{organisation.slug}"
    if fmt == "json":
        response = HttpResponse(data, content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}.json"'
    else:
        response = HttpResponse(data, content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="{filename}-csv.zip"'
    # Personal data of colleagues: no cache, anywhere, may keep a copy.
    add_never_cache_headers(response)
    patch_cache_control(response, no_store=True)
    return response


def _private(response):
    """The token is in this page's URL: no cache keeps it, and no link sends it as referrer."""
    add_never_cache_headers(response)
    patch_cache_control(response, no_store=True)
    response["Referrer-Policy"] = "no-referrer"
    return response


@require_http_methods(["GET", "POST"])
def accept_invitation(request, token: str):
    invitation = selectors.invitation_by_token(token)
    context = {"invitation": invitation, "valid": False, "problem": None, "form": None, "account_exists": False,
               "login_url": f"{reverse('two_factor:login')}?{urlencode({'next': request.path})}"}
    try:
        services.check_invitation(invitation)
    except ValidationError as error:
        context["problem"] = " ".join(error.messages)
        return _private(render(request, "organisations/accept_invitation.html", context,
                               status=404 if invitation is None else 410))

    context["valid"] = True
    user = request.user
    if user.is_authenticated:
        if (user.email or "").strip().lower() != invitation.email:
            context["problem"] = _("This invitation is for another e-mail address.")
            return _private(render(request, "organisations/accept_invitation.html", context, status=403))
        if request.method == "POST":
            try:
                services.accept_invitation(token, user=user)
            except ValidationError as error:
                context["problem"] = " ".join(error.messages)
                return _private(render(request, "organisations/accept_invitation.html", context, status=410))
            messages.success(request, _("Welcome to the workspace of %(organisation)s.") % {
                "organisation": invitation.organisation})
            return redirect("workspaces:dashboard", invitation.organisation.slug)
        return _private(render(request, "organisations/accept_invitation.html", context))

    from django.contrib.auth import get_user_model

    context["account_exists"] = get_user_model().objects.filter(email__iexact=invitation.email).exists()
    if context["account_exists"]:
        return _private(render(request, "organisations/accept_invitation.html", context))
    form = CreateAccountForm(request.POST if request.method == "POST" else None, email=invitation.email)
    context["form"] = form
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.join_with_new_account(
                token, username=form.cleaned_data["username"], first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"], password=form.cleaned_data["password1"],
            )
        except ValidationError as error:
            context["problem"] = " ".join(error.messages)
            return _private(render(request, "organisations/accept_invitation.html", context, status=410))
        login(request, membership.user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Your account has been created. Welcome to the workspace of %(organisation)s.") % {
            "organisation": invitation.organisation})
        return redirect("workspaces:dashboard", invitation.organisation.slug)
    status = 400 if request.method == "POST" else 200
    return _private(render(request, "organisations/accept_invitation.html", context, status=status))
