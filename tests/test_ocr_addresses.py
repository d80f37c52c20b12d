"""E-mail addresses read a second time (reading/ocr/addresses.py): the cases are Tesseract's readings of the
large editions' scans (150–300 dpi, standard and unseen profiles), measured."""

from collections import Counter

import numpy as np
import pytest

from pipeline.reading.ocr import addresses, lines, words

DOUBTED, HALF_SURE, SAYS = words.DOUBTED, words.SECOND_UNSURE, words.INKED_UNSURE


def _line(text: str, confidence: float = 0.99, doubted: dict[int, float] | None = None) -> lines.OcrLine:
    confidences = [(doubted or {}).get(i, confidence) for i in range(len(text))]
    return lines.OcrLine(text, 0, 0, 10 * len(text), 12, [10 * i + 5.0 for i in range(len(text))], confidences)


def _doubt(address: str, letters: dict[int, float]) -> list[float]:
    return [letters.get(i, 0.99) for i in range(len(address))]


OTHER_ADDRESSES = "邮箱：a@most.gov.cn，b@nstc.gov.tw"  # elsewhere in the document: gov, cn, most …


@pytest.mark.parametrize("first, doubted, found, elsewhere, kept, how", [
    # the two readings agree: confirmed, whatever the punctuation around Tesseract's word
    ("mjkim@nrf.re.kr", {}, [("Der", 28.0), ("mjkim@nrf.re.kr,", 89.0)], "", "mjkim@nrf.re.kr", "confirmed"),
    ("chenjing@cstec.org.cn", {}, [("chenjing@cstec.org.cn.", 0.0)], "", "chenjing@cstec.org.cn", "confirmed"),
    # a letter added by the first reading, which doubted it (0.70): Tesseract's, half sure, is taken
    ("kmichan@itc.gov.hk", {2: 0.70}, [(":", 89.0), ("kmichan", 12.0)], "", "kmichan@itc.gov.hk", "unread"),
    ("kmichan@itc.gov.hk", {2: 0.70}, [("kmchan@itc.gov.hk", 80.0)], "", "kmchan@itc.gov.hk", "second"),
    # … not when the first was sure of the letter: both stay as first read, doubted
    ("kmichan@itc.gov.hk", {}, [("kmchan@itc.gov.hk", 80.0)], "", "kmichan@itc.gov.hk", "doubted"),
    # a stroke lost by the first reading, sure of it: the document names the organisation whose code it is
    ("horvathova@iasa.ac.at", {}, [("horvathova@iiasa.ac.at,", 53.0)], "2.7 中国和国际应用系统分析研究所合作项目",
     "horvathova@iiasa.ac.at", "document"),
    ("horvathova@iasa.ac.at", {}, [("horvathova@iiasa.ac.at,", 53.0)], "网址：https://iiasa.ac.at",
     "horvathova@iiasa.ac.at", "document"),
    # … not when Tesseract misread another piece too: each of its own pieces must be spelled elsewhere
    ("horvathova@iasa.ac.at", {}, [("horvalhova@iiasa.ac.at", 80.0)], "2.7 中国和国际应用系统分析研究所合作项目",
     "horvathova@iasa.ac.at", "doubted"),
    # … nothing elsewhere: the first stays, doubted
    ("horvathova@iasa.ac.at", {}, [("horvathova@iiasa.ac.at,", 53.0)], "", "horvathova@iasa.ac.at", "doubted"),
    # … the letter beside the one added was doubted (0.54): Tesseract's, sure, is taken
    ("horvathova@iasa.ac.at", {11: 0.54}, [("horvathova@iiasa.ac.at", 88.0)], "", "horvathova@iiasa.ac.at",
     "second"),
    # one of a doubled letter lost by the second reading: refused however unsure the first was
    ("horvathova@iiasa.ac.at", {12: 0.54}, [("horvathova@iasa.ac.at", 93.0)], "", "horvathova@iiasa.ac.at",
     "doubted"),
    # the document spells the first reading's piece, not Tesseract's: the first stays as it was
    ("g.papadopoulos@gsri.gov.gr", {21: 0.70}, [("g.papadopoulos@gsri.goy.gr", 77.0)], OTHER_ADDRESSES,
     "g.papadopoulos@gsri.gov.gr", "unread"),
    ("heli@most.cn", {}, [("heli@most.tn;", 29.0), ("wJ", 46.0)], OTHER_ADDRESSES, "heli@most.cn", "unread"),
    # Tesseract's dot read as a hyphen, the first sure of its dot: doubted
    ("joao.goncalves@fct.pt", {4: 0.89}, [("joao-goncalves@fct.pt", 65.0)], OTHER_ADDRESSES, "joao.goncalves@fct.pt",
     "doubted"),
    ("g.ivanov@mon.bg", {}, [("g-ivanov@mon.bg", 69.0)], "", "g.ivanov@mon.bg", "doubted"),
    # … and unsure of its own (below INKED_UNSURE): it says nothing
    ("naledi.mokoena@dsi.gov.za", {}, [("naledi.mokoena@dsi.gov.zo", 29.0)], "", "naledi.mokoena@dsi.gov.za",
     "unread"),
    # not an address as Tesseract reads it: accents on plain letters, two dots, two addresses
    ("odon.szucs@nkfih.gov.hu", {}, [("odon.szuçs@nkfih.gov.hu;", 90.0)], "", "odon.szucs@nkfih.gov.hu", "unread"),
    ("wanglei@most.cn", {}, [("wanglei@mòst.cn", 31.0)], "", "wanglei@most.cn", "unread"),
    # … a colon between letters is a dot read so
    ("aroha.ngata@mbie.govt.nz", {6: 0.89}, [("aroha:ngata@mbie.govt.nz", 86.0)], "", "aroha.ngata@mbie.govt.nz",
     "confirmed"),
    ("horvathova@iasa.ac.at", {}, [("horvathova@iiasa:ac.at", 88.0)], "2.7 中国和国际应用系统分析研究所合作项目",
     "horvathova@iiasa.ac.at", "document"),  # 250 dpi, blur 1.0
    ("jean-luc.delafontaine@anr.fr", {}, [("jean-luc.delafontaine@anr..fr", 56.0)], "",
     "jean-luc.delafontaine@anr.fr", "unread"),
    ("o.shevchenko@mon.gov.ua", {}, [("o.shevchenko@mon.gov.ua", 86.0), ("v.kovalchuik@man", 27.0)], "",
     "o.shevchenko@mon.gov.ua", "unread"),
    # letters only the first reading has at an end (a full stop read as o): left to the fixes
    ("tan_wei_ling@a-star.edu.sgo", {26: 0.45}, [("tan_wei_ling@a-star.edu.sg", 90.0), ("°", 94.0)], "",
     "tan_wei_ling@a-star.edu.sgo", "unread"),
    # a space the engine read in the local part is never sure: Tesseract's underscore there is taken
    ("tan_wei ling@a-star.edu.sg", {}, [("tan_wei_ling@a-star.edu.sg", 71.0)], "", "tan_wei_ling@a-star.edu.sg",
     "second"),
    ("tan_wei ling@a-star.edu.sg", {}, [("ling@a-star.edu.sg", 90.0)], "", "tan_wei ling@a-star.edu.sg", "unread"),
])
def test_settle(first, doubted, found, elsewhere, kept, how):
    pieces = addresses.document_pieces([[_line(first), _line(elsewhere)]])
    assert addresses.settle(first, _doubt(first, doubted), found, pieces, DOUBTED, HALF_SURE, SAYS) == (kept, how)


