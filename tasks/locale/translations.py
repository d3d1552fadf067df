"""English source → Chinese for the tasks catalog (run makemessages in tasks/, then
`python tasks/locale/translations.py`, then compilemessages in tasks/)."""

ZH = {
    "file": "文件",
    "“%(name)s” is empty (0 bytes).": "“%(name)s”是空文件（0 字节）。",
    "“%(name)s” is %(size)s; a file may be at most %(limit)s.": "“%(name)s”大小为 %(size)s，单个文件最多 %(limit)s。",
    "“%(name)s” is not an accepted file type. Upload PDF, JPG, PNG, Word or Excel files.": "“%(name)s”不是允许的文件类型。请上传 PDF、JPG、PNG、Word 或 Excel 文件。",
    "Due": "应完成",
    "Done": "已完成",
    "Done on time": "按时完成",
    "Overdue, not done": "逾期未完成",
    "Done late": "逾期完成",
    "Awaiting review": "待审核",
    "Returned": "已退回",
    "Extended": "已延期",
    "file name": "文件名",
    "evidence file": "台账材料",
    "evidence files": "台账材料",
    "Duty item": "清单事项",
    "Rectification measure": "整改措施",
    "Required reply": "回复事项",
    "Follow-up check": "回头看",
    "Integrity-risk review": "廉政风险排查",
    "To do": "待办",
    "Approved": "已通过",
    "Cancelled": "已取消",
    "organisation": "单位",
    "kind": "类型",
    "period start": "周期开始",
    "period end": "周期结束",
    "period": "周期",
    "due date": "截止日期",
    "original due date": "原截止日期",
    "item": "事项",
    "requirement": "具体要求",
    "ledger hint": "台账要求",
    "responsibility category": "责任类别",
    "frequency": "频次",
    "points": "分值",
    "bearer": "责任主体",
    "assigned to": "责任人",
    "reviewing organisation": "审核单位",
    "status": "状态",
    "what was done": "完成情况",
    "completed on": "完成日期",
    "approved on": "通过日期",
    "reason for return": "退回原因",
    "reason for cancelling": "取消原因",
    "extensions": "延期次数",
    "task": "任务",
    "tasks": "任务",
    "Created": "创建",
    "Note saved": "保存草稿",
    "File added": "上传材料",
    "File removed": "移除材料",
    "Submitted": "提交",
    "Reopened": "重新打开",
    "Extension requested": "申请延期",
    "Extension refused": "延期未批准",
    "Reassigned": "变更责任人",
    "Updated": "更新",
    "Pending": "待审批",
    "Granted": "已批准",
    "Refused": "未批准",
    "reason": "理由",
    "requested due date": "申请延至",
    "Changed by someone else. Reload the page and try again.": "已被他人修改，请刷新页面后重试。",
    "Only the organisation that owes this task can record work on it.": "只有承担该任务的单位才能填报。",
    "You do not review this task.": "您不负责审核该任务。",
    "This field is required.": "此项必填。",
    "Too long: %(length)d characters; at most %(limit)d are allowed.": "内容过长：共 %(length)d 字，最多 %(limit)d 字。",
    "This task is “%(status)s” and cannot be changed that way.": "该任务状态为“%(status)s”，不能进行此操作。",
    "This file has already been removed.": "该文件已被移除。",
    "Write a short note on what was done.": "请简要填写完成情况。",
    "Give the reason for the extension.": "请填写延期理由。",
    "Enter a valid date.": "请输入有效日期。",
    "The new due date must be after the current one (%(due)s).": "新的截止日期须晚于当前截止日期（%(due)s）。",
    "An extension request for this task is already waiting for a decision.": "该任务已有一个待审批的延期申请。",
    "You cannot review your own submission.": "不能审核自己提交的任务。",
    "Give the reason for returning it.": "请填写退回原因。",
    "Only county commission staff can reopen a task.": "只有县纪委监委工作人员可以重新打开任务。",
    "Give the reason for reopening it.": "请填写重新打开的原因。",
    "You cannot decide your own extension request.": "不能审批自己的延期申请。",
    "This extension request has already been decided.": "该延期申请已审批。",
    "Give the reason for refusing.": "请填写不予批准的理由。",
    "Only county commission staff can cancel a task.": "只有县纪委监委工作人员可以取消任务。",
    "Give the reason for cancelling.": "请填写取消原因。",
    "You cannot assign this task.": "您无权分配该任务。",
    "That person does not belong to %(org)s.": "该人员不属于%(org)s。",
    "That person already has this task for this period.": "该人员本周期已有此任务。",
    "Blue · open": "蓝色 · 进行中",
    "Yellow · due soon": "黄色 · 即将到期",
    "Red · overdue": "红色 · 已逾期",
    "Green · approved on time": "绿色 · 按时通过",
    "Tasks": "任务",
    "My tasks": "我的任务",
    "Review queue": "待审核",
    "Progress": "工作进度",
    "What was done": "完成情况",
    "Approve": "通过",
    "Return": "退回",
    "Comment / reason for return": "审核意见 / 退回原因",
    "Reason": "理由",
    "New due date": "新的截止日期",
    "Grant": "批准",
    "Refuse": "不批准",
    "Comment": "意见",
    "system": "系统",
    "No events yet.": "暂无记录。",
    "Changed by someone else": "已被他人修改",
    "Nothing of yours was saved. Reload to see the current state, then make your change again.": "您的内容未保存。请刷新查看最新状态后重新操作。",
    "Reload": "刷新",
    "What you wrote (copy it before reloading)": "您填写的内容（刷新前请先复制）",
    "due": "截止",
    "Ledger": "台账",
    "e.g. held the talk with 3 village cadres on 12 May": "例如：5月12日与3名村干部开展廉政谈话",
    "Evidence (optional)": "佐证材料（可选）",
    "Take photos": "拍照",
    "Choose files": "选择文件",
    "PDF, JPG, PNG, Word or Excel; up to %(max_mb)s MB each.": "支持 PDF、JPG、PNG、Word、Excel，单个文件不超过 %(max_mb)s MB。",
    "Submit": "提交",
    "Save draft": "保存草稿",
    "Review": "审核",
    "Comment (required when returning)": "审核意见（退回时必填）",
    "Evidence": "台账材料",
    "removed": "已移除",
    "Remove": "移除",
    "No files yet.": "尚未上传材料。",
    "Add files": "添加文件",
    "Extensions": "延期",
    "Comment (required when refusing)": "意见（不批准时必填）",
    "Ask for an extension": "申请延期",
    "Reopen (county staff): reason": "重新打开（县纪委监委）：原因",
    "Reopen": "重新打开",
    "Timeline": "办理记录",
    "File check failed": "文件校验失败",
    "The stored file “%(name)s” no longer matches the fingerprint recorded at upload, so it is not served. The event has been recorded; please contact the administrator.": "已存储的文件“%(name)s”与上传时记录的校验值不一致，系统不予下载。此事已记录，请联系系统管理员。",
    "Back to the task": "返回任务",
    "Awaiting my review": "待我审核",
    "Nothing to do for now.": "暂无待办任务。",
    "Only the first tasks are shown; use the task list to see more.": "仅显示前若干条任务，更多请在任务列表中查看。",
    "Year": "年份",
    "Show": "查看",
    "No organisation in your scope.": "您的权限范围内没有单位。",
    "By organisation": "按单位",
    "All": "全部",
    "itself": "本级",
    "No tasks in this year.": "本年度暂无任务。",
    "By item": "按事项",
    "Nothing is waiting for your review.": "暂无待审核事项。",
    "Showing the oldest %(limit)s of %(total)s.": "共 %(total)s 条，显示最早提交的 %(limit)s 条。",
    "Extension requests": "延期申请",
    "Choose at least one file.": "请至少选择一个文件。",
    "%(n)d file(s) added.": "已添加 %(n)d 个文件。",
    "File removed (kept in the record).": "文件已移除（记录仍保留）。",
    "Approved.": "已通过。",
    "Returned to %(org)s.": "已退回%(org)s。",
    "Not allowed.": "无权操作。",
    "Reopened: the task is back with %(org)s.": "已重新打开，任务退回%(org)s。",
    "Extension decided.": "延期申请已审批。",
    "Submitted for review.": "已提交，等待审核。",
    "Draft saved.": "草稿已保存。",
    "Extension requested.": "延期申请已提交。",
    "extended %(n)s time(s)": "已延期 %(n)s 次",
}


