"""Demo library: the shared sample texts (one traditional, with pinyin notes) and a few short
materials of the agency committee and of branches; then the search index over everything."""

import datetime
from decimal import Decimal
from pathlib import Path

from django.conf import settings

from tongpin.orgs.models import Organization

from . import search
from .models import Material, StudyAttendance, StudyForm, StudySession, StudyTier
from .services import clean_text

SAMPLES = Path(settings.BASE_DIR).parent.parent / "shared" / "samples"

OWN = [
    (
        None,
        "关于深化“五学联动”推进理论武装的通知",
        "机关党委",
        "理论武装,五学联动",
        "各党支部要坚持领学、督学、研学、精学、自学“五学联动”,支部书记带头领学,"
        "党小组组长督学,围绕业务难题开展研学,对重要讲话逐段精学,党员个人坚持自学。"
        "学习情况在党员大会和主题党日中交流,年底形成学习总结。",
    ),
    (
        None,
        "党员教育培训学时要求",
        "机关党委",
        "教育培训",
        "党员每年参加集中学习培训累计不少于32学时;基层党组织书记和班子成员每年不少于56学时。"
        "培训可结合“三会一课”、主题党日、专题讲座等方式进行,学时据实记载,不作排名。",
    ),
    (
        "办公室党支部",
        "办公室党支部2026年学习计划",
        "办公室党支部",
        "学习计划",
        "月月有活动:每月结合主题党日开展一次集中学习;季度有交流:每季度组织一次研讨交流;"
        "半年有展示:年中举办学习成果展示;年底有总结:年底召开学习总结会。",
    ),
]


def _sample_title(text: str, fallback: str) -> tuple[str, str]:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    for index, line in enumerate(lines):
        if 4 <= len(line) <= 60 and not line.startswith(("您当前", "您當前")):
            return line, "\n".join(lines[index + 1 :])
    return fallback, text


def load(*, today: datetime.date, seed: int = 2026) -> None:
    root = Organization.objects.get(depth=1)
    rows = []
    for number, path in enumerate(sorted(SAMPLES.glob("*.txt")) if SAMPLES.is_dir() else []):
        body = clean_text(path.read_text(encoding="utf-8"))
        title, rest = _sample_title(body, path.stem)
        rows.append(
            Material(
                organization=root,
                title=title[:300],
                source="示例单位",
                published_on=today - datetime.timedelta(days=30 * (number + 1)),
                tags="机关党建",
                body=rest or body,
                file_name=path.name,
            )
        )
    for number, (org_name, title, source, tags, body) in enumerate(OWN):
        organization = Organization.objects.filter(name=org_name).first() if org_name else root
        rows.append(
            Material(
                organization=organization or root,
                title=title,
                source=source,
                published_on=today - datetime.timedelta(days=7 * (number + 1)),
                tags=tags,
                body=body,
            )
        )
    Material.objects.bulk_create(rows)  # no history rows: the demo's starting point
    _sessions(today)
    search.reindex()


def _sessions(today: datetime.date) -> None:
    """The office branch's sessions: one in its latest held theme day (attendance reused), one
    of its own with a few members, one jointly with the next branch (联学共建)."""
    from tongpin.life.models import Meeting, MeetingKind, MeetingStatus
    from tongpin.members.models import Member

    office = Organization.objects.filter(name="办公室党支部").first()
    if office is None:
        return
    material = Material.objects.filter(organization__depth=1).order_by("pk").first()
    meeting = (
        Meeting.objects.filter(
            organization=office, status=MeetingStatus.HELD, kind=MeetingKind.THEME_DAY
        )
        .order_by("-held_on")
        .first()
    )
    if meeting is not None:
        session = StudySession.objects.create(
            organization=office,
            tier=StudyTier.LEAD,
            topic="支部书记领学:推动机关党建和业务工作相互促进",
            held_on=meeting.held_on,
            hours=Decimal("2"),
            meeting=meeting,
        )
        if material:
            session.materials.add(material)
    members = list(Member.objects.filter(branch=office).order_by("pk")[:6])
    own = StudySession.objects.create(
        organization=office,
        tier=StudyTier.RESEARCH,
        form=StudyForm.EXCHANGE,
        topic="围绕公文质量开展研学交流",
        held_on=today - datetime.timedelta(days=10),
        hours=Decimal("3"),
    )
    StudyAttendance.objects.bulk_create(StudyAttendance(session=own, member=m) for m in members)
    partner = (
        Organization.objects.filter(kind=office.kind, depth=office.depth)
        .exclude(pk=office.pk)
        .order_by("path")
        .first()
    )
    if partner is not None:
        joint = StudySession.objects.create(
            organization=office,
            tier=StudyTier.DEEPEN,
            form=StudyForm.SHOWCASE,
            topic="联学共建:精学重要讲话并展示学习成果",
            held_on=today - datetime.timedelta(days=20),
            hours=Decimal("2"),
        )
        joint.partners.add(partner)
        partner_members = list(Member.objects.filter(branch=partner).order_by("pk")[:3])
        StudyAttendance.objects.bulk_create(
            StudyAttendance(session=joint, member=m) for m in members[:3] + partner_members
        )
