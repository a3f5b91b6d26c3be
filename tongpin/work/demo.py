"""The demo agency's yearly plan: business goals of every department, party tasks of the
committee and the branches linked to them, one task deployed to all 25 branches (18 done, the
rest overdue), progress with evidence, responsibility lists and a quarterly review.

A few items are left unlinked on purpose, so the disconnect (两张皮) view has findings:
``UNLINKED_TASKS`` and ``UNSUPPORTED_GOALS`` are exactly what it must list for the plan year.
Dates are relative to ``today`` so overdue stays overdue.
"""

import datetime
import random
from decimal import Decimal

from tongpin.accounts.models import User
from tongpin.core import loops
from tongpin.members.models import JobLevel, Member
from tongpin.orgs.models import Department, Organization, OrgKind

from . import services
from .models import PartyTask, ResponsibilityKind, TaskCategory

# (department, [(goal title, target, unit, days from today to the deadline)])
GOALS = {
    "办公室": [
        ("省政府督办事项按时办结", 100, "%", 200),
        ("政务信息被省委省政府采用", 60, "篇", 150),
    ],
    "政策法规处": [
        ("出台优化营商环境政策文件", 5, "件", 120),
        ("完成行政规范性文件合法性审核", 40, "件", 180),
    ],
    "发展规划处": [
        ("编制“十五五”重点专项规划", 12, "项", 90),
        ("完成规划实施情况年度监测评估", 1, "份", 240),
    ],
    "国民经济综合处": [
        ("全省地区生产总值增长", Decimal("5.5"), "%", 250),
        ("形成季度经济形势分析报告", 4, "份", 200),
    ],
    "经济运行调节处": [
        ("重点企业运行监测覆盖", 1000, "家", -20),
        ("修订煤电油气保供应急预案", 1, "项", 60),
    ],
    "体制改革处": [
        ("推进重点领域改革事项落地", 20, "项", 210),
        ("开展营商环境评价", 1, "次", 100),
    ],
    "固定资产投资处": [
        ("省重点建设项目完成投资", 3000, "亿元", 230),
        ("新开工省重点建设项目", 150, "个", 140),
    ],
    "利用外资和境外投资处": [
        ("实际使用外资", 180, "亿美元", 240),
        ("完成境外投资项目备案", 200, "个", 190),
    ],
    "地区经济处": [
        ("推进山区海岛县高质量发展项目", 30, "个", 170),
        ("落实对口合作项目", 25, "个", 220),
    ],
    "农村经济处": [
        ("新建高标准农田", 100, "万亩", -35),
        ("实施乡村振兴重点项目", 50, "个", 200),
    ],
    "基础产业处": [
        ("新增可再生能源装机", 500, "万千瓦", 230),
        ("综合交通重大项目开工", 20, "个", 160),
    ],
    "产业发展处": [
        ("培育先进制造业集群", 15, "个", 220),
        ("推动制造业重点技改项目", 300, "个", 180),
    ],
    "高技术产业处": [
        ("高新技术产业增加值增长", 8, "%", 250),
        ("新建省级工程研究中心", 30, "家", 150),
    ],
    "资源节约和环境保护处": [
        ("单位地区生产总值能耗下降", 3, "%", 250),
        ("完成固定资产投资项目节能审查", 120, "个", 130),
    ],
    "社会发展处": [
        ("新增普惠托育服务位", 2, "万个", 210),
        ("实施社会领域补短板项目", 40, "个", 170),
    ],
    "就业收入分配和消费处": [
        ("城镇新增就业", 100, "万人", 240),
        ("社会消费品零售总额增长", 5, "%", 250),
    ],
    "经济贸易处": [
        ("重要商品储备达标", 100, "%", 110),
        ("推进现代物流重点项目", 25, "个", 200),
    ],
    "价格处": [
        ("重要民生商品价格监测点", 300, "个", 90),
        ("完成定价成本监审项目", 15, "项", 180),
    ],
    "人事处": [
        ("完成干部教育培训", 1200, "人次", 220),
        ("完成年度公务员招录", 25, "人", 150),
    ],
    "数据中心": [
        ("公共数据归集", 500, "项", 200),
        ("政务信息系统迁移上云", 80, "个", 230),
    ],
    "机关党委办公室": [
        ("党务干部业务培训", 200, "人次", 160),
        ("机关党建工作年度考核", 1, "次", 260),
    ],
    "机关服务中心": [
        ("公共机构节能率", 5, "%", 250),
        ("机关后勤服务满意度", 95, "分", 240),
    ],
}

