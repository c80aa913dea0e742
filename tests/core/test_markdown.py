import threading

import pytest

from academy.core.markdown import html_to_text, render_inline, render_markdown

HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](java&#x09;script:alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD4=)",
    "[x](vbscript:msgbox(1))",
    "<iframe src='https://evil.example'></iframe>",
    "<object data=x></object><embed src=x>",
    "<form action=/x><input name=a></form>",
    "<style>body{display:none}</style>",
    "<div onclick='alert(1)' style='color:red'>x</div>",
    '[x](https://ok.example){: onclick="alert(1)" style="color:red" }',
    "# Heading {: onmouseover=alert(1) }",
    "![a](https://evil.example/x.png)",
]


@pytest.mark.parametrize("source", HOSTILE)
@pytest.mark.parametrize("render", [render_markdown, render_inline])
def test_hostile_markdown_is_neutralised(render, source, assert_safe):
    out = render(source)
    assert_safe(out)
    for tag in ("<script", "<style", "<iframe", "<object", "<embed", "<form", "<input"):
        assert tag not in out.lower()
    assert "evil.example/x.png" not in out


@pytest.mark.parametrize(
    "html",
    ["<script></script>", '<a href=" javascript:x">a</a>', "<b onclick=y>", '<img src="//e/x">'],
)
def test_safety_check_itself_catches_hostile_html(html, assert_safe):
    # The helper used above and in the property tests must not pass everything.
    with pytest.raises(AssertionError):
        assert_safe(html)


def test_raw_html_is_shown_as_text():
    assert render_markdown("<script>alert(1)</script>") == (
        "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"
    )
    assert render_markdown("Say <b>hi</b>") == "<p>Say &lt;b&gt;hi&lt;/b&gt;</p>"


def test_javascript_link_loses_its_href_but_keeps_its_text():
    assert render_markdown("[click](javascript:alert(1))") == (
        '<p><a rel="noopener noreferrer">click</a></p>'
    )


def test_links_get_rel_and_allowed_schemes_survive():
    out = render_markdown("[a](https://example.org) [b](mailto:c@example.org) [c](../x)")
    assert '<a href="https://example.org" rel="noopener noreferrer">a</a>' in out
    assert '<a href="mailto:c@example.org" rel="noopener noreferrer">b</a>' in out
    assert '<a href="../x" rel="noopener noreferrer">c</a>' in out


@pytest.mark.parametrize(
    "src",
    [
        "https://evil.example/x.png",
        "http://evil.example/x.png",
        "//evil.example/x.png",
        "/\\evil.example/x.png",
        "data:image/png;base64,AAAA",
    ],
)
def test_external_images_lose_their_source(src):
    assert render_markdown(f"![map]({src})") == '<p><img alt="map"></p>'


def test_local_images_are_kept():
    out = render_markdown("![map](img/map.png) ![logo](/static/logo.svg)")
    assert out == '<p><img alt="map" src="img/map.png"> <img alt="logo" src="/static/logo.svg"></p>'


def test_admonition_keeps_its_classes():
    out = render_markdown('!!! tip "Say this"\n    You are *safe* here.')
    assert out == (
        '<div class="admonition tip">\n<p class="admonition-title">Say this</p>\n'
        "<p>You are <em>safe</em> here.</p>\n</div>"
    )


def test_headings_get_ids_also_with_umlauts():
    out = render_markdown("## Größe und Gewicht\n\ntext")
    assert '<h2 id="größe-und-gewicht">Größe und Gewicht</h2>' in out


def test_table_alignment_uses_align_not_style():
    out = render_markdown("| a | b |\n|:--|--:|\n| 1 | 2 |")
    assert '<th align="left">a</th>' in out
    assert '<td align="right">2</td>' in out
    assert "style" not in out


def test_fenced_code_and_abbreviations():
    out = render_markdown(
        "```python\nx = '<b>'\n```\n\n*[GDPR]: General Data Protection Regulation\n\nThe GDPR."
    )
    assert "<pre><code class=\"language-python\">x = '&lt;b&gt;'\n</code></pre>" in out
    assert '<abbr title="General Data Protection Regulation">GDPR</abbr>' in out


def test_table_of_contents():
    out = render_markdown("[TOC]\n\n## One\n\n## Two")
    assert '<div class="toc">' in out
    assert '<a href="#one" rel="noopener noreferrer">One</a>' in out


def test_render_inline_has_no_paragraph():
    assert render_inline("Help *her* notice") == "Help <em>her</em> notice"
    assert render_inline("Plain text, with 'quotes' & more") == (
        "Plain text, with 'quotes' &amp; more"
    )
    assert render_inline("# not a heading") == "not a heading"
    assert render_inline("") == ""


def test_blank_text_renders_empty():
    assert render_markdown("  \n\n ") == ""


@pytest.mark.parametrize(
    "text",
    ["Ask her to go on, so that she gets it out.", "Grounding (feet, cup) helps: 100% calm?"],
)
def test_plain_text_shortcut_matches_full_rendering(text):
    # The shortcut must give what Python-Markdown gives; "*" forces the full path.
    full = render_markdown(text + " *x*").replace(" <em>x</em>", "")
    assert render_markdown(text) == full
    assert render_inline(text) == full.removeprefix("<p>").removesuffix("</p>")


def test_html_to_text():
    assert html_to_text("A <em>b</em> &amp; c") == "A b & c"


def test_rendering_is_thread_safe():
    texts = [f"## Heading {i}\n\n*text {i}*" for i in range(40)]
    expected = [render_markdown(t) for t in texts]
    results: dict[int, list[str]] = {}

    def work(n: int) -> None:
        results[n] = [render_markdown(t) for t in texts]

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(result == expected for result in results.values())


def test_absurdly_deep_nesting_is_shown_as_text_instead_of_crashing():
    text = "- " * 1000 + "<script>x</script>"
    assert render_markdown(text) == "<pre>" + "- " * 1000 + "&lt;script&gt;x&lt;/script&gt;</pre>"
    assert render_inline(text).endswith("- &lt;script&gt;x&lt;/script&gt;")
    assert render_markdown("- *next* one") == "<ul>\n<li><em>next</em> one</li>\n</ul>"
