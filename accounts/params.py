"""Numbers and dates read from a query string, range-checked in one place.

A page reads ``?year=``, ``?quarter=``, ``?as_of=``, ``?round=``, ``?org=`` … through these helpers: a
value that is missing, malformed or outside its range gives the page's default, never an
error (and never a date arithmetic overflow further down). Forms and filters use
:class:`BoundedDateField`, which refuses such a date with a clear message instead.
"""

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

YEAR_MIN, YEAR_MAX = 2000, 2100
DATE_MIN, DATE_MAX = date(YEAR_MIN, 1, 1), date(YEAR_MAX, 12, 31)
ID_MAX = 2**63 - 1  # a database id


def query_int(value, lo: int, hi: int, default=None):
    """``value`` as an int when it is one within [lo, hi], else ``default``."""
    try:
        text = str(value).strip()
        if not text or len(text) > 20:
            return default
        number = int(text)
    except (TypeError, ValueError):
        return default
    return number if lo <= number <= hi else default


def query_text(value, max_length: int, default=None):
    """``value`` as a str of at most ``max_length`` characters with no NUL (which the database
    refuses in a literal), else ``default`` — for a code or name looked up as typed."""
    if not isinstance(value, str) or not value or len(value) > max_length or "\x00" in value:
        return default
    return value


def query_year(value, default):
    return query_int(value, YEAR_MIN, YEAR_MAX, default)


def query_id(value, default=None):
    """A positive database id, else ``default``."""
    return query_int(value, 1, ID_MAX, default)


def query_date(value, default=None):
    """An ISO date (YYYY-MM-DD) within [DATE_MIN, DATE_MAX], else ``default``."""
    if isinstance(value, date):
        parsed = value
    else:
        try:
            text = str(value or "").strip()
            parsed = date.fromisoformat(text) if 0 < len(text) <= 10 else None
        except ValueError:
            parsed = None
    return parsed if parsed is not None and DATE_MIN <= parsed <= DATE_MAX else default


class BoundedDateField(forms.DateField):
    """A date field that refuses dates outside [DATE_MIN, DATE_MAX] with a clear message."""

    default_error_messages = {
        "range": _("Enter a date between %(min)s and %(max)s."),
    }

    def validate(self, value):
        super().validate(value)
        if value is not None and not DATE_MIN <= value <= DATE_MAX:
            raise forms.ValidationError(
                self.error_messages["range"], code="range",
                params={"min": DATE_MIN.isoformat(), "max": DATE_MAX.isoformat()},
            )
