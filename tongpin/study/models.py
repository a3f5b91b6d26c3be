"""The study library and its search index.

A :class:`Material` is a text to study (pasted, or extracted from a .docx or text PDF). Every
searchable text of any app (materials here; minutes, directives … registered in
``core.registry.search_sources``) has one :class:`SearchEntry`: its title and body tokenized by
jieba over the simplified-Chinese text, with the organization path that scopes it.
"""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tongpin.core.models import ChangeLoggedModel
from tongpin.core.scoping import ScopeSpec
from tongpin.orgs.models import Organization


class Material(ChangeLoggedModel):
    """A study material; one of the agency committee is read by every organization below it."""

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="study_materials",
    )
    title = models.CharField(_("title"), max_length=300)
    source = models.CharField(_("source"), max_length=200, blank=True)
    published_on = models.DateField(_("date"), null=True, blank=True)
    tags = models.CharField(
        _("tags"), max_length=300, blank=True, help_text=_("Separated by commas.")
    )
    body = models.TextField(_("text"))
    file_name = models.CharField(_("original file"), max_length=255, blank=True)

    scope_spec = ScopeSpec(org="organization", public=True)

    class Meta:
        ordering = ["-published_on", "-pk"]
        verbose_name = _("study material")
        verbose_name_plural = _("study materials")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("study:material", args=[self.pk])

    @property
    def tag_list(self) -> list[str]:
        return [tag.strip() for tag in self.tags.replace("，", ",").split(",") if tag.strip()]


class SearchEntry(models.Model):
    """One searchable text, pre-tokenized. The full-text index over it is database-specific:
    an FTS5 table on SQLite, a generated ``tsvector`` column with a GIN index on PostgreSQL
    (both created in migration 0002, kept in step by triggers or by the database itself)."""

    source = models.CharField(_("source"), max_length=50)
    object_id = models.BigIntegerField(_("object id"))
    org_path = models.CharField(_("organization path"), max_length=255, db_index=True)
    public = models.BooleanField(_("public"), default=True)
    inherited = models.BooleanField(_("read by the organizations below"), default=False)
    title = models.CharField(_("title"), max_length=300)
    url = models.CharField(_("link"), max_length=300)
    text = models.TextField(_("text"))
    # space-joined tokens of the simplified text: jieba words, and character bigrams
    title_tokens = models.TextField(blank=True)
    body_tokens = models.TextField(blank=True)
    grams = models.TextField(blank=True)

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        constraints = [
            models.UniqueConstraint(fields=["source", "object_id"], name="unique_search_entry")
        ]

    def __str__(self):
        return self.title


class StudyTier(models.TextChoices):
    """五学联动: the five tiers of study."""

    LEAD = "lead", _("Lead study")
    SUPERVISE = "supervise", _("Supervised study")
    RESEARCH = "research", _("Research study")
    DEEPEN = "deepen", _("In-depth study")
    SELF = "self", _("Self-study")


class StudyForm(models.TextChoices):
    """What a session counts for in the cadence: 月月有活动、季度有交流、半年有展示、年底有总结."""

    ACTIVITY = "activity", _("Study activity")
    EXCHANGE = "exchange", _("Exchange")
    SHOWCASE = "showcase", _("Showcase")
    SUMMARY = "summary", _("Year-end summary")


class StudySession(ChangeLoggedModel):
    """A study session of an organization; ``partners`` study with it (联学共建). Held in a
    meeting, it reuses the meeting's attendance; otherwise it keeps its own."""

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="study_sessions",
    )
    partners = models.ManyToManyField(
        Organization,
        verbose_name=_("joint study with"),
        blank=True,
        related_name="joint_study_sessions",
    )
    tier = models.CharField(_("tier"), max_length=12, choices=StudyTier.choices)
    form = models.CharField(
        _("counts as"), max_length=12, choices=StudyForm.choices, default=StudyForm.ACTIVITY
    )
    topic = models.CharField(_("topic"), max_length=300)
    held_on = models.DateField(_("date held"))
    hours = models.DecimalField(_("class hours"), max_digits=4, decimal_places=1)
    meeting = models.ForeignKey(
        "life.Meeting",
        verbose_name=_("held in meeting"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="study_sessions",
    )
    materials = models.ManyToManyField(
        Material, verbose_name=_("materials"), blank=True, related_name="sessions"
    )
    summary = models.TextField(_("summary"), blank=True)
    # 第一议题: a generic link as on life's Meeting (a directive, without importing directives);
    # the title stays readable for those who may not open the record
    first_item_type = models.ForeignKey(
        "contenttypes.ContentType",
        verbose_name=_("first agenda item type"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    first_item_id = models.PositiveBigIntegerField(_("first agenda item id"), null=True, blank=True)
    first_item_title = models.CharField(_("first agenda item"), max_length=300, blank=True)

    scope_spec = ScopeSpec(org=("organization", "partners"), public=True)

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("study session")
        verbose_name_plural = _("study sessions")
        indexes = [models.Index(fields=["first_item_type", "first_item_id"])]

    def __str__(self):
        return f"{self.topic} ({self.held_on:%Y-%m-%d})"

    def get_absolute_url(self):
        return reverse("study:session", args=[self.pk])


class StudyAttendance(models.Model):
    """A member present at a session not held in a meeting (rows of a meeting's are reused)."""

    session = models.ForeignKey(
        StudySession,
        verbose_name=_("study session"),
        on_delete=models.CASCADE,
        related_name="attendances",
    )
    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="study_attendances",
    )

    scope_spec = ScopeSpec(org="session__organization", user="member__user")

    class Meta:
        verbose_name = _("study attendance")
        verbose_name_plural = _("study attendance")
        constraints = [
            models.UniqueConstraint(fields=["session", "member"], name="unique_study_attendance")
        ]

    def __str__(self):
        return f"{self.session} · {self.member}"
