"""Every URL of the inspections app × role → expected status (run by tests/inspections/test_matrix.py).

Roles (tests/county.py users):
* ``staff`` (county commission) manages rounds, findings, measures, documents; verifies 销号;
* ``t1_party`` — head of 城关镇, the inspected org: reads everything of town1 (200), records
  progress / requests 销号 / replies / signs (302), other writes 403;
* ``t1_disc`` — town1 discipline secretary: may not sign (only the head signs) → 403;
* ``t1_clerk`` — same-town clerk: talk records are invisible (404 on a record, 403 on the talk pages);
* ``t2_disc`` — 河口镇: outsider for town1 → 404 on every town1 object;
* ``nobody`` — no role: 404 on objects, 403 on staff pages.
Anonymous users are sent to the login page everywhere.
"""

from datetime import date

from tests.matrix import Route

APP = "inspections"

READ = {"staff": 200, "t1_party": 200, "t2_disc": 404, "nobody": 404}
STAFF_PAGE = {"t1_party": 403, "t2_disc": 403, "nobody": 403}
STAFF_OBJ = {"t1_party": 403, "t2_disc": 404, "nobody": 404}
OFFICER_OBJ = {"staff": 403, "t2_disc": 404, "nobody": 404}
TALK = {"staff": 200, "t1_party": 200, "t1_clerk": 404, "t2_disc": 404, "nobody": 404}
ALL = {"staff": 200, "t1_party": 200, "t2_disc": 200, "nobody": 200}

ROUTES = [
    Route("index", expect=ALL),
    Route("round_create", expect={"staff": 200, **STAFF_PAGE}),
    Route("round_create", "POST", data={"name": "2026年第二轮巡察", "year": 2026, "kind": "special",
                                        "start_date": "2026-09-01", "end_date": "2026-10-31"}, expect={"staff": 302, **STAFF_PAGE}),
    Route("round_detail", kwargs={"pk": "round"}, expect=READ),
    Route("inspection_create", kwargs={"pk": "round"}, expect={"staff": 200, **STAFF_PAGE}),
    Route("inspection_create", "POST", kwargs={"pk": "round"},
          data={"org": "@town2", "leader": "@xc_leader", "window_start": "2026-03-01", "window_end": "2026-04-30"},
          expect={"staff": 302, **STAFF_PAGE}),
    Route("inspection_detail", kwargs={"pk": "inspection"}, expect=READ),
    Route("inspection_signoff", "POST", kwargs={"pk": "inspection"}, data={"what": "plan", "statement": "对真实性负责"},
          expect={"t1_party": 302, "t1_disc": 403, "staff": 403, "t2_disc": 404, "nobody": 404}),
    Route("finding_create", kwargs={"pk": "inspection"}, expect={"staff": 200, **STAFF_OBJ}),
    Route("finding_create", "POST", kwargs={"pk": "inspection"},
          data={"org": "@town1", "category": "@category", "description": "新问题", "source": "inspection", "severity": "general",
                "found_on": "2026-04-30"}, expect={"staff": 302, **STAFF_OBJ}),
    Route("finding_import", kwargs={"pk": "inspection"}, expect={"staff": 200, **STAFF_OBJ}),
    Route("finding_import", "POST", kwargs={"pk": "inspection"}, data={}, expect={"staff": 400, **STAFF_OBJ}),
    Route("finding_detail", kwargs={"pk": "finding"}, expect=READ),
    Route("measure_create", kwargs={"pk": "finding"}, expect={"staff": 200, **STAFF_OBJ}),
    Route("measure_create", "POST", kwargs={"pk": "finding"},
          data={"org": "@town1", "goal": "目标", "action": "措施", "deadline": "2026-12-31", "type": "deadline"},
          expect={"staff": 302, **STAFF_OBJ}),
    Route("measure_detail", kwargs={"pk": "measure"}, expect=READ),
    Route("measure_progress", "POST", kwargs={"pk": "measure"}, data={"note": "已完成台账", "version": "@measure_version"},
          expect={"t1_party": 302, **OFFICER_OBJ}),
    Route("measure_close", "POST", kwargs={"pk": "measure"}, data={"note": "台账已建立"}, expect={"t1_party": 302, **OFFICER_OBJ}),
    Route("measure_verify", "POST", kwargs={"pk": "measure_submitted"}, data={"decision": "approve", "comment": "核实"},
          expect={"staff": 302, "t1_party": 403, "t2_disc": 404, "nobody": 404}),
    Route("escalation_print", kwargs={"pk": "escalation"}, expect=READ),
    Route("escalation_docx", kwargs={"pk": "escalation"}, expect=READ),
    Route("ledger_export", expect=ALL),
    Route("documents", expect=ALL),
    Route("document_create", expect={"staff": 200, **STAFF_PAGE}),
    Route("document_create", "POST", data={"kind": "proposal", "title": "纪检监察建议", "orgs": "@town1", "reply_due": "2026-12-01"},
          expect={"staff": 302, **STAFF_PAGE}),
    Route("document_detail", kwargs={"pk": "document"}, expect=READ),
    Route("document_docx", kwargs={"pk": "document"}, expect=READ),
    Route("document_attachment", kwargs={"pk": "document"}, expect=READ),
    Route("document_reply", "POST", kwargs={"pk": "recipient"}, data={"text": "已整改并回复"}, expect={"t1_party": 302, **OFFICER_OBJ}),
    Route("talks", expect={"staff": 200, "t1_party": 200, "t2_disc": 200, "t1_clerk": 403, "nobody": 403}),
    Route("talk_create", expect={"staff": 200, "t1_party": 200, "t1_clerk": 403, "nobody": 403}),
    Route("talk_create", "POST", data={"kind": "integrity", "talker_org": "@town1", "org": "@v11", "talkees": "@v11_party",
                                       "held_on": "2026-11-20", "topics": "廉政提醒"},
          expect={"t1_party": 302, "t1_clerk": 403, "nobody": 403}),
    Route("talk_detail", kwargs={"pk": "talk"}, expect=TALK),
    Route("talk_file", kwargs={"pk": "talk"}, expect=TALK),
]


