"""Document ingestion: read a directive, clean its text and propose action items.

Pure functions, offline: opencc for traditional → simplified, jieba and the lexicons below for the
category, regular expressions for everything else. Nothing here touches the database.

- ``read_document(source)`` reads a path or an uploaded file (.txt in UTF-8/GB18030/Big5, .docx,
  a PDF with a text layer) and returns its raw text;
- ``clean_text(raw)`` converts to simplified Chinese, removes inline pinyin annotations such as
  ``機(jī)關(guān)`` and web boilerplate (breadcrumbs, share buttons, copyright, ICP and licence lines,
  editor and signing lines, submission e-mails, reporting hotlines) and keeps one paragraph a line;
- ``propose_items(text)`` returns the sentences and clauses that direct action, each with a short
  title and a suggested ``TaskCategory`` value.
"""

from __future__ import annotations

import io
import logging
import re
import statistics
import unicodedata
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path

from django.utils.translation import gettext as _

SUPPORTED_SUFFIXES = (".txt", ".docx", ".pdf")
TITLE_LIMIT = 40


class IngestError(ValueError):
    """A document that cannot be read; the message is for the user."""


@dataclass(frozen=True)
class Item:
    """A proposed action item: a short title, the sentence it comes from, a category value."""

    title: str
    sentence: str
    category: str

    def as_dict(self) -> dict:
        return asdict(self)


# ---------------------------------------------------------------------------------------------
# Reading


def read_document(source) -> str:
    """The raw text of a path or an uploaded file (anything with ``name`` and ``read()``)."""
    if isinstance(source, str | Path):
        path = Path(source)
        name = path.name
        try:
            data = path.read_bytes()
        except FileNotFoundError as error:
            raise IngestError(_("File not found: %(name)s") % {"name": str(source)}) from error
        except OSError as error:
            raise IngestError(
                _("Cannot read the file %(name)s.") % {"name": str(source)}
            ) from error
    else:
        name = getattr(source, "name", "") or ""
        if hasattr(source, "seek"):
            source.seek(0)
        data = source.read()
        if isinstance(data, str):
            return data
    suffix = Path(name).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise IngestError(
            _("Unsupported file type %(suffix)s: use .txt, .docx or a PDF with text.")
            % {"suffix": suffix or name}
        )
    if suffix == ".txt":
        return decode_text(data)
    if suffix == ".docx":
        return _read_docx(data, name)
    return _read_pdf(data, name)


