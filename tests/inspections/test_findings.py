"""Findings: one by one and imported from Excel (row-level Chinese messages, nothing on any error)."""

import io
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from inspections import services
from inspections.models import Finding

from .conftest import make_inspection

pytestmark = pytest.mark.django_db


def xlsx(rows, header=("序号", "单位", "问题类别", "问题描述", "问题来源", "严重程度", "发现日期")):
    wb = Workbook()
    ws = wb.active
    ws.append(["2026年第一轮巡察反馈意见"])
    ws.append(list(header))
    for r in rows:
        ws.append(list(r))
    out = io.BytesIO()
    wb.save(out)
    return SimpleUploadedFile("反馈意见.xlsx", out.getvalue())


GOOD = [
    (1, "城关镇", "党的建设", "三会一课不规范", "巡察", "一般", "2026-04-30"),
    (2, "东村", "群众身边腐败和作风问题", "惠民资金发放不公开", "信访", "严重", date(2026, 4, 28)),
]


@pytest.fixture
def insp(county, leader):
    return make_inspection(county, leader, [])


def test_import_creates_every_row(county, insp):
    created = services.import_findings(county.staff, insp, xlsx(GOOD))
    assert [(f.seq, f.org, f.severity, f.source, f.found_on) for f in created] == [
        (1, county.town1, "general", "inspection", date(2026, 4, 30)),
        (2, county.v11, "serious", "petition", date(2026, 4, 28)),
    ]


def test_import_with_unknown_org_names_saves_nothing(county, insp, client):
    rows = GOOD + [(3, "不存在镇", "党的建设", "问题", "巡察", "一般", ""), (4, "南村", "未知类别", "", "巡察", "很重", "2026-13-01")]
    with pytest.raises(ValidationError) as e:
        services.import_findings(county.staff, insp, xlsx(rows))
    msgs = e.value.messages
    assert len(msgs) == 2
    assert msgs[0].startswith("第5行") and "不存在镇" in msgs[0]
    assert msgs[1].startswith("第6行") and "南村" in msgs[1] and "未知类别" in msgs[1] and "很重" in msgs[1]
    assert not Finding.objects.exists()
    client.force_login(county.staff)
    response = client.post(reverse("inspections:finding_import", args=[insp.pk]), {"file": xlsx(rows)})
    assert response.status_code == 400
    assert "不存在镇" in response.content.decode() and not Finding.objects.exists()


def test_import_not_excel_and_missing_columns(county, insp):
    with pytest.raises(ValidationError) as e:
        services.import_findings(county.staff, insp, SimpleUploadedFile("a.xlsx", b"not a workbook"))
    assert "Excel" in e.value.messages[0]
    with pytest.raises(ValidationError) as e:
        services.import_findings(county.staff, insp, xlsx([("1", "x")], header=("序号", "问题描述")))
    assert "单位" in e.value.messages[0]
    assert not Finding.objects.exists()


def test_create_finding_view_and_bad_org(county, insp, client):
    client.force_login(county.staff)
    from inspections.models import FindingCategory

    cat = FindingCategory.objects.get(name="选人用人")
    response = client.post(reverse("inspections:finding_create", args=[insp.pk]), {
        "org": county.v21.pk, "category": cat.pk, "description": "x", "source": "audit", "severity": "minor", "found_on": "2026-04-01",
    })
    assert response.status_code == 200 and not Finding.objects.exists()  # 南村 is not below 城关镇
    response = client.post(reverse("inspections:finding_create", args=[insp.pk]), {
        "org": county.v12.pk, "category": cat.pk, "description": "干部选拔程序不规范", "source": "audit", "severity": "minor", "found_on": "2026-04-01",
    })
    assert response.status_code == 302
    assert Finding.objects.get().org == county.v12
