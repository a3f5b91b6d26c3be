"""Supervision: reminders of overdue items, once per person and item across reruns."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command

from tongpin.core.models import Notification
from tongpin.members.models import Member
from tongpin.work import services
from tongpin.work.models import PartyTask, WorkState

pytestmark = pytest.mark.django_db


def _reminders(prefix="work.task.overdue."):
    return Notification.objects.filter(dedupe_key__startswith=prefix)


def test_every_overdue_item_reminds_its_responsible_person_exactly_once(today):
    report = services.send_reminders(today)
    assert report.sent > 0
    overdue = [
        t
        for t in PartyTask.objects.with_state(today)
        .filter(state_value=WorkState.OVERDUE)
        .select_related("owner")
        if t.owner_id and t.owner.user_id
    ]
    assert overdue, "the demo plan has overdue tasks owned by people with accounts"
    for task in overdue:
        rows = _reminders().filter(
            recipient_id=task.owner.user_id, dedupe_key__contains=f".{task.pk}."
        )
        assert rows.count() == 1, task
    # reruns (the worker every morning, `tongpin remind` by hand) add nothing
    before = Notification.objects.count()
    again = services.send_reminders(today)
    assert again.sent == 0
    assert again.skipped == report.sent
    call_command("remind")
    assert Notification.objects.count() == before


def test_a_new_overdue_item_is_reminded_once_and_a_moved_deadline_again(
    root, new_task, demo_user, today
):
    owner = Member.objects.get(user__username="shuji")
    office = owner.branch
    task = new_task(office, "逾期测试任务", owner=owner, days=-3)
    services.send_reminders(today)
    services.send_reminders(today)
    mine = _reminders().filter(recipient__username="shuji", dedupe_key__contains=f".{task.pk}.")
    assert mine.count() == 1
    assert "逾期测试任务" in mine.get().title
    assert mine.get().url == f"/work/tasks/{task.pk}/"
    # a new deadline that passes again earns one new reminder
    task.deadline = today - datetime.timedelta(days=1)
    task.save()
    services.send_reminders(today)
    services.send_reminders(today)
    assert mine.count() == 2
    # done: nothing more
    services.report_progress(task, user=demo_user("shuji"), progress=100, text="已完成")
    task.deadline = today - datetime.timedelta(days=2)
    task.save()
    services.send_reminders(today)
    assert mine.count() == 2


def test_due_soon_items_are_reminded_too(new_task, today):
    owner = Member.objects.get(user__username="shuji2")
    task = new_task(owner.branch, "临期测试任务", owner=owner, days=3)
    services.send_reminders(today)
    services.send_reminders(today)
    rows = Notification.objects.filter(
        recipient__username="shuji2", dedupe_key=f"work.task.due_soon.{task.pk}.{task.deadline}"
    )
    assert rows.count() == 1


def test_the_upper_level_gets_one_digest_per_change_in_overdue_children(
    root, new_task, demo_user, today, org
):
    owner = Member.objects.get(user__username="dangwei")
    task = new_task(root, "逐级督办任务", owner=owner, days=-2)
    branches = [org("办公室党支部"), org("经济运行调节处党支部")]
    services.deploy_task(task, user=demo_user("dangwei"), targets=branches)
    services.send_reminders(today)
    services.send_reminders(today)
    digests = Notification.objects.filter(
        recipient__username="dangwei", dedupe_key__startswith=f"work.task.escalate.{task.pk}."
    )
    assert digests.count() == 1
    assert "经济运行调节处党支部" in digests.get().body
    # one branch finishes: the set changes, one new digest naming the other only
    office_child = task.children.get(organization=branches[0])
    services.report_progress(office_child, user=demo_user("shuji"), progress=100, text="完成")
    services.send_reminders(today)
    assert digests.count() == 2
    assert "办公室党支部" not in digests.order_by("-pk").first().body


def test_tasks_without_an_account_remind_the_secretary_account(new_task, org, today):
    office = org("办公室党支部")
    nobody = Member.objects.filter(branch=office, user__isnull=True).first()
    task = new_task(office, "无账号责任人任务", owner=nobody, days=-1)
    services.send_reminders(today)
    assert Notification.objects.filter(
        recipient__username="shuji", dedupe_key__contains=f".{task.pk}."
    ).exists()


def test_overdue_goals_remind_their_owner(today, demo_user):
    from tongpin.work.models import BusinessGoal

    goal = BusinessGoal.objects.get(title="出台优化营商环境政策文件")
    goal.owner = Member.objects.get(user__username="chuzhang")
    goal.deadline = today - datetime.timedelta(days=1)
    goal.completed_on = None
    goal.save()
    services.send_reminders(today)
    services.send_reminders(today)
    rows = Notification.objects.filter(
        recipient__username="chuzhang", dedupe_key__startswith=f"work.goal.overdue.{goal.pk}."
    )
    assert rows.count() == 1


def test_reminders_by_email_when_configured(settings, new_task, today, demo_user):
    settings.TONGPIN = {**settings.TONGPIN, "REMINDER_EMAIL": True}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    shuji = demo_user("shuji")
    shuji.email = "shuji@example.org"
    shuji.save()
    owner = Member.objects.get(user=shuji)
    new_task(owner.branch, "邮件提醒任务", owner=owner, days=-1)
    services.send_reminders(today)
    services.send_reminders(today)
    sent = [m for m in mail.outbox if "邮件提醒任务" in m.subject]
    assert len(sent) == 1
    assert sent[0].to == ["shuji@example.org"]


def test_remind_command_and_the_background_job(capsys, today):
    from tongpin.work.tasks import daily_reminders, remind_in_scope

    call_command("remind")
    first = capsys.readouterr().out
    assert "sent" in first
    before = Notification.objects.count()
    # huey runs jobs immediately in tests: the periodic job and the page's button send nothing new
    daily_reminders.call_local()
    remind_in_scope(demo_user_id("dangwei"))
    assert Notification.objects.count() == before


def demo_user_id(username):
    from tongpin.accounts.models import User

    return User.objects.get(username=username).pk


def test_remind_command_rejects_a_bad_date():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("remind", "--date", "2026-13-40")


def test_supervision_page_lists_overdue_items_by_level(client_as):
    response = client_as("dangwei").get("/work/supervision/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "学习贯彻党的二十届四中全会精神" in html
    assert "经济运行调节处党支部" in html
    # the branch secretary sees their own branch only
    html = client_as("shuji").get("/work/supervision/").content.decode()
    assert "经济运行调节处党支部" not in html


def test_the_supervision_button_reminds_within_the_users_scope(client_as):
    Notification.objects.filter(dedupe_key__startswith="work.").delete()
    response = client_as("shuji").post("/work/supervision/remind/")
    assert response.status_code == 302
    keys = Notification.objects.filter(dedupe_key__startswith="work.task.")
    assert keys.exists()
    # nothing for shuji2's overdue branch task: outside shuji's scope
    assert not keys.filter(recipient__username="shuji2").exists()
