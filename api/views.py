"""The API's views: every read scoped by ``Model.objects.restrict(user, action)`` and every change
through ``tasks.services`` — the pages' policy and rules, nothing of its own. Outside scope → 404,
in scope without the action → 403, a stale ``version`` → 409 with the current state."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import OrgUnit
from accounts.roles import Role
from accounts.scope import get_visible_or_404, scope_roots
from accounts.services import memberships_of
from notifications.services import inbox
from notifications.services.inbox import messages_for
from reports import dashboard as dash
from reports.params import report_period, resolve_root
from reports.views import quarterly_download
from tasks import services
from tasks.figures import FIGURES
from tasks.filters import TaskFilter
from tasks.listing import coloured, counted_rows, list_rows
from tasks.models import Task
from tasks.views.common import get_decidable_extension, get_reviewable_task, get_task
from tasks.views.evidence import IntegrityFailed, evidence_file_response
from tasks.today import today_counts
from tasks.views.mine import MINE_LIMIT, my_tasks
from tasks.warnings import colour_of

from . import serializers as s

ERRORS = {
    400: OpenApiResponse(s.ErrorSerializer, description="输入有误"),
    401: OpenApiResponse(s.ErrorSerializer, description="未登录或令牌无效"),
    403: OpenApiResponse(s.ErrorSerializer, description="在范围内但无此操作权限"),
    404: OpenApiResponse(s.ErrorSerializer, description="不存在或不在可见范围内"),
}
READ_ERRORS = {k: v for k, v in ERRORS.items() if k in (401, 404)}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class MeView(APIView):
    @extend_schema(summary="我：本人、任职、可见范围与任务计数", responses={200: s.MeSerializer, **READ_ERRORS})
    def get(self, request):
        user = request.user
        memberships = list(memberships_of(user))
        counts = today_counts(user, timezone.localdate())
        labels = dict(Role.choices)
        roles = [{"org_id": m.org_id, "org_name": m.org.name, "role": m.role, "role_label": str(labels.get(m.role, m.role))}
                 for m in memberships]
        roots = scope_roots(user)
        data = {"id": user.pk, "username": user.username, "full_name": user.full_name, "roles": roles,
                "orgs": s.OrgSerializer(roots, many=True, context=_parents(roots)).data,
                "counts": counts}
        return Response(data)


def _parents(orgs) -> dict:
    """{"ids_by_path": {path: id}} of the parents of ``orgs`` (one query)."""
    paths = {o.path[:-OrgUnit.steplen] for o in orgs if o.depth > 1}
    return {"ids_by_path": dict(OrgUnit.objects.filter(path__in=paths).values_list("path", "pk")) if paths else {}}


class MyTasksView(APIView):
    @extend_schema(summary="我的任务：本期未完成、待审核与近期到期的任务（至多 300 条）",
                   responses={200: s.TaskRowSerializer(many=True), **READ_ERRORS})
    def get(self, request):
        today = timezone.localdate()
        tasks = coloured(list_rows(my_tasks(request.user, today))[:MINE_LIMIT], today)
        return Response(s.TaskRowSerializer(tasks, many=True).data)


PAGE_PARAMS = {"page", "page_size"}


class TaskListView(generics.ListAPIView):
    """任务列表：可见范围内的任务，筛选条件与任务列表页相同；总数与页面相同，最多计到 10000。"""

    serializer_class = s.TaskRowSerializer
    filterset_class = TaskFilter
    filter_backends = [DjangoFilterBackend]  # documents the page's filters in the schema

    def get_queryset(self):
        return Task.objects.restrict(self.request.user, "view")

    @extend_schema(summary="任务列表（与页面相同的筛选）",
                   responses={200: s.TaskRowSerializer(many=True), 400: ERRORS[400], **READ_ERRORS})
    def get(self, request, *args, **kwargs):
        tasks, as_of, f = self.get_queryset(), timezone.localdate(), None
        if set(request.query_params) - PAGE_PARAMS:  # a filter asked for (none: no FilterSet to build)
            f = TaskFilter(request.query_params, queryset=tasks, request=request)
            if not f.is_valid():
                raise ValidationError(f.errors)
            tasks, as_of = f.qs, f.as_of_date()
        rows, total, _more = counted_rows(request.user, f, tasks)
        page = self.paginator.paginate_counted(rows, total, request, view=self)
        return self.get_paginated_response(s.TaskRowSerializer(coloured(page, as_of), many=True).data)


TASK_DETAIL_RELATED = ("evidence", "events__actor", "extension_requests__requested_by", "extension_requests__decided_by")


def _detail(task):
    task = Task.objects.select_related("org").prefetch_related(*TASK_DETAIL_RELATED).get(pk=task.pk)
    task.colour = colour_of(task, timezone.localdate())
    return s.TaskDetailSerializer(task).data


class TaskDetailView(APIView):
    @extend_schema(summary="任务详情与办理记录", responses={200: s.TaskDetailSerializer, **READ_ERRORS})
    def get(self, request, pk):
        return Response(_detail(get_task(request, pk)))


def _act(task, change, ok_status=status.HTTP_200_OK):
    """Run a service; a stale version → 409 with the task as it is now."""
    try:
        change()
    except services.Conflict as e:
        return Response({"code": "conflict", "message": e.message, "current": _detail(task)}, status=status.HTTP_409_CONFLICT)
    return Response(_detail(task), status=ok_status)


def _valid(serializer_class, request):
    ser = serializer_class(data=request.data)
    ser.is_valid(raise_exception=True)
    return ser.validated_data


WRITE_RESPONSES = {200: s.TaskDetailSerializer, 409: OpenApiResponse(s.ConflictSerializer, description="已被他人修改"), **ERRORS}


class NoteView(APIView):
    @extend_schema(summary="保存完成情况草稿", request=s.NoteIn, responses=WRITE_RESPONSES)
    def post(self, request, pk):
        task = get_task(request, pk, action="work")
        d = _valid(s.NoteIn, request)
        return _act(task, lambda: services.save_note(task, request.user, d["note"], version=d["version"]))


class SubmitView(APIView):
    @extend_schema(summary="提交审核", request=s.SubmitIn, responses=WRITE_RESPONSES)
    def post(self, request, pk):
        task = get_task(request, pk, action="work")
        d = _valid(s.SubmitIn, request)
        return _act(task, lambda: services.submit(task, request.user, note=d.get("note"), version=d["version"]))


class EvidenceUploadView(APIView):
    parser_classes = [MultiPartParser]

    @extend_schema(summary="上传台账文件（multipart，按内容与大小检查）", request=s.EvidenceIn,
                   responses={201: s.TaskDetailSerializer, **ERRORS})
    def post(self, request, pk):
        task = get_task(request, pk, action="work")
        d = _valid(s.EvidenceIn, request)
        services.add_evidence(task, request.user, d["file"])
        return Response(_detail(task), status=status.HTTP_201_CREATED)


class ApproveView(APIView):
    @extend_schema(summary="审核通过", request=s.ApproveIn, responses=WRITE_RESPONSES)
    def post(self, request, pk):
        task = get_reviewable_task(request, pk)
        d = _valid(s.ApproveIn, request)
        return _act(task, lambda: services.approve(task, request.user, d.get("comment", "")))


class ReturnView(APIView):
    @extend_schema(summary="退回（须填理由）", request=s.ReturnIn, responses=WRITE_RESPONSES)
    def post(self, request, pk):
        task = get_reviewable_task(request, pk)
        d = _valid(s.ReturnIn, request)
        return _act(task, lambda: services.return_task(task, request.user, d["reason"]))


class ExtensionRequestView(APIView):
    @extend_schema(summary="申请延期（理由与新截止日期）", request=s.ExtensionIn,
                   responses={201: s.TaskDetailSerializer, **{k: v for k, v in WRITE_RESPONSES.items() if k != 200}})
    def post(self, request, pk):
        task = get_task(request, pk, action="work")
        d = _valid(s.ExtensionIn, request)
        return _act(task, lambda: services.request_extension(task, request.user, d["reason"], d["new_due"], version=d["version"]),
                    ok_status=status.HTTP_201_CREATED)


class ExtensionDecideView(APIView):
    @extend_schema(summary="决定延期申请（同意或不同意）", request=s.ExtensionDecisionIn, responses=WRITE_RESPONSES)
    def post(self, request, pk):
        ext, task = get_decidable_extension(request, pk)
        d = _valid(s.ExtensionDecisionIn, request)
        return _act(task, lambda: services.decide_extension(ext, request.user, d["grant"], d.get("new_due"),
                                                            d.get("comment", ""), version=d["version"]))


class EvidenceDownloadView(APIView):
    @extend_schema(summary="下载台账文件（授权并审计）",
                   responses={(200, "*/*"): OpenApiResponse(OpenApiTypes.BINARY, description="台账文件（上传时的类型）"),
                              **READ_ERRORS})
    def get(self, request, pk):
        try:
            return evidence_file_response(request, pk)
        except IntegrityFailed:
            return Response({"code": "integrity", "message": _("The stored file does not match its checksum.")},
                            status=status.HTTP_500_INTERNAL_SERVER_ERROR)


class QuarterlyWorkbookView(APIView):
    @extend_schema(
        summary="季度报表（Excel，与报表页面同一工作簿，审计）",
        parameters=[OpenApiParameter("org", str, description="组织代码（默认：可见范围的顶层）"),
                    OpenApiParameter("year", int, description="年度"), OpenApiParameter("quarter", int, description="季度 1–4")],
        responses={(200, XLSX): OpenApiTypes.BINARY, 403: ERRORS[403], **READ_ERRORS})
    def get(self, request):
        return quarterly_download(request)


class OrgListView(generics.ListAPIView):
    serializer_class = s.OrgSerializer

    def get_queryset(self):
        return OrgUnit.objects.restrict(self.request.user, "view").order_by("path")

    @extend_schema(summary="可见范围内的组织", responses={200: s.OrgSerializer(many=True), **READ_ERRORS})
    def get(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(s.OrgSerializer(page, many=True, context=_parents(page)).data)


class OrgDetailView(APIView):
    @extend_schema(summary="组织", responses={200: s.OrgSerializer, **READ_ERRORS})
    def get(self, request, pk):
        org = get_visible_or_404(OrgUnit.objects.all(), request.user, pk=pk)
        return Response(s.OrgSerializer(org, context=_parents([org])).data)


class InboxView(generics.ListAPIView):
    serializer_class = s.InboxMessageSerializer

    def get_queryset(self):
        qs = messages_for(self.request.user).order_by("-created_at", "-id")
        return qs.filter(read_at__isnull=True) if self.request.query_params.get("unread") == "1" else qs

    @extend_schema(summary="我的消息（unread=1 只看未读）",
                   parameters=[OpenApiParameter("unread", str, enum=["1"], description="只看未读")],
                   responses={200: s.InboxMessageSerializer(many=True), **READ_ERRORS})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class InboxReadView(APIView):
    @extend_schema(summary="标为已读", request=None, responses={200: s.InboxMessageSerializer, **READ_ERRORS})
    def post(self, request, pk):
        return Response(s.InboxMessageSerializer(inbox.mark_read(request.user, pk)).data)


class InboxReadAllView(APIView):
    @extend_schema(summary="全部标为已读", request=None, responses={200: s.ReadAllOut, **READ_ERRORS})
    def post(self, request):
        return Response({"marked": inbox.mark_all_read(request.user)})


class DashboardView(APIView):
    @extend_schema(
        summary="工作台数字（与工作台页面同一定义 tasks.figures）",
        parameters=[OpenApiParameter("org", str, description="组织代码（默认：可见范围的顶层）"),
                    OpenApiParameter("year", int, description="年度"), OpenApiParameter("quarter", int, description="季度 1–4"),
                    OpenApiParameter("month", int, description="月 1–12"),
                    OpenApiParameter("as_of", OpenApiTypes.DATE, description="截至日期")],
        responses={200: s.DashboardSerializer, 403: ERRORS[403], **READ_ERRORS})
    def get(self, request):
        root, scope = resolve_root(request)
        year, quarter, month, as_of = report_period(request)
        w = dash.window_for(year, quarter, month, as_of)
        data = dash.compute(root, w, scope, charts=False, row_colours=True)
        rows = [data["total"], *data["rows"]]
        ctx = _parents([r.org for r in rows])

        def row(r):
            return {"org": s.OrgSerializer(r.org, context=ctx).data, "counts": r.counts, "on_time_rate": r.rate}

        return Response({"window": {"start": w.start, "end": w.end, "as_of": w.as_of},
                         "figures": {k: str(v) for k, v in FIGURES.items()},
                         "total": row(data["total"]), "rows": [row(r) for r in data["rows"]]})
