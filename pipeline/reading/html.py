"""Reading a web page: a university's or a portal's repost of a guideline (.html/.htm), or the page
as a browser saved it (.mhtml): the article's paragraphs in order, the page's furniture left out.

Web page paragraph record (`HtmlParagraph`):

| field    | meaning                                                                          |
|----------|----------------------------------------------------------------------------------|
| index    | 0-based position among the paragraphs read (provenance, with css_path)           |
| text     | the text as a browser shows it: white space collapsed, list numbers a browser generates for `<ol>` (1. 2. …, 一、 …) printed |
| css_path | the CSS path of the element the text is in (`div.v_news_content > p:nth-of-type(12)`) |
| size     | font size in points when the page states one (an inline `font-size`, or h1–h6), else None |
| style    | the element's tag (p, li, td, h1 …)                                               |

**Finding the article** (measured against trafilatura and readability-lxml on the fixture
builder's reposts; see the README): the page's furniture goes first — `nav`, `header`,
`footer`, `aside`, `menu` and elements whose class or id names a menu, breadcrumbs, share
buttons, a footer, a sidebar, a QR code or a toolbar (`FURNITURE`); then from `<body>` down,
the reader steps into the child that holds most of the element's text outside links
(`ARTICLE_SHARE`), and stops where the text spreads over several children: that element is
the article. Inside it, paragraphs are block elements (p, div, li, h1–h6, td …), a `<br>`
ends one, a table's "label │ value" row reads as `label：value` (as the Word reader reads
it), other rows cell by cell.

**Safety.** The page is parsed by lxml's HTML parser with the network off; nothing in it is
executed (no script runs: this is a parser, not a browser) and nothing it names is fetched
(`src`, `href`, `<link>`, `<iframe>`, `@import`, a meta refresh are never followed); entity
declarations in a DOCTYPE are not expanded (the HTML parser knows only HTML's own entities),
and an .mhtml's other parts (images, stylesheets, frames) are never read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import EmptyFile, InputMissing, NotAWebPage
from ..fileio import sha256_of
from ..i18n import N_

HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml", ".mhtml", ".mht")
MHTML_SUFFIXES = (".mhtml", ".mht")
MAX_PAGE_BYTES = 64 * 2**20  # a repost is a few hundred KB; a bigger "page" is not one

_HTML_HEAD = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title)\b",
                        re.I | re.S)
_MHTML_HEAD = re.compile(rb"^(?:[\w-]+:[^\r\n]*\r?\n(?:[ \t][^\r\n]*\r?\n)*)*?mime-version:\s*1\.0", re.I)


@dataclass
class HtmlParagraph:
    index: int
    text: str
    css_path: str
    size: float | None = None
    style: str | None = None


@dataclass
class HtmlDocument:
    path: str
    sha256: str
    paragraphs: list[HtmlParagraph] = field(default_factory=list)
    title: str = ""
    url: str | None = None  # an .mhtml's Snapshot-Content-Location
    format: str = "html"  # html | mhtml
    article: str = ""  # CSS path of the element read as the article
    dropped: list[dict] = field(default_factory=list)  # page furniture left out: {css_path, text, reason}


def is_html_signature(head: bytes) -> bool:
    """The first bytes of an HTML page (after a BOM, an XML declaration or comments) or of a saved .mhtml."""
    head = head.lstrip(b"\xef\xbb\xbf")
    return bool(_HTML_HEAD.match(head) or is_mhtml_signature(head))


def is_mhtml_signature(head: bytes) -> bool:
    head = head.lstrip(b"\xef\xbb\xbf")
    return bool(_MHTML_HEAD.match(head)) and b"multipart/related" in head.lower()


# --- bytes → text ----------------------------------------------------------------------------------

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w-]+)""", re.I)