def decode_text(data: bytes) -> str:
    """Decode plain text: a BOM if present, else UTF-8, else GB18030, else Big5."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    for encoding in ("utf-8", "gb18030", "big5"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace")


def _read_docx(data: bytes, name: str) -> str:
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as error:  # python-docx raises several kinds for a broken file
        raise IngestError(_("Cannot read the file %(name)s.") % {"name": name}) from error
    lines = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append(" ".join(cell.text for cell in row.cells))
    return "\n".join(lines)


def _read_pdf(data: bytes, name: str) -> str:
    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
    except Exception as error:  # pypdf raises several kinds for a broken file
        raise IngestError(_("Cannot read the file %(name)s.") % {"name": name}) from error
    text = "\n".join(pages)
    if not text.strip():
        raise IngestError(
            _("The PDF %(name)s has no text layer (a scan?); paste its text instead.")
            % {"name": name}
        )
    return rewrap(text)


TERMINAL = "。！？!?；;：:”」』）)】"


def rewrap(text: str) -> str:
    """Join the hard-wrapped lines of a PDF back into paragraphs.

    A line as long as the full lines of the page that does not end a sentence continues on the
    next line; short lines (titles, last lines of paragraphs) end their paragraph.
    """
    lines = [line.strip() for line in text.splitlines()]
    lengths = [len(line) for line in lines if len(line) > 10]
    if not lengths:
        return "\n".join(lines)
    full = statistics.median_high(lengths)
    paragraphs: list[str] = []
    current = ""
    for line in lines:
        if not line:
            if current:
                paragraphs.append(current)
                current = ""
            continue
        current += line
        if len(line) < full * 0.85 or line[-1] in TERMINAL and len(line) < full * 0.95:
            paragraphs.append(current)
            current = ""
    if current:
        paragraphs.append(current)
    return "\n".join(paragraphs)


# ---------------------------------------------------------------------------------------------
# Cleaning

_INITIALS = [
    "b",
    "p",
    "m",
    "f",
    "d",
    "t",
    "n",
    "l",
    "g",
    "k",
    "h",
    "j",
    "q",
    "x",
    "zh",
    "ch",
    "sh",
    "r",
    "z",
    "c",
    "s",
    "y",
    "w",
]
_FINALS = [
    "a",
    "o",
    "e",
    "i",
    "u",
    "v",
    "ai",
    "ei",
    "ui",
    "ao",
    "ou",
    "iu",
    "ie",
    "ve",
    "ue",
    "er",
    "an",
    "en",
    "in",
    "un",
    "vn",
    "ang",
    "eng",
    "ing",
    "ong",
    "ia",
    "iao",
    "ian",
    "iang",
    "iong",
    "ua",
    "uo",
    "uai",
    "uan",
    "uang",
    "van",
]
_PINYIN_SYLLABLES = frozenset(
    [initial + final for initial in _INITIALS for final in _FINALS]
    + _FINALS
    + ["ng", "hm", "hng", "m", "n", "lve", "nve", "yue", "yuan", "yun", "you", "ye", "yi", "wu"]
)
_PINYIN_LETTERS = "a-zA-ZüÜāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_ANNOTATION = re.compile(
    rf"(?<=[{_CJK}])\s?[(（]\s*([{_PINYIN_LETTERS}]+[1-5]?(?:\s+[{_PINYIN_LETTERS}]+[1-5]?)*)\s*[)）]"
)


def is_pinyin(candidate: str) -> bool:
    """Whether ``candidate`` is one or more pinyin syllables (tone marks or numbers allowed)."""
    syllables = candidate.split()
    if not syllables:
        return False
    if len(syllables) == 1 and len(candidate) == 1:
        return False  # (a), (e): a list marker, not 啊
    for syllable in syllables:
        if any(ch.isupper() for ch in syllable):
            return False  # abbreviations such as (GDP), (WTO) are not annotations
        plain = syllable.rstrip("12345").replace("ü", "v")
        plain = "".join(
            "v" if ch in "ǖǘǚǜ" else ch
            for ch in unicodedata.normalize("NFD", plain)
            if not unicodedata.combining(ch)
        )
        if plain not in _PINYIN_SYLLABLES:
            return False
    return True


def strip_pinyin(text: str) -> str:
    """Remove inline pinyin annotations, keep every other parenthesis."""
    return _ANNOTATION.sub(lambda m: "" if is_pinyin(m.group(1)) else m.group(0), text)


_BOILERPLATE = [
    # breadcrumbs
    r"^(您|你)?(当前|现在)?的?(所在)?位置\s*[:：]",
    r"^首页\s*[>»＞/›]",
    r"[>»＞›]\s*(正文|详情|内容)\s*$",
    # share buttons, print and close, font size
    r"^(分享|分享到|分享至|一键分享|转发|收藏|打印|关闭|关闭窗口|打印本页|返回顶部|返回|扫一扫|微信|微博|"
    r"新浪微博|QQ空间|QQ|朋友圈|复制链接|上一篇|下一篇|相关链接|相关新闻|相关阅读|责任编辑)"
    r"\s*[:：]?\s*(微信|微博|QQ空间|朋友圈|好友)?\s*$",
    r"^分享到",
    r"^扫一扫",
    r"^(打印本页|关闭窗口|打印|关闭|收藏|分享)(\s+(打印本页|关闭窗口|打印|关闭|收藏|分享))+$",
    r"^【?\s*(我要)?纠错\s*】?$",
    r"^(相关稿件|相关新闻|相关阅读|延伸阅读|推荐阅读|热点推荐)\s*[:：]?$",
    r"^【?\s*(字号|字体)\s*[:：]?\s*[大中小\s【】]*$",
    r"^(【[^】]{1,6}】\s*){2,}$",
    # copyright and licences
    r"版权所有",
    r"版权说明",
    r"^版权(保护|声明)?\s*[:：©]",
    r"^(Copyright|©|\(c\))",
    r"转载请注明",
    r"未经.{0,30}(授权|许可|同意).{0,10}(不得|禁止|严禁)(转载|复制|使用)",
    r"ICP\s*(备|证)",
    r"公网安备",
    r"(许可证|经营许可)\s*[:：]?\s*[\w\-（）()号]*\s*$",
    r"^(主办|承办|主办单位|承办单位|技术支持|网站标识码|网站地图|联系我们)\s*[:：]",
    # editor and signing lines
    r"^[【\[]?\s*(责任编辑|编辑|责编|审核|审校|校对|编审|终审|初审|复审|作者|记者|通讯员|稿件来源|"
    r"供稿|摄影|图片|来源|文章来源|信息来源)\s*[:：]",
    r"^(发布时间|发布日期|发文日期|更新时间|日期|时间|浏览次数|点击数|阅读量|访问量)\s*[:：]",
    r"^[(（]\s*[\u4e00-\u9fff·]{2,5}(\s+[\u4e00-\u9fff·]{2,5})*\s*[)）]$",
    r"^\d{4}[-/年.]\d{1,2}[-/月.]\d{1,2}日?(\s+\d{1,2}:\d{2}(:\d{2})?)?$",
    # submission e-mails, reporting hotlines
    r"(投稿|来稿|邮箱|信箱|提意见|意见建议|纠错)[^。]{0,20}[\w.\-]+@[\w.\-]+",
    r"^\S{0,20}[\w.\-]+@[\w.\-]+\.\w+\s*$",
    r"举报(电话|邮箱|中心|平台|专区|热线)",
    r"违法和不良信息",
]
_BOILERPLATE_RE = [re.compile(pattern, re.IGNORECASE) for pattern in _BOILERPLATE]
_MAX_BOILERPLATE = 300  # a longer line is a paragraph, whatever it mentions


@cache
def _converter():
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    return _converter().convert(text)


def is_boilerplate(line: str) -> bool:
    if len(line) > _MAX_BOILERPLATE:
        return False
    return any(pattern.search(line) for pattern in _BOILERPLATE_RE)


def clean_text(raw: str) -> str:
    """Simplified text without pinyin annotations or web boilerplate, one paragraph a line."""
    text = unicodedata.normalize("NFC", raw.replace("\r\n", "\n").replace("\r", "\n"))
    text = text.replace("\u00a0", " ").replace("\u200b", "").replace("\ufeff", "")
    text = strip_pinyin(to_simplified(text))
    paragraphs: list[str] = []
    seen: set[str] = set()
    for line in text.split("\n"):
        line = line.strip(" \t\u3000")
        if not line or is_boilerplate(line):
            continue
        if line in seen:  # a web page repeats its title, an abstract repeats the lead
            continue
        seen.add(line)
        paragraphs.append(line)
    return "\n".join(paragraphs)


# ---------------------------------------------------------------------------------------------
# Proposing action items

_NUMBER = "一二三四五六七八九十"
_LEADING_NUMBER = re.compile(
    rf"^\s*(?:[(（][{_NUMBER}\d]+[)）]|[{_NUMBER}]+[、.．]|\d+[、.．)）](?!\d)|第[{_NUMBER}]+[，,、：:]?)\s*"
)
_ENUMERATION = re.compile(
    rf"(?:^|(?<=[。；;！!？?，,：:]))\s*((?:其)?[{_NUMBER}](?:是|要|方面)|第[{_NUMBER}](?=[，,、]))[，,、：:]?"
)
_MODAL = re.compile(
    r"(?<![需重主只必首紧纪摘提不想纲概简扼政将])(?:要|必须|务必|应当|需要)(?![求素点件务害义闻是])"
)
_ACTION_VERBS = [
    "坚持",
    "加强",
    "推动",
    "建立健全",
    "健全",
    "完善",
    "强化",
    "深化",
    "推进",
    "落实",
    "提高",
    "提升",
    "抓好",
    "做好",
    "严格",
    "切实",
    "着力",
    "注重",
    "确保",
    "开展",
    "深入",
    "持续",
    "扎实",
    "进一步",
    "认真",
    "积极",
    "大力",
    "坚决",
    "聚焦",
    "规范",
    "优化",
    "建立",
    "树立",
    "增强",
    "发挥",
    "压实",
    "创新",
    "构建",
    "筑牢",
    "夯实",
    "严肃",
    "狠抓",
    "全面",
    "贯彻",
    "建强",
    "牢固树立",
    "引导",
    "督促",
    "把握",
    "发扬",
    "弘扬",
    "防止",
    "杜绝",
    "统筹",
    "做到",
    "履行",
    "带头",
    "从严",
    "营造",
    "巩固",
    "拓展",
    "突出",
    "抓实",
    "压紧",
    "织密",
    "锻造",
    "打造",
    "坚守",
    "守牢",
    "激发",
    "凝聚",
    "用好",
    "落细",
    "抓紧",
    "加快",
    "守住",
    "推行",
    "实施",
    "召开",
    "大抓",
]
_CIRCUMSTANTIAL = (
    "通过",
    "按照",
    "面对",
    "针对",
    "根据",
    "依据",
    "随着",
    "为了",
    "结合实际",
    "在贯彻",
)
_SENTENCE_END = re.compile(r"(?<=[。！？!?；;])")
_CLAUSE_BREAK = re.compile(r"[，,；;。：:！!？?]")
_QUOTED = re.compile(r"“[^”]*”|「[^」]*」|\"[^\"]*\"")


def _outside_quotes(text: str) -> str:
    return _QUOTED.sub(lambda m: "“" + "＿" * (len(m.group(0)) - 2) + "”", text)


def _sentences(paragraph: str) -> list[str]:
    return [part.strip() for part in _SENTENCE_END.split(paragraph) if part.strip()]


def _starts_with_verb(text: str) -> bool:
    return text.startswith(tuple(_ACTION_VERBS))


def is_action(sentence: str) -> bool:
    """Whether a sentence directs action: 要/必须… outside quotations, or starts with a verb."""
    bare = _outside_quotes(_LEADING_NUMBER.sub("", sentence))
    return bool(_MODAL.search(bare)) or _starts_with_verb(bare)


def short_title(sentence: str) -> str:
    """The first clause of what a sentence directs, without its numbering and modal."""
    text = _LEADING_NUMBER.sub("", sentence.strip())
    text = _ENUMERATION.sub("", text, count=1) if _ENUMERATION.match(text) else text
    bare = _outside_quotes(text)
    modal = _MODAL.search(bare)
    if modal and not _starts_with_verb(bare):
        text = text[modal.end() :]
    text = text.lstrip("，,：: ")
    clauses = _clauses(text)
    while len(clauses) > 1 and clauses[0].startswith(_CIRCUMSTANTIAL):
        clauses = clauses[1:]  # "通过…，引导…": the second clause says what to do
    title = ""
    for clause in clauses:
        title += clause
        if len(title) >= 6:
            break
        title += "，"
    title = title.rstrip("，,；;。：: ")
    if len(title) > TITLE_LIMIT:
        title = title[: TITLE_LIMIT - 1] + "…"
    return title or sentence.strip()[:TITLE_LIMIT]


def _clauses(text: str) -> list[str]:
    """Split at clause punctuation that is not inside a quotation."""
    bare = _outside_quotes(text)
    clauses, start = [], 0
    for match in _CLAUSE_BREAK.finditer(bare):
        clauses.append(text[start : match.start()])
        start = match.end()
    clauses.append(text[start:])
    return [clause.strip() for clause in clauses if clause.strip()]


def _heading(paragraph: str) -> tuple[str, str] | None:
    """A headed paragraph's heading and body: "强化理论武装，筑牢思想根基。理论上的…"."""
    sentences = _sentences(paragraph)
    if len(sentences) < 2:
        return None
    first = sentences[0]
    bare = _LEADING_NUMBER.sub("", first).rstrip("。；;！!")
    if len(bare) > 30 or not bare or _MODAL.search(_outside_quotes(bare)):
        return None
    clauses = _clauses(bare)
    if len(clauses) > 3 or re.search("如下|以下|下列|通知|现就", bare):
        return None
    if not (_parallel(bare) or _starts_with_verb(bare)):
        return None
    return first, paragraph[len(first) :].strip()


