from functools import partial

from rest_framework.pagination import PageNumberPagination

from tasks.listing import CountedPaginator


class Pagination(PageNumberPagination):
    """50 a page by default; ``page_size`` up to 200, never more."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def paginate_counted(self, rows, count: int, request, view=None):
        """``paginate_queryset`` for rows whose count is known already: it is not counted again."""
        self.django_paginator_class = partial(CountedPaginator, count=count)
        return self.paginate_queryset(rows, request, view)
