"""Demo organizational life: a year of meetings for every organization, planned by the rules,
those before today recorded, with some gaps, a few late ones and one assembly that failed its
quorum (BR-03); the rest of the current year planned.

The recorded year (``record_year``) is the current one from July on, else the previous one (so
early in a year the demo still shows a full year), followed by the current year up to today.

Deterministic for a seed and a day. Rows are built in memory and written with a handful of bulk
inserts, without history rows: they are the demo's starting point, not changes (the history of a
meeting starts with its first real change), and the demo loads in well under three seconds.
"""

import datetime
import random

from tongpin.members.models import CommitteePost, Member, MemberStatus
from tongpin.orgs.models import Organization, OrgKind

from . import conf, services
from .models import (
    Attendance,
    AttendanceStatus,
    Meeting,
    MeetingKind,
    MeetingStatus,
    MemberReview,
    Motion,
    ReviewGrade,
    Talk,
)

# the branch whose term has expired (demo agency) keeps its life loosely too
WEAK_BRANCH = "农村经济处党支部"
# one assembly of this branch failed its quorum (BR-03)
QUORUM_BRANCH = "价格处党支部"
# the branch of the demo secretary (shuji): its latest theme day is left to record
OFFICE_BRANCH = "办公室党支部"

FIRST_ITEMS = [
    "学习习近平总书记在中央政治局集体学习时的重要讲话精神",
    "学习贯彻习近平总书记关于党的建设的重要思想",
    "传达学习中央经济工作会议精神",
    "学习习近平总书记关于推动高质量发展的重要论述",
    "学习《中国共产党纪律处分条例》",
    "传达学习全国两会精神",
]
THEMES = [
    "重温入党誓词",
    "参观红色教育基地",
    "志愿服务进社区",
    "学习党章党规",
    "廉政警示教育",
    "“七一”专题学习",
    "岗位建功·业务比武",
    "走访慰问老党员",
    "读书分享会",
    "为群众办实事",
    "安全生产和保密教育",
    "调研成果交流",
]
LECTURES = [
    "以高质量党建引领机关业务工作",
    "弘扬伟大建党精神",
    "坚持以人民为中心的发展思想",
    "深入推进全面从严治党",
]
EXCUSES = ["出差", "病假", "参加上级会议", "外出调研", "事假", "参加培训"]
ROOMS = ["第一会议室", "第二会议室", "第三会议室", "党员活动室", "多功能厅"]