def _parallel(heading: str) -> bool:
    """Two or three short parallel clauses: "严格纪律规矩，净化政治生态"."""
    clauses = _clauses(heading.rstrip("。；;！!"))
    return 2 <= len(clauses) <= 3 and all(3 <= len(clause) <= 15 for clause in clauses)


def _is_heading_line(paragraph: str) -> bool:
    """A numbered section heading on its own line: "一、坚持党的领导，使机关党建走在前"."""
    return (
        bool(_LEADING_NUMBER.match(paragraph))
        and len(paragraph) <= 40
        and paragraph[-1] not in "。！？!?"
    )


def propose_items(text: str) -> list[Item]:
    """The action items of a cleaned text, in document order, without duplicate sentences."""
    items: list[Item] = []
    seen: set[str] = set()

    def add(title: str, sentence: str, context: str, heading: str = "") -> None:
        key = sentence.strip()
        if not title or key in seen:
            return
        seen.add(key)
        items.append(Item(title, key, suggest_category(context, heading=heading)))

    section = ""
    paragraphs = [line.strip() for line in text.split("\n") if line.strip()]
    for paragraph in paragraphs:
        if _is_heading_line(paragraph):
            section = _LEADING_NUMBER.sub("", paragraph)
            if is_action(paragraph) or _parallel(section):  # not "一、总体要求"
                add(short_title(paragraph), paragraph, paragraph, heading=section)
            continue
        if paragraph[-1] not in TERMINAL and len(paragraph) <= 40:
            continue  # a title, a subtitle or a salutation
        if paragraph.endswith(("：", ":")) and len(paragraph) <= 40:
            continue
        body = paragraph
        heading = _heading(paragraph)
        context_heading = section
        if heading:
            first, body = heading
            head = _LEADING_NUMBER.sub("", first).rstrip("。；;！!")
            add(head, first, paragraph, heading=head)
            context_heading = head
        marks = [m for m in _ENUMERATION.finditer(body) if not _inside_quote(body, m.start())]
        if len(marks) >= 2:
            for number, mark in enumerate(marks):
                end = marks[number + 1].start() if number + 1 < len(marks) else len(body)
                segment = body[mark.start() : end].strip()
                sentence = _sentences(segment)[0] if _sentences(segment) else segment
                title = short_title(sentence)
                add(title, sentence, f"{segment}{title}{title}", heading=context_heading)
            continue
        for sentence in _sentences(body):
            if is_action(sentence):
                add(short_title(sentence), sentence, sentence, heading=context_heading)
    return items


