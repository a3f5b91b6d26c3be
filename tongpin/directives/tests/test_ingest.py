"""Document ingestion: cleaning, proposed items and categories, on the shared samples and on
small synthetic texts."""

import io
import re
from pathlib import Path

import docx
import pytest
from django.conf import settings

from tongpin.directives.ingest import (
    IngestError,
    Item,
    clean_text,
    decode_text,
    is_pinyin,
    propose_items,
    read_document,
    rewrap,
    short_title,
    strip_pinyin,
    suggest_category,
)
from tongpin.work.models import TaskCategory

SAMPLES = Path(settings.BASE_DIR).parent.parent / "shared" / "samples"
CATEGORIES = set(TaskCategory.values)
ANNOTATION = re.compile(r"[(（][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+[1-5]?[)）]")


def sample(name: str) -> str:
    return clean_text(read_document(SAMPLES / name))


def items_of(text: str) -> list[Item]:
    items = propose_items(text)
    assert all(item.category in CATEGORIES for item in items)
    assert all(item.title and item.sentence for item in items)
    return items


def item_with(items: list[Item], fragment: str) -> Item:
    found = [item for item in items if fragment in item.sentence]
    assert found, f"no item for {fragment!r}: {[item.title for item in items]}"
    return found[0]


# --- the shared samples ---------------------------------------------------------------------


def test_traditional_annotated_sample_is_simplified_without_annotations_or_boilerplate():
    text = sample("directive-traditional-annotated.txt")
    assert "关于做好年度机关党建工作的通知" in text
    assert "各支部要严格落实“第一议题”制度" in text
    for traditional in "關機黨會規範問題對發現時間":
        assert traditional not in text
    assert not ANNOTATION.search(text)
    assert "(" not in text
    for boilerplate in ("当前的位置", "首页", "发布时间", "版权所有", "转载请注明"):
        assert boilerplate not in text
    assert len(text.split("\n")) == 5  # title, salutation, three numbered paragraphs


def test_traditional_annotated_sample_yields_an_item_per_numbered_directive():
    items = items_of(sample("directive-traditional-annotated.txt"))
    study = item_with(items, "严格落实“第一议题”制度")
    assert study.category == TaskCategory.IDEOLOGICAL
    life = item_with(items, "召开支部委员会会议和党小组会")
    assert life.category == TaskCategory.ORGANIZATIONAL
    rectify = item_with(items, "建立台账")
    assert rectify.category == TaskCategory.INSTITUTIONAL
    titles = [item.title for item in items]
    assert {"加强理论学习", "规范组织生活", "抓好问题整改"} <= set(titles)
    assert not any("为推动机关党建" in item.sentence for item in items)


HEADINGS = {
    "提高政治站位,提升思想认识": {TaskCategory.POLITICAL},
    "强化理论武装,筑牢思想根基": {TaskCategory.IDEOLOGICAL},
    "加强组织建设,夯实基层基础": {TaskCategory.ORGANIZATIONAL},
    "创新工作方式,提升工作实效": {
        TaskCategory.CONDUCT,
        TaskCategory.ORGANIZATIONAL,
        TaskCategory.INSTITUTIONAL,
    },
    "严格纪律规矩,净化政治生态": {TaskCategory.DISCIPLINE, TaskCategory.ANTI_CORRUPTION},
    "强化责任担当,发挥示范引领作用": {
        TaskCategory.CONDUCT,
        TaskCategory.POLITICAL,
        TaskCategory.INSTITUTIONAL,
    },
    "加强队伍建设,提升履职能力": {TaskCategory.ORGANIZATIONAL},
    "注重统筹协调,形成工作合力": {TaskCategory.INSTITUTIONAL, TaskCategory.ORGANIZATIONAL},
}


def test_clean_sample_keeps_its_paragraphs():
    raw = (SAMPLES / "directive-simplified-clean.txt").read_text(encoding="utf-8")
    text = sample("directive-simplified-clean.txt")
    assert text.split("\n") == [line.strip() for line in raw.split("\n") if line.strip()]


@pytest.mark.parametrize("heading", HEADINGS)
def test_clean_sample_headed_paragraph_yields_an_item_of_a_fitting_category(heading):
    items = items_of(sample("directive-simplified-clean.txt"))
    item = item_with(items, heading)
    assert item.title == heading
    assert item.category in HEADINGS[heading]


def test_clean_sample_action_sentences_become_items():
    items = items_of(sample("directive-simplified-clean.txt"))
    assert item_with(items, "严格落实“三会一课”").category == TaskCategory.ORGANIZATIONAL
    assert item_with(items, "深入开展党风廉政建设和反腐败斗争").category in {
        TaskCategory.DISCIPLINE,
        TaskCategory.ANTI_CORRUPTION,
    }
    assert item_with(items, "联席会议制度").category == TaskCategory.INSTITUTIONAL
    assert not any(item.sentence.startswith("理论上的清醒") for item in items)
    assert not any(item.sentence.startswith("基层党组织是党在") for item in items)
    assert len({item.sentence for item in items}) == len(items)