def setup(county) -> dict:
    """Objects the routes point at (as of 2026-11-23); returns {key: id}."""
    import hashlib

    from django.core.files.base import ContentFile
    from django.core.files.uploadedfile import SimpleUploadedFile

    from inspections import services
    from inspections.models import FindingCategory
    from tasks.models import Evidence, Task
    from tests.county import make_user

    leader = county.users.get("xc_leader") or make_user("xc_leader", "巡察组长")
    county.users["xc_leader"] = leader
    rnd = services.create_round(county.staff, name="2026年第一轮巡察", year=2026, kind="regular",
                                start_date=date(2026, 3, 1), end_date=date(2026, 4, 30))
    insp = services.create_inspection(county.staff, rnd, org=county.town1, leader=leader, members=[],
                                      window_start=date(2026, 3, 1), window_end=date(2026, 4, 30), feedback_date=date(2026, 4, 30))
    # a transactional test before may have flushed the migration's default categories
    category, _ = FindingCategory.objects.get_or_create(name="党的建设", defaults={"seq": 1})
    finding = services.create_finding(county.staff, insp, category=category, description="三会一课不规范", source="inspection",
                                      severity="general", found_on=date(2026, 4, 30))
    measure = services.create_measure(county.staff, finding, org=county.town1, goal="规范", action="建立台账",
                                      deadline=date(2026, 12, 31), type="deadline")
    content = b"%PDF-1.4 evidence"
    ev = Evidence(task=measure.task, original_name="台账.pdf", content_type="application/pdf", size=len(content),
                  sha256=hashlib.sha256(content).hexdigest(), uploaded_by=county.t1_party)
    ev.file.save("x", ContentFile(content), save=True)
    other = services.create_measure(county.staff, finding, org=county.town1, goal="规范2", action="学习制度",
                                    deadline=date(2026, 12, 31), type="immediate")
    Task.objects.filter(pk=other.task_id).update(status="submitted", submitted_by=county.t1_party, completed_on=date(2026, 11, 20))
    services.run_escalation()
    escalation = measure.escalations.get()
    doc = services.send_document(county.staff, kind="reminder_letter", title="全面从严治党提醒函", body="请于月底前书面回复",
                                 orgs=[county.town1], reply_due=date(2026, 12, 15),
                                 attachment=SimpleUploadedFile("提醒函.pdf", b"%PDF-1.4 letter"))
    talk = services.record_talk(county.staff, kind="face_to_face", talker_org=county.county, org=county.town1,
                                talkee_name="王书记", held_on=date(2026, 11, 1), topics="主体责任落实",
                                record_file=SimpleUploadedFile("记录.pdf", b"%PDF-1.4 talk"))
    return {
        "round": rnd.pk, "inspection": insp.pk, "finding": finding.pk, "measure": measure.pk,
        "measure_version": Task.objects.get(pk=measure.task_id).version, "measure_submitted": other.pk,
        "escalation": escalation.pk, "document": doc.pk, "recipient": doc.recipients.get().pk, "talk": talk.pk,
        "town1": county.town1.pk, "town2": county.town2.pk, "v11": county.v11.pk, "xc_leader": leader.pk,
        "v11_party": county.users["v11_party"].pk,
        "category": category.pk,
    }
