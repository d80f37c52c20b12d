"""Contacts: every named person with phone and e-mail, from the text of one direction.

A contact is anchored on an e-mail address or a phone number. The text is split into
clauses at ；; and 。 (never at the dot of an address), and each clause holds one
contact: the name is what follows 联系人： (or opens the clause), up to the first comma,
bracket or label; honorifics (Dr., Ing., 博士, 副教授 …) are split off. An e-mail with no
person is a contact with name null.

**Sides.** A label says whose contact it is: 中方/我方/内地/大陆联系人 → `china`; 韩方, 港方,
澳方, 台方, 外方 … (any other X方) → `partner`; 各方/双方 and a bare 联系人 say nothing. A label
holds for the contacts after it on its line and the lines continuing them, until another
label names a side, a line opens with a label, or a numbered item begins; `俄方 Олег Смирнов`
after 各方联系人： labels that one name.

**Phones** are normalised to E.164 (`phonenumbers`), the extension (（分机 123）, 转 4567,
ext. 12, x12, доб. 115) kept apart. Whose country a number is (`phone_region_source`):
`number` — it says so itself (+…, 00…); else `side` — its label (china → CN, partner → the
partner's region); else `name` — a Chinese name with a number in Chinese domestic form
(010-6859 1234, （010）…, 0571-…, 138 …) → CN; else `form` — a number in Chinese domestic
form is CN, never a foreign number (guessed); else `partner` — the direction's partner
(guessed). The two guesses are needs-review warnings at validation. A number that is no
valid number of the country it is read in gets no E.164 (its text is kept). Within a clause
that is a contact, a number without a label is read when it is unmistakable (+…, or the
Chinese domestic form).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import regex

from .values import find_emails

# titles printed before a name, in the partners' languages too (Herr, Mme, Sr., Dott., Ing., д-р, Δρ. …)
HONORIFIC_BEFORE = regex.compile(
    r"^(?P<h>(?:Dr|Mr|Mrs|Ms|Miss|Mx|Prof|Professor|Herr|Frau|Mme|Mlle|Sr|Sra|Srta|Dott|Dott\.ssa|Ing|Dipl\.-Ing|Mgr|"
    r"Mag|RNDr|Doc|д-р|Д-р|проф|Проф|г-н|Г-н|г-жа|Г-жа|Δρ|Καθ)\.?)(?:\s+|(?<=\.)(?=\p{Lu}\p{Ll}))")
# (a scan's reading may lose the space after the full stop: `Ing.Jiří Dvořák`)
# titles printed after a (Chinese or Latin) name: 陈家明 博士, 黄志伟先生, 李嘉欣 副教授
HONORIFIC_AFTER = regex.compile(r"\s*(?P<h>博士|先生|女士|小姐|副教授|教授|副研究员|研究员|高级工程师|工程师|主任|处长|"
                                r"院士|老师|Dr\.?|PhD|Ph\.D\.?)$", regex.I)
CLAUSE_SPLIT = re.compile(r"[；;]|。(?!\S*@)|\n(?=\s*[（(]?\d+[)）])")
PHONE_LABEL = r"(?:电话号码|联系电话|电话|手机号码|手机|座机|Tel(?:ephone)?|Phone|Mobile|T)\s*\.?\s*[:：]?\s*"
PHONE = re.compile(PHONE_LABEL + r"(?P<num>[+＋]?\s*[(（]?\d[\d\s\-–().（）]{4,}\d)", re.I)
# an extension after the number: （分机 123）, 转 4567, ext. 12, x12, доб. 115 (E.164 has none: kept apart)
EXTENSION = re.compile(r"\s*(?:[（(]\s*(?:分机号?|转)\s*[:：]?\s*(?P<a>\d{1,6})\s*[)）]"
                       r"|(?:转|分机号?|ext\.?|extension|x|#|доб\.?)\s*[:：]?\s*(?P<b>\d{1,6})(?!\d))", re.I)
# a number printed without a label, inside a clause that is a contact anyway (中方 王芳（010-6859 1234，…）):
# only the unmistakable forms, international with + or Chinese domestic
BARE_PHONE = re.compile(r"(?<![\w.@/])(?P<num>[+＋]\s?\d{1,3}[\d\s\-–()]{6,}\d|[(（]?0(?:10|2\d|[3-9]\d{2})[)）]?[\s\-–]?"
                        r"\d{3,4}[\s\-–]?\d{4}|1[3-9]\d(?:[\s\-–]?\d{4}){2})(?![\d@])")
# 010-5888 1234-8012: an extension after a hyphen, the Chinese way
HYPHEN_EXTENSION = re.compile(r"^(?P<number>.*\d)\s*[-–]\s*(?P<ext>\d{1,5})$")
INTERNATIONAL = re.compile(r"^\s*(?:[+＋]|00(?=[1-9]))")
# a number as Chinese write their own: a mobile (138 1092 3456) or an area code (010, 02X, 0XXX) and a local
# number of 7–8 digits (010-6859 1234, （010）6859 1234, 0571-8702 3345); also checked valid for CN
CN_MOBILE = re.compile(r"^1[3-9]\d(?:[\s\-–]?\d{4}){2}$")
CN_LANDLINE = re.compile(r"^[(（]?0(?:10|2\d|[3-9]\d{2})[)）]?[\s\-–]*\d{3,4}[\s\-–]?\d{4}$")
# where a name ends; Latin labels only as whole words (Kristel, Castelli are names)
NAME_CUT = re.compile(r"[，,、；;\n（(]|电话|邮箱|电子邮箱|邮件|手机|网址|地址|传真"
                      r"|\b(?:E-?mail|Tel(?:ephone)?|Phone|Mobile|Fax)\b", re.I)
NAME_LABEL = re.compile(r"联系人\s*[:：]|联系人员\s*[:：]|Contact(?:\s+person)?\s*[:：]", re.I)
# whose contact a label announces: 中方联系人 (china), 韩方联系人 / 项目外方联系人 / 港方联系方式 (partner),
# 各方联系人 (none); a label ends at 联系人, 联系方式, 联系邮箱 …
SIDE_LABEL = regex.compile(r"(?:(?P<cn>内地|大陆)|(?P<who>\p{Han}{0,8}?方))(?:项目|单位|合作单位)?"
                           r"(?:联系人员?|联系方式|联系邮箱|联系电话|联络人)")
CONTACT_LABEL = regex.compile(r"联系人员?\s*[:：]|联系方式\s*[:：]|联系邮箱\s*[:：]|联络人\s*[:：]|"
                              r"Contact(?:\s+person)?\s*[:：]", regex.I)
CHINA_SIDE = ("中方", "我方", "中国方", "内地方", "大陆方")
NO_SIDE = ("各方", "双方", "多方")
# a side written before one name: 俄方 Олег Смирнов, 巴方：Ana Ribeiro, 南非方Naledi (the space lost at a line end)
SIDE_PREFIX = regex.compile(r"^(?P<who>\p{Han}{1,6}?方)(?:\s+|\s*[:：]\s*|(?=[\p{Latin}\p{Cyrillic}\p{Greek}]))(?=\S)")
# a name in an alphabetic script as printed — Latin with any diacritics (ø å ő š ł ß ñ ş ı …, precomposed or
# with combining marks), Cyrillic (Анна Иванова, Нурланқызы), Greek (Γεώργιος) — with particles (van der,
# de la), hyphens (Jean-Luc), apostrophes (O'Neill, D’Angelo), initials. A name is written in one script
# (Latin look-alikes amid Cyrillic letters, `AHHa Волкова`, are a misreading, not a name)
ALPHABETIC_NAME = regex.compile(r"^\p{Latin}[\p{Latin}\p{M}.'’\- ]*[\p{Latin}\p{M}.]$"
                                r"|^\p{Cyrillic}[\p{Cyrillic}\p{M}.'’\- ]*[\p{Cyrillic}\p{M}.]$"
                                r"|^\p{Greek}[\p{Greek}\p{M}.'’\- ]*[\p{Greek}\p{M}.]$")
ALPHABETIC_NAME_MAX_WORDS = 7  # María José de la Fuente García
# a Chinese name (1–2 character surname, 1–2 character given name, or a transliterated name with ·);
# a lone surname is a name only with an honorific (王先生)
CJK_NAME = regex.compile(r"^\p{Han}[\p{Han}·]{1,7}$")
CJK_SURNAME = regex.compile(r"^\p{Han}{1,2}$")
# an organisation's mailbox is not a person: its contact has name null
ORGANISATION = regex.compile(
    r"\b(?:Council|Agency|Ministry|Foundation|Fund|Office|Department|Dept|Institute|University|Secretariat|"
    r"Centre|Center|Programme|Program|Desk|Team|Unit|Delegation|Commission|Authority|Academy|Division|Service|"
    r"Support|Helpdesk|Help\s+Desk|Innovation|Research|Embassy|Consulate|Министерство|Фонд|Агентство|Институт|"
    r"Университет|Отдел|Υπουργείο|Ίδρυμα)\b"
    r"|\p{Han}{2,}(?:部|局|署|委员会|理事会|基金会|中心|大学|学院|研究院|研究所|办公室|使馆)$|\p{Han}{3,}(?:处|司)$", regex.I)


@dataclass(frozen=True)
class ContactParts:
    name: str | None
    honorific: str | None
    phone: str | None  # E.164, or None when absent or not a valid number
    phone_text: str | None
    email: str | None
    clause: str
    phone_extension: str | None = None  # digits dialled after the number
    side: str | None = None  # china | partner | None: what the contact's label says
    phone_region_source: str | None = None  # number | side | name | form | partner: whose number it is, and why


def split_honorific(name: str) -> tuple[str, str | None]:
    """'Dr. Ingerid Fossum' → ('Ingerid Fossum', 'Dr.'); 'Sune Dalgaard Ebbesen 博士' → (…, '博士')."""
    name = name.strip()
    titles = []
    while (m := HONORIFIC_BEFORE.match(name)) and name[m.end():].strip():  # "Prof. Dr. Käthe Müller"
        titles.append(m.group("h"))
        name = name[m.end():].strip()
    if titles:
        return name, " ".join(titles)
    m = HONORIFIC_AFTER.search(name)
    if m and m.start() > 0:
        return name[:m.start()].strip(), m.group("h")
    return name, None


def to_e164(raw: str, region: str | None) -> str | None:
    import phonenumbers

    raw = raw.replace("＋", "+").replace("（", "(").replace("）", ")")
    raw = INTERNATIONAL.sub("+", raw) if raw.lstrip().startswith("00") else raw  # 0086-10-… is +86 10 …
    # "+47 (0)22 …": the national trunk prefix in brackets is not dialled from abroad
    raw = re.sub(r"^(\s*\+\s*\d{1,3})\s*\(0\)", r"\1", raw)
    try:
        number = phonenumbers.parse(raw, None if raw.strip().startswith("+") else (region or None))
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    if not raw.strip().startswith("+") and not phonenumbers.is_valid_number(number):
        return None  # read in a region it is no number of (a Beijing number as Hong Kong's): no E.164 invented
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def side_of(label_text: str) -> str | None:
    """What a label's words say about whose contact follows: '中方' → china, '韩方' → partner, '各方' → None."""
    m = SIDE_LABEL.search(label_text) if "方" in label_text or "内地" in label_text or "大陆" in label_text else None
    if m is None:
        return None
    if m["cn"]:
        return "china"
    who = m["who"]
    if who.endswith(CHINA_SIDE):
        return "china"
    if who.endswith(NO_SIDE):
        return None
    return "partner"


