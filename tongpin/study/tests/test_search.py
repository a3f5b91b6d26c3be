"""Chinese full-text search, on SQLite (FTS5) and PostgreSQL (tsvector) alike."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from tongpin.demo.testing import office_branch, root_organization
from tongpin.study import search, services
from tongpin.study.models import Material, SearchEntry

pytestmark = pytest.mark.django_db


def add(organization, title, body, **extra):
    return Material.objects.create(organization=organization, title=title, body=body, **extra)


def found(user, query) -> list[str]:
    return [hit.title for hit in search.search(user, query, limit=100).hits]


def test_a_query_split_differently_by_jieba_still_finds_the_passage(demo_user):
    add(root_organization(), "学习笔记甲", "他们研究生命起源的问题。")
    add(root_organization(), "学习笔记乙", "乒乓球拍卖完了,南京市长江大桥通车。")
    # jieba splits the texts one way and the queries another
    assert "研究生" not in search.words("他们研究生命起源的问题。")
    assert "研究生" in search.query_words("研究生")
    assert "球拍" not in search.words("乒乓球拍卖完了") and "市长" not in search.words("南京市长江")
    user = demo_user("dangyuan")
    assert found(user, "研究生") == ["学习笔记甲"]
    assert found(user, "球拍") == ["学习笔记乙"]
    assert found(user, "市长 大桥") == ["学习笔记乙"]
    assert search.search(user, "市长 大桥").mode == "and"


def test_traditional_query_finds_simplified_text(demo_user):
    add(root_organization(), "年度要点", "深入推进机关党建高质量发展。")
    result = search.search(demo_user("dangyuan"), "機關黨建")
    hits = {hit.title: hit for hit in result.hits}
    assert result.mode == "and" and "年度要点" in hits
    assert "<mark>机关党建</mark>" in hits["年度要点"].snippet


def test_traditional_text_is_found_by_simplified_query_and_shown_as_written(demo_user):
    add(root_organization(), "舊文", "各黨支部要嚴格落實第一議題制度。")
    hits = search.search(demo_user("shuji"), "党支部 第一议题 严格落实").hits
    assert hits[0].title == "舊文"
    assert "<mark>黨支部</mark>" in hits[0].snippet


def test_snippets_are_escaped_and_highlighted(demo_user):
    add(root_organization(), "<b>标题</b>", "前言<script>alert(1)</script>坚持量子纠缠研究。")
    hit = search.search(demo_user("dangwei"), "量子纠缠").hits[0]
    assert "<script>" not in hit.snippet and "&lt;script&gt;" in hit.snippet
    assert "<mark>量子纠缠</mark>" in hit.snippet
    assert "&lt;b&gt;" in hit.title_html


def test_title_matches_rank_first(demo_user):
    add(root_organization(), "一般材料", "文中顺带提到廉政教育。" + "其他内容。" * 20)
    add(root_organization(), "廉政教育专题", "本专题材料。")
    assert found(demo_user("dangwei"), "廉政教育")[0] == "廉政教育专题"


def test_every_word_first_then_any(demo_user):
    add(root_organization(), "甲文", "乡村振兴")
    add(root_organization(), "乙文", "乡村振兴和数字政府")
    result = search.search(demo_user("dangwei"), "乡村振兴 数字政府")
    assert (result.mode, [h.title for h in result.hits]) == ("and", ["乙文"])
    result = search.search(demo_user("dangwei"), "乡村振兴 航天飞船")
    assert result.mode == "or" and {h.title for h in result.hits} == {"甲文", "乙文"}


def test_results_are_scoped(demo_user):
    add(office_branch(), "办公室内部学习", "办公室支部专项学习安排黄河保护。")
    add(root_organization(), "全机关学习", "全机关黄河保护专题。")
    assert set(found(demo_user("shuji"), "黄河保护")) == {"办公室内部学习", "全机关学习"}
    assert set(found(demo_user("dangyuan"), "黄河保护")) == {"办公室内部学习", "全机关学习"}
    assert found(demo_user("shuji2"), "黄河保护") == ["全机关学习"]
    assert set(found(demo_user("dangwei"), "黄河保护")) == {"办公室内部学习", "全机关学习"}
    office = Material.objects.get(title="办公室内部学习")
    assert services.visible_materials(demo_user("shuji2")).filter(pk=office.pk).count() == 0


def test_minutes_are_searchable_by_staff_only(demo_user):
    from tongpin.life.models import Meeting, MeetingStatus

    meeting = Meeting.objects.filter(
        organization=office_branch(), status=MeetingStatus.HELD
    ).first()
    meeting.minutes = "会议讨论了碳达峰行动方案的落实。"
    meeting.save()
    assert SearchEntry.objects.filter(source="life.minutes", object_id=meeting.pk).exists()
    assert found(demo_user("shuji"), "碳达峰")
    assert not found(demo_user("dangyuan"), "碳达峰")
    assert not found(demo_user("shuji2"), "碳达峰")


def test_index_follows_changes_and_reindex_rebuilds(demo_user):
    material = add(root_organization(), "旧标题", "长江大保护")
    user = demo_user("dangwei")
    assert found(user, "长江") == ["旧标题"]
    material.body = "黄土高原"
    material.save()
    assert found(user, "长江") == [] and found(user, "黄土高原") == ["旧标题"]
    SearchEntry.objects.filter(source="study.material").delete()
    assert found(user, "黄土高原") == []
    out = io.StringIO()
    call_command("reindex", "study.material", stdout=out)
    assert found(user, "黄土高原") == ["旧标题"]
    material.delete()
    assert found(user, "黄土高原") == []


def test_pinyin_notes_are_dropped_and_demo_samples_found(demo_user):
    assert services.clean_text("機(jī)關(guān)黨(dǎng)建") == "機關黨建"
    titles = found(demo_user("dangyuan"), "机关党建")
    assert len(titles) >= 3  # the shared samples, one of them traditional


def test_docx_text_is_extracted():
    import docx

    document = docx.Document()
    document.add_paragraph("学习贯彻党的二十大精神")
    buffer = io.BytesIO()
    document.save(buffer)
    assert services.extract_text("a.docx", buffer.getvalue()) == "学习贯彻党的二十大精神"
    with pytest.raises(ValidationError):
        services.extract_text("a.exe", b"x")
    with pytest.raises(ValidationError):
        services.extract_text("a.pdf", b"not a pdf")


def test_search_page_and_api(client_as, api_as):
    add(root_organization(), "页面测试材料", "学习<em>强国</em>建设。")
    page = client_as("dangyuan").get(reverse("study:library"), {"q": "強國"})
    content = page.content.decode()
    assert page.status_code == 200 and "页面测试材料" in content
    assert "<mark>强国</mark>" in content and "&lt;em&gt;" in content
    response = api_as("shuji").get(reverse("api:study-search-list"), {"q": "强国建设"})
    assert response.status_code == 200
    assert response.json()["hits"][0]["title"] == "页面测试材料"


def test_add_material_by_upload(client_as):
    import docx

    document = docx.Document()
    document.add_paragraph("上传的学习材料正文")
    buffer = io.BytesIO()
    document.save(buffer)
    buffer.seek(0)
    buffer.name = "材料.docx"
    response = client_as("shuji").post(
        reverse("study:material_create"),
        {"organization": office_branch().pk, "title": "上传材料", "file": buffer},
    )
    assert response.status_code == 302, response.context["form"].errors
    material = Material.objects.get(title="上传材料")
    assert material.body == "上传的学习材料正文" and material.file_name == "材料.docx"
    # another branch's secretary cannot add to the office branch
    response = client_as("shuji2").post(
        reverse("study:material_create"),
        {"organization": office_branch().pk, "title": "越权", "body": "正文"},
    )
    assert response.status_code == 200 and not Material.objects.filter(title="越权").exists()


def test_entries_follow_a_moved_organization(demo_user):
    from tongpin.orgs.models import Organization, OrgKind
    from tongpin.orgs.services import move_organization

    office = office_branch()
    add(office, "随支部迁移的材料", "雄安新区建设学习。")
    parent = Organization.objects.get_parent(office)
    target = (
        Organization.objects.filter(kind=parent.kind, depth=parent.depth)
        .exclude(pk=parent.pk)
        .exclude(kind=OrgKind.BRANCH)
        .first()
    )
    move_organization(office, target, user=demo_user("dangwei"), reason="理顺隶属关系")
    office.refresh_from_db()
    entry = SearchEntry.objects.get(title="随支部迁移的材料")
    assert entry.org_path == office.path
    assert found(demo_user("shuji"), "雄安新区") == ["随支部迁移的材料"]


def _text_pdf(text: str) -> bytes:
    """A one-page PDF with a line of Latin text (Helvetica), built by hand."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objects) + 1))
    out.write(b"startxref\n%d\n%%%%EOF\n" % xref)
    return out.getvalue()


def test_text_pdf_is_extracted_and_searchable(demo_user):
    text = services.extract_text("notes.pdf", _text_pdf("Party building notes"))
    assert text == "Party building notes"
    add(root_organization(), "PDF material", text)
    assert found(demo_user("dangyuan"), "Building") == ["PDF material"]
