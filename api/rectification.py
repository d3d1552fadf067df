"""巡察整改 (read, and recording a measure's progress): findings and measures within the
user's view scope (``Model.objects.restrict``), progress through
``inspections.services.record_progress`` — the measure page's rule: the responsible unit
records, a reader gets 403, an outsider 404, a stale ``version`` 409."""

from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.scope import get_visible_or_404
from inspections import services
from inspections.models import Finding, Measure
from tasks.services import Conflict
from tasks.warnings import colour_of

from . import serializers_inspections as s
from .serializers import ErrorSerializer
from .views import ERRORS, READ_ERRORS, TASK_DETAIL_RELATED, _valid

FINDING_RELATED = ("org", "inspection__round", "category")
MEASURE_RELATED = ("org", "task")


def findings(user):
    return Finding.objects.restrict(user, "view").select_related(*FINDING_RELATED)


def measures(user):
    return Measure.objects.restrict(user, "view").select_related(*MEASURE_RELATED)


class FindingListView(generics.ListAPIView):
    serializer_class = s.FindingSerializer

    def get_queryset(self):
        return findings(self.request.user).order_by("-found_on", "inspection_id", "seq")

    @extend_schema(summary="巡察发现的问题（可见范围内）", responses={200: s.FindingSerializer(many=True), **READ_ERRORS})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class FindingDetailView(APIView):
    @extend_schema(summary="问题及其整改措施", responses={200: s.FindingDetailSerializer, **READ_ERRORS})
    def get(self, request, pk):
        finding = get_visible_or_404(findings(request.user), request.user, pk=pk)
        finding.measures_in_order = list(finding.measures.select_related(*MEASURE_RELATED).order_by("id"))
        return Response(s.FindingDetailSerializer(finding).data)


class MeasureListView(generics.ListAPIView):
    serializer_class = s.MeasureSerializer

    def get_queryset(self):
        return measures(self.request.user).order_by("deadline", "id")

    @extend_schema(summary="整改措施（可见范围内）", responses={200: s.MeasureSerializer(many=True), **READ_ERRORS})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


def measure_detail(user, pk):
    measure = get_visible_or_404(measures(user).prefetch_related(*(f"task__{r}" for r in TASK_DETAIL_RELATED)), user, pk=pk)
    measure.task.colour = colour_of(measure.task, timezone.localdate())
    return measure


class MeasureDetailView(APIView):
    @extend_schema(summary="整改措施及其进展", responses={200: s.MeasureDetailSerializer, **READ_ERRORS})
    def get(self, request, pk):
        return Response(s.MeasureDetailSerializer(measure_detail(request.user, pk)).data)


class MeasureConflictSerializer(ErrorSerializer):
    current = s.MeasureDetailSerializer(help_text="整改措施的当前状态")


class MeasureProgressView(APIView):
    parser_classes = [MultiPartParser]

    @extend_schema(summary="记录整改进展（说明和/或台账文件，multipart）", request=s.ProgressIn,
                   responses={200: s.MeasureDetailSerializer,
                              409: OpenApiResponse(MeasureConflictSerializer, description="已被他人修改"), **ERRORS})
    def post(self, request, pk):
        measure = get_visible_or_404(Measure.objects.all(), request.user, pk=pk)
        d = _valid(s.ProgressIn, request)
        try:
            services.record_progress(request.user, measure, note=d.get("note", ""), uploaded=d.get("file"), version=d["version"])
        except Conflict as e:
            current = s.MeasureDetailSerializer(measure_detail(request.user, pk)).data
            return Response({"code": "conflict", "message": e.message, "current": current}, status=status.HTTP_409_CONFLICT)
        return Response(s.MeasureDetailSerializer(measure_detail(request.user, pk)).data)
