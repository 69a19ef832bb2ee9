"""Minutes are Markdown rendered to HTML and sanitised: nothing active survives."""

from meetings.markdown import render_markdown


def test_markdown_renders_headings_lists_links_emphasis_and_tables():
    html = render_markdown(
        "# Otsikko\n\nTeksti *korostettu* ja **lihava**.\n\n- yksi\n- kaksi\n\n1. eka\n2. toka\n\n"
        "[Linkki](https://example.org/sivu)\n\n| Asia | Vastuu |\n|:--|--:|\n| A | B |\n"
    )
    # Headings move two levels down, under the page's own h1 and h2.
    assert "<h3>Otsikko</h3>" in html
    assert "<em>korostettu</em>" in html and "<strong>lihava</strong>" in html
    assert "<ul>" in html and "<ol>" in html and html.count("<li>") == 4
    assert '<a href="https://example.org/sivu" rel="noopener noreferrer">Linkki</a>' in html
    assert "<table>" in html and '<th align="left">Asia</th>' in html and '<td align="right">B</td>' in html


def test_script_and_iframe_are_removed_with_their_content():
    html = render_markdown('Hei <script>alert("x")</script> ja <iframe src="https://evil.example"></iframe> loppu')
    assert "<script" not in html and "alert" not in html
    assert "<iframe" not in html and "evil.example" not in html
    assert "Hei" in html and "loppu" in html


def test_event_handler_and_style_attributes_are_removed():
    html = render_markdown(
        '<a href="https://example.org" onclick="steal()">x</a> <p onmouseover="steal()" style="color:red">y</p>'
        ' <img src="x" onerror="steal()">'
    )
    assert "onclick" not in html and "onmouseover" not in html and "onerror" not in html
    assert "steal" not in html and "style=" not in html and "<img" not in html
    assert 'href="https://example.org"' in html


def test_javascript_and_data_urls_are_removed_from_links():
    html = render_markdown(
        "[a](javascript:alert(1)) [b](JaVaScRiPt:alert(2)) [c](data:text/html;base64,PHNjcmlwdD4=) "
        '<a href="  javascript:alert(3)">d</a> [e](vbscript:msgbox)'
    )
    assert "javascript" not in html.lower()
    assert "data:" not in html and "vbscript" not in html
    for text in ("a", "b", "c", "d", "e"):
        assert f">{text}</a>" in html  # the text stays, without a dangerous target


def test_mailto_links_are_kept_and_every_link_gets_rel_noopener():
    html = render_markdown(
        "[kirjoita](mailto:sihteeri@example.org) ja <a href='https://example.org' rel='opener'>x</a>"
    )
    assert 'href="mailto:sihteeri@example.org"' in html
    assert html.count('rel="noopener noreferrer"') == 2
    assert "opener'" not in html


def test_forms_objects_and_comments_are_removed():
    html = render_markdown("<form action='/x'><input name=a></form><object data=x></object><!-- salaisuus --> ok")
    assert "<form" not in html and "<input" not in html and "<object" not in html and "salaisuus" not in html
    assert "ok" in html


def test_empty_text_renders_nothing():
    assert render_markdown("") == ""
    assert render_markdown(None) == ""
