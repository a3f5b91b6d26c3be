import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tongpin.core import crypto
from tongpin.core.models import ChangeLoggedModel, ScopedQuerySet
from tongpin.core.scoping import ScopeSpec
from tongpin.core.validators import (
    id_birth_date,
    id_gender,
    mask_id_number,
    mask_phone,
    normalize_id_number,
)
from tongpin.orgs.models import Organization, OrgKind


class Gender(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class Education(models.TextChoices):
    """Levels as in the national party-member information system."""

    DOCTORATE = "doctorate", _("Doctorate")
    MASTER = "master", _("Master's degree")
    BACHELOR = "bachelor", _("Bachelor's degree")
    COLLEGE = "college", _("College diploma")
    SECONDARY = "secondary", _("Secondary vocational")
    HIGH_SCHOOL = "high_school", _("High school")
    BELOW = "below", _("Junior high school or below")


class MemberStatus(models.TextChoices):
    FULL = "full", _("Full member")
    PROBATIONARY = "probationary", _("Probationary member")


# the national standard's ethnic groups (GB/T 3304) plus its two catch-all entries
ETHNIC_GROUPS = [
    "汉族",
    "蒙古族",
    "回族",
    "藏族",
    "维吾尔族",
    "苗族",
    "彝族",
    "壮族",
    "布依族",
    "朝鲜族",
    "满族",
    "侗族",
    "瑶族",
    "白族",
    "土家族",
    "哈尼族",
    "哈萨克族",
    "傣族",
    "黎族",
    "傈僳族",
    "佤族",
    "畲族",
    "高山族",
    "拉祜族",
    "水族",
    "东乡族",
    "纳西族",
    "景颇族",
    "柯尔克孜族",
    "土族",
    "达斡尔族",
    "仫佬族",
    "羌族",
    "布朗族",
    "撒拉族",
    "毛南族",
    "仡佬族",
    "锡伯族",
    "阿昌族",
    "普米族",
    "塔吉克族",
    "怒族",
    "乌孜别克族",
    "俄罗斯族",
    "鄂温克族",
    "德昂族",
    "保安族",
    "裕固族",
    "京族",
    "塔塔尔族",
    "独龙族",
    "鄂伦春族",
    "赫哲族",
    "门巴族",
    "珞巴族",
    "基诺族",
    "其他",
    "外国血统中国籍人士",
]


class JobLevel(models.TextChoices):
    """Civil-service ranks (职务职级), coarse enough for party work."""

    BUREAU = "bureau", _("Bureau level")
    DEPUTY_BUREAU = "deputy_bureau", _("Deputy bureau level")
    DIVISION = "division", _("Division level")
    DEPUTY_DIVISION = "deputy_division", _("Deputy division level")
    SECTION = "section", _("Section level")
    STAFF = "staff", _("Staff")
    OTHER = "other", _("Other")


class Member(ChangeLoggedModel):
    """A party member on the agency's roster; belongs to exactly one branch at a time.

    ID and phone numbers are sealed with SM4; a keyed SM3 digest of the ID number keeps it
    unique and searchable, and masked copies serve every list without decrypting.
    """

    name = models.CharField(pgettext_lazy("member", "name"), max_length=50, db_index=True)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices)
    ethnicity = models.CharField(_("ethnicity"), max_length=20, default="汉族")
    birth_date = models.DateField(_("birth date"))
    id_number_sealed = models.TextField(_("ID number (sealed)"), editable=False)
    id_number_digest = models.CharField(max_length=64, unique=True, editable=False)
    id_number_masked = models.CharField(_("ID number"), max_length=18, editable=False)
    education = models.CharField(
        _("education"), max_length=20, choices=Education.choices, blank=True
    )
    applied_on = models.DateField(_("application date"), null=True, blank=True)
    joined_on = models.DateField(_("admission date"))
    full_member_on = models.DateField(_("full membership date"), null=True, blank=True)
    status = models.CharField(
        pgettext_lazy("member", "status"), max_length=20, choices=MemberStatus.choices
    )
    branch = models.ForeignKey(
        Organization,
        verbose_name=_("branch"),
        on_delete=models.PROTECT,
        related_name="members",
        limit_choices_to={"kind": OrgKind.BRANCH},
    )
    group = models.ForeignKey(
        Organization,
        verbose_name=_("party group"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="group_members",
        limit_choices_to={"kind": OrgKind.GROUP},
    )
    department = models.ForeignKey(
        "orgs.Department",
        verbose_name=_("department"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
    )
    post = models.CharField(pgettext_lazy("job", "post"), max_length=50, blank=True)
    job_level = models.CharField(
        _("job level"), max_length=20, choices=JobLevel.choices, blank=True
    )
    is_leading_cadre = models.BooleanField(
        _("leading cadre"),
        default=False,
        help_text=_("Lives a dual organizational life (rule BR-12)."),
    )
    phone_sealed = models.TextField(_("phone (sealed)"), blank=True, editable=False)
    phone_masked = models.CharField(_("phone"), max_length=20, blank=True, editable=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="member",
    )

    scope_spec = ScopeSpec(org="branch", department="department", user="user")

    class Meta:
        ordering = ["branch__path", "name", "pk"]
        verbose_name = _("member")
        verbose_name_plural = _("members")
        indexes = [models.Index(fields=["status"]), models.Index(fields=["branch", "name"])]

    def __str__(self):
        return self.name

    # sealed fields ---------------------------------------------------------------
    @property
    def id_number(self) -> str:
        return crypto.unseal(self.id_number_sealed)

    @id_number.setter
    def id_number(self, value: str) -> None:
        value = normalize_id_number(value)
        self.id_number_sealed = crypto.seal(value)
        self.id_number_digest = crypto.blind_index(value)
        self.id_number_masked = mask_id_number(value)

    @property
    def phone(self) -> str:
        return crypto.unseal(self.phone_sealed)

    @phone.setter
    def phone(self, value: str) -> None:
        value = (value or "").strip()
        self.phone_sealed = crypto.seal(value)
        self.phone_masked = mask_phone(value)

    # derived ---------------------------------------------------------------------
    def party_standing_years(self, today: datetime.date) -> int:
        """Whole years of party standing (党龄), counted from full membership (rule DEV-16)."""
        if not self.full_member_on or self.full_member_on > today:
            return 0
        years = today.year - self.full_member_on.year
        if (today.month, today.day) < (self.full_member_on.month, self.full_member_on.day):
            years -= 1
        return years

    @property
    def probation_ends_on(self) -> datetime.date | None:
        """End of the one-year probation, counted from admission (rule DEV-14)."""
        if self.status != MemberStatus.PROBATIONARY or not self.joined_on:
            return None
        try:
            return self.joined_on.replace(year=self.joined_on.year + 1)
        except ValueError:  # admitted on 29 February
            return self.joined_on.replace(year=self.joined_on.year + 1, day=28)

    def age(self, today: datetime.date) -> int:
        years = today.year - self.birth_date.year
        return years - ((today.month, today.day) < (self.birth_date.month, self.birth_date.day))

    def clean_identity(self, id_number: str) -> dict:
        """Errors (field -> message) where the ID number contradicts the other fields."""
        errors = {}
        if self.birth_date and id_birth_date(id_number) != self.birth_date:
            errors["birth_date"] = _("The birth date does not match the ID number.")
        if self.gender and id_gender(id_number) != self.gender:
            errors["gender"] = _("The gender does not match the ID number.")
        return errors

    def clean(self):
        errors = {}
        if self.branch_id and self.branch.kind != OrgKind.BRANCH:
            errors["branch"] = _("A member belongs to a branch.")
        if self.group_id and self.branch_id and not self.group.path.startswith(self.branch.path):
            errors["group"] = _("The party group must belong to the member's branch.")
        if self.applied_on and self.joined_on and self.applied_on > self.joined_on:
            errors["applied_on"] = _("The application comes before admission.")
        if self.full_member_on and self.joined_on and self.full_member_on < self.joined_on:
            errors["full_member_on"] = _("Full membership comes after admission.")
        if self.status == MemberStatus.FULL and not self.full_member_on:
            errors["full_member_on"] = _("A full member has a full membership date.")
        if self.status == MemberStatus.PROBATIONARY and self.full_member_on:
            errors["status"] = _("A member with a full membership date is a full member.")
        if errors:
            raise ValidationError(errors)


class Transfer(models.Model):
    """组织关系转接: a member's move from one branch to another, kept forever."""

    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="transfers"
    )
    from_branch = models.ForeignKey(
        Organization, verbose_name=_("from branch"), on_delete=models.PROTECT, related_name="+"
    )
    to_branch = models.ForeignKey(
        Organization, verbose_name=_("to branch"), on_delete=models.PROTECT, related_name="+"
    )
    transferred_on = models.DateField(_("transfer date"))
    reason = models.CharField(_("reason"), max_length=200)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_spec = ScopeSpec(org=("from_branch", "to_branch"), user="member__user")

    class Meta:
        ordering = ["-transferred_on", "-pk"]
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")

    def __str__(self):
        return f"{self.member}: {self.from_branch} → {self.to_branch}"


class CommitteePost(ChangeLoggedModel):
    """A member's post on an organization's committee (rule ORG-04), within a term."""

    class Post(models.TextChoices):
        SECRETARY = "secretary", _("Secretary")
        DEPUTY_SECRETARY = "deputy_secretary", _("Deputy secretary")
        ORGANIZATION = "organization", _("Organization member")
        PUBLICITY = "publicity", _("Publicity member")
        DISCIPLINE = "discipline", _("Discipline member")
        MEMBER = "member", _("Committee member")

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="committee_posts",
    )
    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="committee_posts"
    )
    post = models.CharField(pgettext_lazy("committee", "post"), max_length=20, choices=Post.choices)
    term = models.ForeignKey(
        "orgs.Term",
        verbose_name=_("term"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="posts",
    )
    started_on = models.DateField(pgettext_lazy("post", "from"))
    ended_on = models.DateField(pgettext_lazy("post", "until"), null=True, blank=True)

    scope_spec = ScopeSpec(org="organization", public=True)

    class Meta:
        ordering = ["organization__path", "post", "started_on"]
        verbose_name = _("committee post")
        verbose_name_plural = _("committee posts")

    def __str__(self):
        return f"{self.organization} {self.get_post_display()} {self.member}"

    def clean(self):
        if self.ended_on and self.started_on and self.ended_on < self.started_on:
            raise ValidationError({"ended_on": _("A post ends after it starts.")})
        # rule ORG-09: probationary members cannot be elected
        if self.member_id and self.member.status == MemberStatus.PROBATIONARY:
            raise ValidationError(
                {"member": _("A probationary member cannot be elected (ORG-09).")}
            )
