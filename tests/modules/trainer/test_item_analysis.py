"""Item analysis figures from answer patterns worked out by hand (no database).

The discrimination index is Pearson's r of a question's score x (1 right, 0 wrong) and
the attempt's rest-score y (its other drawn questions answered right), from the sums:

    r = (n·Σxy − Σx·Σy) / √((n·Σx − (Σx)²) · (n·Σy² − (Σy)²))      (x² = x)
"""

from __future__ import annotations

import pytest

from academy.core.content.question_types import question_type
from academy.modules.trainer.item_analysis import (
    MIN_ATTEMPTS,
    Attempt,
    Flag,
    KnownQuestion,
    analyse,
)


def attempts_from(table: str) -> list[Attempt]:
    """Attempts from a table: a header of question ids, then one line per attempt with 1
    (right), 0 (wrong), - (not drawn) or . (drawn, unanswered: wrong)."""
    header, *lines = table.split()
    qids = header.split(",")
    made = []
    for line in lines:
        marks = dict(zip(qids, line.split(","), strict=True))
        drawn = [qid for qid, mark in marks.items() if mark != "-"]
        answers = {qid: ["1"] for qid in drawn if marks[qid] != "."}
        correct = {qid: marks[qid] == "1" for qid in drawn if marks[qid] != "."}
        made.append(Attempt(drawn, answers, correct))
    return made


def choice(options: str, right: str) -> KnownQuestion:
    """A loaded question with these option ids, counted as chosen the plain way."""
    return KnownQuestion(
        option_ids=tuple(options),
        wrong_option_ids=frozenset(options) - frozenset(right),
        counted_options=frozenset,
    )


def test_facility_and_point_biserial_of_a_known_pattern():
    figures = analyse(
        attempts_from("""
            a,b,c
            1,1,1
            1,1,0
            1,0,1
            0,1,0
            1,0,0
            0,0,0
        """),
        known={},
    )
    a, b, c = (figures.items[qid] for qid in "abc")

    assert figures.attempts == 6
    # a: 4 of 6 right = 66.7 %. x = 1,1,1,0,1,0; y = b+c = 2,1,1,1,0,0
    #    n=6 Σx=4 Σy=5 Σy²=7 Σxy=4: r = (24−20)/√((24−16)(42−25)) = 4/√136 = 0.343
    assert (a.attempts, a.right, round(a.facility, 1)) == (6, 4, 66.7)
    assert a.discrimination == 0.343
    # b: 3 of 6 = 50 %. x = 1,1,0,1,0,0; y = a+c = 2,1,2,0,1,0
    #    Σx=3 Σy=6 Σy²=10 Σxy=3: r = (18−18)/√(9·24) = 0
    assert (b.right, b.facility, b.discrimination) == (3, 50.0, 0.0)
    # c: 2 of 6 = 33.3 %. x = 1,0,1,0,0,0; y = a+b = 2,2,1,1,1,0
    #    Σx=2 Σy=7 Σy²=11 Σxy=3: r = (18−14)/√((12−4)(66−49)) = 4/√136 = 0.343
    assert (round(c.facility, 1), c.discrimination) == (33.3, 0.343)
    assert [a.flags, b.flags, c.flags] == [(), (), ()]


def test_a_question_the_stronger_trainees_get_wrong_is_flagged():
    figures = analyse(
        attempts_from("""
            p,q
            1,0
            1,0
            0,1
            0,1
            1,1
        """),
        known={},
    )
    # p: x = 1,1,0,0,1; y = q = 0,0,1,1,1. n=5 Σx=3 Σy=3 Σy²=3 Σxy=1:
    #    r = (5−9)/√((15−9)(15−9)) = −4/6 = −0.667; q is its mirror image
    for qid in "pq":
        item = figures.items[qid]
        assert (item.facility, item.discrimination) == (60.0, -0.667)
        assert item.flags == (Flag.NEGATIVE_DISCRIMINATION,)


