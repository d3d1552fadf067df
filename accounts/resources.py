"""django-import-export resources for onboarding (org tree, accounts with memberships).

Headers are Chinese (the downloadable template). Validation is strict; the
import service (accounts.imports) runs them all-or-nothing."""

from django.utils.translation import gettext_lazy as _
from import_export import fields, resources
from import_export.widgets import ForeignKeyWidget

from .models import OrgUnit, User


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
        skip_unchanged = True
        use_transactions = True

    def dehydrate_parent(self, org):
        parent = org.get_parent() if org.pk else None
        return parent.code if parent else ""


class AccountResource(resources.ModelResource):
    username = fields.Field(attribute="username", column_name="用户名")
    full_name = fields.Field(attribute="full_name", column_name="姓名")
    mobile = fields.Field(attribute="mobile", column_name="手机")

    class Meta:
        model = User
        import_id_fields = ["username"]
        fields = ["username", "full_name", "mobile"]
        export_order = ["username", "full_name", "mobile"]
        use_transactions = True


__all__ = ["OrgUnitResource", "AccountResource", "ForeignKeyWidget", "_"]