def decode_page(data: bytes, declared: str | None = None) -> str:
    """A page's bytes as text: its BOM, the charset it declares (or the MIME part declares), else UTF-8,
    else GB 18030 (the superset of GBK and GB 2312 Chinese sites use)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data.decode("utf-16", errors="replace")
    m = _META_CHARSET.search(data[:4096])
    for charset in filter(None, [declared, m.group(1).decode("ascii", "ignore") if m else None, "utf-8", "gb18030"]):
        charset = {"gb2312": "gb18030", "gbk": "gb18030"}.get(charset.lower(), charset)
        try:
            return data.decode(charset)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("utf-8", errors="replace")


def mhtml_to_html(data: bytes, path: Path) -> tuple[str, str | None]:
    """The page inside a saved .mhtml (multipart/related MIME): its HTML part decoded, and its address.

    The part whose Content-Location is the snapshot's own address is the page; other HTML parts
    are frames. Images, stylesheets and frames are never read."""
    import email
    import email.policy

    message = email.message_from_bytes(data, policy=email.policy.compat32)
    url = message.get("Snapshot-Content-Location") or message.get("Content-Location")
    pages = [part for part in message.walk() if part.get_content_type() in ("text/html", "application/xhtml+xml")]
    if not pages:
        raise NotAWebPage(N_("{path}: a saved web page (.mhtml) without an HTML page inside; save the page "
                             "again from the browser (Save as … Webpage, Single File)"), path=path)
    page = next((p for p in pages if url and p.get("Content-Location") == url), pages[0])
    payload = page.get_payload(decode=True) or b""
    return decode_page(payload, page.get_content_charset()), url


# --- the page's furniture ----------------------------------------------------------------------------

NEVER_TEXT = {"script", "style", "noscript", "template", "iframe", "frame", "frameset", "object", "embed", "applet",
              "svg", "math", "canvas", "video", "audio", "source", "track", "map", "area", "img", "picture", "input",
              "button", "select", "option", "textarea", "head", "title", "meta", "link", "base", "param", "dialog"}
FURNITURE_TAGS = {"nav", "header", "footer", "aside", "menu"}
# class/id words of a page's furniture: a whole word (split at - _ and spaces) …
FURNITURE_WORDS = {"nav", "navi", "navbar", "menu", "menubar", "breadcrumb", "breadcrumbs", "crumb", "crumbs",
                   "position", "location", "share", "sharing", "footer", "foot", "copyright", "sidebar", "side",
                   "prevnext", "pager", "pagination", "related", "comment", "comments", "qr", "qrcode", "toolbar",
                   "tool", "tools", "banner", "topbar", "ad", "ads", "advert", "login", "search", "meta"}
# … or a part of one (bdsharebuttonbox, footerwrap, navlist)
FURNITURE_PARTS = ("breadcrumb", "bdshare", "sharebutton", "footer", "copyright", "sidebar", "navbar", "qrcode")
INLINE = {"a", "abbr", "b", "bdi", "bdo", "big", "cite", "code", "data", "del", "dfn", "em", "font", "i", "ins",
          "kbd", "label", "mark", "nobr", "q", "s", "samp", "small", "span", "strike", "strong", "sub", "sup",
          "time", "tt", "u", "var", "wbr", "o:p", "st1:chsdate", "st1:personname"}
ARTICLE_SHARE = 0.7  # step into a child holding this much of its parent's text outside links


def _classes(element) -> list[str]:
    words = []
    for attr in ("class", "id"):
        value = element.get(attr) or ""
        words += [w for w in re.split(r"[\s_\-]+", value.lower()) if w]
    return words


def furniture_reason(element) -> str | None:
    """Why an element is the page's furniture (a menu, breadcrumbs, share buttons, a footer …), or None."""
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag in FURNITURE_TAGS:
        return f"<{tag}>"
    for attr in ("class", "id"):
        value = (element.get(attr) or "").lower()
        words = [w for w in re.split(r"[\s_\-]+", value) if w]
        hit = next((w for w in words if w in FURNITURE_WORDS or any(p in w for p in FURNITURE_PARTS)), None)
        if hit:
            return f'{attr}="{element.get(attr)}"'
    if (element.get("role") or "").lower() in ("navigation", "banner", "contentinfo", "complementary", "search"):
        return f'role="{element.get("role")}"'
    return None