# goals no party work serves (findings of the disconnect view)
UNSUPPORTED_GOALS = [
    "完成定价成本监审项目",
    "完成年度公务员招录",
    "政务信息系统迁移上云",
    "公共机构节能率",
]

# (organization, title) of tasks serving no business goal (findings of the disconnect view)
UNLINKED_TASKS = [
    ("江东省发展和改革委员会机关委员会", "组织全体党员年度集中轮训"),
    ("江东省发展和改革委员会机关委员会", "举办机关党建品牌展示活动"),
    ("第二党总支", "总支委员集中学习交流"),
    ("办公室党支部", "组织观看爱国主义教育影片"),
    ("经济运行调节处党支部", "开展支部党员联谊活动"),
]

DEPLOYED_TITLE = "学习贯彻党的二十届四中全会精神"
DEPLOYED_DONE = 18

BRANCH_TASK_PATTERNS = [
    ("设立党员先锋岗，助力“{goal}”", TaskCategory.ORGANIZATIONAL),
    ("组织党员攻坚小组，推进“{goal}”", TaskCategory.ORGANIZATIONAL),
    ("围绕“{goal}”开展主题党日", TaskCategory.POLITICAL),
    ("结合“{goal}”开展调查研究", TaskCategory.CONDUCT),
]
# last year's plan: fewer tasks tied to business early on, more by the end (the trend the fusion
# chart shows); these titles serve no goal
LAST_YEAR_UNLINKED = ["组织支部党员趣味运动会", "开展支部春季联谊活动", "组织党员集体观影"]
LAST_YEAR_UNLINKED_SHARE = {1: 0.6, 2: 0.45, 3: 0.3, 4: 0.15}
LEADER_DEPARTMENTS = ["办公室", "政策法规处", "发展规划处", "国民经济综合处", "人事处"]


def _days(today, n) -> datetime.date:
    """``today`` + ``n`` days, kept inside the plan year (year-end is the usual deadline)."""
    year = services.working_year(today)
    day = today + datetime.timedelta(days=n)
    return min(max(day, datetime.date(year, 1, 31)), datetime.date(year, 12, 31))


