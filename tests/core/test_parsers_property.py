"""For any text at all, rendering and parsing never crash and never emit unsafe HTML."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from academy.core.content import plain_language
from academy.core.content.quiz import parse_quiz
from academy.core.markdown import render_inline, render_markdown

# Pieces of Markdown syntax and hostile HTML, so that generated text often hits the
# interesting paths and not only plain prose.
FRAGMENTS = [
    "\n",
    "\n\n",
    "    ",
    "## ",
    "# ",
    "- ( ) ",
    "- (x) ",
    "- [ ] ",
    "* [X] ",
    "  > ",
    "> ",
    "{#q-a}",
    "---\n",
    "pass_mark: 80\n",
    "draw: 2\n",
    "```\n",
    '!!! tip "t"\n    ',
    "| a | b |\n|---|---|\n",
    "[TOC]",
    "*[A]: b\n",
    "{: onclick=alert(1) style=x .c #i }",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<iframe src=//evil.example>",
    "<a href='javascript:alert(1)'>",
    "[x](javascript:alert(1))",
    "[x](JAVASCRIPT:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](data:text/html,x)",
    "![i](https://evil.example/x.png)",
    "![i](//evil.example/x.png)",
    "<style>*{}</style>",
    "&lt;script&gt;",
    "*em* **strong** `code`",
    "Dr. e.g. 3.5. ",
    "word ",
]

markdownish = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=20)), max_size=30
).map("".join)
any_text = st.one_of(st.text(), markdownish)

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(any_text)
def test_render_markdown_is_always_safe(assert_safe, text):
    assert_safe(render_markdown(text))


@SETTINGS
@given(any_text)
def test_render_inline_is_always_safe(assert_safe, text):
    html = render_inline(text)
    assert_safe(html)
    assert "<p>" not in html


@SETTINGS
@given(any_text)
def test_quiz_parser_never_raises_and_renders_safely(assert_safe, text):
    for source in (text, "---\npass_mark: 80\n---\n" + text):
        quiz, problems = parse_quiz("quiz.md", source)
        assert all(1 <= p.line <= source.count("\n") + 1 for p in problems)
        assert (quiz is None) == any(p.severity == "error" for p in problems)
        for question in quiz.questions if quiz else ():
            assert_safe(question.prompt_html + question.body_html + question.explanation_html)
            for option in question.options:
                assert_safe(option.html + option.feedback_html)


@SETTINGS
@given(any_text)
def test_plain_language_check_never_raises(text):
    for problem in plain_language.check("l.md", text):
        assert problem.severity == "warning"
        assert 1 <= problem.line <= text.count("\n") + 1
