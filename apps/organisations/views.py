"""Stub views: replaced as the workspace issue is built."""

from django.http import Http404


def _todo(request, *args, **kwargs):
    raise Http404


members = _todo
invite = _todo
change_role = _todo
remove_member = _todo
revoke_invitation = _todo
export = _todo
accept_invitation = _todo
