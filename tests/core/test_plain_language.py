import pytest

from academy.core.content.plain_language import (
    MAX_AVERAGE_WORDS,
    MAX_SENTENCE_WORDS,
    check,
    count_words,
)


def words(n: int, end: str = ".") -> str:
    return " ".join(f"w{i}" for i in range(n)) + end


def messages(text: str, first_line: int = 1) -> list[str]:
    return [str(p) for p in check("l.md", text, first_line)]


def test_thresholds_are_the_documented_ones():
    assert (MAX_SENTENCE_WORDS, MAX_AVERAGE_WORDS) == (30, 18)


def test_short_sentences_pass():
    assert messages("# Title\n\nShort one. Another short one! A question?\n") == []


def test_long_sentence_is_reported_at_the_line_where_it_starts():
    text = f"# Title\n\nFirst. {words(20, '')}\n{words(14)} Short.\n"
    assert messages(text) == [
        "l.md:3: warning: sentence of 34 words; aim for 30 or fewer",
    ]


def test_sentence_of_exactly_the_limit_passes_and_one_more_warns():
    short = " Ok. Ok. Ok. Ok."  # keeps the average down
    assert messages(words(30) + short) == []
    assert messages(words(31) + short) == [
        "l.md:1: warning: sentence of 31 words; aim for 30 or fewer"
    ]


def test_average_is_reported_at_line_1():
    text = "\n\n".join(words(20) for _ in range(3))
    assert messages(text, first_line=5) == [
        "l.md:1: warning: average sentence is 20.0 words long; aim for 18 or fewer"
    ]


def test_first_line_offsets_line_numbers():
    assert messages(words(31) + " A. B. C. D.", first_line=9) == [
        "l.md:9: warning: sentence of 31 words; aim for 30 or fewer"
    ]


@pytest.mark.parametrize(
    ("text", "repeat", "words"),
    [
        ("Use e.g. grounding, i.e. feet on the floor, etc. and call Dr. Smith", 3, 39),
        ("It costs 2.50 euros, or 3.5 per cent", 4, 32),
    ],
)
def test_abbreviations_and_decimals_do_not_end_sentences(text, repeat, words):
    sentence = " ".join([text] * repeat) + "."
    assert messages(sentence + " Ok." * 3) == [
        f"l.md:1: warning: sentence of {words} words; aim for 30 or fewer"
    ]


def test_list_items_without_full_stop_are_one_sentence_each():
    items = "\n".join(f"- {words(10, '')}" for _ in range(5))
    assert messages(items) == []


def test_headings_tables_and_code_are_not_running_text():
    long = words(40)
    text = (
        f"# {long}\n\n## {long}\n\n| a | b |\n|---|---|\n| {long} | x |\n\n"
        f"```\n{long}\n```\n\n*[GDPR]: {long}\n\n[ref]: https://example.org\n\nShort text.\n"
    )
    assert messages(text) == []


def test_quotes_list_items_and_admonitions_are_running_text():
    long = words(31)
    text = f'> {long}\n\n- {long}\n\n!!! tip "Say this"\n    {long}\n\n' + "Ok. " * 9
    assert messages(text) == [
        "l.md:1: warning: sentence of 31 words; aim for 30 or fewer",
        "l.md:3: warning: sentence of 31 words; aim for 30 or fewer",
        "l.md:6: warning: sentence of 31 words; aim for 30 or fewer",
    ]


def test_link_targets_and_images_are_not_words():
    text = "[Read this guide](https://example.org/a/very/long/path) ![map](img/m.png) now."
    assert count_words(text) == 4
    assert messages(text) == []


def test_count_words_ignores_markup():
    assert count_words("# Title\n\n**Bold** text — and `code` - more.") == 6
