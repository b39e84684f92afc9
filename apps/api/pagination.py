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

    def get_page_size(self, request):
        """``page_size`` from 1 up; more than the maximum gives the maximum. Anything else is a
        bad parameter, not a reason to fall back quietly."""
        asked = request.query_params.get(self.page_size_query_param)
        if asked is None:
            return self.page_size
        if not asked.isdigit() or int(asked) < 1:
            raise ValidationError(
                {self.page_size_query_param: [_("Give a whole number from 1 to %(max)s.") % {"max": self.max_page_size}]},
                code="invalid_page_size",
            )
        return min(int(asked), self.max_page_size)

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
