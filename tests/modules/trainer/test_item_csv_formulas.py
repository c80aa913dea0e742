"""The item analysis CSV keeps content that looks like a formula as text (the quiz below
replaces the fixture's basics quiz for every test here)."""

from __future__ import annotations

import shutil

import pytest

from academy.modules.trainer import item_reports
from tests.conftest import FIXTURE_CONTENT
from tests.modules.trainer.helpers import trainees_submit

FORMULA_QUIZ = """\
---
pass_mark: 60
---

## =HYPERLINK("https://example.org") is a formula? {#q-formula}

- (x) @SUM(A1)
- ( ) -1
- ( ) +1
"""


@pytest.fixture
def app_config(app_config, tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    (content / "basics" / "quiz.md").write_text(FORMULA_QUIZ, encoding="utf-8")
    return app_config | {"ACADEMY_CONTENT_DIR": str(content)}


def test_texts_that_look_like_formulas_stay_text_and_figures_stay_numbers(make_user):
    # right, wrong (-1), right, wrong (-1), right: 60 % right; the only question, so
    # every rest-score is 0 and r is not defined. Nobody picks "+1".
    sheets = [{"q-formula": [option]} for option in ["1", "2", "1", "2", "1"]]
    trainees_submit(make_user, sheets)

    text = item_reports.report_csv(item_reports.version_report("basics", "1.0"))

    question = '\'=HYPERLINK(""https://example.org"") is a formula?'
    assert text.splitlines()[1:] == [
        f'basics,1.0,1,q-formula,"{question}",,,,5,60.0,,,,'
        "a distractor nobody picks (option 3),not defined: every attempt had the same rest-score",
        f'basics,1.0,1,q-formula,"{question}",1,\'@SUM(A1),yes,,,,3,60.0,,',
        f'basics,1.0,1,q-formula,"{question}",2,\'-1,no,,,,2,40.0,,',
        f'basics,1.0,1,q-formula,"{question}",3,\'+1,no,,,,0,0.0,,',
    ]
