"""Editing a directive (with history), keeping the uploaded original, a real Chinese text PDF,
and choosing the business goals the proposed tasks serve."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tongpin.core.services import attachments_of
from tongpin.directives import ingest, services
from tongpin.directives.models import Directive
from tongpin.orgs.models import Organization
from tongpin.work import services as work_services
from tongpin.work.models import BusinessGoal

from .pdf import chinese_pdf

pytestmark = pytest.mark.django_db

NOTICE = [
    "关于加强机关党建工作的通知",
    "各党支部：",
    "一、加强理论学习。各支部要严格落实“第一议题”制度，每月至少组织一次集中学习。",
    "二、规范组织生活。每季度召开一次支部党员大会。",
]


def pdf_upload(name="通知.pdf"):
    return SimpleUploadedFile(name, chinese_pdf(NOTICE), content_type="application/pdf")


def root_directive(user):
    return services.create_directive(
        user=user,
        organization=Organization.objects.get(depth=1),
        title="测试要件",
        text="一、加强理论学习。各支部要严格落实“第一议题”制度。",
    )


# ---- a real Chinese text PDF -------------------------------------------------------------


def test_a_chinese_text_pdf_is_read_and_items_are_proposed(tmp_path):
    path = tmp_path / "通知.pdf"
    path.write_bytes(chinese_pdf(NOTICE))
    text = ingest.clean_text(ingest.read_document(path))
    assert "严格落实“第一议题”制度" in text and "每季度召开一次支部党员大会" in text
    titles = [item.title for item in ingest.propose_items(text)]
    assert "加强理论学习" in titles and "规范组织生活" in titles


# ---- the original document ---------------------------------------------------------------


def test_registering_from_a_pdf_keeps_the_original_for_download(client_as):
    client = client_as("dangwei")
    response = client.post(
        reverse("directives:create"),
        {
            "organization": Organization.objects.get(depth=1).pk,
            "title": "PDF 通知",
            "level": "agency",
            "text": "",
            "document": pdf_upload(),
        },
    )
    assert response.status_code == 302
    directive = Directive.objects.get(title="PDF 通知")
    assert "加强理论学习" in directive.text
    original = attachments_of(directive).get()
    assert original.name == "通知.pdf"
    page = client.get(reverse("directives:detail", args=[directive.pk])).content.decode()
    download = reverse("directives:original", args=[directive.pk, original.pk])
    assert download in page
    body = b"".join(client.get(download).streaming_content)
    assert body == chinese_pdf(NOTICE)
    # another directive's page cannot serve it
    other = root_directive(directive.created_by)
    assert (
        client.get(reverse("directives:original", args=[other.pk, original.pk])).status_code == 404
    )


def test_pasted_text_keeps_no_file(client_as, demo_user):
    client = client_as("dangwei")
    client.post(
        reverse("directives:create"),
        {
            "organization": Organization.objects.get(depth=1).pk,
            "title": "粘贴的通知",
            "level": "agency",
            "text": "一、加强学习。",
        },
    )
    directive = Directive.objects.get(title="粘贴的通知")
    assert not attachments_of(directive).exists()
    assert (
        'data-testid="directive-originals"'
        not in client.get(reverse("directives:detail", args=[directive.pk])).content.decode()
    )


def test_uploading_on_the_ingest_page_keeps_the_original_too(client_as, demo_user):
    directive = root_directive(demo_user("dangwei"))
    client_as("dangwei").post(
        reverse("directives:ingest", args=[directive.pk]),
        {"action": "propose", "text": "", "document": pdf_upload("第二版.pdf")},
    )
    directive.refresh_from_db()
    assert "规范组织生活" in directive.text
    assert list(attachments_of(directive).values_list("name", flat=True)) == ["第二版.pdf"]


# ---- the edit page -----------------------------------------------------------------------


def test_the_edit_page_changes_fields_and_targets_with_history(client_as, demo_user):
    directive = root_directive(demo_user("dangwei"))
    client = client_as("dangwei")
    page = client.get(reverse("directives:edit", args=[directive.pk]))
    assert page.status_code == 200 and "organization" not in page.context["form"].fields
    office = Organization.objects.get(name="办公室党支部")
    response = client.post(
        reverse("directives:edit", args=[directive.pk]),
        {
            "title": "测试要件（修订）",
            "source": "机关党委〔2026〕1号",
            "level": "agency",
            "issued_on": "2026-03-01",
            "text": "一、加强理论学习。",
            "targets": [office.pk],
        },
    )
    assert response.status_code == 302
    directive.refresh_from_db()
    assert directive.title == "测试要件（修订）" and directive.source == "机关党委〔2026〕1号"
    assert directive.issued_on == datetime.date(2026, 3, 1)
    assert list(directive.targets.all()) == [office]
    assert directive.organization.depth == 1  # unchanged
    history = client.get(reverse("directives:history", args=[directive.pk])).content.decode()
    assert "测试要件（修订）" in history
    detail = client.get(reverse("directives:detail", args=[directive.pk])).content.decode()
    assert reverse("directives:edit", args=[directive.pk]) in detail


def test_editing_with_a_document_replaces_the_text_and_keeps_the_file(client_as, demo_user):
    directive = root_directive(demo_user("dangwei"))
    client_as("dangwei").post(
        reverse("directives:edit", args=[directive.pk]),
        {"title": directive.title, "level": "agency", "text": "旧", "document": pdf_upload()},
    )
    directive.refresh_from_db()
    assert "每季度召开一次支部党员大会" in directive.text
    assert attachments_of(directive).count() == 1


def test_only_those_who_may_change_it_edit_it(client_as, demo_user):
    directive = root_directive(demo_user("dangwei"))
    assert (
        client_as("lingdao").get(reverse("directives:edit", args=[directive.pk])).status_code == 404
    )
    response = client_as("lingdao").post(
        reverse("directives:edit", args=[directive.pk]), {"title": "x"}
    )
    assert response.status_code == 404
    directive.refresh_from_db()
    assert directive.title == "测试要件"
    page = (
        client_as("lingdao").get(reverse("directives:detail", args=[directive.pk])).content.decode()
    )
    assert reverse("directives:edit", args=[directive.pk]) not in page


# ---- business goals on the ingest page -----------------------------------------------------


def test_the_tasks_created_serve_the_chosen_goals(client_as, demo_user):
    dangwei = demo_user("dangwei")
    directive = root_directive(dangwei)
    client = client_as("dangwei")
    page = client.get(reverse("directives:ingest", args=[directive.pk]))
    offered = page.context["accept_form"].fields["goals"].queryset
    assert set(offered) == set(work_services.allowed_goals(dangwei, directive.organization))
    goal = offered.first()
    items = page.context["items"]
    response = client.post(
        reverse("directives:ingest", args=[directive.pk]),
        {
            "action": "create",
            "item-count": str(len(items)),
            "item-0-accept": "1",
            "item-0-title": items[0].title,
            "item-0-category": items[0].category,
            "item-0-sentence": items[0].sentence,
            "deadline": (timezone.localdate() + datetime.timedelta(days=30)).isoformat(),
            "goals": [goal.pk],
        },
    )
    assert response.status_code == 302
    task = directive.tasks.get()
    assert list(task.goals.all()) == [goal]


def test_a_goal_outside_the_allowed_ones_is_refused(client_as, demo_user):
    office = Organization.objects.get(name="办公室党支部")
    directive = services.create_directive(
        user=demo_user("shuji"), organization=office, title="支部要件", text="一、加强理论学习。"
    )
    allowed = work_services.allowed_goals(demo_user("shuji"), office)
    outside = BusinessGoal.objects.exclude(pk__in=allowed.values("pk")).first()
    response = client_as("shuji").post(
        reverse("directives:ingest", args=[directive.pk]),
        {
            "action": "create",
            "item-count": "1",
            "item-0-accept": "1",
            "item-0-title": "加强理论学习",
            "item-0-category": "ideological",
            "deadline": (timezone.localdate() + datetime.timedelta(days=30)).isoformat(),
            "goals": [outside.pk],
        },
    )
    assert response.status_code == 200 and response.context["accept_form"].errors["goals"]
    assert not directive.tasks.exists()
