"""django-import-export resources for onboarding: the org tree, and accounts with a
membership each. Their Chinese column names are the one definition of the onboarding
files: the downloadable templates and the admin's export come from here, and
accounts.imports checks uploads against the same headers (all or nothing, row-level
messages; the import itself is done there, not by import-export's row-by-row save,
because org rows need treebeard paths and accounts need grants)."""

import tablib
from import_export import fields, resources

from .models import OrgUnit, User
from .roles import Role


class OrgUnitResource(resources.ModelResource):
    code = fields.Field(attribute="code", column_name="编码")
    name = fields.Field(attribute="name", column_name="名称")
    kind = fields.Field(attribute="kind", column_name="类型")
    subkind = fields.Field(attribute="subkind", column_name="细类")
    parent = fields.Field(column_name="上级编码")
    is_active = fields.Field(attribute="is_active", column_name="启用")

    class Meta:
        model = OrgUnit
        import_id_fields = ["code"]
        fields = ["code", "name", "kind", "subkind", "parent", "is_active"]
        export_order = ["code", "name", "kind", "subkind", "parent", "is_active"]

    def dehydrate_kind(self, org):
        return str(OrgUnit.Kind(org.kind).label)

    def dehydrate_is_active(self, org):
        return "是" if org.is_active else "否"

    def dehydrate_parent(self, org):
        if not org.pk or org.depth <= 1:
            return ""
        parent = OrgUnit.objects.filter(path=org.path[: -OrgUnit.steplen]).values_list("code", flat=True).first()
        return parent or ""


class AccountResource(resources.ModelResource):
    username = fields.Field(attribute="username", column_name="用户名")
    full_name = fields.Field(attribute="full_name", column_name="姓名")
    mobile = fields.Field(attribute="mobile", column_name="手机")
    password = fields.Field(column_name="初始密码")
    org = fields.Field(column_name="组织编码")
    role = fields.Field(column_name="角色")
    title = fields.Field(column_name="职务")
    start = fields.Field(column_name="开始日期")
    # optional: the person's user id in a work app (sign-in and personal messages from there)
    wecom_userid = fields.Field(column_name="企业微信账号")
    dingtalk_userid = fields.Field(column_name="钉钉账号")

    class Meta:
        model = User
        import_id_fields = ["username"]
        fields = ["username", "full_name", "mobile", "password", "org", "role", "title", "start",
                  "wecom_userid", "dingtalk_userid"]
        export_order = ["username", "full_name", "mobile", "password", "org", "role", "title", "start",
                        "wecom_userid", "dingtalk_userid"]

    def _membership(self, user):
        if not user.pk:
            return None
        return user.memberships.current().select_related("org").order_by("start_date", "pk").first()

    def dehydrate_password(self, user):
        return ""  # never exported

    def dehydrate_org(self, user):
        m = self._membership(user)
        return m.org.code if m else ""

    def dehydrate_role(self, user):
        m = self._membership(user)
        return str(Role(m.role).label) if m else ""

    def dehydrate_title(self, user):
        m = self._membership(user)
        return m.title if m else ""

    def dehydrate_start(self, user):
        m = self._membership(user)
        return m.start_date.isoformat() if m else ""

    def _userid(self, user, provider):
        if not user.pk:
            return ""
        return user.workapp_bindings.filter(provider=provider).values_list("userid", flat=True).first() or ""

    def dehydrate_wecom_userid(self, user):
        return self._userid(user, "wecom")

    def dehydrate_dingtalk_userid(self, user):
        return self._userid(user, "dingtalk")


def _headers(resource_class) -> list[str]:
    return [f.column_name for f in resource_class().get_export_fields()]


ORG_HEADERS = _headers(OrgUnitResource)
ACCOUNT_HEADERS = _headers(AccountResource)
# columns an accounts file may leave out (older templates): {header: work-app provider}
WORKAPP_HEADERS = {"企业微信账号": "wecom", "钉钉账号": "dingtalk"}

NOTES = {
    "orgs": [
        ("编码", "必填，唯一，仅字母、数字、-、_（如 T01、T01-V01）"),
        ("名称", "必填，如 城关镇、东关村"),
        ("类型", "必填：县 / 乡镇（可写 镇、乡、街道、区）/ 村（可写 村、社区）/ 县直单位"),
        ("细类", "可空：镇、乡、街道、区、村、社区"),
        ("上级编码", "县以外必填：系统中已有的组织编码，或本文件中另一行的编码"),
        ("启用", "可空（默认 是）：是 / 否"),
        ("说明", "整个文件全部无误才导入；有任何错误则一行也不导入，并逐行列出错误。"),
    ],
    "accounts": [
        ("用户名", "必填，系统内唯一（不区分大小写），仅字母、数字和 @ . + - _"),
        ("姓名", "必填"),
        ("手机", "可空，11 位手机号"),
        ("初始密码", "必填，至少 8 位，包含大写字母、小写字母、数字、符号中的 3 类；首次登录须修改"),
        ("组织编码", "必填，系统中已有的组织编码"),
        ("角色", "必填：纪委监委干部 / 党组织书记 / 纪委书记（纪检委员）/ 班子成员 / 联络员"),
        ("职务", "可空，如 镇纪委书记、村纪检委员"),
        ("开始日期", "可空（默认今天），如 2026-01-01"),
        ("企业微信账号", "可空：此人在企业微信 / 政务微信中的账号（UserID），绑定后可从企业微信登录、接收消息；本列可整列省略"),
        ("钉钉账号", "可空：此人在钉钉 / 政务钉钉中的 userid，绑定后可从钉钉登录、接收工作通知；本列可整列省略"),
        ("说明", "整个文件全部无误才导入；有任何错误则一行也不导入，并逐行列出错误。"),
    ],
}


def template_xlsx(kind: str) -> bytes:
    """The downloadable template: the resource's header row (empty sheet) and a 说明 sheet."""
    resource = {"orgs": OrgUnitResource, "accounts": AccountResource}[kind]()
    model = resource._meta.model
    data = resource.export(queryset=model.objects.none())
    data.title = "组织" if kind == "orgs" else "账号"
    notes = tablib.Dataset(*NOTES[kind], headers=["列", "填写要求"], title="说明")
    return tablib.Databook([data, notes]).export("xlsx")
