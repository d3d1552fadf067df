"""Bulk onboarding from .xlsx: templates, good files, and every kind of bad file
(row-level Chinese messages, nothing imported)."""

import io

import pytest
from django.test import override_settings
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from accounts.imports import import_file
from accounts.models import AuditEvent, Membership, OrgUnit, OrgUnitUserObjectPermission, User
from accounts.resources import ACCOUNT_HEADERS, ORG_HEADERS
from accounts.scope import visible_to
from tests.county import make_user

pytestmark = pytest.mark.django_db


def xlsx(rows, headers=None) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("sheet")
    if headers is not None:
        ws.append(headers)
    for r in rows:
        ws.append(list(r))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def state():
    return (OrgUnit.objects.count(), User.objects.count(), Membership.objects.count(),
            OrgUnitUserObjectPermission.objects.count(), sorted(OrgUnit.objects.values_list("path", "name", "numchild")))


ORGS_OK = [
    ("T3", "石桥乡", "乡", "", "C", "是"),
    ("T3-V2", "北山村", "村", "", "T3", ""),      # child before… no: after its parent
    ("T3-V1", "石桥村", "村", "", "T3", "是"),
    ("T1-V3", "南街社区", "社区", "", "T1", "是"),  # under an existing town
    ("C-ZZB", "县委组织部", "县直单位", "", "C", "是"),
]


def test_org_import_builds_a_sound_tree(county):
    result = import_file("orgs", xlsx(ORGS_OK, ORG_HEADERS), user=county.staff)
    assert result.ok, result.errors
    assert result.created == 5
    assert OrgUnit.find_problems() == ([], [], [], [], [])
    t3 = OrgUnit.objects.get(code="T3")
    assert (t3.kind, t3.subkind, t3.get_parent().code) == ("town", "乡", "C")
    assert sorted(c.code for c in t3.get_children()) == ["T3-V1", "T3-V2"]
    v13 = OrgUnit.objects.get(code="T1-V3")
    assert v13.get_parent().code == "T1" and v13.subkind == "社区"
    assert OrgUnit.objects.get(code="T1").numchild == 3
    assert "T1-V3" in set(visible_to(county.t1_party).values_list("code", flat=True))
    assert AuditEvent.objects.filter(action="accounts.orgs_imported", actor=county.staff).exists()
    # the same file again: nothing new, nothing refused
    again = import_file("orgs", xlsx(ORGS_OK, ORG_HEADERS))
    assert again.ok and again.created == 0 and again.updated == 0


def test_children_may_come_before_their_parent(county):
    rows = [("T9-V1", "后村", "村", "", "T9", ""), ("T9", "后乡", "乡", "", "C", "")]
    assert import_file("orgs", xlsx(rows, ORG_HEADERS)).ok
    assert OrgUnit.objects.get(code="T9-V1").get_parent().code == "T9"
    assert OrgUnit.find_problems() == ([], [], [], [], [])


def test_org_import_updates_names(county):
    result = import_file("orgs", xlsx([("T1", "城关街道", "街道", "街道", "C", "是")], ORG_HEADERS))
    assert result.ok and result.updated == 1
    assert OrgUnit.objects.get(code="T1").name == "城关街道"


def refused(kind, data):
    before = state()
    result = import_file(kind, data)
    assert not result.ok
    assert state() == before, "nothing is imported"
    return "\n".join(result.errors)


