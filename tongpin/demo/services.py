"""The demo agency: a plausible provincial agency with its party tree, roster and accounts.

Deterministic for a given seed and day, idempotent (loading twice changes nothing), and seeded
with the findings a health check should show: a staffed department no branch covers, a branch
under three full members, an expired term, a term about to expire and a secretary of under a
year's standing. Dates are relative to ``today`` so the findings stay findings.
"""

import datetime
import random
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from simple_history.utils import bulk_create_with_history

from tongpin.accounts.models import PlatformRole, Role, RoleAssignment, User
from tongpin.core.registry import demo_loaders
from tongpin.core.validators import id_check_digit
from tongpin.members.models import (
    CommitteePost,
    Education,
    Gender,
    JobLevel,
    Member,
    MemberStatus,
)
from tongpin.orgs.models import Department, Organization, OrgKind, Term
from tongpin.orgs.services import create_organization

from . import names

DEMO_PASSWORD = "Tongpin@2026"
# fewer members leave some branches too small for the committees the demo accounts hold
MIN_MEMBERS = 200

# the memorable demo accounts used by the README, the tests and the browser tests
DEMO_USERS = {
    "sysadmin": _("System administrator"),
    "secadmin": _("Security administrator"),
    "auditor": _("Security auditor"),
    "dangwei": _("Agency party committee staff"),
    "zongzhi": _("General branch secretary"),
    "shuji": _("Branch secretary"),
    "weiyuan": _("Branch committee member"),
    "dangyuan": _("Party member"),
    "shuji2": _("Secretary of another branch"),
    "lingdao": _("Agency leader"),
    "chuzhang": _("Department head"),
}


@dataclass
class BranchPlan:
    name: str
    department: str | None
    weight: float
    general: int | None = None  # index into GENERAL_BRANCHES, None: directly under the root
    retired: bool = False
    tiny: bool = False


BRANCHES = [
    BranchPlan("办公室党支部", "办公室", 20, general=0),
    BranchPlan("政策法规处党支部", "政策法规处", 20, general=0),
    BranchPlan("发展规划处党支部", "发展规划处", 20, general=0),
    BranchPlan("国民经济综合处党支部", "国民经济综合处", 20, general=0),
    BranchPlan("固定资产投资处党支部", "固定资产投资处", 20, general=1),
    BranchPlan("利用外资和境外投资处党支部", "利用外资和境外投资处", 20, general=1),
    BranchPlan("基础产业处党支部", "基础产业处", 20, general=1),
    BranchPlan("产业发展处党支部", "产业发展处", 20, general=1),
    BranchPlan("离退休干部第一党支部", None, 25, general=2, retired=True),
    BranchPlan("离退休干部第二党支部", None, 25, general=2, retired=True),
    BranchPlan("离退休干部第三党支部", None, 25, general=2, retired=True),
    BranchPlan("经济运行调节处党支部", "经济运行调节处", 28),
    BranchPlan("体制改革处党支部", "体制改革处", 28),
    BranchPlan("人事处党支部", "人事处", 28),
    BranchPlan("高技术产业处党支部", "高技术产业处", 28),
    BranchPlan("价格处党支部", "价格处", 28),
    BranchPlan("地区经济处党支部", "地区经济处", 28),
    BranchPlan("农村经济处党支部", "农村经济处", 28),
    BranchPlan("资源节约和环境保护处党支部", "资源节约和环境保护处", 28),
    BranchPlan("社会发展处党支部", "社会发展处", 28),
    BranchPlan("就业收入分配和消费处党支部", "就业收入分配和消费处", 28),
    BranchPlan("经济贸易处党支部", "经济贸易处", 28),
    BranchPlan("机关党委办公室党支部", "机关党委办公室", 28),
    BranchPlan("机关服务中心党支部", "机关服务中心", 28),
    BranchPlan("价格监测中心党支部", None, 0, tiny=True),
]
EXPIRED_TERM_BRANCH = "农村经济处党支部"
EXPIRING_TERM_BRANCH = "价格处党支部"
NEW_SECRETARY_BRANCH = "社会发展处党支部"
UNCOVERED_DEPARTMENT = "数据中心"