def _inside_quote(text: str, position: int) -> bool:
    return any(m.start() < position < m.end() for m in _QUOTED.finditer(text))


# ---------------------------------------------------------------------------------------------
# Categories: a keyword lexicon per TaskCategory value (rules.md, task categories)

LEXICON: dict[str, dict[str, int]] = {
    "political": {
        "政治建设": 4,
        "政治站位": 3,
        "讲政治": 3,
        "两个维护": 3,
        "两个确立": 3,
        "四个意识": 2,
        "四个自信": 1,
        "政治判断力": 3,
        "政治领悟力": 3,
        "政治执行力": 3,
        "党中央": 2,
        "决策部署": 2,
        "党的领导": 3,
        "政治方向": 2,
        "政治责任": 2,
        "政治机关": 3,
        "政治能力": 3,
        "政治立场": 3,
        "请示报告": 3,
        "集中统一领导": 3,
        "旗帜鲜明": 2,
        "政治": 1,
        "站位": 1,
        "模范机关": 2,
        "表率": 1,
    },
    "ideological": {
        "思想建设": 4,
        "理论武装": 3,
        "理论学习": 3,
        "学习教育": 2,
        "党史": 2,
        "理想信念": 3,
        "党性教育": 2,
        "第一议题": 3,
        "中心组": 3,
        "专题学习": 2,
        "集中学习": 2,
        "意识形态": 3,
        "初心使命": 2,
        "主题教育": 2,
        "读书班": 2,
        "思想": 1,
        "理论": 1,
        "学习": 1,
        "研讨": 1,
        "宣传": 1,
        "思想认识": 2,
        "思想教育": 3,
        "领学": 2,
        "学习贯彻": 1,
        "党代会精神": 1,
    },
    "organizational": {
        "组织建设": 4,
        "基层党组织": 3,
        "党支部": 2,
        "支部": 1,
        "三会一课": 3,
        "组织生活": 3,
        "民主生活会": 2,
        "党员大会": 2,
        "支部委员会": 2,
        "党小组": 2,
        "发展党员": 3,
        "党员教育管理": 3,
        "组织体系": 3,
        "组织设置": 3,
        "换届": 2,
        "队伍建设": 3,
        "干部队伍": 3,
        "干部": 1,
        "书记": 1,
        "领导班子": 2,
        "战斗堡垒": 2,
        "党员": 1,
        "主题党日": 2,
        "培训": 1,
        "人才": 1,
        "选拔": 1,
        "隶属关系": 2,
        "组织": 1,
        "基层基础": 2,
        "凝聚力": 1,
        "履职能力": 2,
    },
    "conduct": {
        "作风建设": 4,
        "作风": 2,
        "四风": 3,
        "形式主义": 3,
        "官僚主义": 3,
        "享乐主义": 3,
        "奢靡之风": 3,
        "八项规定": 3,
        "调查研究": 2,
        "调研": 1,
        "服务群众": 2,
        "群众": 1,
        "减负": 2,
        "务实": 1,
        "实效": 1,
        "担当": 1,
        "以上率下": 2,
        "以身作则": 2,
        "求真务实": 2,
        "志愿服务": 1,
        "工作方式": 2,
        "示范": 1,
        "带头": 1,
        "同频共振": 1,
        "深度融合": 1,
        "两张皮": 1,
        "业务工作": 1,
    },
    "discipline": {
        "纪律建设": 4,
        "纪律": 2,
        "纪律规矩": 3,
        "规矩": 2,
        "党纪": 2,
        "党规": 2,
        "党章": 1,
        "违纪": 2,
        "警示教育": 3,
        "监督": 1,
        "执纪": 2,
        "问责": 2,
        "廉洁自律": 2,
        "底线": 1,
        "敬畏": 1,
        "政治生态": 2,
        "从严治党": 2,
        "党内政治生活": 1,
    },
    "institutional": {
        "制度建设": 4,
        "制度": 1,
        "机制": 1,
        "责任制": 2,
        "考核": 1,
        "考核评价": 2,
        "台账": 2,
        "清单": 1,
        "工作机制": 2,
        "联席会议": 2,
        "长效机制": 2,
        "销号": 2,
        "整改": 2,
        "督促检查": 1,
        "建立健全": 1,
        "统筹协调": 2,
        "工作格局": 1,
        "主体责任": 2,
        "一岗双责": 2,
        "协同": 1,
    },
    "anti_corruption": {
        "反腐败": 4,
        "腐败": 2,
        "廉政": 2,
        "党风廉政建设": 3,
        "廉政风险": 3,
        "违法": 1,
        "查处": 2,
        "不敢腐": 3,
        "不能腐": 3,
        "不想腐": 3,
        "利益输送": 3,
        "清廉": 2,
        "风清气正": 1,
    },
}
DEFAULT_CATEGORY = "political"  # 政治建设 leads the others (党的政治建设为统领)


