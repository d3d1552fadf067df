"""Shipped default lists and holidays (editable seed data, not constants).

Wording from the research notes (shared/domain.md §4). The 16 / 10 / 4 规定动作
could not be found in any public text and are *reconstructions*: every such item
has ``is_reconstructed=True`` and each list's source note tells the county to
replace the wording with its own document's before relying on it. The
县直单位 lists adapt the town committee's items and are reconstructed too.

Due rules follow §4's defaults: yearly items by 12-20 (planning items by 03-31,
the annual written report by 01-31), half-yearly by the 20th of the half's last
month (06-20 / 12-20 — §4 asks 06-30 and 12-20, which one rule cannot give),
quarterly 10 days before the quarter ends, monthly by the 25th, before-holiday
items 3 days before the holiday. Points sum to 100 per list.

Shorthand for ``due``: ``"12-20"`` fixed MM-DD · ``"25"`` fixed day of the
period's last month · ``"-10"`` N days before the period ends · ``"h3"`` N days
before the holiday · ``None`` on demand (事件).
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

SOURCE_NOTE = (
    "系统预置的默认清单，依据公开资料整理。标记为“重构”的事项未能找到本县正式文本，"
    "系依据公开报道重构而成：县纪委监委须以本县正式文件的措辞替换后再使用。"
)


@dataclass(frozen=True)
class I:  # noqa: E742 — a terse row constructor for the data below
    title: str
    freq: str
    due: str | None
    hint: str
    points: int
    category: str
    reconstructed: bool = True
    requirement: str = ""
    each: str | None = None
    cap: str | None = None

    def fields(self, seq: int) -> dict:
        rule, days, md = "before_end", 0, ""
        if self.due is None:
            pass
        elif self.due.startswith("h"):
            rule, days = "before_holiday", int(self.due[1:])
        elif self.due.startswith("-"):
            rule, days = "before_end", int(self.due[1:])
        else:
            rule, md = "fixed", self.due
        return {
            "seq": seq, "title": self.title, "requirement": self.requirement, "category": self.category,
            "frequency": self.freq, "due_rule": rule, "due_days": days, "due_month_day": md,
            "evidence_hint": self.hint, "points": Decimal(self.points),
            "partial_points_each": Decimal(self.each) if self.each else None,
            "partial_points_cap": Decimal(self.cap) if self.cap else None,
            "is_reconstructed": self.reconstructed,
        }


C, F1, OP, S = "collective", "first", "one_post", "supervisory"

COUNTY_DISCIPLINE = [
    I("协助县委制定年度全面从严治党（党风廉政建设）工作要点和责任分解，推动县镇村逐级签订目标责任书", "Y", "03-31", "工作要点、责任分解表、责任书", 8, S),
    I("每半年向县委常委会专题汇报履行监督责任情况，协助召开全面从严治党形势分析会", "H", "20", "汇报材料、会议记录", 8, S),
    I("向县委报送政治生态研判分析报告（“一函三报告一建议”之报告一）", "H", "20", "研判分析报告", 6, S),
    I("开展信访举报综合分析，形成信访举报分析报告（报告二）", "Q", "-10", "信访举报分析报告", 6, S),
    I("就重要情况、典型问题向县委报送纪检监察专报（报告三）", "Q", "-10", "纪检监察专报", 6, S, requirement="每季度至少1期，重要情况随时报送"),
    I("针对苗头性、倾向性问题，向镇（区、街道）党（工）委、县直单位党组织发出全面从严治党提醒函（一函）", "Y", "12-20", "提醒函及回复", 5, S, requirement="全年至少1次，发现问题随时发出"),
    I("针对案件暴露的制度漏洞，向相关党组织发出纪检监察建议并跟踪回复落实（一建议）", "E", None, "纪检监察建议书、整改回复", 5, S),
    I("落实上一级纪委书记与下一级党委书记谈话制度，与镇（区、街道）党（工）委书记面对面谈话，一届任期内全覆盖", "Y", "12-20", "谈话记录", 8, S, each="1", cap="8"),
    I("与镇（区、街道）纪（工）委书记开展谈心谈话，听取其半年工作汇报和年度述职", "H", "20", "谈话记录、汇报材料", 6, S),
    I("统筹巡察监督与纪检监察监督贯通，督促巡察整改，审核整改销号，开展整改“回头看”", "E", None, "整改台账、销号审核意见", 6, S),
    I("重要节点前组织开展节前廉政提醒和作风监督检查，通报典型问题", "F", "h3", "提醒通知、检查通报", 6, S),
    I("组织开展全面从严治党主体责任考核，提出考核意见和问责建议（一案双查）", "Y", "12-20", "考核方案、考核意见", 8, S),
    I("每月研判问题线索，对重要案件亲自督办", "M", "25", "线索研判记录", 6, S),
    I("组织警示教育和以案促改，督促案发单位召开专题民主生活会（组织生活会）", "Y", "12-20", "警示教育记录、会议记录", 6, S),
    I("督导各级党组织开展廉政风险点排查防控，审核防控措施", "Y", "12-20", "风险点排查表、审核意见", 5, S),
    I("听取镇村两级监督责任清单落实情况，检查村纪检委员履职，对下级纪委工作进行年度考核", "H", "20", "检查记录、考核结果", 5, S),
]

TOWN_DISCIPLINE = [
    I("年初按照上级纪委全会部署，制定本镇年度监督执纪工作重点，协助镇党委分解主体责任清单", "Y", "03-31", "工作重点文件、责任分解表", 12, S),
    I("协助镇党委每半年召开党风廉政建设形势分析会，提出政治生态分析意见", "H", "20", "会议记录、分析意见", 10, S),
    I("每半年向县纪委报告工作，每年向县纪委述职述廉", "H", "20", "工作报告、述职报告", 10, S),
    I("对镇班子成员、站所负责人、村（社区）书记开展廉政谈话和提醒谈话，全年全覆盖", "Q", "-10", "谈话记录", 12, S, requirement="每季度开展，全年覆盖全部对象", each="1", cap="12"),
    I("重要节点前开展节前廉政提醒，组织作风纪律明察暗访", "F", "h3", "提醒通知、明察暗访记录", 10, S),
    I("受理处置信访举报和问题线索，按月统计上报", "M", "25", "信访线索月统计表", 10, S),
    I("聚焦村级“三资”、小微权力、惠民资金开展监督，每年开展1-2次专项整治", "Y", "12-20", "专项整治方案、总结", 10, S),
    I("督促巡察、审计等反馈问题整改，建立台账，跟踪销号", "E", None, "整改台账", 8, S),
    I("对党员干部开展党纪党规和廉洁从政教育，每月通报典型案例", "M", "25", "教育记录、案例通报", 8, S),
    I("指导、培训、考核村（社区）纪检委员，审核村级履职台账和月报", "Q", "-10", "培训记录、审核意见", 10, S),
]

VILLAGE_DISCIPLINE = [
    I("列席村“两委”会议，监督“四议两公开”和“三重一大”事项决策程序", "M", "25", "列席记录", 25, S),
    I("监督“三务”公开、“三资”管理和惠民政策资金落实，检查公示栏", "M", "25", "检查记录或公示栏照片", 25, S),
    I("走访群众收集廉情信息，每月向镇纪委报送廉情月报", "M", "25", "廉情月报单", 25, S),
    I("开展纪法宣传和以案说纪，协助镇纪委核查信访件、完成交办事项", "Q", "-10", "宣传记录、协助核查情况", 25, S),
]

COUNTY_COMMITTEE = [
    I("研究制定年度全面从严治党工作要点和主体责任清单", "Y", "03-31", "工作要点、责任清单", 15, C, False),
    I("常委会每半年至少1次专题研究全面从严治党工作", "H", "20", "会议纪要", 15, C, False),
    I("向市委书面报告年度履行主体责任情况", "Y", "01-31", "书面报告", 15, C, False),
    I("与镇（区、街道）党（工）委、县直单位签订目标责任书", "Y", "03-31", "目标责任书", 10, C, False),
    I("组织县委巡察，听取巡察汇报，督促整改", "E", None, "巡察汇报记录、整改督办材料", 15, C, False),
    I("组织镇党委书记、县直单位一把手述责述廉", "Y", "12-20", "述责述廉会议记录", 15, C, False),
    I("开展主体责任考核并运用结果；问责（一案双查）", "Y", "12-20", "考核结果、问责情况", 15, C, False),
]

COUNTY_SECRETARY = [
    I("县委书记“四个亲自”：重要工作亲自部署、重大问题亲自过问、重点环节亲自协调、重要案件亲自督办", "Q", "-10", "部署、批示、督办记录", 30, F1, False),
    I("县委书记与镇党委书记等下级一把手面对面谈话", "Y", "12-20", "谈话记录", 25, F1, False),
    I("县委书记讲廉政党课", "Y", "12-20", "党课讲稿", 20, F1, True),
    I("支持县纪委监委审查调查，研究“一函三报告一建议”并批示落实", "Q", "-10", "批示件", 25, F1, False),
]

COUNTY_MEMBER = [
    I("班子成员每季度至少听取1次分管领域党风廉政建设汇报", "Q", "-10", "汇报记录", 50, OP, False),
    I("班子成员年度内在分管领域开展至少1次专题调研；排查分管领域廉政风险点", "Y", "12-20", "调研报告、风险点排查表", 50, OP, False),
]

TOWN_COMMITTEE = [
    I("制定年度党风廉政建设工作计划和班子成员“一岗双责”责任清单", "Y", "03-31", "工作计划、责任清单", 12, C, False),
    I("党委会每半年至少1次专题研究全面从严治党；召开形势分析会", "H", "20", "会议纪要", 12, C, False),
    I("向县委报告年度主体责任落实情况，党委书记向县委（县纪委）述责述廉", "Y", "12-20", "书面报告、述责述廉材料", 12, C, False),
    I("与各村（社区）、站所签订目标责任书", "Y", "03-31", "目标责任书", 8, C, False),
    I("典型案例每月通报、警示教育", "M", "25", "通报、警示教育记录", 12, C, False),
    I("节前廉政提醒", "F", "h3", "提醒通知", 12, C, False),
    I("落实巡察、审计反馈问题整改", "E", None, "整改台账", 12, C, False),
    I("对村（社区）党组织落实主体责任情况考核", "Y", "12-20", "考核结果", 20, C, True),
]

TOWN_SECRETARY = [
    I("党委书记与班子成员、村书记开展廉政谈话", "Q", "-10", "谈话记录", 100, F1, False, requirement="每季度开展，全年覆盖班子成员和村书记"),
]

TOWN_MEMBER = [
    I("班子成员每月至少1次下沉包保村指导党风廉政建设", "M", "25", "指导记录", 50, OP, False),
    I("班子成员每季度听取分管站所汇报，排查廉政风险点", "Q", "-10", "汇报记录、风险点排查表", 50, OP, False),
]

VILLAGE_COMMITTEE = [
    I("落实“三会一课”，每月主题党日开展廉洁教育", "M", "25", "主题党日记录", 25, C, True),
    I("重大事项严格执行“四议两公开”", "E", None, "决议及公开记录", 25, C, False),
    I("党务、村务、财务“三务”公开", "Q", "-10", "公开栏照片或公开清单", 25, C, False),
    I("支持村纪检委员（村监委）履职，整改其提出的问题", "E", None, "整改记录", 25, C, True),
]

VILLAGE_SECRETARY = [
    I("与镇党委签订目标责任书（承诺书）", "Y", "03-31", "目标责任书", 50, F1, False),
    I("支部书记与村“两委”成员谈心谈话", "H", "20", "谈话记录", 50, F1, True),
]

VILLAGE_MEMBER = [
    I("村“两委”成员年终“勤廉双述”", "Y", "12-20", "述职述廉材料", 100, OP, False),
]

DEPARTMENT_COMMITTEE = [
    I("制定年度党风廉政建设工作计划和班子成员“一岗双责”责任清单", "Y", "03-31", "工作计划、责任清单", 15, C),
    I("党组（党委）每半年至少1次专题研究全面从严治党工作，召开形势分析会", "H", "20", "会议纪要", 15, C),
    I("向县委报告年度主体责任落实情况，主要负责人向县纪委监委述责述廉", "Y", "12-20", "书面报告、述责述廉材料", 15, C),
    I("与内设机构、下属单位签订目标责任书", "Y", "03-31", "目标责任书", 10, C),
    I("典型案例每月通报、警示教育", "M", "25", "通报、警示教育记录", 15, C),
    I("节前廉政提醒", "F", "h3", "提醒通知", 15, C),
    I("落实巡察、审计反馈问题整改", "E", None, "整改台账", 15, C),
]

DEPARTMENT_SECRETARY = [
    I("主要负责人与班子成员、内设机构负责人开展廉政谈话", "Q", "-10", "谈话记录", 100, F1, requirement="每季度开展，全年覆盖"),
]

DEPARTMENT_MEMBER = [
    I("班子成员每季度听取分管科室汇报，排查分管领域廉政风险点", "Q", "-10", "汇报记录、风险点排查表", 50, OP),
    I("班子成员每半年至少1次到分管科室、下属单位指导党风廉政建设", "H", "20", "指导记录", 50, OP),
]


@dataclass(frozen=True)
class ListSpec:
    level: str
    bearer: str
    title: str  # "{year}" is replaced
    review_by: str
    items: list


LISTS = [
    ListSpec("county", "discipline", "{year}年县纪委书记履行监督责任规定动作（16项）", "county", COUNTY_DISCIPLINE),
    ListSpec("town", "discipline", "{year}年镇（区、街道）纪（工）委书记规定动作（10项）", "parent", TOWN_DISCIPLINE),
    ListSpec("village", "discipline", "{year}年村（社区）纪检委员规定动作（4项）", "parent", VILLAGE_DISCIPLINE),
    ListSpec("county", "committee", "{year}年县委全面从严治党主体责任清单（集体责任）", "county", COUNTY_COMMITTEE),
    ListSpec("county", "secretary", "{year}年县委书记第一责任人责任清单", "county", COUNTY_SECRETARY),
    ListSpec("county", "member", "{year}年县委班子成员“一岗双责”清单", "county", COUNTY_MEMBER),
    ListSpec("town", "committee", "{year}年镇（区、街道）党（工）委主体责任清单（集体责任）", "parent", TOWN_COMMITTEE),
    ListSpec("town", "secretary", "{year}年镇（区、街道）党（工）委书记第一责任人责任清单", "parent", TOWN_SECRETARY),
    ListSpec("town", "member", "{year}年镇（区、街道）班子成员“一岗双责”清单", "parent", TOWN_MEMBER),
    ListSpec("village", "committee", "{year}年村（社区）党组织主体责任清单（集体责任）", "parent", VILLAGE_COMMITTEE),
    ListSpec("village", "secretary", "{year}年村（社区）党组织书记第一责任人责任清单", "parent", VILLAGE_SECRETARY),
    ListSpec("village", "member", "{year}年村“两委”成员“一岗双责”清单", "parent", VILLAGE_MEMBER),
    ListSpec("department", "committee", "{year}年县直单位党组（党委）主体责任清单（集体责任）", "parent", DEPARTMENT_COMMITTEE),
    ListSpec("department", "secretary", "{year}年县直单位主要负责人第一责任人责任清单", "parent", DEPARTMENT_SECRETARY),
    ListSpec("department", "member", "{year}年县直单位班子成员“一岗双责”清单", "parent", DEPARTMENT_MEMBER),
]

HOLIDAYS = {
    2026: {
        "new_year": date(2026, 1, 1), "spring": date(2026, 2, 17), "qingming": date(2026, 4, 5),
        "labour": date(2026, 5, 1), "dragon_boat": date(2026, 6, 19), "mid_autumn": date(2026, 9, 25),
        "national": date(2026, 10, 1),
    },
    2027: {
        "new_year": date(2027, 1, 1), "spring": date(2027, 2, 6), "qingming": date(2027, 4, 5),
        "labour": date(2027, 5, 1), "dragon_boat": date(2027, 6, 9), "mid_autumn": date(2027, 9, 15),
        "national": date(2027, 10, 1),
    },
}
