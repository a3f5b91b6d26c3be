"""Progress with evidence: text, attachments, or a record already in the system."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from tongpin.core.services import attachments_of
from tongpin.work import services
from tongpin.work.models import PartyTask, ProgressUpdate

pytestmark = pytest.mark.django_db


def test_report_with_a_linked_record_instead_of_a_file(new_task, demo_user, org):
    office = org("办公室党支部")
    theme_day = PartyTask.objects.get(title__startswith="开展“学习全会精神")
    task = new_task(office, user="shuji")
    update = services.report_progress(
        task,
        user=demo_user("shuji"),
        progress=100,
        text="以主题党日形式完成",
        linked=f"work.task:{theme_day.pk}",
    )
    assert update.linked_id == theme_day.pk
    assert update.linked_label == theme_day.title
    task.refresh_from_db()
    assert task.progress == 100 and task.completed_on is not None


def test_a_record_the_author_cannot_read_cannot_be_linked(new_task, demo_user, org):
    task = new_task(org("办公室党支部"), user="shuji")
    other = PartyTask.objects.get(title="开展支部党员联谊活动")  # shuji2's branch
    with pytest.raises(ValidationError):
        services.report_progress(
            task, user=demo_user("shuji"), progress=10, linked=f"work.task:{other.pk}"
        )
    with pytest.raises(ValidationError):
        services.report_progress(task, user=demo_user("shuji"), progress=10, linked="nope:1")
    with pytest.raises(ValidationError):
        services.report_progress(
            task, user=demo_user("shuji"), progress=10, linked=f"work.task:{task.pk}"
        )


def test_evidence_is_required(new_task, demo_user, org):
    task = new_task(org("办公室党支部"), user="shuji")
    with pytest.raises(ValidationError):
        services.report_progress(task, user=demo_user("shuji"), progress=50)


def test_who_may_report(new_task, demo_user, org):
    from tongpin.members.models import Member

    office = org("办公室党支部")
    member = Member.objects.get(user__username="dangyuan")
    task = new_task(office, user="shuji", owner=member)
    # the responsible person reports on their own task even without a change scope
    services.report_progress(task, user=demo_user("dangyuan"), progress=20, text="已启动")
    other = new_task(office, user="shuji")
    for username in ("dangyuan", "lingdao", "chuzhang", "shuji2"):
        with pytest.raises(PermissionDenied):
            services.report_progress(other, user=demo_user(username), progress=20, text="x")


def test_progress_page_with_files_and_a_link(client_as, new_task, org):
    office = org("办公室党支部")
    task = new_task(office, user="shuji")
    theme_day = PartyTask.objects.get(title__startswith="开展“学习全会精神")
    client = client_as("shuji")
    page = client.get(f"/work/tasks/{task.pk}/progress/").content.decode()
    assert theme_day.title in page  # offered as evidence
    response = client.post(
        f"/work/tasks/{task.pk}/progress/",
        {
            "progress": "60",
            "text": "支部党员大会专题学习",
            "linked": f"work.task:{theme_day.pk}",
            "files": [
                SimpleUploadedFile("签到表.pdf", b"%PDF-1.4 test", content_type="application/pdf"),
                SimpleUploadedFile("照片.jpg", b"\xff\xd8\xff test", content_type="image/jpeg"),
            ],
        },
    )
    assert response.status_code == 302, response.content.decode()
    update = ProgressUpdate.objects.get(task=task)
    assert sorted(a.name for a in attachments_of(update)) == ["照片.jpg", "签到表.pdf"]
    detail = client.get(f"/work/tasks/{task.pk}/").content.decode()
    assert "签到表.pdf" in detail and theme_day.title in detail
    item = attachments_of(update).get(name="签到表.pdf")
    download = client.get(f"/work/updates/{update.pk}/files/{item.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 test"
    # another branch cannot fetch the file
    assert client_as("shuji2").get(f"/work/updates/{update.pk}/files/{item.pk}/").status_code == 404


def test_a_forbidden_file_type_is_an_error_on_the_form(client_as, new_task, org):
    task = new_task(org("办公室党支部"), user="shuji")
    response = client_as("shuji").post(
        f"/work/tasks/{task.pk}/progress/",
        {"progress": "10", "text": "x", "files": [SimpleUploadedFile("x.html", b"<script>")]},
    )
    assert response.status_code == 200
    assert not ProgressUpdate.objects.filter(task=task).exists()


def test_api_progress(api_as, new_task, org):
    task = new_task(org("办公室党支部"), user="shuji")
    response = api_as("shuji").post(
        f"/api/party-tasks/{task.pk}/progress/", {"progress": 40, "text": "推进"}, format="json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["progress"] == 40
    response = api_as("shuji2").post(
        f"/api/party-tasks/{task.pk}/progress/", {"progress": 40, "text": "x"}, format="json"
    )
    assert response.status_code == 404