def fill(path):
    import re

    text = open(path, encoding="utf-8").read()
    missing = []

    def repl(match):
        block, msgid_lines = match.group(0), match.group(1)
        msgid = "".join(re.findall(r'"(.*)"', msgid_lines)).replace('\\"', '"')
        if not msgid:
            return block
        zh = ZH.get(msgid)
        if zh is None:
            missing.append(msgid)
            return block
        return f'msgid {msgid_lines}msgstr "{zh.replace(chr(34), chr(92) + chr(34))}"\n'

    text = re.sub(r'msgid ((?:".*"\n)+)msgstr (?:".*"\n)+', repl, text)
    if not missing:  # every entry has its Chinese: no guessed (fuzzy) entries remain
        text = re.sub(r"^#, fuzzy\n", "", text, flags=re.M)
        text = re.sub(r"^#, fuzzy, ", "#, ", text, flags=re.M)
        text = re.sub(r"^#\| .*\n", "", text, flags=re.M)
    text = re.sub(r'(Plural-Forms: [^\n]*\n)(#)', r"\1\n\2", text)
    text = text.replace("Content-Type: text/plain; charset=CHARSET", "Content-Type: text/plain; charset=UTF-8")
    open(path, "w", encoding="utf-8").write(text)
    return missing


if __name__ == "__main__":
    import os

    here = os.path.dirname(os.path.abspath(__file__))
    missing = fill(os.path.join(here, "zh_Hans", "LC_MESSAGES", "django.po"))
    print("missing:", missing)
