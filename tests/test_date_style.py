"""One date style for people: 2026年12月6日 (no zero padding) in pages, workbooks and letters,
二〇二六年十二月六日 as the 成文日期 of an official document (accounts.dates)."""

import re
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.template import Context, Template
from django.utils import translation

from accounts.dates import EXCEL_DAY, chinese_day, day, month_day

ROOT = Path(settings.BASE_DIR)
# a date written out in a template's text (attribute values such as value="…" and href="…" are machine dates)
SPELLED = re.compile(r'\|date:"[^"]*[Ymdjn][^"]*"|(?<![="])\{\{ [\w.]+\.isoformat \}\}')


def test_the_one_style():
    with translation.override("zh-hans"):
        assert day(date(2026, 12, 6)) == "2026年12月6日" and day(date(2026, 1, 5)) == "2026年1月5日"
        assert day(datetime(2026, 12, 5, 17, 0, tzinfo=ZoneInfo("UTC"))) == "2026年12月6日"   # the Beijing date
        assert day(None) == "" and month_day(3, 1) == "3月1日"
        assert Template("{{ d|date }}").render(Context({"d": date(2026, 12, 6)})) == "2026年12月6日"
    assert chinese_day(date(2026, 12, 6)) == "二〇二六年十二月六日"
    assert chinese_day(date(2030, 10, 20)) == "二〇三〇年十月二十日" and chinese_day(date(2027, 1, 31)) == "二〇二七年一月三十一日"
    assert EXCEL_DAY == 'yyyy"年"m"月"d"日"'


def test_no_template_spells_a_date_format_out():
    offenders = []
    for path in ROOT.glob("**/templates/**/*.html"):
        if ".venv" in path.parts:
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for m in SPELLED.finditer(line):
                if "DATETIME_FORMAT" in m.group(0) or re.search(r'\|date:"[^"]*H:i', m.group(0)) and "Y" not in m.group(0):
                    continue   # a moment (time of day), not a date
                offenders.append(f"{path.relative_to(ROOT)}:{n}: {m.group(0)}")
    assert not offenders, offenders