@dataclass
class DemoSummary:
    created: bool
    organizations: int = 0
    departments: int = 0
    members: int = 0
    users: list = field(default_factory=list)


class _Builder:
    def __init__(self, seed: int, today: datetime.date):
        self.random = random.Random(seed)
        self.today = today
        self.used_ids: set[str] = set()
        self.used_names: set[str] = set()

    # people -----------------------------------------------------------------------
    def name(self, gender: str) -> str:
        pool = names.GIVEN_MALE if gender == Gender.MALE else names.GIVEN_FEMALE
        for _attempt in range(50):
            given = self.random.choice(pool)
            if self.random.random() < 0.7:
                given += self.random.choice(pool)
            full = self.random.choice(names.SURNAMES) + given
            if full not in self.used_names:
                self.used_names.add(full)
                return full
        return full

    def id_number(self, birth: datetime.date, gender: str) -> str:
        while True:
            region = self.random.choice(names.REGION_CODES)
            sequence = self.random.randrange(0, 100)
            odd_even = self.random.randrange(0, 10, 2) + (1 if gender == Gender.MALE else 0)
            first17 = f"{region}{birth:%Y%m%d}{sequence:02d}{odd_even}"
            value = first17 + id_check_digit(first17)
            if value not in self.used_ids:
                self.used_ids.add(value)
                return value

    def date_between(self, start: datetime.date, end: datetime.date) -> datetime.date:
        if end <= start:
            return start
        return start + datetime.timedelta(days=self.random.randrange((end - start).days))

    def member(self, branch, department, *, retired=False, probationary=False, level=None):
        gender = Gender.MALE if self.random.random() < 0.55 else Gender.FEMALE
        if retired:
            birth = self.date_between(datetime.date(1940, 1, 1), datetime.date(1964, 12, 31))
        else:
            birth = self.date_between(datetime.date(1967, 1, 1), datetime.date(2001, 12, 31))
        eighteen = (
            birth.replace(year=birth.year + 18)
            if not (birth.month == 2 and birth.day == 29)
            else birth.replace(year=birth.year + 18, day=28)
        )
        if probationary:
            joined = self.date_between(
                self.today - datetime.timedelta(days=330), self.today - datetime.timedelta(days=20)
            )
        else:
            latest = min(
                self.today - datetime.timedelta(days=400), eighteen.replace(year=eighteen.year + 22)
            )
            joined = self.date_between(eighteen + datetime.timedelta(days=400), latest)
        applied = joined - datetime.timedelta(days=self.random.randrange(380, 1100))
        if applied < eighteen:
            applied = eighteen
        full_on = None if probationary else joined + datetime.timedelta(days=365)
        level = level or (
            JobLevel.OTHER
            if retired
            else self.random.choice(
                [JobLevel.SECTION] * 5 + [JobLevel.STAFF] * 4 + [JobLevel.DEPUTY_DIVISION]
            )
        )
        member = Member(
            name=self.name(gender),
            gender=gender,
            ethnicity=self.random.choice(names.ETHNICITIES),
            birth_date=birth,
            education=self.random.choice(
                [Education.MASTER] * 4 + [Education.BACHELOR] * 5 + [Education.DOCTORATE]
                if not retired
                else [
                    Education.BACHELOR,
                    Education.COLLEGE,
                    Education.HIGH_SCHOOL,
                    Education.SECONDARY,
                ]
            ),
            applied_on=applied,
            joined_on=joined,
            full_member_on=full_on,
            status=MemberStatus.PROBATIONARY if probationary else MemberStatus.FULL,
            branch=branch,
            department=department,
            post="退休干部" if retired else self.post_for(level),
            job_level=level,
            is_leading_cadre=level
            in (
                JobLevel.DIVISION,
                JobLevel.DEPUTY_DIVISION,
                JobLevel.BUREAU,
                JobLevel.DEPUTY_BUREAU,
            )
            and not retired,
        )
        member.id_number = self.id_number(birth, gender)
        member.phone = (
            "1"
            + self.random.choice("3578")
            + "".join(self.random.choice("0123456789") for _ in range(9))
        )
        return member

    def post_for(self, level) -> str:
        return {
            JobLevel.DIVISION: "处长",
            JobLevel.DEPUTY_DIVISION: "副处长",
            JobLevel.SECTION: self.random.choice(names.POSTS_BY_LEVEL["section"]),
            JobLevel.STAFF: self.random.choice(names.POSTS_BY_LEVEL["staff"]),
            JobLevel.BUREAU: "主任",
            JobLevel.DEPUTY_BUREAU: "副主任",
        }.get(level, "")