def _split_side_prefix(candidate: str) -> tuple[str, str | None, bool]:
    """'俄方 Олег Смирнов' → ('Олег Смирнов', 'partner', True); a name that ends in 方 (李方) stays."""
    m = SIDE_PREFIX.match(candidate)
    if not m:
        return candidate, None, False
    rest = candidate[m.end():].strip()
    if not rest or HONORIFIC_AFTER.fullmatch(rest):  # 李方 博士: a name and its title
        return candidate, None, False
    return rest, side_of(m["who"] + "联系人"), True


def _name_in(clause: str) -> tuple[str | None, str | None]:
    """The contact's name as printed (with its titles) and the side a prefix before it names."""
    label = None
    for label in NAME_LABEL.finditer(clause):
        pass
    start = label.end() if label else 0
    head = clause[start:]
    head = re.sub(r"^[\s，,、]*", "", head)  # what is left of the separator before a name
    head = re.sub(r"^\s*[（(]?\d+[)）]\s*", "", head)  # an item number opening the clause
    candidate = NAME_CUT.split(head, maxsplit=1)[0].strip().strip("：:").strip()
    candidate, prefix_side, had_prefix = _split_side_prefix(candidate)
    if not candidate or "@" in candidate or re.search(r"\d", candidate):
        return None, prefix_side
    bare, honorific = split_honorific(candidate)
    if ORGANISATION.search(bare):
        return None, prefix_side
    if ALPHABETIC_NAME.match(bare) and len(bare.split()) <= ALPHABETIC_NAME_MAX_WORDS:
        return candidate, prefix_side
    if (label is not None or had_prefix) and (CJK_NAME.match(bare) or (honorific and CJK_SURNAME.match(bare))):
        return candidate, prefix_side
    return None, prefix_side


