"""Paging of lists on pages: one page parameter (``pagina``) everywhere, and the page's other
choices kept in the links (templates/includes/pagination.html)."""

from django.core.paginator import Page, Paginator

PAGE_PARAMETER = "pagina"


def page_of(request, items, per_page: int) -> Page:
    """The page the request asks for; the first or the last when it asks for one that is not there."""
    return Paginator(items, per_page).get_page(request.GET.get(PAGE_PARAMETER))


def query_without_page(request) -> str:
    """The request's query string without the page, to put in front of the page links."""
    query = request.GET.copy()
    query.pop(PAGE_PARAMETER, None)
    return query.urlencode()
