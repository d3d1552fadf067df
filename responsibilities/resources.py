"""django-import-export resource for the items of one list: Chinese headers and
values, so the county can edit a list in Excel and bring it back.

Rows are matched to items by 序号; new numbers add items, existing numbers
update them (through ``services``: the same validation, audit, snapshot
update and task generation as editing in the app). Items missing from the file
are left as they are. Export neutralises cells starting with = + - @."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from accounts.xlsx import neutralise, unneutralise

from . import services
from .models import ChecklistItem

CATEGORY_LABELS = {"collective": "集体责任", "first": "第一责任人责任", "one_post": "一岗双责", "supervisory": "监督责任"}
FREQUENCY_LABELS = {"M": "每月", "Q": "每季度", "H": "每半年", "Y": "每年", "F": "节前", "E": "事件（即时）", "O": "一次性"}
DUE_RULE_LABELS = {"before_end": "期末前N天", "fixed": "固定日期", "before_holiday": "节前N天"}
ALIASES = {
    "frequency": {"月": "M", "月度": "M", "季": "Q", "季度": "Q", "半年": "H", "年": "Y", "年度": "Y", "节点": "F",
                  "节日": "F", "事件": "E", "即时": "E", "按需": "E", "一次": "O"},
    "category": {"集体": "collective", "第一责任人": "first", "监督": "supervisory"},
    "due_rule": {"期末前": "before_end", "固定": "fixed", "节前": "before_holiday"},
}
YES, NO = "是", "否"


def _text(value) -> str:
    if value is None:
        return ""
    return unneutralise(str(value).strip())


class TextWidget(widgets.Widget):
    def __init__(self, max_length=None):
        super().__init__(coerce_to_string=True)
        self.max_length = max_length

    def clean(self, value, row=None, **kwargs):
        text = _text(value)
        if self.max_length and len(text) > self.max_length:
            raise ValueError(_("At most %(n)s characters.") % {"n": self.max_length})
        return text

    def render(self, value, obj=None, **kwargs):
        return neutralise("" if value is None else str(value))


class MonthDayWidget(TextWidget):
    """Excel turns "03-31" into a date or a number: bring it back to MM-DD / DD."""

    def clean(self, value, row=None, **kwargs):
        if hasattr(value, "month") and hasattr(value, "day"):
            return f"{value.month:02d}-{value.day:02d}"
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return super().clean(value, row, **kwargs)


class ChoiceWidget(widgets.Widget):
    def __init__(self, labels: dict, aliases: dict, what: str, default=None):
        super().__init__(coerce_to_string=True)
        self.labels, self.aliases, self.what, self.default = labels, aliases, what, default

    def clean(self, value, row=None, **kwargs):
        text = _text(value)
        if not text:
            return self.default
        for code, label in self.labels.items():
            if text in (code, label):
                return code
        if text in self.aliases:
            return self.aliases[text]
        raise ValueError(
            _("“%(value)s” is not a valid %(what)s; use one of: %(choices)s.")
            % {"value": text, "what": self.what, "choices": "、".join(self.labels.values())}
        )

    def render(self, value, obj=None, **kwargs):
        return self.labels.get(value, value or "")


class NumberWidget(widgets.Widget):
    def __init__(self, integer=False, required=False, minimum=0, maximum=None, default=None):
        super().__init__(coerce_to_string=False)
        self.integer, self.required, self.minimum, self.maximum = integer, required, minimum, maximum
        self.default = default

    def clean(self, value, row=None, **kwargs):
        text = _text(value)
        if text == "":
            if self.required:
                raise ValueError(_("This cell is required."))
            return self.default
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValueError(_("“%(value)s” is not a number.") % {"value": text}) from None
        if self.integer and number != number.to_integral_value():
            raise ValueError(_("“%(value)s” is not a whole number.") % {"value": text})
        if number < self.minimum or (self.maximum is not None and number > self.maximum):
            raise ValueError(_("“%(value)s” is out of range.") % {"value": text})
        return int(number) if self.integer else number.quantize(Decimal("0.01"))

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return int(value) if self.integer else float(value)


class YesNoWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        text = _text(value)
        if text in ("", NO, "0", "False", "false", "N", "n"):
            return False
        if text in (YES, "1", "True", "true", "Y", "y"):
            return True
        raise ValueError(_("Write 是 or 否."))

    def render(self, value, obj=None, **kwargs):
        return YES if value else NO


# Header → model field. The order is the column order of the export.
COLUMNS = [
    ("seq", "序号", NumberWidget(integer=True, required=True, minimum=1, maximum=9999)),
    ("title", "事项", TextWidget(300)),
    ("requirement", "具体要求", TextWidget(4000)),
    ("category", "责任类型", ChoiceWidget(CATEGORY_LABELS, ALIASES["category"], "责任类型")),
    ("frequency", "频次", ChoiceWidget(FREQUENCY_LABELS, ALIASES["frequency"], "频次")),
    ("due_rule", "截止规则", ChoiceWidget(DUE_RULE_LABELS, ALIASES["due_rule"], "截止规则", default="before_end")),
    ("due_days", "天数", NumberWidget(integer=True, maximum=180, default=0)),
    ("due_month_day", "固定日期", MonthDayWidget(5)),
    ("evidence_hint", "台账要求", TextWidget(200)),
    ("points", "分值", NumberWidget(maximum=9999, default=Decimal("0"))),
    ("partial_points_each", "每次得分", NumberWidget(maximum=9999)),
    ("partial_points_cap", "得分上限", NumberWidget(maximum=9999)),
    ("is_reconstructed", "是否重构", YesNoWidget()),
]
HEADERS = {attr: header for attr, header, _ in COLUMNS}
REQUIRED_HEADERS = ["序号", "事项", "责任类型", "频次"]
DEFAULTS = {"due_rule": "before_end", "due_days": 0, "points": Decimal("0")}


class ChecklistItemResource(resources.ModelResource):
    class Meta:
        model = ChecklistItem
        fields = [attr for attr, _, _ in COLUMNS]
        export_order = fields
        import_id_fields = ["seq"]
        clean_model_instances = True
        skip_unchanged = True
        skip_html_diff = True
        use_transactions = True

    def __init__(self, checklist=None, user=None):
        super().__init__()
        self.checklist, self.user = checklist, user
        for attr, header, widget in COLUMNS:
            self.fields[attr] = fields.Field(attribute=attr, column_name=header, widget=widget, saves_null_values=True)

    def get_queryset(self):
        return self.checklist.items.filter(is_active=True).order_by("seq")

    def get_instance(self, instance_loader, row):
        try:
            seq = self.fields["seq"].clean(row)
        except ValueError:
            return None
        return self.checklist.items.filter(seq=seq).first()

    def init_instance(self, row=None):
        item = ChecklistItem(checklist=self.checklist)
        for key, value in DEFAULTS.items():
            setattr(item, key, value)
        return item

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as e:
            errors = e.update_error_dict(errors)
        for attr in ("category", "frequency"):
            if attr not in errors and not getattr(instance, attr, None):
                errors[attr] = [_("This cell is required.")]
        if errors:
            raise ValidationError(errors)

    def do_instance_save(self, instance, is_create):
        data = {attr: getattr(instance, attr) for attr in services.ITEM_FIELDS}
        if is_create:
            services.add_item(self.checklist, self.user, bump_version=False, **data)
        else:
            services.update_item(instance, self.user, lock_version=instance.lock_version, bump_version=False, **data)
