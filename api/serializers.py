"""What the API returns: the fields a client needs, Chinese labels in the schema's descriptions."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import OrgUnit
from tasks.models import Evidence, ExtensionRequest, Task, TaskEvent


class OrgSerializer(serializers.ModelSerializer):
    parent_id = serializers.SerializerMethodField(help_text="上级组织 id（县为空）")

    class Meta:
        model = OrgUnit
        fields = ["id", "code", "name", "kind", "depth", "parent_id"]
        extra_kwargs = {"code": {"help_text": "组织代码"}, "name": {"help_text": "组织名称"},
                        "kind": {"help_text": "层级：县 / 部门 / 镇 / 村"}, "depth": {"help_text": "树中深度（县为 1）"}}

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_parent_id(self, org):
        parent_path = org.path[:-OrgUnit.steplen]
        return self.context.get("ids_by_path", {}).get(parent_path) if parent_path else None


class TaskRowSerializer(serializers.ModelSerializer):
    org_name = serializers.CharField(source="org.name", read_only=True, help_text="责任组织")
    colour = serializers.CharField(read_only=True, help_text="预警颜色：red 逾期 / yellow 临期 / blue 进行中 / late 逾期完成 / green 完成")

    class Meta:
        model = Task
        fields = ["id", "title", "status", "colour", "org_id", "org_name", "period_label", "due_date",
                  "completed_on", "approved_on"]
        extra_kwargs = {"title": {"help_text": "事项"}, "status": {"help_text": "状态"},
                        "period_label": {"help_text": "周期"}, "due_date": {"help_text": "截止日期"},
                        "completed_on": {"help_text": "完成日期"}, "approved_on": {"help_text": "审核通过日期"}}


class EvidenceSerializer(serializers.ModelSerializer):
    download = serializers.SerializerMethodField(help_text="下载地址（经授权并审计）")

    class Meta:
        model = Evidence
        fields = ["id", "original_name", "content_type", "size", "sha256", "uploaded_at", "removed_at", "download"]
        extra_kwargs = {"original_name": {"help_text": "文件名"}, "size": {"help_text": "字节数"}}

    def get_download(self, ev) -> str:
        from django.urls import reverse

        return reverse("api:evidence-download", args=[ev.pk])


class EventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username", default="", read_only=True, help_text="操作人")

    class Meta:
        model = TaskEvent
        fields = ["id", "kind", "at", "actor", "message"]
        extra_kwargs = {"kind": {"help_text": "事件：保存、上传、提交、通过、退回……"}, "message": {"help_text": "说明"}}


class ExtensionSerializer(serializers.ModelSerializer):
    requested_by = serializers.CharField(source="requested_by.username", read_only=True, help_text="申请人")
    decided_by = serializers.CharField(source="decided_by.username", default=None, allow_null=True, read_only=True,
                                       help_text="决定人（未决定为空）")

    class Meta:
        model = ExtensionRequest
        fields = ["id", "status", "reason", "requested_due", "requested_by", "requested_at", "decided_by", "decided_at",
                  "granted_due", "decision_note"]
        extra_kwargs = {"status": {"help_text": "延期申请状态：pending 待决定 / granted 已同意 / refused 不同意"},
                        "reason": {"help_text": "延期理由"}, "requested_due": {"help_text": "申请的新截止日期"},
                        "requested_at": {"help_text": "申请时间"}, "decided_at": {"help_text": "决定时间"},
                        "granted_due": {"help_text": "同意的新截止日期"}, "decision_note": {"help_text": "决定意见"}}


class TaskDetailSerializer(TaskRowSerializer):
    review_org_id = serializers.IntegerField(read_only=True, allow_null=True, help_text="审核组织 id")
    evidence = EvidenceSerializer(many=True, read_only=True, help_text="台账文件")
    timeline = EventSerializer(many=True, read_only=True, source="events", help_text="办理记录")
    extensions = ExtensionSerializer(many=True, read_only=True, source="extension_requests", help_text="延期申请")

    class Meta(TaskRowSerializer.Meta):
        fields = TaskRowSerializer.Meta.fields + [
            "kind", "requirement", "evidence_hint", "note", "return_reason", "review_org_id", "extension_count",
            "version", "evidence", "timeline", "extensions"]
        extra_kwargs = {**TaskRowSerializer.Meta.extra_kwargs,
                        "requirement": {"help_text": "工作要求"}, "evidence_hint": {"help_text": "台账要求"},
                        "note": {"help_text": "完成情况"}, "return_reason": {"help_text": "退回理由"},
                        "version": {"help_text": "版本号：修改时原样带回，已被他人修改则返回 409"}}


class NoteIn(serializers.Serializer):
    note = serializers.CharField(allow_blank=True, max_length=20000, help_text="完成情况（草稿）")
    version = serializers.IntegerField(min_value=1, help_text="读取时的版本号")


class SubmitIn(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=20000, help_text="完成情况；不填则用已保存的草稿")
    version = serializers.IntegerField(min_value=1, help_text="读取时的版本号")


class ApproveIn(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, max_length=1000, help_text="审核意见")


class ReturnIn(serializers.Serializer):
    reason = serializers.CharField(max_length=1000, help_text="退回理由（必填）")


class ExtensionIn(serializers.Serializer):
    reason = serializers.CharField(max_length=1000, help_text="延期理由（必填）")
    new_due = serializers.DateField(help_text="申请的新截止日期（晚于现截止日期）")
    version = serializers.IntegerField(min_value=1, help_text="读取时的版本号")


class ExtensionDecisionIn(serializers.Serializer):
    grant = serializers.BooleanField(help_text="true 同意 / false 不同意")
    new_due = serializers.DateField(required=False, allow_null=True, help_text="同意时的新截止日期（默认按申请）")
    comment = serializers.CharField(required=False, allow_blank=True, max_length=1000, help_text="意见；不同意时必填")
    version = serializers.IntegerField(min_value=1, help_text="任务读取时的版本号")


class EvidenceIn(serializers.Serializer):
    file = serializers.FileField(help_text="台账文件：PDF、JPG、PNG、Word、Excel，按内容检查")


class ErrorSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="稳定的错误代码：not_found、forbidden、invalid、conflict……")
    message = serializers.CharField(help_text="错误说明（中文）")


class ConflictSerializer(ErrorSerializer):
    current = TaskDetailSerializer(help_text="任务的当前状态")


class RoleSerializer(serializers.Serializer):
    org_id = serializers.IntegerField(help_text="组织 id")
    org_name = serializers.CharField(help_text="组织名称")
    role = serializers.CharField(help_text="角色代码")
    role_label = serializers.CharField(help_text="角色")


class CountsSerializer(serializers.Serializer):
    due_this_week = serializers.IntegerField(help_text="本周到期（未完成）")
    overdue = serializers.IntegerField(help_text="逾期未完成")
    returned = serializers.IntegerField(help_text="被退回")
    awaiting_my_review = serializers.IntegerField(help_text="待我审核")


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField(help_text="用户名")
    full_name = serializers.CharField(help_text="姓名")
    roles = RoleSerializer(many=True, help_text="任职（组织与角色）")
    orgs = OrgSerializer(many=True, help_text="可见范围的顶层组织")
    counts = CountsSerializer(help_text="我的任务计数")


class InboxItemSerializer(serializers.Serializer):
    task = serializers.IntegerField(help_text="任务 id")
    kind = serializers.CharField(help_text="提醒类型")
    title = serializers.CharField(help_text="任务名称")
    when = serializers.CharField(help_text="到期情况")
    link = serializers.CharField(help_text="任务页面")
    colour = serializers.CharField(help_text="预警颜色")


class InboxMessageSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField(help_text="提醒类型")
    title = serializers.CharField(help_text="标题")
    body = serializers.CharField(help_text="内容")
    link = serializers.CharField(help_text="相关页面")
    task_id = serializers.IntegerField(allow_null=True, help_text="相关任务 id")
    items = InboxItemSerializer(many=True, help_text="合并提醒所列的任务（最紧急的在前）；单条消息为空")
    more = serializers.IntegerField(help_text="未列出的其余任务数（见“我的任务”）")
    created_at = serializers.DateTimeField(help_text="收到时间")
    read_at = serializers.DateTimeField(allow_null=True, help_text="已读时间（未读为空）")


class ReadAllOut(serializers.Serializer):
    marked = serializers.IntegerField(help_text="标为已读的条数")


class FigureRowSerializer(serializers.Serializer):
    org = OrgSerializer(help_text="组织")
    counts = serializers.DictField(child=serializers.IntegerField(),
                                   help_text="各项数字：due 应完成、done 已完成、on_time 按时完成、overdue_open 逾期未完成、"
                                             "done_late 逾期完成、awaiting_review 待审核、returned 被退回、extended 已延期、colour_* 各预警颜色")
    on_time_rate = serializers.FloatField(allow_null=True, help_text="按时完成率（0–1；无应完成任务时为空）")


class WindowSerializer(serializers.Serializer):
    start = serializers.DateField(help_text="统计起始日")
    end = serializers.DateField(help_text="统计截止日")
    as_of = serializers.DateField(help_text="截至日期")


class DashboardSerializer(serializers.Serializer):
    window = WindowSerializer(help_text="统计区间")
    figures = serializers.DictField(child=serializers.CharField(), help_text="各项数字的名称")
    total = FigureRowSerializer(help_text="本级及下级合计")
    rows = FigureRowSerializer(many=True, help_text="各直属下级")
