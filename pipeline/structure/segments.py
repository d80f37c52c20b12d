"""Structure stage, between paragraphs and the outline: a file → its parts.

Users do not receive a guideline alone. The ministry's bundle puts a notice (通知) in front
and annexes after it (附件2 形式审查条件要求, 附件3 专业机构联系方式, 申报书, 承诺书 …); a
file may hold two guidelines back to back, of this programme or another; a browser print of
a repost carries the web page's own text around the article. Only a guideline of this
programme may reach the records: what comes before it, after it or between two of them is
cut off here, by the headings that open each part, and named in the edition's warnings.

Segment record (`Segment`):

| field     | meaning                                                                        |
|-----------|--------------------------------------------------------------------------------|
| kind      | guideline, notice, annex, front matter (before the first guideline, no notice), web page (the page's own text after the article: share buttons, previous/next, copyright footer), or signature (a date line ending a document) |
| start, end | the part is paragraphs[start:end] (positions in the document's paragraph list) |
| title     | its heading as printed (a guideline's title lines joined, an annex's title)    |
| programme | a guideline's key special project (政府间国际科技创新合作, 战略性科技创新合作 …); None when its title names none |
| attachment | the `附件 N` heading that opens it, if any                                    |

Boundaries (each opens a new part): an `附件 N` heading (alone on its line, or with a short
title); a guideline title (`…重点专项 … N 年度 … 申报指南` in one to three short paragraphs,
not `…的通知`); an annex title standing alone (形式审查条件要求, 专业机构联系方式, 申报书 …);
a web page's furniture after its article (上一篇：, 分享到, 版权所有, ICP备, 主办单位：, 扫一扫,
an attachment download `附件：….pdf`); a bare date line (`2021 年 6 月 8 日`, a notice's
signature). A file with no guideline title at all is one guideline up to its first annex.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .paragraphs import Paragraph

OUR_PROGRAMME = "政府间国际科技创新合作"

_N = r"[\d一二三四五六七八九十]{1,3}"
# 附件 1 | 附件2： | 附件 3 专业机构联系方式 (not the notice's listing "附件：1. …")
ATTACHMENT_HEADING = re.compile(rf"^附件\s*(?P<n>{_N})\s*[:：]?\s*(?P<title>[^\s:：，,。；;].{{0,38}})?$")
GUIDELINE_TITLE = re.compile(r"专项.{0,60}?(?:20\d\d|[二〇一二三四五六七八九零]{4})\s*年度?.{0,40}?申报指南(?:[（(][^）)]*[）)])?$")
NOT_A_TITLE = re.compile(r"[，,。；;：:！？]|^(?:附件|\d{1,2}[.、．]|[（(]\d|[一二三四五六七八九十]+、)")
TITLE_WINDOW = 3  # a guideline's title is printed on one to three short lines
TITLE_LINE_CHARS = 70
ANNEX_TITLE = re.compile(r"^(?:形式审查条件要求|形式审查要求|专业机构联系方式|(?:项目)?申报书(?:（模板）|\(模板\)|模板|格式)?|"
                         r"(?:诚信)?承诺书(?:（模板）|\(模板\)|模板)?|推荐函(?:（模板）|\(模板\)|模板)?|申报材料清单)$")
# the web page's own text after its article (a repost printed from a browser, or read from its HTML)
WEB_PAGE_END = re.compile(
    r"^(?:上一篇|下一篇|上一条|下一条|上一页|下一页)\s*[:：]"
    r"|^(?:分享到|分享至|打印本页|关闭窗口|【打印】|【关闭】|【字体|扫一扫|微信扫一扫|长按识别|阅读原文)"
    r"|^(?:版权所有|Copyright|©)"
    r"|^(?:主办单位|承办单位|主办|承办|网站标识码|技术支持|责任编辑|编辑|审核|校对)\s*[:：]"
    r"|ICP\s*备\s*\d+\s*号"
    r"|^(?:相关附件|附件下载|相关链接|相关文章|相关新闻|相关阅读|推荐阅读|热门文章|热门推荐|热点新闻|联系我们|关注我们)\s*[:：]?\s*$"
    r"|^(?:网友)?评论\s*(?:[（(]\d+[)）])?\s*$|^发表评论"
    r"|^附件\s*[:：]?\s*\S.{0,80}\.(?:pdf|docx?|wps|xlsx?|zip|rar|ofd)\s*$",
    re.I)
DATE_LINE = re.compile(r"^(?:20\d\d|[二〇一二三四五六七八九零]{4})\s*年\s*[\d一二三四五六七八九十]{1,2}\s*月"
                       r"\s*[\d一二三四五六七八九十]{1,3}\s*日$")
SIGNER = re.compile(r"^[^\d，,。；;：:（(]{2,20}(?:部|委员会|委|局|厅|中心|办公室|司|院|大学|学院|处|署|会)$")
NOTICE_WORDS = re.compile(r"的通知$|通知如下|特此通知|各有关单位|各省、自治区|现将.{0,40}(?:发布|印发|转发)")
NOTICE_TITLE = re.compile(r"^.{4,120}的通知$")


@dataclass
class Segment:
    kind: str
    start: int
    end: int
    title: str = ""
    programme: str | None = None
    attachment: str | None = None
    pages: list[int] = field(default_factory=list)
    paragraph_indexes: tuple[int, int] | None = None  # Word/HTML: first and last source paragraph

    @property
    def ours(self) -> bool:
        """A guideline of this programme (or of none named: a file holding one unnamed guideline)."""
        return self.kind == "guideline" and (self.programme is None or squeeze(OUR_PROGRAMME) in squeeze(self.programme))

    def where(self) -> str:
        """pages 3–5 / page 3 (PDF) or paragraphs 12–40 (Word, HTML)."""
        if self.pages:
            a, b = self.pages[0], self.pages[-1]
            return f"page {a}" if a == b else f"pages {a}–{b}"
        if self.paragraph_indexes:
            a, b = self.paragraph_indexes
            return f"paragraph {a}" if a == b else f"paragraphs {a}–{b}"
        return "nowhere"

    def to_dict(self) -> dict:
        out = {"kind": self.kind, "title": self.title, "paragraphs": [self.start, self.end]}
        if self.programme:
            out["programme"] = self.programme
        if self.attachment:
            out["attachment"] = self.attachment
        if self.pages:
            out["pages"] = self.pages
        return out


def squeeze(text: str) -> str:
    """Text without white space and quotes, for comparing headings as printed."""
    return re.sub(r"[\s“”\"'‘’「」『』]+", "", text)


def guideline_title_at(texts: list[str], i: int) -> tuple[int, str] | None:
    """(how many paragraphs, the joined title) when a guideline's title starts at texts[i]."""
    joined = ""
    for k in range(i, min(i + TITLE_WINDOW, len(texts))):
        # a title is no sentence and no list entry (the notice's "附件：1. …申报指南" names one)
        if len(texts[k]) > TITLE_LINE_CHARS or ATTACHMENT_HEADING.match(texts[k]) or NOT_A_TITLE.search(texts[k]):
            return None
        joined += texts[k]
        if GUIDELINE_TITLE.search(joined) and not joined.endswith("通知"):
            return k - i + 1, joined
    return None


