"""Contact names as printed, in any script: the partners' alphabets, particles, hyphens,
apostrophes, all-caps surnames, Chinese names with their honorific; an organisation's
mailbox has no name."""

import unicodedata

import pytest

from pipeline.records.contacts import split_honorific, text_to_contacts

# (label, name as printed, expected name, expected honorific): written from how each language prints names
NAMES = [
    # Danish / Norwegian: ø å æ
    ("丹方联系人", "Søren Kierkegaard", "Søren Kierkegaard", None),
    ("挪方联系人", "Dr. Åse Bjørnstad", "Åse Bjørnstad", "Dr."),
    ("挪方联系人", "Ægir Løvås", "Ægir Løvås", None),
    # Croatian: š č ć ž đ
    ("克方联系人", "Đurđica Šimić", "Đurđica Šimić", None),
    ("克方联系人", "Mr. Žarko Čačić", "Žarko Čačić", "Mr."),
    # Hungarian: ő ű á
    ("匈方联系人", "Zsófia Kovács", "Zsófia Kovács", None),
    ("匈方联系人", "Dr. Győző Szűcs", "Győző Szűcs", "Dr."),
    # German: ä ö ü ß
    ("德方联系人", "Jürgen Weiß", "Jürgen Weiß", None),
    ("德方联系人", "Prof. Dr. Käthe Müller-Lüdenscheidt", "Käthe Müller-Lüdenscheidt", "Prof. Dr."),
    ("德方联系人", "Herr Günther von Braun", "Günther von Braun", "Herr"),
    # French: é è ç, particles, hyphenated given names
    ("法方联系人", "Jean-Luc Lefèvre", "Jean-Luc Lefèvre", None),
    ("法方联系人", "François de la Tour", "François de la Tour", None),
    ("法方联系人", "Mme Hélène Garçon", "Hélène Garçon", "Mme"),
    # Spanish: ñ, compound surnames
    ("西方联系人", "María José de la Fuente García", "María José de la Fuente García", None),
    ("西方联系人", "Sr. Iñigo Muñoz", "Iñigo Muñoz", "Sr."),
    # Turkish: ş ğ ı İ
    ("土方联系人", "Ayşe Yılmaz", "Ayşe Yılmaz", None),
    ("土方联系人", "İsmail Doğan", "İsmail Doğan", None),
    # Polish: ł ż ś ń
    ("波方联系人", "Łukasz Żółkiewski", "Łukasz Żółkiewski", None),
    ("波方联系人", "Małgorzata Wiśniewska", "Małgorzata Wiśniewska", None),
    # Czech, Romanian, Icelandic, Vietnamese (Latin script with stacked marks)
    ("捷方联系人", "Jiří Dvořák", "Jiří Dvořák", None),
    ("罗方联系人", "Ștefan Țurcanu", "Ștefan Țurcanu", None),
    ("冰方联系人", "Þórunn Guðmundsdóttir", "Þórunn Guðmundsdóttir", None),
    ("越方联系人", "Nguyễn Thị Hằng", "Nguyễn Thị Hằng", None),
    # particles, apostrophes, all-caps surnames, initials
    ("荷方联系人", "Jan van der Berg", "Jan van der Berg", None),
    ("爱方联系人", "Siobhán O'Neill", "Siobhán O'Neill", None),
    ("意方联系人", "Dott. Lucia D’Angelo", "Lucia D’Angelo", "Dott."),
    ("匈方联系人", "KOVÁCS Zsófia", "KOVÁCS Zsófia", None),
    ("法方联系人", "Jean DUPONT", "Jean DUPONT", None),
    ("英方联系人", "Ms J. R. Smith", "J. R. Smith", "Ms"),
    ("丹方联系人", "Sune Dalgaard Ebbesen 博士", "Sune Dalgaard Ebbesen", "博士"),
    # Chinese names and honorifics
    ("中方联系人", "王伟", "王伟", None),
    ("中方联系人", "王伟先生", "王伟", "先生"),
    ("中方联系人", "李华女士", "李华", "女士"),
    ("中方联系人", "张三丰博士", "张三丰", "博士"),
    ("中方联系人", "欧阳娜娜教授", "欧阳娜娜", "教授"),
    ("中方联系人", "王先生", "王", "先生"),
    ("俄方联系人", "安娜·伊万诺娃", "安娜·伊万诺娃", None),
]


@pytest.mark.parametrize("label, printed, name, honorific", NAMES)
def test_name_in_any_script(label, printed, name, honorific):
    text = f"{label}：{printed}，电话：+36 1 795 1234，邮箱：contact@example.org。"
    [contact] = text_to_contacts(text, "HU")
    assert (contact.name, contact.honorific, contact.email) == (name, honorific, "contact@example.org")


@pytest.mark.parametrize("printed", ["Zsófia Kovács", "Søren Kierkegaard", "Đurđica Šimić"])
def test_name_with_combining_marks(printed):
    """The same names typed with combining accents (NFD), as some PDFs encode them."""
    decomposed = unicodedata.normalize("NFD", printed)
    [contact] = text_to_contacts(f"联系人：{decomposed}，邮箱：a@b.org", None)
    assert contact.name == decomposed


@pytest.mark.parametrize("text, email", [
    ("欧方联系邮箱：Delegation-China-Scitech@eeas.europa.eu。", "delegation-china-scitech@eeas.europa.eu"),
    ("挪方联系人：Research Council of Norway，邮箱：post@rcn.no。", "post@rcn.no"),
    ("德方联系人：International Bureau Helpdesk，邮箱：info@example.de。", "info@example.de"),
    ("联系人：挪威研究理事会，邮箱：post@rcn.no。", "post@rcn.no"),
    ("联系人：科技部国际合作司，电话：010-58881360，邮箱：intl@most.cn。", "intl@most.cn"),
    ("邮箱：nordic@example.org。", "nordic@example.org"),
])
def test_organisation_mailbox_has_no_name(text, email):
    [contact] = text_to_contacts(text, "NO")
    assert (contact.name, contact.email) == (None, email)


@pytest.mark.parametrize("text, name", [
    ("联系人：Kristel Tamm，Tel: +372 731 7000，邮箱：kristel@etag.ee", "Kristel Tamm"),  # "Tel" inside a name
    ("联系人：Marco Castelli，电话：+39 06 1234567，邮箱：m.castelli@example.it", "Marco Castelli"),
    ("联系人：Philippe Phonelle, E-mail: p@example.fr", "Philippe Phonelle"),
])
def test_labels_inside_names_do_not_cut_them(text, name):
    assert text_to_contacts(text, None)[0].name == name


@pytest.mark.parametrize("raw, name, honorific", [
    ("Herr Günther von Braun", "Günther von Braun", "Herr"),
    ("Frau Käthe Müller", "Käthe Müller", "Frau"),
    ("Mme Hélène Garçon", "Hélène Garçon", "Mme"),
    ("Ayşe Yılmaz 女士", "Ayşe Yılmaz", "女士"),
    ("Hermann Weiß", "Hermann Weiß", None),  # a name that starts like an honorific
    ("Mrs. O'Neill", "O'Neill", "Mrs."),
])
def test_split_honorific_other_languages(raw, name, honorific):
    assert split_honorific(raw) == (name, honorific)
