"""Stub views: replaced as the workspace issue is built."""

from django.http import Http404


def _todo(request, *args, **kwargs):
    raise Http404


home = _todo
dashboard = _todo
feed = _todo
note_list = _todo
note_create = _todo
note_detail = _todo
note_edit = _todo
note_delete = _todo
comparison_list = _todo
comparison_create = _todo
comparison_detail = _todo
comparison_delete = _todo
knowledge_list = _todo
knowledge_create = _todo
knowledge_detail = _todo
knowledge_comment = _todo
knowledge_delete = _todo