@pytest.mark.parametrize("first, doubted, found, elsewhere, kept, how", [
    ("https://innovationisrael.org.il/en/contact-us", {}, [("https://innovationisrael.org.il/en/contact-us", 90.0),
                                                           ("'", 90.0)], "", "https://innovationisrael.org.il/en/contact-us",
     "confirmed"),
    ("https://council.science/contact/", {}, [("https://council.science/contact/,", 85.0)], "",
     "https://council.science/contact/", "confirmed"),  # the last slash is the URL's, the comma not
    # a slash lost and a stroke with it (`ii` read `i`): the document names the organisation
    ("https:/iasa.ac.at/contact", {6: 0.55}, [("https://iiasa.ac.at/contact", 74.0)], "国际应用系统分析研究所",
     "https://iiasa.ac.at/contact", "document"),
    ("https:/iasa.ac.at/contact", {6: 0.38}, [("https://iiasa.ac.at/contact,", 45.0)], "邮箱：horvathova@iiasa.ac.at",
     "https://iiasa.ac.at/contact", "document"),
    # the scheme misread too (`hittps`; the document's only URL): the host settles it
    ("hittps://iasa.ac.at/contact", {}, [("https://iiasa.ac.at/contact", 70.0)], "国际应用系统分析研究所",
     "https://iiasa.ac.at/contact", "document"),
    # a slash read as l, doubted: Tesseract's
    ("https:/lcouncil.science/contact/", {7: 0.72}, [("https://council.science/contact/", 79.0), ("'", 79.0)], "",
     "https://council.science/contact/", "second"),
    # split in two words, neither a URL
    ("https://www.jst.go.jp/inquiry/", {}, [("https://www.", 0.0), ("jst.go.jp/inquiry/", 0.0)], "",
     "https://www.jst.go.jp/inquiry/", "unread"),
])
def test_settle_a_url(first, doubted, found, elsewhere, kept, how):
    pieces = addresses.document_pieces([[_line(first), _line(elsewhere)]])
    assert addresses.settle(first, _doubt(first, doubted), found, pieces, DOUBTED, HALF_SURE, SAYS, "url") \
        == (kept, how)