def _allocate(total: int, weights: list[float]) -> list[int]:
    """Split ``total`` by ``weights`` (largest remainder), so the parts add up exactly."""
    weight_sum = sum(weights) or 1
    raw = [total * w / weight_sum for w in weights]
    counts = [int(r) for r in raw]
    for i in sorted(range(len(raw)), key=lambda i: raw[i] - counts[i], reverse=True)[
        : total - sum(counts)
    ]:
        counts[i] += 1
    return counts


def demo_exists() -> bool:
    return Organization.objects.filter(depth=1, name=names.ROOT_NAME).exists()


@transaction.atomic
def load_demo(
    members: int = 600, seed: int = 2026, today: datetime.date | None = None
) -> DemoSummary:
    """Create the demo agency unless it is there already."""
    if members < MIN_MEMBERS:
        raise ValueError(f"the demo agency needs at least {MIN_MEMBERS} members")
    if demo_exists():
        return DemoSummary(created=False, members=Member.objects.count())
    today = today or datetime.date.today()
    build = _Builder(seed, today)
    years = datetime.timedelta(days=365)

    root = create_organization(
        parent=None,
        name=names.ROOT_NAME,
        short_name=names.ROOT_SHORT,
        kind=OrgKind.AGENCY_COMMITTEE,
        established_on=datetime.date(1998, 7, 1),
    )
    root_elected = today - datetime.timedelta(days=700)
    Term.objects.create(
        organization=root,
        elected_on=root_elected,
        ends_on=root_elected + 5 * years + datetime.timedelta(days=1),
    )
    Term.objects.create(
        organization=root,
        body=Term.Body.DISCIPLINE_COMMITTEE,
        elected_on=root_elected,
        ends_on=root_elected + 5 * years + datetime.timedelta(days=1),
    )
    generals = []
    for i, name in enumerate(names.GENERAL_BRANCHES):
        general = create_organization(
            parent=root,
            name=name,
            kind=OrgKind.GENERAL_BRANCH,
            established_on=datetime.date(2008, 3, 1),
        )
        elected = today - datetime.timedelta(days=400 + 60 * i)
        Term.objects.create(
            organization=general,
            elected_on=elected,
            ends_on=elected + 3 * years + datetime.timedelta(days=1),
        )
        generals.append(general)

    departments = {}
    for order, name in enumerate([*names.DEPARTMENTS, "机关党委办公室", "机关服务中心"], start=1):
        departments[name] = Department.objects.create(
            name=name, code=f"D{order:02d}", sort_order=order
        )

    counts = _allocate(members, [plan.weight for plan in BRANCHES])
    all_members: list[Member] = []
    branches: dict[str, Organization] = {}
    branch_members: dict[str, list[Member]] = {}
    for plan, count in zip(BRANCHES, counts, strict=True):
        parent = generals[plan.general] if plan.general is not None else root
        branch = create_organization(
            parent=parent,
            name=plan.name,
            kind=OrgKind.BRANCH,
            established_on=datetime.date(
                2010 + build.random.randrange(0, 10), 1 + build.random.randrange(12), 1
            ),
        )
        branches[plan.name] = branch
        department = departments.get(plan.department) if plan.department else None
        if department is not None:
            department.branch = branch
            department.save()
        # term: most mid-term; one expired, one expiring soon (seeded findings)
        if plan.name == EXPIRED_TERM_BRANCH:
            elected = today - 3 * years - datetime.timedelta(days=75)
        elif plan.name == EXPIRING_TERM_BRANCH:
            elected = today - 3 * years + datetime.timedelta(days=45)
        else:
            elected = today - datetime.timedelta(days=build.random.randrange(120, 800))
        Term.objects.create(
            organization=branch,
            elected_on=elected,
            ends_on=elected + 3 * years + datetime.timedelta(days=1),
        )

        people: list[Member] = []
        if plan.tiny:
            # seeded finding (ORG-01): two full members and one probationary
            people = [build.member(branch, departments["价格处"]) for _ in range(2)]
            people.append(build.member(branch, departments["价格处"], probationary=True))
        else:
            for index in range(count):
                level = None
                if department is not None and index == 0:
                    level = JobLevel.DIVISION
                elif department is not None and index == 1:
                    level = JobLevel.DEPUTY_DIVISION
                own_department = department
                # the data centre's staff belong to the economy branch: no branch covers it
                if plan.name == "国民经济综合处党支部" and index >= count // 2:
                    own_department = departments[UNCOVERED_DEPARTMENT]
                people.append(
                    build.member(
                        branch,
                        own_department,
                        retired=plan.retired,
                        probationary=(not plan.retired and build.random.random() < 0.04),
                        level=level,
                    )
                )
        branch_members[plan.name] = people
        all_members.extend(people)

    bulk_create_with_history(all_members, Member, batch_size=500)
    # groups: two per branch of 14 or more, members split between them
    saved = {m.id_number_digest: m for m in Member.objects.all()}
    group_count = 0
    for plan in BRANCHES:
        branch = branches[plan.name]
        people = [saved[m.id_number_digest] for m in branch_members[plan.name]]
        branch_members[plan.name] = people
        if len(people) < 14:
            continue
        groups = [
            create_organization(
                parent=branch,
                name=f"{plan.name.removesuffix('党支部')}第{n}党小组",
                kind=OrgKind.GROUP,
            )
            for n in ("一", "二")
        ]
        group_count += len(groups)
        for i, member in enumerate(people):
            member.group = groups[i % 2]
        Member.objects.bulk_update(people, ["group"])

    # committees (rule ORG-04): ≥7 full members → secretary, organization, publicity, discipline
    for plan in BRANCHES:
        branch = branches[plan.name]
        term = branch.terms.get()
        # the longest-standing full members form the committee
        people = sorted(
            (m for m in branch_members[plan.name] if m.status == MemberStatus.FULL),
            key=lambda m: (m.full_member_on, m.pk),
        )
        if plan.name == NEW_SECRETARY_BRANCH:
            secretary = people[2]
            secretary.joined_on = today - datetime.timedelta(days=565)
            secretary.full_member_on = today - datetime.timedelta(days=200)
            secretary.applied_on = secretary.joined_on - datetime.timedelta(days=400)
            secretary.save()  # seeded finding (ORG-07): under a year of standing
            people = [secretary] + [m for m in people if m.pk != secretary.pk]
        posts = [CommitteePost.Post.SECRETARY]
        if len(people) >= 7:
            posts += [
                CommitteePost.Post.ORGANIZATION,
                CommitteePost.Post.PUBLICITY,
                CommitteePost.Post.DISCIPLINE,
            ]
            if len(people) >= 20:
                posts.insert(1, CommitteePost.Post.DEPUTY_SECRETARY)
        for post, member in zip(posts, people, strict=False):
            CommitteePost.objects.create(
                organization=branch, member=member, post=post, term=term, started_on=term.elected_on
            )
    for i, general in enumerate(generals):
        term = general.terms.get()
        pool = [
            m
            for plan in BRANCHES
            if plan.general == i
            for m in branch_members[plan.name][3:]
            if m.status == MemberStatus.FULL
        ]
        for post, member in zip(
            [
                CommitteePost.Post.SECRETARY,
                CommitteePost.Post.ORGANIZATION,
                CommitteePost.Post.PUBLICITY,
                CommitteePost.Post.DISCIPLINE,
            ],
            pool,
            strict=False,
        ):
            CommitteePost.objects.create(
                organization=general,
                member=member,
                post=post,
                term=term,
                started_on=term.elected_on,
            )
    root_term = root.terms.get(body=Term.Body.COMMITTEE)
    staff = sorted(
        (m for m in branch_members["机关党委办公室党支部"][5:] if m.status == MemberStatus.FULL),
        key=lambda m: (m.full_member_on, m.pk),
    )
    for post, member in zip(
        [
            CommitteePost.Post.SECRETARY,
            CommitteePost.Post.DEPUTY_SECRETARY,
            CommitteePost.Post.ORGANIZATION,
            CommitteePost.Post.PUBLICITY,
            CommitteePost.Post.DISCIPLINE,
            CommitteePost.Post.MEMBER,
            CommitteePost.Post.MEMBER,
        ],
        staff,
        strict=False,
    ):
        CommitteePost.objects.create(
            organization=root,
            member=member,
            post=post,
            term=root_term,
            started_on=root_term.elected_on,
        )

    users = _create_users(root, generals, branches, branch_members, departments)
    # later modules (plans, meetings, study …) add their demo records
    for _key, load in demo_loaders:
        load(today=today, seed=seed)
    return DemoSummary(
        created=True,
        organizations=Organization.objects.count(),
        departments=Department.objects.count(),
        members=Member.objects.count(),
        users=users,
    )