def test_webpage_sample_loses_share_buttons_and_copyright_footer():
    text = sample("directive-simplified-webpage.txt")
    lines = text.split("\n")
    for gone in ("分享", "分享到", "分享到微信", "(赵惠玲)", "2021-11-15 15:06"):
        assert gone not in lines
    for gone in ("版权", "责任编辑", "chinadaily.com.cn", "010-84883777", "来源: 郑州日报"):
        assert gone not in text
    assert lines.count("以党建“第一责任”引领和保障发展") == 1
    assert "各单位党组(党委)要强化" in text  # real parentheses stay
    assert text.endswith("(作者单位:郑州市委市直机关工委)")
    assert "一、坚持党的领导,使机关党建走在前、做表率" in lines


def test_webpage_sample_enumerated_clauses_become_items():
    items = items_of(sample("directive-simplified-webpage.txt"))
    expected = {
        "一要自觉带头践行“两个维护”": TaskCategory.POLITICAL,
        "二要坚决执行上级决策部署": TaskCategory.POLITICAL,
        "三要切实抓好机关党建工作": None,
        "一是做好机关党建基层治理": TaskCategory.ORGANIZATIONAL,
        "二是强化机关党建思想教育": TaskCategory.IDEOLOGICAL,
        "三是创新机关党建活动载体": None,
        "一要牵住责任制这个“牛鼻子”": TaskCategory.INSTITUTIONAL,
        "二要强化机关党建职能定位": None,
        "三要汇聚机关党建工作合力": None,
    }
    for clause, category in expected.items():
        item = item_with(items, clause)
        assert item.title == clause[2:]
        assert category is None or item.category == category


# --- synthetic texts ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("機(jī)關(guān)黨(dǎng)建", "機關黨建"),
        ("我们的(de)工作", "我们的工作"),
        ("一(yī)是加强学习", "一是加强学习"),
        ("党(dang3)支部(zhi1 bu4)", "党支部"),
        ("绿(lǜ)色和(hé)女(nü3)", "绿色和女"),
        ("学习（xué xí）", "学习"),
        ("各单位党组（党委）", "各单位党组（党委）"),
        ("党组(党委)要负责", "党组(党委)要负责"),
        ("全文完。(作者单位:某某机关工委)", "全文完。(作者单位:某某机关工委)"),
        ("(来源:人民日报)", "(来源:人民日报)"),
        ("国内生产总值(GDP)增长", "国内生产总值(GDP)增长"),
        ("见附件(a)", "见附件(a)"),
        ("第(3)条", "第(3)条"),
        ("example (de) here", "example (de) here"),
    ],
)
def test_strip_pinyin_removes_annotations_and_keeps_real_parentheses(raw, expected):
    assert strip_pinyin(raw) == expected


def test_is_pinyin():
    assert is_pinyin("zhuàng") and is_pinyin("lve4") and is_pinyin("er")
    assert not is_pinyin("GDP") and not is_pinyin("xyz") and not is_pinyin("")


def test_clean_text_removes_web_boilerplate_and_keeps_paragraphs():
    raw = "\n".join(
        [
            "当前位置：首页 > 工作动态 > 正文",
            "關於加強黨支部建設的通知",
            "发布日期：2025-01-02  浏览次数：123",
            "分享到：",
            "微信",
            "  　各支部要加强学习。",
            "",
            "二是严格落实组织生活制度。",
            "【打印】【关闭】",
            "责任编辑：张三",
            "（李四）",
            "投稿邮箱：tougao@example.cn",
            "违法和不良信息举报电话：010-12345678",
            "Copyright © 2025 某某机关 版权所有",
            "京ICP备12345678号-1",
            "京公网安备 11010502030000号",
            "互联网新闻信息服务许可证：10120170001",
        ]
    )
    assert (
        clean_text(raw)
        == "关于加强党支部建设的通知\n各支部要加强学习。\n二是严格落实组织生活制度。"
    )


def test_clean_text_keeps_paragraphs_that_merely_mention_boilerplate_words():
    raw = "要加强版权保护工作，完善举报受理机制。\n各单位要畅通信访举报渠道，认真核查。"
    assert clean_text(raw) == raw


def test_enumerated_clauses_of_a_paragraph():
    text = (
        "为做好今年工作，提出以下要求。一是加强政治理论学习，落实第一议题制度。"
        "二是严格执行“三会一课”制度。三是持续纠治形式主义、官僚主义。"
    )
    items = items_of(text)
    assert [item.title for item in items] == [
        "加强政治理论学习",
        "严格执行“三会一课”制度",
        "持续纠治形式主义、官僚主义",
    ]
    assert [item.category for item in items] == [
        TaskCategory.IDEOLOGICAL,
        TaskCategory.ORGANIZATIONAL,
        TaskCategory.CONDUCT,
    ]