@pytest.mark.parametrize("rows,expected", [
    ([("T3", "石桥乡", "乡", "", "NOPE", "")], "第 2 行：上级编码 NOPE 在系统和本文件中都不存在"),
    ([("T3", "石桥乡", "乡", "", "C", ""), ("T3", "又一乡", "乡", "", "C", "")], "第 3 行：编码 T3 已在第 2 行使用"),
    ([("T3", "", "乡", "", "C", "")], "第 2 行：名称为空"),
    ([("T3", "石桥乡", "乡镇府", "", "C", "")], "第 2 行：类型 乡镇府 不是"),
    ([("T3-V1", "村", "村", "", "C", "")], "第 2 行：村（社区）不能隶属于 C"),
    ([("T3", "石桥乡", "乡", "", "", "")], "第 2 行：只有县可以没有上级"),
    ([("T3", "石桥乡", "乡", "", "C", "也许")], "第 2 行：“启用”列只能填 是 或 否"),
    ([("A1", "甲", "乡", "", "B1", ""), ("B1", "乙", "乡", "", "A1", "")], "上级编码形成了循环"),
    ([("T2-V1", "南村", "村", "", "T1", "")], "T2-V1 已存在，但上级或类型不同"),
    ([("T3", "石桥乡", "乡", "", "C", ""), (None, None, None, None, None, None), ("T4", "四乡", "乡", "", "C", "")],
     "第 3 行：空行，请删除"),
])
def test_bad_org_rows(county, rows, expected):
    assert expected in refused("orgs", xlsx(rows, ORG_HEADERS))


def test_all_errors_are_listed_at_once(county):
    rows = [("T3", "", "乡", "", "C", ""), ("T4", "四乡", "乡", "", "NOPE", ""), ("T5", "五乡", "乡", "", "C", "")]
    text = refused("orgs", xlsx(rows, ORG_HEADERS))
    assert "第 2 行" in text and "第 3 行" in text and "第 4 行" not in text


@pytest.mark.parametrize("kind,headers,expected", [
    ("orgs", ["编码", "名称", "类型", "上级编码", "启用"], "缺少列：细类"),
    ("orgs", ORG_HEADERS + ["备注"], "多余的列：备注"),
    ("orgs", ["code", "name", "kind", "subkind", "parent", "active"], "缺少列：编码、名称"),
    ("accounts", ORG_HEADERS, "缺少列：用户名"),
    ("accounts", ACCOUNT_HEADERS[:3] + ACCOUNT_HEADERS[:3] + ACCOUNT_HEADERS[3:], "重复的列：姓名、手机、用户名"),
])
def test_wrong_columns(county, kind, headers, expected):
    text = refused(kind, xlsx([["x"] * len(headers)], headers))
    assert expected in text and "模板" in text


@pytest.mark.parametrize("kind", ["orgs", "accounts"])
def test_header_only_file(county, kind):
    assert "没有数据行" in refused(kind, xlsx([], ORG_HEADERS if kind == "orgs" else ACCOUNT_HEADERS))


@pytest.mark.parametrize("data", [
    b"username,password\nalice,Secret-123\n",                      # a CSV renamed .xlsx
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600,           # an old .xls renamed
    b"PK\x03\x04" + b"\x00" * 100,                                  # a broken zip
    b"",
])
def test_non_excel_files(county, data):
    text = refused("accounts", data)
    assert "Excel" in text or "空" in text


def test_a_word_document_renamed_xlsx(county):
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    assert "不是 Excel 工作簿" in refused("orgs", buf.getvalue())


@override_settings(IMPORT_MAX_ROWS=1000)
def test_too_many_rows_small_limit(county):
    rows = [(f"u{i}", "某人", "", "Qiao-mu-7788", "T1", "联络员", "", "") for i in range(1001)]
    assert "超过 1000 行" in refused("accounts", xlsx(rows, ACCOUNT_HEADERS))


def test_fifty_thousand_rows_are_refused(county):
    rows = ((f"u{i}", "某人", "", "Qiao-mu-7788", "T1-V1", "联络员", "", "") for i in range(50_000))
    data = xlsx(rows, ACCOUNT_HEADERS)
    text = refused("accounts", data)
    assert "超过 20000 行" in text and "分" in text


# --- accounts ----------------------------------------------------------------------

ACCOUNTS_OK = [
    ("zhao_v11", "赵六", "13800000001", "Qiao-mu-7788", "T1-V1", "纪检委员", "村纪检委员", "2026-01-01"),
    ("qian_t2", "钱七", "", "Qiao-mu-7788", "T2", "联络员", "", ""),
    ("sun_c", "孙八", "", "Lantern-9-river", "C", "纪委监委干部", "", "2025/3/1"),
]