def css_path(element) -> str:
    """The element's CSS path from <html> as a browser's DOM has it (a table's rows inside its tbody): tag,
    #id or .classes, and :nth-of-type(k) among same-tag siblings. Call it on the page as parsed, before
    anything is removed (page_to_paragraphs does)."""
    steps = []
    node = element
    while node is not None and isinstance(node.tag, str):
        step = node.tag
        if node.tag == "tr" and node.getparent() is not None and node.getparent().tag == "table":
            steps.append("tr" + _nth(node))
            steps.append("tbody")  # browsers put rows written straight into a table inside a tbody
            node = node.getparent()
            continue
        if node.get("id") and re.fullmatch(r"[A-Za-z][\w-]*", node.get("id")):
            step += f"#{node.get('id')}"
        else:
            classes = [c for c in (node.get("class") or "").split() if re.fullmatch(r"-?[A-Za-z_][\w-]*", c)]
            step += "".join(f".{c}" for c in classes[:2])
        steps.append(step + _nth(node))
        node = node.getparent()
    return " > ".join(reversed(steps))


def _nth(node) -> str:
    parent = node.getparent()
    if parent is None:
        return ""
    same = [c for c in parent if isinstance(c.tag, str) and c.tag == node.tag]
    return f":nth-of-type({same.index(node) + 1})" if len(same) > 1 else ""


def text_outside_links(root) -> dict:
    """Characters of text outside links under each element (white space not counted), in one pass."""
    counts: dict = {}

    def walk(element, in_link: bool) -> int:
        in_link = in_link or element.tag == "a"
        total = 0 if in_link else len(_SPACE.sub("", element.text or ""))
        for child in element:
            if isinstance(child.tag, str):
                total += walk(child, in_link)
            if not in_link:
                total += len(_SPACE.sub("", child.tail or ""))
        counts[element] = total
        return total

    walk(root, False)
    return counts


def article_element(body):
    """The element holding the article: from body down, into the child with most of the text outside links."""
    counts = text_outside_links(body)
    node = body
    while True:
        children = [c for c in node if isinstance(c.tag, str)]
        if not children or counts[node] == 0:
            return node
        best = max(children, key=lambda c: counts[c])
        if counts[best] < ARTICLE_SHARE * counts[node]:
            return node
        node = best


# --- the article's paragraphs -------------------------------------------------------------------------

_SPACE = re.compile(r"[ \t\r\n\f\v\u00a0\u2002\u2003\u2009\u200b\u3000]+")
_FONT_SIZE = re.compile(r"font-size\s*:\s*([\d.]+)\s*(px|pt|em|rem)?", re.I)
HEADING_SIZES = {"h1": 22.0, "h2": 18.0, "h3": 15.0}
LABEL_CELL = re.compile(r"^[^\s。；;，,]{2,14}$")
BLOCKS_INSIDE = {"p", "div", "table", "ul", "ol", "section", "article", "h1", "h2", "h3", "h4", "h5", "h6",
                 "blockquote", "pre", "dl"}


def _size(element) -> float | None:
    """The largest font size the element or its descendants state inline (px → pt), or its heading size."""
    sizes = []
    for node in element.iter():
        if not isinstance(node.tag, str):
            continue
        m = _FONT_SIZE.search(node.get("style") or "")
        if m:
            value, unit = float(m.group(1)), (m.group(2) or "px").lower()
            sizes.append(value * 0.75 if unit == "px" else value if unit == "pt" else value * 12)
    if sizes:
        return round(max(sizes) * 2) / 2
    return HEADING_SIZES.get(element.tag)