def chinese_domestic_form(phone_text: str) -> bool:
    """010-6859 1234, （010）6859 1234, 0571-8702 3345, 138 1092 3456: a number as written inside China."""
    text = phone_text.strip()
    if not (CN_MOBILE.match(text) or CN_LANDLINE.match(text)):
        return False
    import phonenumbers

    try:
        return phonenumbers.is_valid_number(phonenumbers.parse(text.replace("（", "(").replace("）", ")"), "CN"))
    except phonenumbers.NumberParseException:
        return False


def phone_region(phone_text: str, side: str | None, name: str | None,
                 partner: str | None) -> tuple[str | None, str | None]:
    """(region to read the number in, how it was decided): see the module's rules. None: it says so itself."""
    if INTERNATIONAL.match(phone_text):
        return None, "number"
    territory = partner if partner and partner != "EU" and re.fullmatch(r"[A-Z]{2}", partner) else None
    if side == "china":
        return "CN", "side"
    if side == "partner" and territory:
        return territory, "side"
    domestic = chinese_domestic_form(phone_text)
    if domestic and name and CJK_NAME.match(name):
        return "CN", "name"
    if domestic:
        return "CN", "form"  # never a foreign region for a number written the Chinese way
    if territory:
        return territory, "partner"
    return None, None