def test_account_import_creates_users_memberships_and_grants(county):
    result = import_file("accounts", xlsx(ACCOUNTS_OK, ACCOUNT_HEADERS), user=county.staff)
    assert result.ok, result.errors
    assert result.created == 3
    zhao = User.objects.get(username="zhao_v11")
    assert zhao.full_name == "赵六" and zhao.mobile == "13800000001"
    assert zhao.check_password("Qiao-mu-7788") and zhao.must_change_password
    m = zhao.memberships.get()
    assert (m.org.code, m.role, m.title, str(m.start_date)) == ("T1-V1", "discipline_secretary", "村纪检委员", "2026-01-01")
    assert set(visible_to(zhao, "review").values_list("code", flat=True)) == {"T1-V1"}
    assert set(visible_to(User.objects.get(username="qian_t2")).values_list("code", flat=True)) == {"T2", "T2-V1"}
    sun = User.objects.get(username="sun_c")
    assert str(sun.memberships.get().start_date) == "2025-03-01"
    assert visible_to(sun, "manage").count() == 8
    assert AuditEvent.objects.filter(action="accounts.accounts_imported").exists()


def test_imported_account_signs_in_and_must_change(county, client):
    import_file("accounts", xlsx(ACCOUNTS_OK, ACCOUNT_HEADERS))
    r = client.post(reverse("accounts:login"), {"username": "zhao_v11", "password": "Qiao-mu-7788"})
    assert r.status_code == 302
    assert client.get(reverse("home"))["Location"] == reverse("accounts:password_change")


@pytest.mark.parametrize("row,expected", [
    (("t1_party", "重名", "", "Qiao-mu-7788", "T1", "联络员", "", ""), "第 3 行：用户名 t1_party 在系统中已存在"),
    (("T1_PARTY", "重名", "", "Qiao-mu-7788", "T1", "联络员", "", ""), "用户名 T1_PARTY 在系统中已存在"),
    (("newbie", "新人", "", "", "T1", "联络员", "", ""), "第 3 行：初始密码为空"),
    (("newbie", "新人", "", "abc123", "T1", "联络员", "", ""), "第 3 行：初始密码强度不够"),
    (("newbie", "新人", "", "Password1", "T1", "联络员", "", ""), "这个密码太常见了"),
    (("zhangwei", "张伟", "", "Zhangwei-2026", "T1", "联络员", "", ""), "初始密码强度不够"),
    (("newbie", "新人", "", "Qiao-mu-7788", "NOPE", "联络员", "", ""), "组织编码 NOPE 不存在"),
    (("newbie", "新人", "", "Qiao-mu-7788", "T1", "村长", "", ""), "角色 村长 不是"),
    (("newbie", "新人", "123", "Qiao-mu-7788", "T1", "联络员", "", ""), "手机号 123 不是 11 位"),
    (("new bie", "新人", "", "Qiao-mu-7788", "T1", "联络员", "", ""), "用户名 new bie 只能"),
    (("newbie", "", "", "Qiao-mu-7788", "T1", "联络员", "", ""), "姓名为空"),
    (("newbie", "新人", "", "Qiao-mu-7788", "T1", "联络员", "", "明天"), "开始日期 明天 不是日期"),
])
def test_bad_account_rows(county, row, expected):
    assert expected in refused("accounts", xlsx([ACCOUNTS_OK[0], row], ACCOUNT_HEADERS))


def test_duplicate_username_inside_the_file(county):
    rows = [ACCOUNTS_OK[0], ACCOUNTS_OK[1], ("ZHAO_v11",) + ACCOUNTS_OK[0][1:]]
    assert "第 4 行：用户名 ZHAO_v11 重复（首次出现在第 2 行）" in refused("accounts", xlsx(rows, ACCOUNT_HEADERS))


def test_empty_row_between_account_rows(county):
    rows = [ACCOUNTS_OK[0], [None] * 8, ACCOUNTS_OK[1], [None] * 8, [None] * 8]
    text = refused("accounts", xlsx(rows, ACCOUNT_HEADERS))
    assert "第 3 行：空行，请删除" in text
    assert "第 5 行" not in text, "trailing blank rows are ignored"