def test_headed_paragraphs_and_plain_sentences():
    text = "\n".join(
        [
            "关于加强廉政建设的意见",
            "各党支部：",
            "筑牢廉洁防线，深化反腐败斗争。腐败是党面临的最大威胁。要坚决查处违纪违法行为。",
            "支部书记必须履行第一责任人职责。这是一般陈述。",
            "会议指出：“要坚持学习”，这是引语。",
        ]
    )
    items = items_of(text)
    assert [item.title for item in items] == [
        "筑牢廉洁防线，深化反腐败斗争",
        "坚决查处违纪违法行为",
        "履行第一责任人职责",
    ]
    assert items[0].category == TaskCategory.ANTI_CORRUPTION
    assert items[0].sentence == "筑牢廉洁防线，深化反腐败斗争。"


def test_short_title():
    assert short_title("要通过加强纪律规矩教育,引导党员干部知敬畏。") == "引导党员干部知敬畏"
    assert short_title("（二）坚持党建工作和业务工作同谋划。") == "坚持党建工作和业务工作同谋划"
    assert len(short_title("要" + "加" * 80 + "。")) == 40


def test_suggest_category_defaults_to_political():
    assert suggest_category("这是一般陈述") == TaskCategory.POLITICAL
    assert suggest_category("坚决纠治四风") == TaskCategory.CONDUCT


# --- reading --------------------------------------------------------------------------------


def test_decode_text_detects_utf8_gb18030_and_bom():
    words = "机关党建工作要点"
    assert decode_text(words.encode("utf-8")) == words
    assert decode_text(words.encode("gb18030")) == words
    assert decode_text(b"\xef\xbb\xbf" + words.encode("utf-8")) == words
    assert decode_text(words.encode("utf-16")) == words


def test_read_document_txt_in_gb18030(tmp_path):
    path = tmp_path / "通知.txt"
    path.write_bytes("各支部要加强学习。".encode("gb18030"))
    assert read_document(path) == "各支部要加强学习。"
    assert read_document(str(path)) == "各支部要加强学习。"


def test_read_document_docx_and_uploaded_file(tmp_path):
    document = docx.Document()
    document.add_paragraph("关于加强学习的通知")
    document.add_paragraph("一、加强理论学习。各支部要落实第一议题制度。")
    buffer = io.BytesIO()
    document.save(buffer)
    path = tmp_path / "notice.docx"
    path.write_bytes(buffer.getvalue())
    assert read_document(path) == "关于加强学习的通知\n一、加强理论学习。各支部要落实第一议题制度。"

    class Upload(io.BytesIO):
        name = "Notice.DOCX"

    assert "落实第一议题制度" in read_document(Upload(buffer.getvalue()))


def test_read_document_refuses_missing_unsupported_and_broken_files(tmp_path):
    with pytest.raises(IngestError):
        read_document(tmp_path / "missing.txt")
    (tmp_path / "a.xls").write_bytes(b"x")
    with pytest.raises(IngestError):
        read_document(tmp_path / "a.xls")
    (tmp_path / "a.docx").write_bytes(b"not a zip")
    with pytest.raises(IngestError):
        read_document(tmp_path / "a.docx")
    (tmp_path / "a.pdf").write_bytes(b"not a pdf")
    with pytest.raises(IngestError):
        read_document(tmp_path / "a.pdf")


def test_read_document_pdf_without_text_layer(tmp_path):
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    path = tmp_path / "scan.pdf"
    with path.open("wb") as file:
        writer.write(file)
    with pytest.raises(IngestError, match="scan"):
        read_document(path)


def test_rewrap_joins_hard_wrapped_pdf_lines():
    text = "关于加强学习的通知\n各支部要严格落实第一议题制度，每月\n至少组织一次集中学习。\n二、规范组织生活。"
    assert rewrap(text).split("\n") == [
        "关于加强学习的通知",
        "各支部要严格落实第一议题制度，每月至少组织一次集中学习。",
        "二、规范组织生活。",
    ]


def test_section_headings_without_action_are_context_not_items():
    text = "\n".join(
        [
            "一、总体要求",
            "以党的政治建设为统领，全面提高机关党建质量。",
            "二、主要任务",
            "（一）强化政治引领。各支部要落实第一议题制度。",
            "1.大抓基层基础",
            "规划纲要已经印发，要是有问题及时反映。",
        ]
    )
    titles = [item.title for item in items_of(text)]
    assert "总体要求" not in titles and "主要任务" not in titles
    assert titles[:3] == ["强化政治引领", "落实第一议题制度", "大抓基层基础"]
    assert not any("纲要" in title for title in titles)


def test_more_web_clutter():
    raw = "扫一扫在手机打开当前页\n打印本页 关闭窗口\n【我要纠错】\n相关新闻：\n各支部要加强学习。"
    assert clean_text(raw) == "各支部要加强学习。"