def _agenda(kind: str, first_item: str, month: int, rng) -> tuple[str, str, str]:
    """(agenda, minutes, decisions) in the words a branch secretary would write."""
    if kind == MeetingKind.THEME_DAY:
        theme = THEMES[(month - 1) % len(THEMES)]
        agenda = f"{first_item}\n开展“{theme}”主题党日活动\n交流学习体会"
        minutes = (
            f"书记领学{first_item}。随后开展“{theme}”活动，"
            f"{rng.choice(['三名党员', '两名党员', '四名党员'])}作交流发言，"
            "大家结合岗位实际谈了认识和打算。"
        )
        decisions = "将学习成果转化为推动业务工作的具体举措，下月报送一篇学习体会。"
    elif kind == MeetingKind.COMMITTEE:
        agenda = f"{first_item}\n研究本月党建和业务重点工作\n讨论发展党员和党费收缴情况"
        minutes = "支委会传达学习了上级精神，逐项研究了本月党建与业务工作安排，明确了责任分工。"
        decisions = "本月重点工作按分工推进；主题党日活动由宣传委员牵头组织。"
    elif kind == MeetingKind.ASSEMBLY:
        agenda = f"{first_item}\n通报上季度支部工作情况\n讨论本季度工作安排"
        minutes = "书记通报了上季度支部工作和党费收缴情况，党员大会讨论了本季度工作安排。"
        decisions = "同意本季度支部工作安排。"
    elif kind == MeetingKind.LECTURE:
        title = LECTURES[(month - 1) // 3 % len(LECTURES)]
        agenda = f"{first_item}\n书记讲党课：{title}"
        minutes = f"支部书记以“{title}”为题讲专题党课，结合处室业务谈体会、提要求。"
        decisions = "党员结合党课内容撰写学习心得。"
    elif kind == MeetingKind.GROUP:
        agenda = f"{first_item}\n交流学习体会\n讨论支部工作安排的落实"
        minutes = "党小组组长组织学习，党员逐一交流了学习体会和工作打算。"
        decisions = "按支部部署推进本月工作。"
    else:
        agenda = f"{first_item}\n会议主要议程"
        minutes = "会议按议程进行。"
        decisions = ""
    return agenda, minutes, decisions


def _roster(org, kind, members_by_branch, members_by_group, committee, subtree):
    """Mirror of ``services.roster`` over rows in memory (no query per meeting)."""
    if kind == MeetingKind.COMMITTEE:
        return committee.get(org.pk, [])
    if org.kind == OrgKind.GROUP:
        return members_by_group.get(org.pk, [])
    if kind == MeetingKind.DEMOCRATIC_LIFE:
        levels = set(conf.life_settings()["leadership_job_levels"])
        return [m for m in subtree(org) if m.job_level in levels]
    if org.kind == OrgKind.BRANCH:
        return members_by_branch.get(org.pk, [])
    return subtree(org)


def record_year(today: datetime.date) -> int:
    """The year the demo holds a full record of (tests and the README use it)."""
    return today.year if today.month >= 7 else today.year - 1


def load(*, today: datetime.date, seed: int) -> None:
    rng = random.Random(seed * 7 + 5)
    year = record_year(today)
    orgs = list(Organization.objects.filter(is_active=True).order_by("path"))
    members = list(
        Member.objects.only(
            "pk", "name", "branch_id", "group_id", "status", "job_level", "joined_on"
        ).order_by("pk")
    )
    path_of = {o.pk: o.path for o in orgs}
    members_by_branch, members_by_group = {}, {}
    for member in members:
        members_by_branch.setdefault(member.branch_id, []).append(member)
        if member.group_id:
            members_by_group.setdefault(member.group_id, []).append(member)
    by_pk = {m.pk: m for m in members}
    committee, secretaries, organizers = {}, {}, {}
    for post in CommitteePost.objects.filter(ended_on__isnull=True).order_by("pk"):
        committee.setdefault(post.organization_id, []).append(by_pk[post.member_id])
        if post.post == CommitteePost.Post.SECRETARY:
            secretaries[post.organization_id] = by_pk[post.member_id]
        elif post.post == CommitteePost.Post.ORGANIZATION:
            organizers[post.organization_id] = by_pk[post.member_id]

    def subtree(org):
        return [m for m in members if path_of.get(m.branch_id, "").startswith(org.path)]

    branch_of_group = {
        o.pk: next(p for p in orgs if p.path == o.path[:-4])
        for o in orgs
        if o.kind == OrgKind.GROUP
    }
    places = {o.pk: f"机关{rng.randrange(1, 6)}号楼{rng.choice(ROOMS)}" for o in orgs}

    # the plan, in memory ------------------------------------------------------------------
    meetings: list[Meeting] = []
    for org in orgs:
        size = len(committee.get(org.pk, []))
        for kind in services.required_kinds(org.kind, size):
            for plan_year in range(year, today.year + 1):
                for day in services.planned_dates(kind, plan_year):
                    meetings.append(services._new_meeting(org, kind, day, in_plan=True))

    # what happened to the meetings before today -------------------------------------------
    office = next((o for o in orgs if o.name == OFFICE_BRANCH), None)
    office_last_theme_day = max(
        (
            m.planned_on
            for m in meetings
            if office
            and m.organization_id == office.pk
            and m.kind == MeetingKind.THEME_DAY
            and m.planned_on < today
        ),
        default=None,
    )
    quorum_done = False
    attendance: list[Attendance] = []
    held: list[tuple[Meeting, list[Attendance]]] = []
    for meeting in meetings:
        org = meeting.organization
        if meeting.planned_on >= today:
            continue
        branch_name = org.name if org.kind != OrgKind.GROUP else branch_of_group[org.pk].name
        gap = 0.25 if branch_name == WEAK_BRANCH else 0.015
        if (
            office
            and org.pk == office.pk
            and meeting.kind == MeetingKind.THEME_DAY
            and meeting.planned_on == office_last_theme_day
        ):
            continue  # left for the secretary to record (the demo and the browser test)
        fail_quorum = (
            not quorum_done
            and branch_name == QUORUM_BRANCH
            and meeting.kind == MeetingKind.ASSEMBLY
            and meeting.period_start == datetime.date(year, 4, 1)
        )
        roll = rng.random()
        if fail_quorum:
            roll = 1.0  # the designated failure is held (and fails), never a gap
        if roll < gap:
            continue  # a gap: never held, never recorded
        if roll < gap + 0.005:
            meeting.status = MeetingStatus.CANCELLED
            meeting.cancel_reason = "因集中开展专项工作，经支委会研究取消"
            continue
        held_on = meeting.planned_on + datetime.timedelta(days=rng.choice([0, 0, 0, 1, -1, 2]))
        if rng.random() < 0.015:
            held_on = meeting.due_on + datetime.timedelta(days=rng.randrange(2, 9))  # late
        if held_on >= today:
            held_on = meeting.planned_on
        meeting.status = MeetingStatus.HELD
        meeting.held_on = held_on
        meeting.starts_at = datetime.time(rng.choice([9, 10, 14, 15]), rng.choice([0, 30]))
        meeting.place = places[org.pk]
        head = secretaries.get(org.pk)
        people = _roster(org, meeting.kind, members_by_branch, members_by_group, committee, subtree)
        meeting.host = head or (people[0] if people else None)
        meeting.recorder = organizers.get(org.pk) or (people[-1] if people else None)
        first_item = FIRST_ITEMS[(held_on.month + len(org.name)) % len(FIRST_ITEMS)]
        meeting.first_item_title = first_item
        meeting.agenda, meeting.minutes, meeting.decisions = _agenda(
            meeting.kind, first_item, held_on.month, rng
        )
        rows = []
        for member in people:
            row = Attendance(
                meeting=meeting,
                member=member,
                can_vote=member.status == MemberStatus.FULL,  # rule ORG-09
            )
            chance = rng.random()
            if chance < 0.07:
                row.status = AttendanceStatus.EXCUSED
                row.reason = rng.choice(EXCUSES)
            elif chance < 0.085:
                row.status = AttendanceStatus.ABSENT
            rows.append(row)
        if fail_quorum:
            # half the members with a vote (rounded up) away on an inspection: BR-03 fails
            voters = [row for row in rows if row.can_vote]
            for row in voters[: (len(voters) + 1) // 2]:
                row.status, row.reason = AttendanceStatus.EXCUSED, "参加省委专项督查"
        services._fix_figures(meeting, rows)
        if meeting.quorum_met is False and not fail_quorum:
            # the demo has one failed quorum, on purpose; chance absences elsewhere are undone
            for row in rows:
                row.status, row.reason = AttendanceStatus.PRESENT, ""
        if fail_quorum:
            quorum_done = True
            meeting.decisions = "到会有表决权的党员未过半数，表决事项改期至下次党员大会。"
        services._fix_figures(meeting, rows)
        held.append((meeting, rows))

    Meeting.objects.bulk_create(meetings, batch_size=500)
    for meeting, rows in held:
        for row in rows:
            row.meeting_id = meeting.pk
        attendance.extend(rows)
    Attendance.objects.bulk_create(attendance, batch_size=1000)

    # votes at assemblies: admitting and confirming members (BR-03, DEV-12) -----------------
    motions = []
    for meeting, _rows in held:
        if meeting.kind != MeetingKind.ASSEMBLY or (meeting.quorum_met and rng.random() > 0.3):
            continue
        present = meeting.voting_present
        yes = present if meeting.quorum_met else min(present, meeting.voting_count // 2)
        outcome = services.vote_outcome(
            entitled=meeting.voting_count, voters_present=present, yes=yes
        )
        motions.append(
            Motion(
                meeting=meeting,
                title="讨论接收预备党员" if rng.random() < 0.5 else "讨论预备党员按期转正",
                entitled=meeting.voting_count,
                voters_present=present,
                yes=yes,
                no=0,
                abstain=present - yes,
                valid=outcome.valid,
                passed=outcome.passed,
            )
        )
    Motion.objects.bulk_create(motions)

    # heart-to-heart talks (BR-11): committee pairs and most members, some gaps -------------
    talks = []
    branches = [o for o in orgs if o.kind == OrgKind.BRANCH]
    start = datetime.date(year, 1, 1)
    span = max(1, (min(today, datetime.date(year, 12, 31)) - start).days)
    for branch in branches:
        board = committee.get(branch.pk, [])
        board_ids = {m.pk for m in board}
        people = members_by_branch.get(branch.pk, [])
        pairs = set()
        for i, a in enumerate(board):
            for b in board[i + 1 :]:
                if rng.random() < 0.9:
                    pairs.add((a, b))
        ordinary = [m for m in people if m.pk not in board_ids]
        for member in ordinary:
            if board and rng.random() < 0.8:
                pairs.add((member, rng.choice(board)))
            if len(ordinary) > 1 and rng.random() < 0.6:
                other = rng.choice(ordinary)
                if other.pk != member.pk:
                    pairs.add((member, other))
        for a, b in pairs:
            first, second = sorted((a, b), key=lambda m: m.pk)
            talks.append(
                Talk(
                    organization=branch,
                    held_on=start + datetime.timedelta(days=rng.randrange(span)),
                    member_a=first,
                    member_b=second,
                    a_on_committee=first.pk in board_ids,
                    b_on_committee=second.pk in board_ids,
                )
            )
    Talk.objects.bulk_create(talks, batch_size=1000)

    # last year's democratic review (BR-10): at most a third rated excellent ----------------
    reviews = []
    for branch in branches:
        people = [m for m in members_by_branch.get(branch.pk, []) if m.joined_on.year < year]
        full = [m for m in people if m.status == MemberStatus.FULL]
        excellent = set(rng.sample(full, services.excellent_limit(len(full)) * 2 // 3))
        for member in people:
            if member.status != MemberStatus.FULL:
                continue
            grade = ReviewGrade.EXCELLENT if member in excellent else ReviewGrade.QUALIFIED
            total = len(full)
            votes_excellent = (
                rng.randrange(total // 2, total)
                if grade == "excellent"
                else (rng.randrange(0, max(1, total // 4)))
            )
            reviews.append(
                MemberReview(
                    organization=branch,
                    year=year - 1,
                    member=member,
                    self_review="对照党章和岗位职责作了自我评议，查摆了理论学习不够系统等问题。",
                    mutual_review="政治立场坚定，工作认真负责，希望进一步加强理论学习。",
                    votes_excellent=votes_excellent,
                    votes_qualified=total - votes_excellent,
                    grade=grade,
                )
            )
    MemberReview.objects.bulk_create(reviews, batch_size=1000)
    services.send_reminders(today=today)