def phone_extension(text_after: str) -> str | None:
    """The extension printed right after a number, or None."""
    m = EXTENSION.match(text_after)
    return (m["a"] or m["b"]) if m else None


def split_after_emails(clause: str) -> list[str]:
    """A clause naming several people ("A，电话…，邮箱：a@x，B，电话…") → one piece per e-mail address."""
    emails = find_emails(clause)
    if len(emails) < 2:
        return [clause]
    pieces, start = [], 0
    for _, _, end in emails[:-1]:
        pieces.append(clause[start:end])
        start = end
    pieces.append(clause[start:])
    return pieces


def split_before_labels(clause: str) -> list[str]:
    """A clause in which a contact label follows a phone or an e-mail (`葡方联系人：…，邮箱：a@x.pt 中方联系人：陈静，…`:
    the ； between them lost, or the second address misread so it splits nothing) → one piece per label: the
    second label's name is never the first's phone's and e-mail's."""
    sides = [m.span() for m in SIDE_LABEL.finditer(clause)]
    starts = [a for a, _ in sides] + [m.start() for m in CONTACT_LABEL.finditer(clause)
                                      if not any(a <= m.start() < b for a, b in sides)]  # 中方联系人：is one label
    pieces, start = [], 0
    for at in sorted(starts):
        if at > start and (PHONE.search(clause[start:at]) or find_emails(clause[start:at])):
            pieces.append(clause[start:at])
            start = at
    return pieces + [clause[start:]]


CONTINUES_CONTACT = re.compile(r"^\s*(?:电话|联系电话|手机|邮箱|电子邮箱|邮件|E-?mail|Tel|Phone)", re.I)


def rejoin_contact_clauses(pieces: list[tuple[str, int]], text: str) -> list[tuple[str, int]]:
    """"联系人：A；电话：…；邮箱：…" is one contact: a clause that opens with a phone or e-mail label
    continues the one before when that one lacks every kind of anchor it brings (a ； where a ， was
    meant, or read so by OCR: "联系人：王磊；电话：…，邮箱：…"). pieces: the clauses with where each starts
    in text; the rejoined clause is text's own span (its ； kept: a clause is quoted as the source of its
    contact, as printed)."""
    merged: list[tuple[str, int]] = []
    for clause, start in pieces:
        if merged and CONTINUES_CONTACT.match(clause):
            prev, prev_start = merged[-1]
            phone, mail = bool(PHONE.search(clause)), bool(find_emails(clause))
            if (phone or mail) and not (phone and PHONE.search(prev)) and not (mail and find_emails(prev)):
                merged[-1] = (text[prev_start:start + len(clause)], prev_start)
                continue
        merged.append((clause, start))
    return merged


