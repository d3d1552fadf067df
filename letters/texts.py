"""The template of a 目标责任书 for each level that receives one (the receiving org's kind):
its title and 正文, with the year and the two orgs' names filled in. The issuer edits a
letter's text before issuing it; an issued letter keeps the text it was issued with."""

from dataclasses import dataclass

from accounts.models import OrgUnit

K = OrgUnit.Kind

# who issues to whom: the issuer's kind → the kinds of the orgs directly below it that receive one
RECEIVING = {K.PROVINCE: (K.COUNTY,), K.COUNTY: (K.TOWN, K.DEPARTMENT), K.TOWN: (K.VILLAGE,)}


def receives(kind: str, parent_kind: str | None) -> bool:
    """Does an org of ``kind`` receive a letter from its parent, of ``parent_kind``?"""
    return kind in RECEIVING.get(parent_kind, ())

TITLE = "{year}年度全面从严治党目标责任书"

_OPENING = ("为深入推进全面从严治党，压紧压实各级党组织主体责任，根据《党委（党组）落实全面从严治党主体责任规定》"
            "和{year}年度全面从严治党工作要点，经研究，{issuer}与{org}签订本目标责任书。")
_CLOSING = ("本责任书执行情况纳入{year}年度全面从严治党主体责任考核，考核结果作为评先评优和干部使用的重要依据。"
            "对履责不力、问题突出的，依照《中国共产党问责条例》严肃问责。",
            "本责任书一式两份，双方各执一份，自签订之日起生效，有效期至{year}年12月31日。")

BODIES = {
    K.COUNTY: (
        _OPENING,
        "一、责任主体。中共{org}委员会对本县全面从严治党负主体责任，县委书记是第一责任人，县委常委会成员在职责范围内履行"
        "“一岗双责”，县纪委监委履行监督责任。",
        "二、目标任务。（一）年初制定全县全面从严治党工作要点和县委、县纪委监委主体责任清单，分解到每位县委常委；"
        "（二）每半年至少召开1次县委常委会会议专题研究全面从严治党工作，每年至少听取1次县纪委监委工作汇报；"
        "（三）按清单按期完成规定动作，台账随做随传；（四）与所辖乡镇、县直部门逐级签订目标责任书；（五）县委书记每年与"
        "乡镇党委书记、县直部门主要负责人廉政谈话全覆盖；（六）统筹开展县委巡察，巡察、审计等反馈问题按期整改销号；"
        "（七）每年向{issuer}书面报告履行主体责任情况。",
        *_CLOSING,
    ),
    K.TOWN: (
        _OPENING,
        "一、责任主体。{org}党委对本地区全面从严治党负主体责任，党委书记是第一责任人，班子成员在职责范围内履行“一岗双责”，"
        "镇纪委履行监督责任。",
        "二、目标任务。（一）年初制定全面从严治党工作要点和主体责任清单，分解到每位班子成员；（二）每半年至少召开1次党委会"
        "专题研究全面从严治党工作；（三）按清单按期完成规定动作，台账随做随传；（四）与所辖村（社区）逐级签订目标责任书；"
        "（五）廉政谈话和提醒谈话全年覆盖班子成员、站所负责人和村（社区）书记；（六）巡察、审计等反馈问题按期整改销号；"
        "（七）每年向县委、县纪委监委书面报告履行主体责任情况。",
        *_CLOSING,
    ),
    K.DEPARTMENT: (
        _OPENING,
        "一、责任主体。{org}党组织对本单位全面从严治党负主体责任，主要负责人是第一责任人，班子成员在职责范围内履行“一岗双责”。",
        "二、目标任务。（一）年初制定全面从严治党工作要点和主体责任清单，分解到每位班子成员；（二）每半年至少专题研究1次"
        "全面从严治党工作；（三）按清单按期完成规定动作，台账随做随传；（四）排查岗位廉政风险点并落实防控措施；"
        "（五）巡察、审计等反馈问题按期整改销号；（六）每年向县委、县纪委监委书面报告履行主体责任情况。",
        *_CLOSING,
    ),
    K.VILLAGE: (
        _OPENING,
        "一、责任主体。{org}党组织对本村（社区）全面从严治党负主体责任，党组织书记是第一责任人，村纪检委员履行监督责任。",
        "二、目标任务。（一）落实“四议两公开”，“三重一大”事项集体研究决定；（二）“三务”公开及时规范，“三资”管理和"
        "惠民资金落实接受监督；（三）村纪检委员列席村“两委”会议，每月向镇纪委报送廉情月报；（四）按清单按期完成规定动作，"
        "台账随做随传；（五）巡察、审计等反馈问题按期整改销号。",
        *_CLOSING,
    ),
}

# signature lines printed after the 成文日期: both sides sign and seal the paper copy
SIGNATURES = (
    "下达单位（盖章）　　　　主要负责人（签字）：＿＿＿＿",
    "责任单位（盖章）　　　　主要负责人（签字）：＿＿＿＿",
)


@dataclass
class Text:
    title: str
    body: str


def party_name(org: OrgUnit) -> str:
    """How a letter names an issuing party committee: 中共示范县委员会, 中共城关镇委员会."""
    return f"中共{org.name}委员会"


def template_text(issuer: OrgUnit, org: OrgUnit, year: int) -> Text:
    """The letter ``issuer`` issues to ``org`` for ``year``, from the template of ``org``'s level."""
    values = {"year": year, "issuer": party_name(issuer), "org": org.name}
    return Text(TITLE.format(**values), "\n".join(p.format(**values) for p in BODIES[org.kind]))