def test_too_easy_is_over_90_percent_and_too_hard_under_30():
    table = "e,f,g,h " + " ".join(
        f"{int(i < 10)},{int(i < 9)},{int(i < 3)},{int(i < 2)}" for i in range(10)
    )
    figures = analyse(attempts_from(table), known={})
    e, f, g, h = (figures.items[qid] for qid in "efgh")

    # e: 10 of 10 = 100 % (over 90); everybody right, so r is not defined
    assert (e.facility, e.discrimination, e.flags) == (100.0, None, (Flag.TOO_EASY,))
    # f: 9 of 10 = 90 %, not over it. y = e+g+h = 3,3,2,1,1,1,1,1,1,1 (f wrong in the 10th)
    #    Σx=9 Σy=15 Σy²=29 Σxy=14: r = (140−135)/√((90−81)(290−225)) = 5/√585 = 0.207
    assert (f.facility, f.discrimination, f.flags) == (90.0, 0.207, ())
    # g: 3 of 10 = 30 %, not under it. y = e+f+h = 3,3,2,2,2,2,2,2,2,1
    #    Σx=3 Σy=21 Σy²=47 Σxy=8: r = (80−63)/√((30−9)(470−441)) = 17/√609 = 0.689
    assert (g.facility, g.discrimination, g.flags) == (30.0, 0.689, ())
    # h: 2 of 10 = 20 %. y = e+f+g = 3,3,3,2,2,2,2,2,2,1
    #    Σx=2 Σy=22 Σy²=52 Σxy=6: r = (60−44)/√((20−4)(520−484)) = 16/24 = 0.667
    assert (h.facility, h.discrimination, h.flags) == (20.0, 0.667, (Flag.TOO_HARD,))


def test_only_drawn_questions_count_and_an_unanswered_one_is_wrong():
    figures = analyse(
        attempts_from("""
            a,b,c
            1,1,-
            1,.,-
            0,-,1
            1,0,-
            1,-,0
            .,1,1
        """),
        known={},
    )
    a, b, c = (figures.items[qid] for qid in "abc")

    # a: drawn 6 times, right 4 (the "." is wrong). x = 1,1,0,1,1,0; y = 1,0,1,0,0,2
    #    Σx=4 Σy=4 Σy²=6 Σxy=1: r = (6−16)/√((24−16)(36−16)) = −10/√160 = −0.791
    assert (a.attempts, a.right, a.discrimination) == (6, 4, -0.791)
    assert a.flags == (Flag.NEGATIVE_DISCRIMINATION,)
    # b and c were drawn 4 and 3 times: too few for figures
    assert (b.attempts, b.too_few, b.right, b.facility) == (4, True, None, None)
    assert b.discrimination is None
    assert (c.attempts, c.too_few, c.flags, c.option_counts) == (3, True, (), {})


def test_options_are_counted_and_a_distractor_nobody_picks_is_flagged():
    single = [["1"], ["1"], ["2"], ["1"], ["2"]]
    several = [["1", "3"], ["1"], ["1", "2"], ["3"], ["1", "3"]]
    attempts = [
        Attempt(["s", "m"], {"s": s, "m": m}, {"s": s == ["1"], "m": m == ["1", "3"]})
        for s, m in zip(single, several, strict=True)
    ]
    figures = analyse(attempts, known={"s": choice("1234", right="1"), "m": choice("123", "13")})
    s, m = figures.items["s"], figures.items["m"]

    assert s.option_counts == {"1": 3, "2": 2, "3": 0, "4": 0}
    assert s.unused_distractors == ("3", "4")
    assert Flag.UNUSED_DISTRACTOR in s.flags
    # several right options: an attempt counts for each one it chose
    assert m.option_counts == {"1": 4, "2": 1, "3": 3}
    assert m.unused_distractors == () and Flag.UNUSED_DISTRACTOR not in m.flags


def test_a_right_option_nobody_picks_is_no_distractor():
    attempts = [Attempt(["s"], {"s": ["2"]}, {"s": False}) for _ in range(MIN_ATTEMPTS)]
    item = analyse(attempts, known={"s": choice("12", right="1")}).items["s"]

    assert item.option_counts == {"1": 0, "2": 5}
    assert item.flags == (Flag.TOO_HARD,)  # and r is not defined: nobody got it right


def test_options_are_counted_the_way_the_question_type_says():
    """A type that counts only the first option of an answer (as an ordering question
    might count the step put first) is asked, not the raw answer."""
    first_only = KnownQuestion(("1", "2", "3"), frozenset(), lambda answer: frozenset(answer[:1]))
    attempts = [Attempt(["o"], {"o": ["2", "1", "3"]}, {"o": True}) for _ in range(5)]

    assert analyse(attempts, {"o": first_only}).items["o"].option_counts == {"1": 0, "2": 5, "3": 0}


@pytest.mark.parametrize("name", ["single", "multiple"])
def test_the_choice_types_count_the_options_chosen(name):
    assert question_type(name).counted_options(None, ["3", "1"]) == frozenset({"1", "3"})


def test_a_version_with_fewer_than_five_attempts_has_no_figures():
    figures = analyse(attempts_from("a,b 1,0 0,1 1,1 0,0"), known={"a": choice("12", "1")})

    assert figures.attempts == 4 and figures.too_few
    for item in figures.items.values():
        assert item.too_few and item.right is None and item.discrimination is None
        assert item.option_counts == {} and item.flags == ()


def test_no_attempts_no_questions():
    figures = analyse([], known={})

    assert (figures.attempts, figures.items, figures.too_few) == (0, {}, True)
