"""The one way qingdan writes a date for people: 2026年12月6日 (no zero padding), in pages,
workbooks and letters alike.

- Python: ``day(d)``; it is the active language's DATE_FORMAT (Django's zh-hans one is
  ``Y年n月j日``), so pages in English read "Dec. 6, 2026".
- Templates: Django's own ``|date`` filter without an argument (the same DATE_FORMAT) and
  ``|date:"DATETIME_FORMAT"`` for a moment; no template spells a format out.
- Excel: ``EXCEL_DAY``, the number format of every date cell.
- The 成文日期 of an official document (GB/T 9704 layout): ``chinese_day(d)`` →
  二〇二六年十二月六日."""

from datetime import date, datetime

from django.utils import formats, timezone
from django.utils.translation import pgettext

EXCEL_DAY = 'yyyy"年"m"月"d"日"'

_DIGITS = "〇一二三四五六七八九"


def day(d: date | datetime | None) -> str:
    """A date (or the local date of a moment) as people write it; "" for None."""
    if d is None:
        return ""
    if isinstance(d, datetime):
        d = timezone.localtime(d).date() if timezone.is_aware(d) else d.date()
    return formats.date_format(d, "DATE_FORMAT")


def month_day(month: int, day_of_month: int) -> str:
    """3月31日 (a yearly due date, without its year; Django's MONTH_DAY_FORMAT pads the month)."""
    return formats.date_format(date(2000, month, day_of_month), pgettext("date format: month and day", "F j"))


def _number(n: int) -> str:
    """1..31 as 一 .. 三十一 (十二, 二十, 三十一)."""
    tens, ones = divmod(n, 10)
    text = ("" if tens < 2 else _DIGITS[tens]) + ("十" if tens else "") + (_DIGITS[ones] if ones else "")
    return text or _DIGITS[0]


def chinese_day(d: date) -> str:
    """二〇二六年十二月六日: the year digit by digit, month and day as numbers."""
    year = "".join(_DIGITS[int(c)] for c in str(d.year))
    return f"{year}年{_number(d.month)}月{_number(d.day)}日"
