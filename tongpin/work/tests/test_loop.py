"""The closed loop (core.loops) on party tasks: 部署 → 落实 → 报告 → 核验 → 销号."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tongpin.core import loops
from tongpin.core.loops import LoopStage
from tongpin.core.models import Notification
from tongpin.work import services
from tongpin.work.models import PartyTask, WorkState

pytestmark = pytest.mark.django_db


@pytest.fixture
def deployed(new_task, demo_user, root, org):
    """A committee task deployed to the office branch (shuji's): the branch's copy."""
    parent = new_task(root, "闭环测试任务")
    (child,) = services.deploy_task(
        parent, user=demo_user("dangwei"), targets=[org("办公室党支部")]
    )
    return child


def stage_in_sql(task) -> str:
    return PartyTask.objects.with_loop_stage().get(pk=task.pk).loop_stage


def test_the_whole_loop_of_a_deployed_task(deployed, demo_user, today):
    shuji, dangwei = demo_user("shuji"), demo_user("dangwei")
    assert deployed.loop_stage == LoopStage.DEPLOYED == stage_in_sql(deployed)
    assert deployed.verifying_organization() == deployed.parent.organization

    services.report_progress(deployed, user=shuji, progress=40, text="已召开支委会部署")
    assert deployed.loop_stage == LoopStage.IMPLEMENTING == stage_in_sql(deployed)

    loops.report(deployed, user=shuji, text="全部完成，见附件", today=today)
    assert deployed.loop_stage == LoopStage.REPORTED == stage_in_sql(deployed)
    assert deployed.reported_on == today and deployed.progress == 100
    assert deployed.completed_on is None  # not done until the committee closes it

    loops.verify(deployed, user=dangwei, passed=True, note="材料齐全", today=today)
    assert deployed.loop_stage == LoopStage.VERIFIED == stage_in_sql(deployed)
    assert deployed.verified_by == dangwei

    loops.close(deployed, user=dangwei, today=today)
    deployed.refresh_from_db()
    assert deployed.loop_stage == LoopStage.CLOSED == stage_in_sql(deployed)
    assert deployed.closed_on == deployed.completed_on == today
    assert deployed.compute_state(today) == WorkState.DONE
    # the change history names who acted at each step
    users = [row.history_user for row in deployed.history.order_by("history_id")]
    assert users[-3:] == [shuji, dangwei, dangwei]


def test_a_returned_report_goes_back_to_implementing_and_the_branch_is_told(
    deployed, demo_user, today
):
    shuji, dangwei = demo_user("shuji"), demo_user("dangwei")
    loops.report(deployed, user=shuji, text="已完成", today=today)
    with pytest.raises(ValidationError):
        loops.verify(deployed, user=dangwei, passed=False, note="  ", today=today)
    loops.verify(deployed, user=dangwei, passed=False, note="缺少会议记录", today=today)
    deployed.refresh_from_db()
    assert deployed.loop_stage == LoopStage.IMPLEMENTING == stage_in_sql(deployed)
    assert deployed.returned_on == today and deployed.reported_on is None
    assert deployed.verification_note == "缺少会议记录"
    assert Notification.objects.filter(
        recipient=shuji, url=f"/work/tasks/{deployed.pk}/", title__contains="闭环测试任务"
    ).exists()
    # reported again the same day, it waits for verification again and the committee is told
    loops.report(deployed, user=shuji, text="补充了会议记录", today=today)
    assert stage_in_sql(deployed) == LoopStage.REPORTED
    told = Notification.objects.filter(recipient=dangwei, url=f"/work/tasks/{deployed.pk}/")
    assert told.count() == 2


def test_the_verifying_level_is_told_of_a_report(deployed, demo_user, today):
    loops.report(deployed, user=demo_user("shuji"), text="已完成", today=today)
    # the parent task has no responsible person: the committee's people are told
    assert Notification.objects.filter(
        recipient=demo_user("dangwei"), url=f"/work/tasks/{deployed.pk}/"
    ).exists()


def test_only_the_assigning_level_verifies_and_closes(deployed, demo_user, today):
    shuji = demo_user("shuji")
    loops.report(deployed, user=shuji, text="已完成", today=today)
    # the branch that acted cannot verify its own report, nor can anyone outside the tree above
    for username in ("shuji", "shuji2", "lingdao", "dangyuan"):
        with pytest.raises(PermissionDenied):
            loops.verify(deployed, user=demo_user(username), passed=True, today=today)
    assert not loops.may_verify(deployed, shuji)
    assert loops.may_verify(deployed, demo_user("dangwei"))
    loops.verify(deployed, user=demo_user("dangwei"), passed=True, today=today)
    with pytest.raises(PermissionDenied):
        loops.close(deployed, user=shuji, today=today)


def test_wrong_stage_is_refused_in_words(deployed, demo_user, today):
    shuji, dangwei = demo_user("shuji"), demo_user("dangwei")
    with pytest.raises(ValidationError):  # nothing reported yet
        loops.verify(deployed, user=dangwei, passed=True, today=today)
    with pytest.raises(ValidationError):  # not verified yet
        loops.close(deployed, user=dangwei, today=today)
    with pytest.raises(ValidationError):  # a report needs words
        loops.report(deployed, user=shuji, text=" ", today=today)
    loops.report(deployed, user=shuji, text="已完成", today=today)
    with pytest.raises(ValidationError):  # already reported
        loops.report(deployed, user=shuji, text="再次报告", today=today)
    with pytest.raises(ValidationError):  # progress waits for the verification
        services.report_progress(deployed, user=shuji, progress=50, text="x")
    with pytest.raises(PermissionDenied):  # another branch
        loops.report(deployed, user=demo_user("shuji2"), text="x", today=today)


def test_a_task_of_the_organizations_own_closes_itself(new_task, demo_user, org, today):
    shuji = demo_user("shuji")
    task = new_task(org("办公室党支部"), user="shuji")
    assert task.verifying_organization() is None
    loops.report(task, user=shuji, text="已完成", today=today)
    with pytest.raises(ValidationError):  # nobody above verifies it
        loops.verify(task, user=demo_user("dangwei"), passed=True, today=today)
    loops.close(task, user=shuji, today=today)
    assert task.loop_stage == LoopStage.CLOSED and task.completed_on == today


def test_100_percent_on_a_deployed_task_is_a_report_not_done(deployed, demo_user, today):
    services.report_progress(deployed, user=demo_user("shuji"), progress=100, text="全部完成")
    deployed.refresh_from_db()
    assert deployed.loop_stage == LoopStage.REPORTED
    assert deployed.report_text == "全部完成" and deployed.completed_on is None


def test_100_percent_on_an_own_task_closes_it_and_a_lower_figure_reopens(
    new_task, demo_user, org, today
):
    shuji = demo_user("shuji")
    task = new_task(org("办公室党支部"), user="shuji")
    services.report_progress(task, user=shuji, progress=100, text="完成")
    task.refresh_from_db()
    assert task.loop_stage == LoopStage.CLOSED and task.completed_on == today
    services.report_progress(task, user=shuji, progress=80, text="还需补充")
    task.refresh_from_db()
    assert task.loop_stage == LoopStage.IMPLEMENTING and task.completed_on is None


def test_reported_on_time_is_not_overdue(deployed, demo_user, today):
    loops.report(deployed, user=demo_user("shuji"), text="已完成", today=today)
    later = deployed.deadline + datetime.timedelta(days=10)
    assert deployed.compute_state(later) == WorkState.IN_PROGRESS
    annotated = PartyTask.objects.with_state(later).get(pk=deployed.pk)
    assert annotated.state == WorkState.IN_PROGRESS


def test_supervision_lists_reports_awaiting_the_levels_verification(
    client_as, deployed, demo_user, today
):
    loops.report(deployed, user=demo_user("shuji"), text="已完成", today=today)
    html = client_as("dangwei").get("/work/supervision/").content.decode()
    assert 'data-testid="awaiting-verification"' in html
    assert f"/work/tasks/{deployed.pk}/" in html
    # the branch that reported has nothing to verify
    html = client_as("shuji").get("/work/supervision/").content.decode()
    assert 'data-testid="awaiting-verification"' not in html


def test_supervision_shows_rows_of_other_registered_modules(client_as, demo_user, root, today):
    from tongpin.core.registry import SupervisionRow, supervision_sources

    def rows(user, day):
        return [
            SupervisionRow(
                kind="整改问题",
                title="会议记录不规范",
                organization=root,
                deadline=day,
                stage="落实",
                url="/elsewhere/1/",
                overdue=True,
            )
        ]

    supervision_sources.register("test.rectification", rows)
    try:
        html = client_as("dangwei").get("/work/supervision/").content.decode()
    finally:
        del supervision_sources.items["test.rectification"]
    assert 'data-testid="supervised-others"' in html
    assert "会议记录不规范" in html and "/elsewhere/1/" in html
    # work's own source feeds the registry too (a reported deployed copy awaits the committee)
    own = dict(supervision_sources)["work.party_tasks"](demo_user("dangwei"), today)
    assert any(row.awaiting_verification for row in own)
    assert any(row.overdue for row in own)


def test_the_loop_through_the_pages(client_as, deployed, demo_user):
    shuji, dangwei = client_as("shuji"), client_as("dangwei")
    url = f"/work/tasks/{deployed.pk}/"
    page = shuji.get(url).content.decode()
    assert 'data-testid="loop-stepper"' in page and 'data-testid="loop-report-button"' in page
    assert 'data-testid="loop-verify-form"' not in page  # the branch does not verify itself
    response = shuji.post(f"{url}report/", {"text": "全部完成，召开了专题组织生活会"})
    assert response.status_code == 302
    deployed.refresh_from_db()
    assert deployed.loop_stage == LoopStage.REPORTED
    page = shuji.get(url).content.decode()
    assert "全部完成，召开了专题组织生活会" in page
    assert 'data-testid="report-progress"' not in page  # progress waits for the verification
    assert shuji.post(f"{url}verify/", {"decision": "pass"}).status_code == 403

    page = dangwei.get(url).content.decode()
    assert 'data-testid="loop-verify-form"' in page
    dangwei.post(f"{url}verify/", {"decision": "return", "note": ""})  # a note is required
    deployed.refresh_from_db()
    assert deployed.loop_stage == LoopStage.REPORTED
    dangwei.post(f"{url}verify/", {"decision": "pass", "note": "符合要求"})
    parent_page = dangwei.get(f"/work/tasks/{deployed.parent_id}/").content.decode()
    assert 'data-testid="close-verified"' in parent_page
    dangwei.post(f"/work/tasks/{deployed.parent_id}/close-verified/")
    deployed.refresh_from_db()
    assert deployed.loop_stage == LoopStage.CLOSED and deployed.completed_on is not None


def test_the_loop_through_the_api(api_as, deployed):
    url = f"/api/party-tasks/{deployed.pk}/"
    shuji, dangwei = api_as("shuji"), api_as("dangwei")
    assert shuji.get(url).json()["loop_stage"] == "deployed"
    response = shuji.post(f"{url}report/", {"text": "已完成"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["loop_stage"] == "reported"
    assert shuji.post(f"{url}verify/", {"passed": True}, format="json").status_code == 403
    response = dangwei.post(f"{url}verify/", {"passed": False}, format="json")
    assert response.status_code == 400  # sending back needs a note
    response = dangwei.post(f"{url}verify/", {"passed": True, "note": "好"}, format="json")
    assert response.json()["loop_stage"] == "verified"
    assert shuji.post(f"{url}close/").status_code == 403
    response = dangwei.post(f"{url}close/")
    assert response.status_code == 200 and response.json()["loop_stage"] == "closed"
    assert response.json()["completed_on"] is not None


def test_on_time_counts_the_report_date_not_the_verification_date(deployed, demo_user):
    from tongpin.orgs.models import Organization
    from tongpin.work.indicators import on_time_completion

    # a deadline no other task of the branch shares, so the score is this task's alone
    deadline = deployed.deadline + datetime.timedelta(days=333)
    PartyTask.objects.filter(pk=deployed.pk).update(deadline=deadline)
    deployed.refresh_from_db()
    loops.report(deployed, user=demo_user("shuji"), text="按时完成", today=deadline)
    late = deadline + datetime.timedelta(days=7)  # the committee verifies a week later
    loops.verify(deployed, user=demo_user("dangwei"), passed=True, today=late)
    organizations = Organization.objects.filter(pk=deployed.organization_id)
    score, _evidence = on_time_completion(organizations, deadline, deadline)[
        deployed.organization_id
    ]
    assert score == 0  # verified, not yet closed: not done
    loops.close(deployed, user=demo_user("dangwei"), today=late)
    score, _evidence = on_time_completion(organizations, deadline, deadline)[
        deployed.organization_id
    ]
    assert score == 100


def test_task_lists_filter_by_stage(client_as, api_as, deployed, demo_user, today):
    loops.report(deployed, user=demo_user("shuji"), text="已完成", today=today)
    html = client_as("dangwei").get("/work/tasks/?loop_stage=reported").content.decode()
    assert f"/work/tasks/{deployed.pk}/" in html
    html = client_as("dangwei").get("/work/tasks/?loop_stage=deployed").content.decode()
    assert f"/work/tasks/{deployed.pk}/" not in html
    rows = api_as("dangwei").get("/api/party-tasks/?loop_stage=reported&page_size=500").json()
    rows = rows["results"] if isinstance(rows, dict) else rows
    assert deployed.pk in {row["id"] for row in rows}
    assert {row["loop_stage"] for row in rows} == {"reported"}


def test_the_plan_shows_reports_awaiting_the_committees_verification(client_as, root):
    from tongpin.work.demo import DEPLOYED_TITLE

    # the demo: two branches reported the deployed task and wait for the committee
    html = client_as("dangwei").get(f"/work/?org={root.pk}").content.decode()
    row = html[html.index(DEPLOYED_TITLE) :]
    row = row[: row.index("</div>")]
    assert 'data-testid="awaiting">2 个待核验' in row


def test_a_report_left_waiting_reminds_the_verifying_level_once(deployed, demo_user, today):
    dangwei = demo_user("dangwei")
    loops.report(deployed, user=demo_user("shuji"), text="全部完成", today=today)

    def reminders():
        return Notification.objects.filter(
            recipient=dangwei, dedupe_key__startswith=f"loop.waiting.work.partytask.{deployed.pk}."
        )

    # two days later it has not waited long enough (LOOP_VERIFY_REMIND_DAYS, 3 by default)
    services.send_reminders(today + datetime.timedelta(days=2))
    assert not reminders().exists()
    services.send_reminders(today + datetime.timedelta(days=3))
    assert reminders().count() == 1
    assert deployed.title in reminders().get().title
    services.send_reminders(today + datetime.timedelta(days=4))  # a rerun: nothing new
    assert reminders().count() == 1
    # once verified, nothing waits any more
    loops.verify(deployed, user=dangwei, passed=True, today=today)
    assert deployed.pk not in {item.pk for item, _ in loops.waiting_reports(today)}


def test_a_committee_member_of_the_acting_branch_neither_verifies_nor_closes_its_report(
    new_task, demo_user, root, org, today
):
    """dangwei is committee staff and also sits on the committee of 机关党委办公室党支部: for
    that branch's copy they are the acting side, so the report must be verified and closed by
    someone else of the committee (a branch never verifies or closes its own item)."""
    dangwei = demo_user("dangwei")
    own_branch = org("机关党委办公室党支部")
    assert dangwei.member.committee_posts.filter(organization=own_branch, ended_on=None)
    parent = new_task(root, "本支部的闭环任务")
    (child,) = services.deploy_task(parent, user=dangwei, targets=[own_branch])
    loops.report(child, user=dangwei, text="全部完成", today=today)
    assert not loops.may_verify(child, dangwei)
    with pytest.raises(PermissionDenied):
        loops.verify(child, user=dangwei, passed=True, today=today)
    assert PartyTask.objects.get(pk=child.pk).loop_stage == LoopStage.REPORTED
    # another of the committee's staff verifies; dangwei cannot close it either
    child.verified_on, child.verified_by = today, None
    child.save()
    assert not loops.may_close(child, dangwei)
    with pytest.raises(PermissionDenied):
        loops.close(child, user=dangwei, today=today)


def test_batch_closing_leaves_out_the_copy_of_a_branch_the_user_acts_for(
    new_task, demo_user, root, org, today
):
    dangwei = demo_user("dangwei")
    own_branch, office = org("机关党委办公室党支部"), org("办公室党支部")
    parent = new_task(root, "批量销号")
    children = services.deploy_task(parent, user=dangwei, targets=[own_branch, office])
    for child in children:
        child.reported_on = child.verified_on = today
        child.save()
    closed = services.close_verified_children(parent, user=dangwei, today=today)
    assert [child.organization for child in closed] == [office]
    assert PartyTask.objects.get(organization=own_branch, parent=parent).closed_on is None


def test_whoever_reports_never_verifies_the_same_report(deployed, demo_user, other_staff, today):
    dangwei = demo_user("dangwei")
    # committee staff enter the branch's report for it (代报) …
    loops.report(deployed, user=dangwei, text="支部纸质报告已录入", today=today)
    assert deployed.reported_by == dangwei
    # … so they neither get the button nor pass the check; a colleague verifies
    assert not loops.may_verify(deployed, dangwei)
    with pytest.raises(PermissionDenied):
        loops.verify(deployed, user=dangwei, passed=True, today=today)
    assert loops.may_verify(deployed, other_staff)
    loops.verify(deployed, user=other_staff, passed=True, today=today)
    # closing stays with the level, whoever verified
    loops.close(deployed, user=dangwei, today=today)
    assert deployed.loop_stage == LoopStage.CLOSED


def test_a_report_the_user_entered_is_not_on_their_verification_list(
    deployed, demo_user, other_staff, today
):
    dangwei = demo_user("dangwei")
    loops.report(deployed, user=dangwei, text="代报", today=today)
    assert deployed.pk not in {t.pk for t in services.awaiting_verification(dangwei)}
    assert deployed.pk in {t.pk for t in services.awaiting_verification(other_staff)}
