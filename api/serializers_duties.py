"""Duty lists (主体责任清单) and their items as the API returns them (read only)."""

from rest_framework import serializers

from responsibilities.models import Checklist, ChecklistItem


class ChecklistSerializer(serializers.ModelSerializer):
    level_label = serializers.CharField(source="get_level_display", read_only=True, help_text="层级（中文）")
    bearer_label = serializers.CharField(source="get_bearer_display", read_only=True, help_text="责任主体（中文）")
    status_label = serializers.CharField(source="get_status_display", read_only=True, help_text="状态（中文）")
    item_count = serializers.IntegerField(read_only=True, help_text="在用事项数")

    class Meta:
        model = Checklist
        fields = ["id", "year", "title", "level", "level_label", "bearer", "bearer_label", "status", "status_label",
                  "review_by", "version", "version_note", "published_at", "item_count"]
        extra_kwargs = {"year": {"help_text": "年度"}, "title": {"help_text": "清单名称"},
                        "level": {"help_text": "层级：county 县 / town 镇 / village 村 / department 县直部门"},
                        "bearer": {"help_text": "责任主体：committee 党组织 / secretary 书记 / member 班子成员 / discipline 纪检"},
                        "status": {"help_text": "状态：draft 草稿 / published 已发布 / archived 已归档"},
                        "review_by": {"help_text": "审核方：parent 上一级 / county 县纪委监委"},
                        "version": {"help_text": "版本号"}, "version_note": {"help_text": "版本说明"},
                        "published_at": {"help_text": "发布时间"}}


class ChecklistItemSerializer(serializers.ModelSerializer):
    category_label = serializers.CharField(source="get_category_display", read_only=True, help_text="责任类别（中文）")
    frequency_label = serializers.CharField(source="get_frequency_display", read_only=True, help_text="频次（中文）")

    class Meta:
        model = ChecklistItem
        fields = ["id", "checklist_id", "seq", "title", "requirement", "category", "category_label", "frequency",
                  "frequency_label", "due_rule", "due_days", "due_month_day", "evidence_hint", "points", "is_active"]
        extra_kwargs = {"seq": {"help_text": "序号"}, "title": {"help_text": "事项"}, "requirement": {"help_text": "具体要求"},
                        "category": {"help_text": "四责类别代码"}, "frequency": {"help_text": "频次代码：M 月 / Q 季 / H 半年 / Y 年 / F 节点 / E 事件 / O 一次"},
                        "due_rule": {"help_text": "截止规则"}, "due_days": {"help_text": "提前天数"},
                        "due_month_day": {"help_text": "固定日期（MM-DD 或 DD）"}, "evidence_hint": {"help_text": "台账要求"},
                        "points": {"help_text": "分值"}, "is_active": {"help_text": "是否在用"}}


class ChecklistDetailSerializer(ChecklistSerializer):
    items = ChecklistItemSerializer(many=True, read_only=True, source="items_in_order", help_text="清单事项（按序号）")

    class Meta(ChecklistSerializer.Meta):
        fields = ChecklistSerializer.Meta.fields + ["source_note", "items"]
        extra_kwargs = {**ChecklistSerializer.Meta.extra_kwargs, "source_note": {"help_text": "依据"}}