def list_marker(ol, n: int) -> str:
    """The number a browser prints before the n-th item of an ordered list (its type, style or start)."""
    style = (ol.get("style") or "").lower()
    m = re.search(r"list-style(?:-type)?\s*:\s*([\w-]+)", style)
    kind = m.group(1) if m else {"a": "lower-alpha", "A": "upper-alpha", "i": "lower-roman",
                                 "I": "upper-roman"}.get(ol.get("type") or "", "decimal")
    if kind == "none":
        return ""
    if kind in ("cjk-ideographic", "simp-chinese-informal", "cjk-decimal", "trad-chinese-informal"):
        from .docx import format_number

        return format_number(n, "chineseCounting") + "、"
    from .docx import format_number

    fmt = {"lower-alpha": "lowerLetter", "lower-latin": "lowerLetter", "upper-alpha": "upperLetter",
           "upper-latin": "upperLetter", "lower-roman": "lowerRoman", "upper-roman": "upperRoman",
           "decimal-leading-zero": "decimalZero"}.get(kind, "decimal")
    return format_number(n, fmt) + ". "


class _Reader:
    """Walks the article in document order, emitting paragraphs; paths: each element's CSS path in the page
    as parsed (taken before the furniture was removed)."""

    def __init__(self, paths: dict):
        self.out: list[HtmlParagraph] = []
        self.dropped: list[dict] = []
        self.paths = paths

    def path(self, element) -> str:
        return self.paths.get(element) or css_path(element)

    def emit(self, text: str, element, size: float | None = None, prefix: str = "") -> None:
        for piece in text.split("\n"):
            piece = _SPACE.sub(" ", piece).strip()
            if piece:
                self.out.append(HtmlParagraph(len(self.out), prefix + piece, self.path(element), size,
                                              element.tag if isinstance(element.tag, str) else None))
                prefix = ""

    def inline_text(self, element) -> str:
        """An inline element's text, a <br> as a line break."""
        parts = [element.text or ""]
        for child in element:
            if not isinstance(child.tag, str):
                parts.append(child.tail or "")
                continue
            if child.tag == "br":
                parts.append("\n")
            elif child.tag not in NEVER_TEXT:
                parts.append(self.inline_text(child))
            parts.append(child.tail or "")
        return "".join(parts)

    def block(self, element, prefix: str = "") -> None:
        """A block element: its runs of inline content are paragraphs; block children are read in turn."""
        tag = element.tag
        if tag in ("table", "tbody", "thead", "tfoot"):
            self.table(element)
            return
        if tag in ("ol", "ul"):
            self.list(element)
            return
        size = _size(element)
        run = [element.text or ""]
        for child in element:
            if not isinstance(child.tag, str):
                run.append(child.tail or "")
                continue
            if child.tag in NEVER_TEXT:
                run.append(child.tail or "")
                continue
            if child.tag == "br":
                run.append("\n")
            elif child.tag in INLINE and not any(isinstance(d.tag, str) and d.tag in BLOCKS_INSIDE
                                                 for d in child.iterdescendants()):
                run.append(self.inline_text(child))
            else:
                self.emit("".join(run), element, size, prefix)
                prefix, run = "", []
                reason = furniture_reason(child)
                if reason:
                    self.drop(child, reason)
                else:
                    self.block(child)
            run.append(child.tail or "")
        self.emit("".join(run), element, size, prefix)

    def list(self, element) -> None:
        n = int(element.get("start")) if (element.get("start") or "").lstrip("-").isdigit() else 1
        for child in element:
            if not isinstance(child.tag, str) or child.tag in NEVER_TEXT:
                continue
            if child.tag == "li":
                value = child.get("value")
                if value and value.isdigit():
                    n = int(value)
                marker = list_marker(element, n) if element.tag == "ol" else ""
                self.block(child, marker)
                n += 1
            else:
                self.block(child)

    def cell_paragraphs(self, cell) -> list[HtmlParagraph]:
        saved, self.out = self.out, []
        self.block(cell)
        cell_out, self.out = self.out, saved
        return cell_out

    def table(self, element) -> None:
        rows = [tr for tr in element.iter("tr") if _nearest_table(tr) is _nearest_table(element)]
        for tr in rows:
            cells = [c for c in tr if isinstance(c.tag, str) and c.tag in ("td", "th")]
            read = [self.cell_paragraphs(c) for c in cells]
            read = [r for r in read if r]
            layout = any(isinstance(d.tag, str) and d.tag in ("table", "div", "section") for c in cells
                         for d in c.iterdescendants())
            if len(read) == 2 and len(read[0]) == 1 and not layout and LABEL_CELL.match(read[0][0].text.rstrip("：:")):
                label, values = read[0][0], read[1]
                self.out.append(HtmlParagraph(len(self.out), label.text.rstrip("：:") + "：" + values[0].text,
                                              self.path(tr), values[0].size, "tr"))
                read = [values[1:]]
            for paragraphs in read:
                for p in paragraphs:
                    p.index = len(self.out)
                    self.out.append(p)

    def drop(self, element, reason: str) -> None:
        text = _SPACE.sub(" ", element.text_content() if hasattr(element, "text_content") else "").strip()
        if text:
            self.dropped.append({"css_path": self.path(element), "text": text[:200], "reason": reason})


