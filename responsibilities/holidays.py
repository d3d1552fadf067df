"""The holiday calendar as generation and validation read it."""

from .models import Holiday


def holiday_pairs(year: int) -> tuple[list[tuple[str, object]], list[tuple[str, object]]]:
    """([(name, date) of ``year``], [(name, date) of ``year + 1``]) — the second
    gives 元旦 of the next year, whose 节前 period ends this year."""
    rows = list(Holiday.objects.filter(year__in=(year, year + 1)).values_list("year", "name", "date"))
    return ([(n, d) for y, n, d in rows if y == year], [(n, d) for y, n, d in rows if y == year + 1])