@cache
def _tokenizer():
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    for words in LEXICON.values():
        for word in words:
            tokenizer.add_word(word, freq=2000)
    return tokenizer


def category_scores(text: str) -> dict[str, int]:
    """Weighted keyword hits per category: jieba tokens, plus long keywords inside tokens."""
    tokens = _tokenizer().lcut(_outside_quotes(text) if len(text) > 60 else text)
    scores = dict.fromkeys(LEXICON, 0)
    for token in tokens:
        for category, words in LEXICON.items():
            scores[category] += words.get(token, 0)
            if len(token) > 3:  # "党风廉政建设" also counts as 廉政
                scores[category] += sum(
                    weight
                    for word, weight in words.items()
                    if len(word) >= 2 and word in token and word != token
                )
    return scores


def suggest_category(text: str, heading: str = "") -> str:
    """The category whose keywords weigh most; the heading counts double, ties keep order."""
    scores = category_scores(text)
    if heading:
        for category, score in category_scores(heading).items():
            scores[category] += 2 * score
    best = max(scores, key=lambda category: scores[category])
    return best if scores[best] > 0 else DEFAULT_CATEGORY


def ingest(raw: str) -> dict:
    """The cleaned text and its proposed items, as the command prints them."""
    text = clean_text(raw)
    return {"text": text, "items": [item.as_dict() for item in propose_items(text)]}