def _nearest_table(element):
    node = element if element.tag == "table" else element.getparent()
    while node is not None and node.tag != "table":
        node = node.getparent()
    return node


def parse_page(text: str):
    """The page as an lxml tree: HTML parser, no network, comments and processing instructions dropped."""
    import lxml.html

    parser = lxml.html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True, recover=True,
                                  huge_tree=False, default_doctype=False)
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)  # lxml refuses a str with an encoding declaration
    try:
        return lxml.html.document_fromstring(text, parser=parser)
    except Exception:  # lxml's ParserError on an empty or nonsense document
        return None


def page_to_paragraphs(root) -> tuple[list[HtmlParagraph], str, list[dict], str]:
    """(paragraphs of the article, its CSS path, the furniture dropped, the page title) of a parsed page."""
    title_el = root.find(".//title")
    title = _SPACE.sub(" ", title_el.text_content()).strip() if title_el is not None else ""
    paths = {element: css_path(element) for element in root.iter() if isinstance(element.tag, str)}
    for element in list(root.iter()):
        if isinstance(element.tag, str) and element.tag in NEVER_TEXT and element.getparent() is not None:
            element.drop_tree()
    reader = _Reader(paths)
    body = root.find(".//body")
    if body is None:
        body = root
    for element in list(body.iter()):
        if element is body or not isinstance(element.tag, str) or element.getparent() is None:
            continue
        reason = furniture_reason(element)
        if reason and not any(a is not body and furniture_reason(a) for a in element.iterancestors()):
            reader.drop(element, reason)
            element.drop_tree()
    article = article_element(body)
    reader.block(article)
    return reader.out, reader.path(article), reader.dropped, title


def read_html(path: Path) -> HtmlDocument:
    """Read a web page (.html/.htm) or a saved one (.mhtml): the article's paragraphs in order."""
    path = Path(path)
    if not path.exists() or not path.is_file():
        raise InputMissing(N_("{path}: no such file; give the path of a guideline PDF, Word file or web page"),
                           path=path)
    size = path.stat().st_size
    if size == 0:
        raise EmptyFile(N_("{path}: the file is empty; download the guideline again"), path=path)
    if size > MAX_PAGE_BYTES:
        raise NotAWebPage(N_("{path}: {size} MB is too large for a web page; save the guideline's page itself"),
                          path=path, size=round(size / 2**20))
    data = path.read_bytes()
    url, fmt = None, "html"
    if is_mhtml_signature(data[:4096]) or (path.suffix.lower() in MHTML_SUFFIXES and b"multipart/related" in data[:4096].lower()):
        text, url = mhtml_to_html(data, path)
        fmt = "mhtml"
    else:
        text = decode_page(data)
    root = parse_page(text)
    if root is None:
        raise NotAWebPage(N_("{path}: not a readable web page; save the page again from the browser"), path=path)
    paragraphs, article, dropped, title = page_to_paragraphs(root)
    return HtmlDocument(str(path), sha256_of(path), paragraphs, title, url, fmt, article, dropped)