def _quarter_end(year, days_or_quarter) -> datetime.date:
    """A quarter's last day; a number of days (60–260) picks the quarter it falls in."""
    quarter = days_or_quarter if days_or_quarter <= 4 else min(4, 1 + days_or_quarter // 65)
    return services.quarter_bounds(year, quarter)[1]


def _ago(today, n) -> datetime.date:
    """A date ``n`` days back for records of what was done (never in the future)."""
    return today - datetime.timedelta(days=n)


def _closed_on(day):
    """A task of the organization's own, done that day: reported and closed (closed loop)."""
    return {"completed_on": day, "reported_on": day, "closed_on": day}


def _last_year(rng, year, departments, branches, secretaries):
    """Last year's plan, all of it done: goals reached and branch tasks closed (bulk, fast)."""
    from simple_history.utils import bulk_create_with_history

    from .models import BusinessGoal, PartyTask, TaskGoalLink

    goals = []
    for department_name, rows in GOALS.items():
        for title, target, unit, days in rows:
            deadline = _quarter_end(year, abs(days))
            goals.append(
                BusinessGoal(
                    year=year,
                    department=departments[department_name],
                    title=f"{year}年{title}",
                    target_value=Decimal(target),
                    unit=unit,
                    actual_value=Decimal(target),
                    deadline=deadline,
                    completed_on=deadline - datetime.timedelta(days=5),
                )
            )
    goals = bulk_create_with_history(goals, BusinessGoal)
    by_department = {}
    for goal in goals:
        by_department.setdefault(goal.department_id, []).append(goal)
    tasks, wanted = [], []
    for branch in branches:
        for department in branch.departments.all():
            for n, goal in enumerate(by_department.get(department.pk, [])):
                quarter = 2 * n + rng.randrange(1, 3)
                deadline = _quarter_end(year, quarter)
                unlinked = rng.random() < LAST_YEAR_UNLINKED_SHARE[quarter]
                pattern, category = BRANCH_TASK_PATTERNS[(n + branch.pk) % 4]
                title = (
                    LAST_YEAR_UNLINKED[(n + branch.pk) % len(LAST_YEAR_UNLINKED)]
                    if unlinked
                    else pattern.format(goal=goal.title)
                )
                owner = secretaries.get(branch.pk)
                tasks.append(
                    PartyTask(
                        year=year,
                        organization=branch,
                        title=title,
                        category=category,
                        owner=owner,
                        deadline=deadline,
                        progress=100,
                        **_closed_on(deadline - datetime.timedelta(days=rng.randrange(1, 20))),
                    )
                )
                wanted.append(None if unlinked else goal)
    tasks = bulk_create_with_history(tasks, PartyTask)
    bulk_create_with_history(
        [
            TaskGoalLink(task=task, goal=goal)
            for task, goal in zip(tasks, wanted, strict=True)
            if goal is not None
        ],
        TaskGoalLink,
    )


def load(*, today, seed):
    rng = random.Random(seed * 7 + 3)
    year = services.working_year(today)
    staff = User.objects.get(username="dangwei")
    staff_member = Member.objects.filter(user=staff).first()
    root = Organization.objects.get(depth=1)
    departments = {d.name: d for d in Department.objects.select_related("branch")}
    orgs = {o.name: o for o in Organization.objects.exclude(kind=OrgKind.GROUP)}

    # business goals, with actual values recorded for most -------------------------------------
    goals = {}
    for department_name, rows in GOALS.items():
        department = departments[department_name]
        head = (
            Member.objects.filter(department=department, job_level=JobLevel.DIVISION)
            .order_by("pk")
            .first()
        )
        for title, target, unit, days in rows:
            deadline = _days(today, days) if days < 0 else _quarter_end(year, days)
            goal = services.create_goal(
                user=staff,
                department=department,
                year=year,
                title=title,
                target_value=Decimal(target),
                unit=unit,
                deadline=deadline,
                owner=head,
                description="",
            )
            goals[title] = goal
            if days < 0:
                share, measured = rng.choice([0.7, 0.9]), _ago(today, rng.randrange(3, 40))
            elif deadline < today:  # an earlier quarter's goal, reached
                share, measured = 1.0, deadline - datetime.timedelta(days=rng.randrange(1, 10))
            else:
                share = rng.choice([None, 0.3, 0.5, 0.6, 0.8])
                measured = _ago(today, rng.randrange(3, 40))
            if share is not None:
                value = (Decimal(target) * Decimal(str(share))).quantize(Decimal("0.01"))
                services.record_measurement(
                    goal, user=staff, value=value, measured_on=measured, note="按月调度数据"
                )

    def goal_list(*titles):
        return [goals[t] for t in titles]

    # the committee's tasks ----------------------------------------------------------------------
    def committee_task(title, category, days, linked=(), description=""):
        return services.create_task(
            user=staff,
            organization=root,
            year=year,
            title=title,
            description=description,
            category=category,
            owner=staff_member,
            deadline=_days(today, days),
            goals=goal_list(*linked),
        )

    deployed = committee_task(
        DEPLOYED_TITLE,
        TaskCategory.POLITICAL,
        -10,
        linked=("编制“十五五”重点专项规划", "全省地区生产总值增长"),
        description="各党支部通过支部党员大会、主题党日等形式集中学习，结合本处室重点工作研讨落实举措。",
    )
    four_strong = committee_task(
        "开展“四强”党支部创建",
        TaskCategory.ORGANIZATIONAL,
        150,
        linked=("党务干部业务培训",),
    )
    integrity = committee_task(
        "开展廉政风险点排查和防控",
        TaskCategory.DISCIPLINE,
        9,
        linked=("省重点建设项目完成投资", "新开工省重点建设项目"),
    )
    committee_task(
        "开展机关作风建设“深化年”活动",
        TaskCategory.CONDUCT,
        120,
        linked=("省政府督办事项按时办结",),
    )
    committee_task(
        "党员先锋岗助力数字政府建设",
        TaskCategory.ORGANIZATIONAL,
        180,
        linked=("公共数据归集",),
    )
    committee_task("组织全体党员年度集中轮训", TaskCategory.IDEOLOGICAL, 90)
    committee_task("举办机关党建品牌展示活动", TaskCategory.ORGANIZATIONAL, 200)

    branches = list(Organization.objects.filter(kind=OrgKind.BRANCH).order_by("path"))
    _last_year(rng, year - 1, departments, branches, services.secretaries_of(branches, today))
    children = services.deploy_task(deployed, user=staff, targets=branches)
    services.deploy_task(four_strong, user=staff, targets=branches)
    general_first = orgs["第一党总支"]
    services.deploy_task(
        integrity,
        user=staff,
        targets=[o for o in branches if not o.path.startswith(orgs["第三党总支"].path)],
    )

    # general branches ---------------------------------------------------------------------------
    services.create_task(
        user=staff,
        organization=general_first,
        year=year,
        title="总支党建联建助推营商环境优化",
        category=TaskCategory.ORGANIZATIONAL,
        owner=services.secretary_of(general_first, today),
        deadline=_days(today, 100),
        goals=goal_list("出台优化营商环境政策文件", "开展营商环境评价"),
    )
    services.create_task(
        user=staff,
        organization=orgs["第二党总支"],
        year=year,
        title="总支委员集中学习交流",
        category=TaskCategory.IDEOLOGICAL,
        owner=services.secretary_of(orgs["第二党总支"], today),
        deadline=_days(today, 60),
    )

    # each branch's own tasks, serving its department's goals -------------------------------------
    office = orgs["办公室党支部"]
    office_theme_day = None
    for branch in branches:
        own_goals = [
            g
            for d in branch.departments.all()
            for g in goals.values()
            if g.department_id == d.pk and g.title not in UNSUPPORTED_GOALS
        ]
        owner = services.secretary_of(branch, today)
        for n, goal in enumerate(own_goals):
            pattern, category = BRANCH_TASK_PATTERNS[(n + branch.pk) % len(BRANCH_TASK_PATTERNS)]
            deadline = _quarter_end(year, rng.randrange(1, 5))
            task = services.create_task(
                user=staff,
                organization=branch,
                year=year,
                title=pattern.format(goal=goal.title),
                category=category,
                owner=owner,
                deadline=deadline,
                goals=[goal],
            )
            if deadline < today:  # an earlier quarter's task: mostly done, some overdue
                done = rng.random() < 0.8
                services.report_progress(
                    task,
                    user=staff,
                    progress=100 if done else rng.choice([20, 40, 60]),
                    text="已召开支委会研究部署，明确责任分工和时间节点。"
                    if not done
                    else "按计划完成，党员先锋作用发挥明显。",
                    reported_on=min(deadline, today) - datetime.timedelta(days=rng.randrange(1, 9)),
                )
            elif rng.random() < 0.4:
                services.report_progress(
                    task,
                    user=staff,
                    progress=rng.choice([20, 40, 60]),
                    text="已召开支委会研究部署，明确责任分工和时间节点。",
                    reported_on=_ago(today, rng.randrange(1, 20)),
                )
        if branch.pk == office.pk:
            office_theme_day = services.create_task(
                user=staff,
                organization=office,
                year=year,
                title="开展“学习全会精神、服务中心大局”主题党日",
                category=TaskCategory.POLITICAL,
                owner=owner,
                deadline=_days(today, -20),
                goals=goal_list("省政府督办事项按时办结"),
            )
    services.create_task(
        user=staff,
        organization=office,
        year=year,
        title="组织观看爱国主义教育影片",
        category=TaskCategory.IDEOLOGICAL,
        owner=services.secretary_of(office, today),
        deadline=_days(today, 40),
    )
    services.create_task(
        user=staff,
        organization=orgs["经济运行调节处党支部"],
        year=year,
        title="开展支部党员联谊活动",
        category=TaskCategory.ORGANIZATIONAL,
        owner=services.secretary_of(orgs["经济运行调节处党支部"], today),
        deadline=_days(today, 70),
    )
    ordinary = Member.objects.filter(user__username="dangyuan").first()
    if ordinary is not None:
        services.create_task(
            user=staff,
            organization=office,
            year=year,
            title="牵头整理督办事项台账，党员亮身份办结",
            category=TaskCategory.CONDUCT,
            owner=ordinary,
            deadline=_days(today, 30),
            goals=goal_list("省政府督办事项按时办结"),
        )

    # progress on the deployed task: 18 of 25 branches done, the office's evidence is its
    # theme day, already on record (linked, not re-uploaded) -----------------------------------
    users_by_member = {m.pk: m.user for m in Member.objects.filter(user__isnull=False)}
    services.report_progress(
        office_theme_day,
        user=staff,
        progress=100,
        text="全体党员参加，重温入党誓词，结合督办工作交流体会。",
        reported_on=_ago(today, 21),
    )
    # shuji2's branch stays overdue (its secretary gets the reminder), the office is done
    lagging = orgs["经济运行调节处党支部"].pk
    # the committee staff verify and close: not a branch they sit on the committee of
    pool = [
        c
        for c in children
        if c.organization_id not in (office.pk, lagging)
        and not loops.acts_for(staff, c.organization)
    ]
    rng.shuffle(pool)
    done_ids = {c.pk for c in pool[: DEPLOYED_DONE - 1]}
    done_ids |= {c.pk for c in children if c.organization_id == office.pk}
    # two more branches reported completion and await the committee's verification (闭环)
    reported_ids = {c.pk for c in pool[DEPLOYED_DONE - 1 : DEPLOYED_DONE + 1]}
    for child in children:
        author = users_by_member.get(child.owner_id) or staff
        if child.pk in done_ids | reported_ids:
            linked = ""
            if child.organization_id == office.pk:
                linked = f"work.task:{office_theme_day.pk}"
            reported_on = _ago(today, rng.randrange(11, 30))
            services.report_progress(
                child,
                user=author if services.can_report(author, child) else staff,
                progress=100,
                text="召开支部党员大会专题学习，结合本处室重点工作开展研讨。",
                linked=linked,
                reported_on=reported_on if child.pk in done_ids else _ago(today, 3),
            )
            # a branch with no account: its paper report was entered for it, and the demo has
            # one staff account, so the report stands as the branch's own (whoever reports
            # never verifies: core.loops)
            if PartyTask.objects.filter(pk=child.pk, reported_by=staff).update(reported_by=None):
                child.reported_by = None
            if child.pk in done_ids:  # verified and closed by the committee a few days later
                checked_on = reported_on + datetime.timedelta(days=3)
                services.verify_task(child, user=staff, passed=True, today=checked_on)
                services.close_task(child, user=staff, today=checked_on)
        elif rng.random() < 0.5:
            services.report_progress(
                child,
                user=staff,
                progress=rng.choice([30, 50]),
                text="已组织支委会学习，党员大会尚未召开。",
                reported_on=_ago(today, rng.randrange(12, 25)),
            )

    # leaders in charge of departments, responsibility lists -------------------------------------
    leader = User.objects.filter(username="lingdao").first()
    if leader is not None:
        services.set_leader_departments(
            user=staff, leader=leader, departments=[departments[n] for n in LEADER_DEPARTMENTS]
        )
    committee_secretary = services.secretary_of(root, today)
    services.generate_leader_lists(user=staff, year=year, root=root)
    agency_list = services.generate_list(
        user=staff,
        kind=ResponsibilityKind.AGENCY_COMMITTEE,
        year=year,
        organization=root,
        holder_name=committee_secretary.name if committee_secretary else "机关党委书记",
        holder_post="机关党委书记",
        holder=committee_secretary.user
        if committee_secretary and committee_secretary.user_id
        else None,
    )
    services.issue_list(agency_list, user=staff, issued_on=_ago(today, 60))
    for responsibility_list in services.generate_branch_lists(user=staff, year=year):
        if rng.random() < 0.8:
            services.issue_list(responsibility_list, user=staff, issued_on=_ago(today, 50))

    # a quarterly review of the last quarter, with a follow-up item --------------------------------
    quarter = services.quarter_of(today) - 1
    review_year = year
    if quarter == 0:
        quarter, review_year = 4, year - 1
    _start, end = services.quarter_bounds(review_year, quarter)
    review = services.create_review(
        user=staff,
        organization=root,
        year=review_year,
        quarter=quarter,
        held_on=min(today, end + datetime.timedelta(days=12)),
        conclusion="党建和业务工作一起检查：重点工作总体按计划推进，个别党支部学习贯彻任务滞后，"
        "部分党建任务与业务目标结合不紧，需督促整改。",
    )
    services.add_follow_up(
        review,
        user=staff,
        year=year,
        title="督促滞后党支部完成全会精神学习",
        category=TaskCategory.POLITICAL,
        owner=staff_member,
        deadline=_days(today, 20),
        goals=goal_list("编制“十五五”重点专项规划"),
    )
