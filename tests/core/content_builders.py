"""Valid content files for the content tests (importable, unlike conftest.py)."""

MODULE_MD = """\
---
title: Trauma-informed peer support
summary: What trauma does and how to help.
minutes: 45
objectives:
  - Explain common reactions to trauma
  - Use two grounding techniques
version: "1.0"
{extra}---

The introduction. It is short.
"""

LESSON_MD = """\
# What trauma is

Trauma is what happens when something overwhelms a person. The body reacts.
"""

QUIZ_MD = """\
---
pass_mark: 80
---

## What do you do first? {#q-first}

- ( ) Ask her to go on.
- (x) Help her notice where she is now.
"""


def module_md(extra: str = "") -> str:
    """module.md with valid front matter; ``extra`` lines are added to it."""
    return MODULE_MD.format(extra=extra)
