"""`breakable`: only words longer than any ordinary word (addresses) may break anywhere."""

from bs4 import BeautifulSoup

from app.text import breakable


def test_only_long_words_are_marked_and_everything_is_escaped():
    html = breakable("Progress <b>noted</b> at https://www.herefordshire.gov.uk/local-offer today")
    page = BeautifulSoup(str(html), "html.parser")
    assert [span.text for span in page.select("span.app-breakable")] == [
        "https://www.herefordshire.gov.uk/local-offer"
    ]
    assert "<b>" not in str(html) and "&lt;b&gt;noted&lt;/b&gt;" in str(html)
    assert (
        page.text == "Progress <b>noted</b> at https://www.herefordshire.gov.uk/local-offer today"
    )


def test_a_long_word_with_markup_in_it_stays_text():
    html = str(breakable('x"><script>alert(1)</script>yyyyyyyyyyyy'))
    assert "<script>" not in html
    assert html.startswith('<span class="app-breakable">x&#34;&gt;&lt;script&gt;')