def test_an_address_settles_nothing_by_itself():
    """The document's pieces hold the address's own: they are not evidence for it (`iasa` twice is not
    `iasa` elsewhere)."""
    pieces = addresses.document_pieces([[_line("horvathova@iasa.ac.at")]])
    assert pieces["iasa"] == 1
    assert addresses.settle("horvathova@iasa.ac.at", _doubt("horvathova@iasa.ac.at", {}),
                            [("horvathova@iiasa.ac.at", 53.0)], pieces, DOUBTED, HALF_SURE, SAYS)[1] == "doubted"


def test_organisations_named_in_chinese_lend_their_codes():
    pieces = addresses.document_pieces([[_line("2.8 中国和联合国教科文组织合作项目"), _line("欧洲核子研究中心")]])
    assert pieces["unesco"] == 1 and pieces["cern"] == 1 and pieces["iaea"] == 0


def test_addresses_to_check():
    texts = ["电话：+7 495 629 7562，邮箱：.volkov@minobrnauki.gov.ru；",  # a speck before it
             "邮箱：sune.dalgaard@innofond.d", "k。联系人：Mette",  # wrapped: its first part only
             "网址：hittps:/ iasa.ac.at/contact?to=a@iiasa.ac.at。外方",  # a misread scheme; an @ in a URL is the URL's
             "详见www.most.gov.cn，联系人：Dr. Katarína Horváthová",
             "6111,邮箱： tan_wei ling@a-star.edu.sg", "write to ling@x.org"]  # a piece spaced off; a sentence's word
    found = addresses.addresses_to_check([_line(text) for text in texts])
    assert [(a.line, a.text, a.kind) for a in found] == [
        (0, "volkov@minobrnauki.gov.ru", "email"), (1, "sune.dalgaard@innofond.d", "email"),
        (3, "hittps:/ iasa.ac.at/contact?to=a@iiasa.ac.at", "url"), (4, "www.most.gov.cn", "url"),
        (5, "tan_wei ling@a-star.edu.sg", "email"), (6, "ling@x.org", "email")]
    assert all(texts[a.line][a.start:a.end] == a.text for a in found)


