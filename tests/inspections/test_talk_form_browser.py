"""The talk form in a real browser: county staff record a talk as the 县纪委监委 with a town —
the units and the two people talked to found by typing part of their names in the pickers —
attach the record, forget the topics: the page says what is missing, that the file is kept and
still shows the people chosen; fill them in and save: the talk has its people and its file.
A town's 纪委书记 starts with their town and themselves as 谈话人 and adds their party secretary.
Screenshots at 1366×768 and 375×812: var/screenshots/inspections_talk_pickers_*.png (the
pickers filled in), inspections_talk_kept_file_*.png (after the error) and
inspections_talk_talkers_*.png (the talkers)."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from accounts.models import Membership
from accounts.roles import Role
from inspections.models import Talk
from tests.browser import login, no_horizontal_scroll, pick, shot
from tests.county import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("audit_purge")]

PDF = {"name": "谈话记录.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n% record\n" + b"x" * 300}


@pytest.mark.parametrize("size", [(1366, 768), (375, 812)], ids=["desktop", "phone"])
def test_record_a_talk_through_the_pickers(page, live_server, client, county, settings, tmp_path, size):
    settings.MEDIA_ROOT = tmp_path
    people = {}
    for username, name, role, title in (("t1_zhang", "张建国", Role.PARTY_SECRETARY, "镇党委书记"),
                                        ("t1_li", "李卫东", Role.DISCIPLINE_SECRETARY, "镇纪委书记")):
        people[name] = make_user(username, name)
        Membership.objects.create(user=people[name], org=county.town1, role=role, title=title)
    twin = make_user("t2_zhang", "张建军")  # another town's 张: never offered for 城关镇
    Membership.objects.create(user=twin, org=county.town2, role=Role.PARTY_SECRETARY, title="镇党委书记")

    login(page, live_server, client, county.staff)
    page.set_viewport_size({"width": size[0], "height": size[1]})
    page.goto(live_server.url + reverse("inspections:talk_create"))
    pick(page, "id_talker_org", "纪委", "县纪委监委 · 示范县")
    pick(page, "id_org", "城关", "城关镇 · 示范县")
    page.locator("#id_talkees + .ts-wrapper .ts-control input").click()
    page.keyboard.type("张建")
    expect(page.locator(".ts-dropdown:visible .option")).to_have_text(["张建国 · 城关镇 · 镇党委书记"])
    page.locator(".ts-dropdown:visible .option").first.click()
    pick(page, "id_talkees", "纪委书记", "李卫东 · 城关镇 · 镇纪委书记")  # found by post
    page.keyboard.press("Escape")
    expect(page.locator("#id_talkees + .ts-wrapper .item")).to_have_count(2)
    page.fill("#id_held_on", "2026-11-10")
    page.locator("#id_record_file").set_input_files([PDF])
    assert no_horizontal_scroll(page)
    shot(page, f"inspections_talk_pickers_{size[0]}", full_page=True)
    page.click("#save")
    expect(page.locator("[data-kept-file]")).to_contain_text("已保留“谈话记录.pdf”")
    expect(page.locator(".invalid-feedback", has_text="谈话内容")).to_be_visible()
    expect(page.locator("#id_talkees + .ts-wrapper .item")).to_contain_text(
        ["张建国 · 城关镇 · 镇党委书记", "李卫东 · 城关镇 · 镇纪委书记"])  # the choice survives the error
    assert no_horizontal_scroll(page)
    shot(page, f"inspections_talk_kept_file_{size[0]}", full_page=True)
    page.fill("#id_topics", "全面从严治党主体责任落实情况")
    page.click("#save")
    expect(page.locator("a[href*='/file']")).to_contain_text("谈话记录.pdf")
    talk = Talk.objects.get()
    assert talk.talker_org == county.commission and talk.org == county.town1 and talk.record_name == "谈话记录.pdf"
    assert set(talk.talkees.all()) == set(people.values()) and talk.talkee_title == "镇党委书记"


@pytest.mark.parametrize("size", [(1366, 768), (375, 812)], ids=["desktop", "phone"])
def test_the_talkers_start_with_the_recorder(page, live_server, client, county, size):
    zhang = make_user("t1_zhang", "张建国")
    Membership.objects.create(user=zhang, org=county.town1, role=Role.PARTY_SECRETARY, title="镇党委书记")
    recorder = county.users["t1_disc"]
    login(page, live_server, client, recorder)
    page.set_viewport_size({"width": size[0], "height": size[1]})
    page.goto(live_server.url + reverse("inspections:talk_create"))
    expect(page.locator("#id_talker_org + .ts-wrapper .item")).to_have_text(["城关镇 · 示范县"])
    expect(page.locator("#id_talkers + .ts-wrapper .item")).to_have_count(1)
    pick(page, "id_talkers", "张建", "张建国 · 城关镇 · 镇党委书记")
    page.keyboard.press("Escape")
    expect(page.locator("#id_talkers + .ts-wrapper .item")).to_have_count(2)
    pick(page, "id_org", "东村", "东村 · 城关镇")
    pick(page, "id_talkees", "东村", "东村")
    page.keyboard.press("Escape")
    page.fill("#id_held_on", "2026-11-10")
    page.fill("#id_topics", "全面从严治党主体责任落实情况")
    assert no_horizontal_scroll(page)
    shot(page, f"inspections_talk_talkers_{size[0]}", full_page=True)
    page.click("#save")
    expect(page.locator("body")).to_contain_text("张建国")
    talk = Talk.objects.get()
    assert set(talk.talkers.all()) == {recorder, zhang} and "张建国" in talk.talker_name