def _post_holder(branch, post):
    return (
        CommitteePost.objects.filter(organization=branch, post=post)
        .select_related("member")
        .first()
        .member
    )


def _create_users(root, generals, branches, branch_members, departments) -> list[str]:
    office = branches["办公室党支部"]
    secretary = _post_holder(office, CommitteePost.Post.SECRETARY)
    organizer = _post_holder(office, CommitteePost.Post.ORGANIZATION)
    taken = {secretary.pk, organizer.pk}
    ordinary = next(
        m
        for m in branch_members["办公室党支部"]
        if m.pk not in taken
        and not m.committee_posts.exists()
        and m.status == MemberStatus.FULL
        and not m.is_leading_cadre
    )
    taken.add(ordinary.pk)
    leader = branch_members["办公室党支部"][0]  # the division head; acts as the agency's leader
    leader.job_level = JobLevel.BUREAU
    leader.post = "主任、党组书记"
    leader.is_leading_cadre = True
    leader.save()
    plan = {
        "sysadmin": dict(platform_role=PlatformRole.SYSTEM_ADMIN, full_name="系统管理员"),
        "secadmin": dict(platform_role=PlatformRole.SECURITY_ADMIN, full_name="安全管理员"),
        "auditor": dict(platform_role=PlatformRole.AUDITOR, full_name="安全审计员"),
        "dangwei": dict(
            member=branch_members["机关党委办公室党支部"][6],
            roles=[(Role.AGENCY_STAFF, root, None)],
        ),
        "zongzhi": dict(
            member=_post_holder(generals[0], CommitteePost.Post.SECRETARY),
            roles=[(Role.BRANCH_SECRETARY, generals[0], None)],
        ),
        "shuji": dict(member=secretary, roles=[(Role.BRANCH_SECRETARY, office, None)]),
        "weiyuan": dict(member=organizer, roles=[(Role.COMMITTEE_MEMBER, office, None)]),
        "dangyuan": dict(member=ordinary, roles=[]),
        "shuji2": dict(
            member=_post_holder(branches["经济运行调节处党支部"], CommitteePost.Post.SECRETARY),
            roles=[(Role.BRANCH_SECRETARY, branches["经济运行调节处党支部"], None)],
        ),
        "lingdao": dict(member=leader, roles=[(Role.LEADER, None, None)]),
        "chuzhang": dict(
            member=branch_members["政策法规处党支部"][0],
            roles=[(Role.DEPARTMENT_HEAD, None, departments["政策法规处"])],
        ),
    }
    created = []
    for username, spec in plan.items():
        member = spec.get("member")
        user = User(
            username=username,
            full_name=spec.get("full_name") or (member.name if member else username),
            platform_role=spec.get("platform_role", ""),
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
        if member is not None:
            member.user = user
            member.save(update_fields=["user"])
        for role, organization, department in spec.get("roles", []):
            RoleAssignment.objects.create(
                user=user, role=role, organization=organization, department=department
            )
        created.append(username)
    return created
