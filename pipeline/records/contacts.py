"""Foreign contacts: every named person with phone and e-mail, from the text of one direction.

A contact is anchored on an e-mail address or a phone number. The text is split into
clauses at ；; and 。 (never at the dot of an address), and each clause holds one
contact: the name is what follows 联系人： (or opens the clause), up to the first comma
or label; honorifics (Dr., Mr., 博士 …) are split off; phones are normalised to E.164
with the partner's country as the default region. An e-mail with no person is a contact
with name null.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import regex

from .values import find_emails

# titles printed before a name, in the partners' languages too (Herr, Frau, Mme, Sr., Dott. …)
HONORIFIC_BEFORE = re.compile(
    r"^(?P<h>(?:Dr|Mr|Mrs|Ms|Miss|Mx|Prof|Professor|Herr|Frau|Mme|Mlle|Sr|Sra|Srta|Dott|Dott\.ssa)\.?)\s+")
HONORIFIC_AFTER = re.compile(r"\s*(?P<h>博士|先生|女士|小姐|教授|研究员|Dr\.?|PhD|Ph\.D\.?)$", re.I)
CLAUSE_SPLIT = re.compile(r"[；;]|。(?!\S*@)|\n(?=\s*[（(]?\d+[)）])")
PHONE_LABEL = r"(?:电话|联系电话|手机|座机|Tel(?:ephone)?|Phone|Mobile|T)\s*[:：.]?\s*"
PHONE = re.compile(PHONE_LABEL + r"(?P<num>[+＋]?\s*\(?\d[\d\s\-–().]{4,}\d)", re.I)
# where a name ends; Latin labels only as whole words (Kristel, Castelli are names)
NAME_CUT = re.compile(r"[，,、\n]|电话|邮箱|电子邮箱|邮件|手机|网址|地址|传真"
                      r"|\b(?:E-?mail|Tel(?:ephone)?|Phone|Mobile|Fax)\b", re.I)
NAME_LABEL = re.compile(r"联系人\s*[:：]|联系人员\s*[:：]|Contact(?:\s+person)?\s*[:：]", re.I)
# a name in Latin script as printed: letters with any diacritics (ø å ő š ł ß ñ ş ı …, precomposed or with
# combining marks), particles (van der, de la), hyphens (Jean-Luc), apostrophes (O'Neill, D’Angelo), initials
# Cyrillic and Greek names likewise; a name is written in one script (Latin look-alikes amid Cyrillic
# letters, `AHHa Волкова`, are a misreading, not a name)
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
    r"Support|Helpdesk|Help\s+Desk|Innovation|Research|Embassy|Consulate)\b"
    r"|\p{Han}{2,}(?:部|局|署|委员会|理事会|基金会|中心|大学|学院|研究院|研究所|办公室|使馆)$|\p{Han}{3,}(?:处|司)$", regex.I)


@dataclass(frozen=True)
class ContactParts:
    name: str | None
    honorific: str | None
    phone: str | None  # E.164, or None when absent or not a valid number
    phone_text: str | None
    email: str | None
    clause: str


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

    raw = raw.replace("＋", "+")
    # "+47 (0)22 …": the national trunk prefix in brackets is not dialled from abroad
    raw = re.sub(r"^(\s*\+\s*\d{1,3})\s*\(0\)", r"\1", raw)
    try:
        number = phonenumbers.parse(raw, None if raw.strip().startswith("+") else (region or None))
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _name_in(clause: str) -> str | None:
    label = None
    for label in NAME_LABEL.finditer(clause):
        pass
    start = label.end() if label else 0
    head = clause[start:]
    head = re.sub(r"^[\s，,、]*", "", head)  # what is left of the separator before a name
    head = re.sub(r"^\s*[（(]?\d+[)）]\s*", "", head)  # an item number opening the clause
    candidate = NAME_CUT.split(head, maxsplit=1)[0].strip().strip("：:").strip()
    if not candidate or "@" in candidate or re.search(r"\d", candidate):
        return None
    bare, honorific = split_honorific(candidate)
    if ORGANISATION.search(bare):
        return None
    if ALPHABETIC_NAME.match(bare) and len(bare.split()) <= ALPHABETIC_NAME_MAX_WORDS:
        return candidate
    if label is not None and (CJK_NAME.match(bare) or (honorific and CJK_SURNAME.match(bare))):
        return candidate
    return None


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


CONTINUES_CONTACT = re.compile(r"^\s*(?:电话|联系电话|手机|邮箱|电子邮箱|邮件|E-?mail|Tel|Phone)", re.I)


def rejoin_contact_clauses(clauses: list[str]) -> list[str]:
    """"联系人：A；电话：…；邮箱：…" is one contact: a clause that opens with a phone or e-mail label
    continues the one before when that one lacks that kind of anchor (a ； where a ， was meant,
    or read so by OCR)."""
    merged: list[str] = []
    for clause in clauses:
        if merged and CONTINUES_CONTACT.match(clause):
            prev = merged[-1]
            phone, mail = bool(PHONE.search(clause)), bool(find_emails(clause))
            if (phone and not mail and not PHONE.search(prev)) or (mail and not phone and not find_emails(prev)):
                merged[-1] = prev + "，" + clause
                continue
        merged.append(clause)
    return merged


def text_to_contacts(text: str, region: str | None = None) -> list[ContactParts]:
    """All contacts in a direction's text, in order."""
    contacts: list[ContactParts] = []
    clauses = [piece for clause in CLAUSE_SPLIT.split(text) for piece in split_after_emails(clause)]
    clauses = rejoin_contact_clauses(clauses)
    for clause in clauses:
        emails = find_emails(clause)
        phone = PHONE.search(clause)
        if not emails and not phone:
            continue
        raw_name = _name_in(clause)
        name, honorific = split_honorific(raw_name) if raw_name else (None, None)
        phone_text = re.sub(r"\s+", " ", phone.group("num")).strip() if phone else None
        contacts.append(ContactParts(
            name=name,
            honorific=honorific,
            phone=to_e164(phone_text, region) if phone_text else None,
            phone_text=phone_text,
            email=emails[0][0].lower() if emails else None,
            clause=clause.strip(),
        ))
    return contacts
