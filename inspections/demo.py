"""Demo data of the inspections app: a round, an inspection of 河口镇 with findings and
measures (one lagging), a 提醒函 asking for replies, talk records. Idempotent: if the
demo round exists, nothing is created again."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import Membership, OrgUnit, User
from accounts.roles import Role

from . import services
from .models import Document, FindingCategory, Round, Talk


def _user(username, full_name):
    from accounts.demo import DEMO_PASSWORD

    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, full_name=full_name, must_change_password=False)
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


@transaction.atomic
def seed(stdout=None):
    today = timezone.localdate()
    staff = User.objects.filter(username="jw_staff").first()
    county = OrgUnit.objects.filter(code="C").first()
    town = OrgUnit.objects.filter(code="T02").first()
    if staff is None or county is None or town is None:
        if stdout is not None:
            stdout.write("inspections: demo county missing, skipped.")
        return 0
    name = f"{today.year}年第一轮巡察"
    created = 0
    if not Round.objects.filter(name=name, org=services.issuing_org(staff)).exists():
        start, end = today - timedelta(days=90), today - timedelta(days=45)
        rnd = services.create_round(staff, name=name, year=today.year, kind=Round.Kind.REGULAR, start_date=start, end_date=end)
        leader = _user("xc_leader", "钱组长")
        member = _user("xc_member", "冯组员")
        insp = services.create_inspection(staff, rnd, org=town, leader=leader, members=[member], window_start=start,
                                          window_end=today + timedelta(days=30), feedback_date=end)
        cats = {c.name: c for c in FindingCategory.objects.all()}
        village = OrgUnit.objects.filter(code="T02-V01").first() or town
        rows = [
            ("党的建设", "“三会一课”记录不全，组织生活会质量不高", town, "general",
             [("规范组织生活", "建立三会一课台账，每月由镇党委检查", today + timedelta(days=40))]),
            ("群众身边腐败和作风问题", "村级惠民资金发放公示不及时", village, "serious",
             [("资金公示及时", "补充公示近两年惠民资金发放情况", today - timedelta(days=10)),
              ("建立长效机制", "制定村务公开季度检查制度", today + timedelta(days=90))]),
            ("选人用人", "村后备干部培养机制不健全", town, "minor",
             [("健全机制", "制定后备干部培养计划", today + timedelta(days=4))]),
        ]
        for cat, desc, org, severity, measures in rows:
            finding = services.create_finding(staff, insp, category=cats[cat], description=desc, source="inspection",
                                              severity=severity, found_on=end, org=org)
            for goal, action, deadline in measures:
                services.create_measure(staff, finding, org=org, goal=goal, action=action, deadline=deadline, type="deadline",
                                        leader_name="赵纪委书记", person_name="联络员")
                created += 1
        services.run_escalation()
    if not Document.objects.filter(title__startswith="关于节前廉洁自律的").exists():
        towns = list(OrgUnit.objects.filter(kind="town", is_active=True))
        services.send_document(staff, kind="reminder_letter", title="关于节前廉洁自律的全面从严治党提醒函",
                               body="请各镇党委落实主体责任，并于月底前书面回复落实情况。", orgs=towns,
                               reply_due=today + timedelta(days=20), number=f"纪提〔{today.year}〕1号")
    if not Talk.objects.exists():
        for t in OrgUnit.objects.filter(kind="town", is_active=True)[:2]:
            secretaries = [m.user for m in Membership.objects.current().filter(org=t, role=Role.PARTY_SECRETARY, user__is_active=True)
                           .select_related("user")[:1]]
            services.record_talk(staff, kind="face_to_face", talker_org=county, org=t, talkees=secretaries,
                                 talkee_name=f"{t.name}党委书记", talkee_title="党委书记", held_on=today - timedelta(days=20),
                                 topics="全面从严治党主体责任落实情况；巡察整改进展")
    if stdout is not None:
        stdout.write(f"inspections: demo round {name}, {created} measures created.")
    return created
