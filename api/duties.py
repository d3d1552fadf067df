"""Duty lists and their items (read): the lists the responsibilities pages show this user
(``responsibilities.views.common``: county staff every list, others the published lists of
their orgs' levels); another list → 404."""

from django.db.models import Count, Q
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.params import query_year
from responsibilities.views.common import get_item, get_list, visible_lists

from . import serializers_duties as s
from .views import READ_ERRORS

ACTIVE_ITEMS = Count("items", filter=Q(items__is_active=True))


class ChecklistListView(generics.ListAPIView):
    serializer_class = s.ChecklistSerializer

    def get_queryset(self):
        qs = visible_lists(self.request).annotate(item_count=ACTIVE_ITEMS).order_by("-year", "level", "bearer", "id")
        year = query_year(self.request.query_params.get("year"), None)
        return qs.filter(year=year) if year else qs

    @extend_schema(summary="责任清单（可见的清单；year 按年度）",
                   parameters=[OpenApiParameter("year", int, description="年度")],
                   responses={200: s.ChecklistSerializer(many=True), **READ_ERRORS})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class ChecklistDetailView(APIView):
    @extend_schema(summary="责任清单及其事项", responses={200: s.ChecklistDetailSerializer, **READ_ERRORS})
    def get(self, request, pk):
        checklist = get_list(request, pk)
        checklist.items_in_order = list(checklist.items.order_by("seq"))
        checklist.item_count = sum(1 for i in checklist.items_in_order if i.is_active)
        return Response(s.ChecklistDetailSerializer(checklist).data)


class ChecklistItemView(APIView):
    @extend_schema(summary="清单事项", responses={200: s.ChecklistItemSerializer, **READ_ERRORS})
    def get(self, request, pk):
        return Response(s.ChecklistItemSerializer(get_item(request, pk)).data)