def programme_of(title: str) -> str | None:
    """The key special project a guideline's title names: “政府间国际科技创新合作”重点专项 → 政府间国际科技创新合作."""
    m = re.search(r"[“\"「『]([^”\"」』]{2,30})[”\"」』]\s*重点专项", title)
    if m:
        return m.group(1).strip()
    m = re.search(r"(?:国家重点研发计划)?\s*([^\s，。、“”]{2,30}?)\s*重点专项", title)
    return m.group(1).strip() if m else None


def paragraphs_to_segments(paragraphs: list[Paragraph]) -> list[Segment]:
    """Cut the document's paragraphs into parts (see the module's table). Pure."""
    texts = [squeeze(p.text) for p in paragraphs]
    cuts: dict[int, str] = {}
    title_cover: set[int] = set()
    for i, t in enumerate(texts):
        if i in title_cover:
            continue
        if ATTACHMENT_HEADING.match(t):
            cuts[i] = "attachment"
            found = guideline_title_at(texts, i + 1) if not ATTACHMENT_HEADING.match(t).group("title") else None
            if found:
                title_cover.update(range(i + 1, i + 1 + found[0]))
            continue
        found = guideline_title_at(texts, i)
        if found:
            cuts[i] = "guideline"
            title_cover.update(range(i, i + found[0]))
        elif ANNEX_TITLE.match(t) and not (i - 1 in cuts and cuts[i - 1] == "attachment"):
            cuts[i] = "annex"
        elif WEB_PAGE_END.search(t):
            cuts[i] = "web page"
        elif DATE_LINE.match(t):
            # the signing office's name stands on the line before the date (科技部 / 2021 年 6 月 8 日)
            signer = i - 1 if i >= 1 and i - 1 not in cuts and SIGNER.match(texts[i - 1]) else i
            cuts[signer] = "signature"
    starts = sorted(set(cuts) | {0}) if paragraphs else []
    segments = []
    for a, b in zip(starts, starts[1:] + [len(paragraphs)]):
        segments.append(_classify(texts, paragraphs, a, b, cuts.get(a)))
    if segments and not any(s.kind == "guideline" for s in segments):
        # no title names a guideline: the file is one, from its start to its first annex or the web page's end
        first = segments[0]
        first.kind, first.programme = "guideline", None
        for s in segments[1:]:
            if s.kind in ("annex", "web page", "signature"):
                break
            first.end = s.end
            s.kind = "merged"
        segments = [s for s in segments if s.kind != "merged"]
    _merge_web_page_runs(segments)
    for s in segments:
        _locate(s, paragraphs)
    return segments