class ReadsAddresses:
    """A second reader that reads every crop as the words given (at the crop's middle)."""

    available = True
    name = "fake"

    def __init__(self, found):
        self.found, self.crops = found, 0

    def load(self):
        return True

    def read(self, crops, script):
        self.crops += len(crops)
        return [[(w, c, (crop.shape[1] / 2, crop.shape[0] / 2)) for w, c in self.found] for crop in crops]


def _page(line: lines.OcrLine):
    return words.page_runs([line], np.full((40, 10 * len(line.text) * 3), 255, dtype=np.uint8), 3.0)


def test_second_reading_puts_the_settled_address_in_with_its_provenance():
    line = _line("邮箱：kmichan@itc.gov.hk。", doubted={5: 0.70})
    reader = ReadsAddresses([("kmchan@itc.gov.hk", 80.0)])
    out = words.second_reading([_page(line)], reader)[0][0]
    assert reader.crops == 1, "the address is read once, with the names"
    assert out.text == "邮箱：kmchan@itc.gov.hk。"
    assert len(out.centers) == len(out.confidences) == len(out.text)
    assert min(out.confidences[3:20]) >= words.SURE
    assert out.changes[-1].fix == "second_reading" and out.changes[-1].before == line.text


def test_a_url_settled_by_the_document_gets_a_place_for_every_character():
    """`https:/iasa…` → `https://iiasa…`: two characters more, each at its own centre (two glyphs at one
    centre are laid out as one glyph and a gap: `https:/ iiasa`, no URL)."""
    title = _line("2.8 中国和国际应用系统分析研究所合作项目")
    url = _line("（3）外方联系方式请见网址：https:/iasa.ac.at/contact。", doubted={20: 0.55})
    lines_ = [title, url]
    page = words.page_runs(lines_, np.full((60, 10 * len(url.text) * 3), 255, dtype=np.uint8), 3.0)
    out = words.second_reading([page], ReadsAddresses([("https://iiasa.ac.at/contact", 74.0)]))[0][1]
    assert out.text == "（3）外方联系方式请见网址：https://iiasa.ac.at/contact。"
    assert len(out.centers) == len(out.confidences) == len(out.text)
    assert all(a < b for a, b in zip(out.centers, out.centers[1:]))


def test_an_address_read_otherwise_is_doubted_and_one_read_alike_confirmed():
    line = _line("邮箱：joao.goncalves@fct.pt", doubted={10: 0.6})
    doubted = words.second_reading([_page(line)], ReadsAddresses([("joao-goncalves@fct.pt", 65.0)]))[0][0]
    assert doubted.text == line.text
    assert max(doubted.confidences[3:]) <= words.WORD_DOUBT and doubted.confidences[:3] == line.confidences[:3]
    confirmed = words.second_reading([_page(line)], ReadsAddresses([("joao.goncalves@fct.pt", 88.0)]))[0][0]
    assert confirmed.text == line.text and min(confirmed.confidences[3:]) >= words.SURE
    # without Tesseract, nothing is read again: the address stays as first read
    assert words.second_reading([_page(line)], None)[0][0] == line


def test_an_address_after_a_name_read_again_is_found_where_it_moved():
    """A name before the address on the line changes length (`Katarina` → `Katarína` keeps it; a space put back
    moves it): the address is settled where it is now."""
    text = "联系人：SarahOConnor，邮箱：kmichan@itc.gov.hk"
    line = _line(text, doubted={text.index("kmichan") + 2: 0.7})
    reader = ReadsAddresses([("Sarah", 95.0), ("O'Connor", 95.0), ("kmchan@itc.gov.hk", 80.0)])
    out = words.second_reading([_page(line)], reader)[0][0]
    assert out.text.endswith("邮箱：kmchan@itc.gov.hk") and len(out.confidences) == len(out.text)
