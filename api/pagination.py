from django.core.paginator import Paginator
from rest_framework.pagination import PageNumberPagination


class CountedPaginator(Paginator):
    """A paginator told its count (a task list's count, capped: tasks.listing.counted_rows)."""

    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self.count = count


class Pagination(PageNumberPagination):
    """50 a page by default; ``page_size`` up to 200, never more."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def paginate_counted(self, rows, count: int, request, view=None):
        """``paginate_queryset`` for rows whose count is known already: it is not counted again."""
        self.django_paginator_class = lambda object_list, per_page: CountedPaginator(object_list, per_page, count=count)
        return self.paginate_queryset(rows, request, view)