def _classify(texts: list[str], paragraphs: list[Paragraph], a: int, b: int, cut: str | None) -> Segment:
    if cut == "attachment":
        m = ATTACHMENT_HEADING.match(texts[a])
        attachment = paragraphs[a].text.strip()
        inline = m.group("title")
        found = guideline_title_at(texts, a + 1) if not inline else None
        if inline and GUIDELINE_TITLE.search(inline):
            found = (0, inline)
        if found:
            return Segment("guideline", a, b, _printed(paragraphs, a + 1, found[0]) if found[0] else inline,
                           programme_of(found[1]), attachment)
        title = inline or (paragraphs[a + 1].text.strip() if a + 1 < b and len(texts[a + 1]) <= 40 else "")
        return Segment("annex", a, b, title, attachment=attachment)
    if cut == "guideline":
        lines, title = guideline_title_at(texts, a)
        return Segment("guideline", a, b, _printed(paragraphs, a, lines), programme_of(title))
    if cut in ("annex", "web page", "signature"):
        return Segment(cut, a, b, paragraphs[a].text.strip()[:60])
    # the front of the file, before any heading: a notice (or a repost's page top), named by its title
    notice = any(NOTICE_WORDS.search(t) for t in texts[a:b])
    title = next((paragraphs[k].text.strip() for k in range(a, b) if NOTICE_TITLE.match(texts[k])), None)
    if title is None:
        title = paragraphs[a].text.strip()[:80] if b > a else ""
    return Segment("notice" if notice else "front matter", a, b, title)


def _printed(paragraphs: list[Paragraph], start: int, count: int) -> str:
    """A title printed over several lines, as printed (lines joined by a space)."""
    return " ".join(p.text.strip() for p in paragraphs[start:start + count])


def _merge_web_page_runs(segments: list[Segment]) -> None:
    """The web page's furniture runs to the end of the page: later parts that are not headings join it;
    a signature ends the notice or annex it signs (only after a guideline is it a part of its own)."""
    i = 0
    while i + 1 < len(segments):
        s, nxt = segments[i], segments[i + 1]
        if (s.kind in ("web page", "signature") and nxt.kind in ("web page", "signature")) or \
                (nxt.kind == "signature" and s.kind in ("notice", "front matter", "annex")):
            s.end = nxt.end
            del segments[i + 1]
            continue
        i += 1


def _locate(segment: Segment, paragraphs: list[Paragraph]) -> None:
    part = paragraphs[segment.start:segment.end]
    segment.pages = sorted({page for p in part for page in p.pages})
    sources = [p.source_paragraph for p in part if p.source_paragraph is not None]
    segment.paragraph_indexes = (min(sources), max(sources)) if sources else None


def skipped_warnings(segments: list[Segment], chosen: list[Segment], ids: dict[int, str] | None = None) -> list[str]:
    """One line per part that is not the guideline being extracted: what it is and where.

    ids: edition id of each guideline of this programme, by its segment's start."""
    out = []
    for s in segments:
        if s in chosen:
            continue
        name = f"“{s.title}”" if s.title else ""
        if s.kind == "guideline" and s.ours:
            eid = (ids or {}).get(s.start)
            if eid:
                out.append(f"{s.where()}: another guideline of this programme ({name}) is in the file and was "
                           f"extracted on its own (edition {eid}; --edition {eid} chooses it)")
            else:
                out.append(f"{s.where()}: a title of this programme ({name}) with no numbered directions after it: "
                           "skipped")
        elif s.kind == "guideline":
            out.append(f"{s.where()}: a guideline of another programme ({s.programme or 'unnamed'}: {name}) "
                       "was skipped")
        elif s.kind == "annex":
            label = f"{s.attachment} " if s.attachment else ""
            out.append(f"{s.where()}: {label}annex {name} is not part of the guideline: skipped")
        elif s.kind == "notice":
            out.append(f"{s.where()}: the notice in front of the guideline ({name}) is not part of it: skipped")
        elif s.kind == "web page":
            out.append(f"{s.where()}: the web page's own text after the guideline ({name}) was skipped")
        else:
            out.append(f"{s.where()}: {s.kind} ({name}) is not part of the guideline: skipped")
    return out
