"""The onboarding import's optional work-app columns: bindings written with the accounts, all or
nothing, with row-level messages; an older file without the columns still imports."""

import pytest

from accounts.imports import import_file
from accounts.models import User
from accounts.resources import ACCOUNT_HEADERS, template_xlsx
from tests.accounts.test_imports import ACCOUNTS_OK, xlsx
from workapp.models import Binding

pytestmark = pytest.mark.django_db

ROWS = [
    (*ACCOUNTS_OK[0], "ZhaoLiu", "ding-001"),
    (*ACCOUNTS_OK[1], "", "ding-002"),
    (*ACCOUNTS_OK[2], "sunba", ""),
]


def test_the_template_has_the_columns_and_an_older_file_without_them_imports(county):
    from openpyxl import load_workbook
    import io

    header = [c.value for c in next(load_workbook(io.BytesIO(template_xlsx("accounts")))["账号"].iter_rows())]
    assert header[-2:] == ["企业微信账号", "钉钉账号"]
    result = import_file("accounts", xlsx(ACCOUNTS_OK, ACCOUNT_HEADERS[:8]))
    assert result.ok, result.errors
    assert not Binding.objects.exists()


def test_the_columns_bind_the_new_accounts(county):
    result = import_file("accounts", xlsx(ROWS, ACCOUNT_HEADERS), user=county.staff)
    assert result.ok, result.errors
    got = sorted(Binding.objects.values_list("user__username", "provider", "userid", "via"))
    assert got == [("qian_t2", "dingtalk", "ding-002", "import"), ("sun_c", "wecom", "sunba", "import"),
                   ("zhao_v11", "dingtalk", "ding-001", "import"), ("zhao_v11", "wecom", "ZhaoLiu", "import")]


def test_a_taken_repeated_or_malformed_user_id_refuses_the_whole_file(county):
    Binding.objects.create(user=county.v11_clerk, provider="wecom", userid="zhaoliu", via="confirmed")
    rows = [ROWS[0], (*ACCOUNTS_OK[1], "bad id!", "ding-001"), ROWS[2]]
    result = import_file("accounts", xlsx(rows, ACCOUNT_HEADERS))
    text = "\n".join(result.errors)
    assert "第 2 行：企业微信账号 ZhaoLiu 已绑定到另一个账号。" in text
    assert "第 3 行：企业微信账号 bad id! 只能使用字母、数字" in text
    assert "第 3 行：钉钉账号 ding-001 重复（首次出现在第 2 行）。" in text
    assert not User.objects.filter(username__in=["zhao_v11", "qian_t2", "sun_c"]).exists()
    assert Binding.objects.count() == 1
