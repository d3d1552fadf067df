"""巡察整改 as the API returns it: findings (问题), rectification measures (整改措施) and a
measure's progress (its task: status, notes, files, timeline)."""

from rest_framework import serializers

from inspections.models import Finding, Measure

from .serializers import TaskDetailSerializer


class MeasureSerializer(serializers.ModelSerializer):
    org_name = serializers.CharField(source="org.name", read_only=True, help_text="责任单位")
    type_label = serializers.CharField(source="get_type_display", read_only=True, help_text="整改类型（中文）")
    status = serializers.CharField(source="task.status", default=None, allow_null=True, read_only=True, help_text="整改任务状态：pending 整改中 / submitted 申请销号 / approved 已销号 / returned 退回")

    class Meta:
        model = Measure
        fields = ["id", "finding_id", "org_id", "org_name", "goal", "action", "leader_name", "person_name", "deadline",
                  "type", "type_label", "task_id", "status"]
        extra_kwargs = {"goal": {"help_text": "整改目标"}, "action": {"help_text": "具体措施"},
                        "leader_name": {"help_text": "责任领导"}, "person_name": {"help_text": "责任人"},
                        "deadline": {"help_text": "整改时限"}, "type": {"help_text": "类型：immediate 立行立改 / deadline 限期整改 / long_term 长期坚持"}}


class MeasureDetailSerializer(MeasureSerializer):
    progress = TaskDetailSerializer(source="task", read_only=True, help_text="整改进展：完成情况、台账文件、办理记录")

    class Meta(MeasureSerializer.Meta):
        fields = MeasureSerializer.Meta.fields + ["progress"]


class FindingSerializer(serializers.ModelSerializer):
    org_name = serializers.CharField(source="org.name", read_only=True, help_text="问题所在组织")
    round_name = serializers.CharField(source="inspection.round.name", read_only=True, help_text="巡察轮次")
    category_name = serializers.CharField(source="category.name", read_only=True, help_text="问题类别")
    status_label = serializers.CharField(source="get_status_display", read_only=True, help_text="状态（中文）")
    severity_label = serializers.CharField(source="get_severity_display", read_only=True, help_text="严重程度（中文）")

    class Meta:
        model = Finding
        fields = ["id", "inspection_id", "round_name", "org_id", "org_name", "seq", "category_name", "description", "source",
                  "severity", "severity_label", "found_on", "status", "status_label", "closed_on"]
        extra_kwargs = {"seq": {"help_text": "问题序号"}, "description": {"help_text": "问题描述"},
                        "source": {"help_text": "来源：inspection 巡察 / audit 审计 / special_check 专项检查 / petition 信访"},
                        "severity": {"help_text": "严重程度代码"}, "found_on": {"help_text": "发现日期"},
                        "status": {"help_text": "状态：open 整改中 / closed 已销号 / withdrawn 已撤销"},
                        "closed_on": {"help_text": "销号日期"}}


class FindingDetailSerializer(FindingSerializer):
    measures = MeasureSerializer(many=True, read_only=True, source="measures_in_order", help_text="整改措施")

    class Meta(FindingSerializer.Meta):
        fields = FindingSerializer.Meta.fields + ["rules_adopted", "accountability", "measures"]
        extra_kwargs = {**FindingSerializer.Meta.extra_kwargs, "rules_adopted": {"help_text": "建章立制"},
                        "accountability": {"help_text": "追责问责"}}


class ProgressIn(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=20000, help_text="整改进展说明")
    file = serializers.FileField(required=False, help_text="台账文件：PDF、JPG、PNG、Word、Excel，按内容检查")
    version = serializers.IntegerField(min_value=1, help_text="整改任务读取时的版本号（progress.version）")