def test_deactivated_org_is_refused(county):
    county.v12.is_active = False
    county.v12.save()
    row = ("newbie", "新人", "", "Qiao-mu-7788", "T1-V2", "联络员", "", "")
    assert "组织编码 T1-V2 不存在（或已停用）" in refused("accounts", xlsx([row], ACCOUNT_HEADERS))


def test_two_thousand_accounts_import_quickly(county):
    import time

    rows = [(f"bulk{i}", f"人{i}", "", "Qiao-mu-7788", "T1-V1" if i % 2 else "T2-V1", "联络员", "", "") for i in range(2000)]
    t = time.perf_counter()
    result = import_file("accounts", xlsx(rows, ACCOUNT_HEADERS))
    assert result.ok and result.created == 2000
    assert time.perf_counter() - t < 30
    assert OrgUnitUserObjectPermission.objects.filter(user__username__startswith="bulk").count() == 4000


# --- page -------------------------------------------------------------------------------

@pytest.fixture
def admin_client(county, client):
    client.force_login(make_user("sysadmin", is_staff=True, is_superuser=True))
    return client


def test_templates_have_chinese_headers_and_notes(admin_client):
    for kind, headers in (("orgs", ORG_HEADERS), ("accounts", ACCOUNT_HEADERS)):
        r = admin_client.get(reverse("accounts:import_template", args=[kind]))
        assert r.status_code == 200 and "attachment" in r["Content-Disposition"]
        wb = load_workbook(io.BytesIO(r.content))
        assert [c.value for c in wb.worksheets[0][1]] == headers
        assert wb.worksheets[0].max_row == 1, "no sample row that could be imported by mistake"
        assert wb.sheetnames[1] == "说明"
    assert admin_client.get("/accounts/import/template/other.xlsx").status_code == 404


def test_a_filled_in_template_imports(admin_client):
    r = admin_client.get(reverse("accounts:import_template", args=["orgs"]))
    wb = load_workbook(io.BytesIO(r.content))
    wb.worksheets[0].append(["T5", "五里镇", "镇", "", "C", "是"])
    buf = io.BytesIO()
    wb.save(buf)
    assert import_file("orgs", buf.getvalue()).ok


def upload(client, kind, data, name="file.xlsx"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(reverse("accounts:import"), {"kind": kind, "file": SimpleUploadedFile(name, data)})


def test_page_imports_and_reports(admin_client):
    assert admin_client.get(reverse("accounts:import")).status_code == 200
    assert reverse("accounts:import") in admin_client.get(reverse("home")).content.decode()  # in the menu
    r = upload(admin_client, "orgs", xlsx(ORGS_OK, ORG_HEADERS))
    assert r.status_code == 302
    assert OrgUnit.objects.filter(code="T3-V1").exists()
    before = state()
    r = upload(admin_client, "accounts", xlsx([("x", "", "", "", "NOPE", "村长", "", "")], ACCOUNT_HEADERS))
    assert r.status_code == 400 and state() == before
    html = r.content.decode()
    assert "未导入任何数据" in html and "第 2 行" in html and "组织编码 NOPE 不存在" in html
    r = upload(admin_client, "accounts", b"not excel at all")
    assert r.status_code == 400 and "不是 Excel 工作簿" in r.content.decode()


def test_page_is_for_superusers_only(county, login):
    plain_staff = make_user("plain_staff", is_staff=True)  # may use the admin site, not create accounts
    for user in (plain_staff, county.staff, county.t1_party, county.nobody):
        client = login(user)
        assert client.get(reverse("accounts:import")).status_code == 403
        assert client.get(reverse("accounts:import_template", args=["orgs"])).status_code == 403
        before = state()
        assert upload(client, "orgs", xlsx(ORGS_OK, ORG_HEADERS)).status_code == 403
        assert state() == before
        assert reverse("accounts:import") not in client.get(reverse("home")).content.decode()  # nor in the menu
