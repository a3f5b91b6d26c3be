"""The demo agency's directives: a notice of the committee, read from text the way a user pastes
it (traditional characters, pinyin annotations, web page clutter), its three numbered
directives turned into party tasks deployed to three branches."""

import datetime

from tongpin.accounts.models import User
from tongpin.orgs.models import Organization, OrgKind
from tongpin.work.models import BusinessGoal

from . import ingest, services
from .models import IssuingLevel

NOTICE_TITLE = "关于做好年度机关党建工作的通知"
NOTICE = """您當前的(de)位置 : 首頁 > 通知公告 >
關(guān)于做(zuò)好年(nián)度機(jī)關(guān)黨(dǎng)建工作的(de)通知
發布時間:2025-03-02 09:00:00 來源:示例單位
各黨(dǎng)支部:為(wèi)推動(dòng)機(jī)關(guān)黨(dǎng)建和(hé)業(yè)務工作深度融合,現(xiàn)就有關(guān)事項通知如(rú)下。
一(yī)、加強理(lǐ)論學(xué)習。各支部要嚴格落實“第一(yī)議題”制度,每月至少組織一(yī)次集中學(xué)習。
二、規範組織生活。要按規定召開支部委員會會議和(hé)黨(dǎng)小組會,每季度召開一(yī)次支部黨員大會。
三、抓好問題整改。對(duì)考核中發現(xiàn)的(de)問題,要建立台賬,明確責任人和(hé)完成時限,逐項銷號。
版權所有 示例單位 轉載請注明來源
"""
TARGETS = ["发展规划处党支部", "体制改革处党支部", "地区经济处党支部"]
GOAL = "推进重点领域改革事项落地"
HEADINGS = {"加强理论学习", "规范组织生活", "抓好问题整改"}


def load(*, today, seed):
    staff = User.objects.get(username="dangwei")
    root = Organization.objects.get(depth=1)
    targets = list(Organization.objects.filter(name__in=TARGETS, kind=OrgKind.BRANCH))
    directive = services.create_directive(
        user=staff,
        organization=root,
        targets=targets,
        title=NOTICE_TITLE,
        source="机关党委",
        level=IssuingLevel.AGENCY,
        issued_on=today - datetime.timedelta(days=10),
        text=ingest.clean_text(NOTICE),
    )
    headings = [item for item in services.proposals(directive) if item.title in HEADINGS]
    services.create_tasks(
        directive,
        user=staff,
        items=headings,
        deadline=today + datetime.timedelta(days=75),
        goals=list(BusinessGoal.objects.filter(title=GOAL)),
    )