# a label that opens its line (after an item number): what it says, or its silence, holds from there
ITEM_NUMBER = re.compile(r"(?:[（(]\s*\d+\s*[)）]|\d+\s*[.、](?!\d))")
LINE_OPENING = regex.compile(r"\s*(?:(?:[（(]\s*\d+\s*[)）]|\d+\s*[.、])\s*)?\p{Han}{0,12}")


def _pieces(text: str) -> list[tuple[str, int]]:
    """The clauses of text (one contact each at most) with where each starts."""
    out, start = [], 0
    bounds = [(m.start(), m.end()) for m in CLAUSE_SPLIT.finditer(text)] + [(len(text), len(text))]
    for cut, resume in bounds:
        offset = start
        for piece in (part for whole in split_after_emails(text[start:cut]) for part in split_before_labels(whole)):
            out.append((piece, offset))
            offset += len(piece)
        start = resume
    return out


def _sides(text: str, pieces: list[tuple[str, int]]) -> list[str | None]:
    """The side each clause is labelled with.

    A label that opens a line (中方联系人：…, 联系人：…) sets the side, to none when it names
    no side; a label inside a line sets it only when it names one (…；韩方联系人：…), so a bare
    `Contact:` after 挪方联系人：… in the same paragraph is still the partner's. A numbered
    item ends every label's reach.
    """
    sides, side = [], None
    for piece, start in pieces:
        lead = len(piece) - len(piece.lstrip())
        if (start + lead == 0 or text[start:start + lead].count("\n") or text[start - 1:start] == "\n") and \
                ITEM_NUMBER.match(piece[lead:]):
            side = None  # a new numbered item
        for label in CONTACT_LABEL.finditer(piece):
            said = side_of(piece[:label.start()] + "联系人")
            line_start = text.rfind("\n", 0, start + label.start()) + 1
            opens_line = LINE_OPENING.fullmatch(text[line_start:start + label.start()])
            if said is not None or opens_line:
                side = said
        sides.append(side)
    return sides


def text_to_contacts(text: str, region: str | None = None) -> list[ContactParts]:
    """All contacts in a direction's text, in order; region is the partner's ISO code (or None)."""
    contacts: list[ContactParts] = []
    pieces = _pieces(text)
    side_at = {start: side for (_, start), side in zip(pieces, _sides(text, pieces))}
    # a rejoined clause has the side of the first piece it was made of
    for clause, side in [(clause, side_at[start]) for clause, start in rejoin_contact_clauses(pieces, text)]:
        emails = find_emails(clause)
        phone = PHONE.search(clause)
        if not emails and not phone:
            continue
        if phone is None:
            phone = BARE_PHONE.search(clause)
        raw_name, prefix_side = _name_in(clause)
        contact_side = prefix_side or side
        name, honorific = split_honorific(raw_name) if raw_name else (None, None)
        phone_text = re.sub(r"\s+", " ", phone.group("num")).strip() if phone else None
        e164 = extension = source = None
        if phone_text:
            where, source = phone_region(phone_text, contact_side, name, region)
            e164 = to_e164(phone_text, where) if (where or source == "number") else None
            extension = phone_extension(clause[phone.end():])
            cut = HYPHEN_EXTENSION.match(phone_text) if e164 is None and extension is None else None
            if cut and chinese_domestic_form(cut["number"]):  # 010-5888 1234-8012
                where, source = phone_region(cut["number"], contact_side, name, region)
                e164 = to_e164(cut["number"], where) if where else None
                extension = cut["ext"] if e164 else None
        contacts.append(ContactParts(
            name=name,
            honorific=honorific,
            phone=e164,
            phone_text=phone_text,
            email=emails[0][0].lower() if emails else None,
            clause=clause.strip(),
            phone_extension=extension,
            side=contact_side,
            phone_region_source=source if e164 else None,
        ))
    return contacts


