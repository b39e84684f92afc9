"""Stub views: replaced as the workspace issue is built."""

from django.http import Http404


def _todo(request, *args, **kwargs):
    raise Http404


layer_list = _todo
layer_upload = _todo
layer_detail = _todo
layer_confirm = _todo
layer_share = _todo
layer_delete = _todo
layer_values = _todo
