"""Demo data of the letters app: this year's 目标责任书 of the demo county — issued by the
county to every town and department and by 城关镇 (T01) to its villages early in the year,
drafts of T02 not issued yet; the first towns and villages have uploaded the signed scan
(some confirmed), the rest are overdue or still open. Issued through letters.services and
signed through tasks.services; only the dates are set back to early in the year (demo only).
Idempotent: nothing is created when the county's letters of the year exist."""

import io
from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from PIL import Image

from accounts.models import OrgUnit, User
from tasks import services as task_services
from tasks.models import Task

from . import services
from .models import ResponsibilityLetter


def _scan(name):
    buf = io.BytesIO()
    Image.new("RGB", (420, 594), (250, 250, 244)).save(buf, "JPEG", quality=70)
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/jpeg")


def _backdate(issuer, year, issued_on):
    letters = ResponsibilityLetter.objects.filter(issuer=issuer, year=year, issued_on__isnull=False)
    letters.update(issued_on=issued_on)
    due = services.due_date(year, issued_on)
    Task.objects.filter(pk__in=letters.values("task_id")).update(due_date=due, original_due_date=due)


def _sign(letter, worker, reviewer=None):
    task = Task.objects.get(pk=letter.task_id)
    task_services.add_evidence(task, worker, _scan(f"{letter.org.name}目标责任书签字页.jpg"))
    task_services.submit(Task.objects.get(pk=task.pk), worker, note="已签字盖章，扫描件已上传。")
    if reviewer is not None:
        task_services.approve(Task.objects.get(pk=task.pk), reviewer)
    signed = (letter.issued_on or timezone.localdate()) + timedelta(days=12 + letter.org_id % 9)
    signed = min(signed, timezone.localdate())
    Task.objects.filter(pk=task.pk).update(completed_on=signed,
                                           **({"approved_on": min(signed + timedelta(days=2), timezone.localdate())}
                                              if reviewer is not None else {}))


@transaction.atomic
def seed(stdout=None) -> int:
    today = timezone.localdate()
    year = today.year
    users = {u.username: u for u in User.objects.filter(username__in=["jw_staff", "t01_party", "t01_disc", "t02_party"])}
    orgs = {o.code: o for o in OrgUnit.objects.filter(code__in=["C", "T01", "T02"])}
    if len(users) < 4 or len(orgs) < 3:
        if stdout is not None:
            stdout.write("letters: demo county missing, skipped.")
        return 0
    county, t01, t02 = orgs["C"], orgs["T01"], orgs["T02"]
    if ResponsibilityLetter.objects.filter(issuer=county, year=year).exists():
        if stdout is not None:
            stdout.write("letters: this year's letters already there.")
        return 0
    issued = services.issue(users["jw_staff"], county, year)
    _backdate(county, year, min(date(year, 1, 20), today))
    issued += services.issue(users["t01_party"], t01, year)
    _backdate(t01, year, min(date(year, 2, 10), today))
    for village in services.receivers(t02)[:2]:
        services.prepare(users["t02_party"], t02, village, year)
    letters = ResponsibilityLetter.objects.filter(year=year, issued_on__isnull=False).select_related("org")
    towns = [le for le in letters.filter(issuer=county, org__kind="town").order_by("org__path")][:5]
    for i, le in enumerate(towns):
        worker = User.objects.filter(username=f"{le.org.code.lower()}_clerk").first() or users["t01_party"]
        _sign(le, worker, users["jw_staff"] if i < 3 else None)
    for i, le in enumerate(letters.filter(issuer=t01).order_by("org__path")[:3]):
        worker = User.objects.filter(username=f"v{le.org.code[1:3]}{le.org.code[-2:]}_clerk").first()
        if worker is not None:
            _sign(le, worker, users["t01_disc"] if i == 0 else None)
    if stdout is not None:
        stdout.write(f"letters: {issued} responsibility letters issued, 2 drafts.")
    return issued
