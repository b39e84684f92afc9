"""Pages of 50 (``?page=2``, ``?page=last``), at most 200 with ``?page_size=``. A page that does
not exist is a bad parameter (400 with the valid range), not a missing resource."""

from django.core.paginator import InvalidPage
from django.utils.translation import gettext as _
from rest_framework import pagination
from rest_framework.exceptions import ValidationError


class PageNumberPagination(pagination.PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    template = None  # JSON only: no browsable page controls

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        page_size = self.get_page_size(request)
        if not page_size:
            return None
        paginator = self.django_paginator_class(queryset, page_size)
        number = self.get_page_number(request, paginator)
        try:
            self.page = paginator.page(number)
        except InvalidPage:
            raise ValidationError(
                {"page": [_("There is no page %(page)s; pages run from 1 to %(last)s.")
                          % {"page": number, "last": paginator.num_pages}]},
                code="invalid_page",
            ) from None
        return list(self.page)
