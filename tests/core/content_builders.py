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

# A quiz that gives `content check` nothing to warn about: a pool of twice the draw, and
# a right option that is not the longest.
QUIZ_MD = """\
---
pass_mark: 80
draw: 1
---

## What do you do first? {#q-first}

- ( ) Ask her to go on and tell you the story.
- (x) Help her notice where she is now.

## Which of these help her feel safe? {#q-safe}

- [x] A calm voice
- [ ] Many questions
"""


def module_md(extra: str = "") -> str:
    """module.md with valid front matter; ``extra`` lines are added to it."""
    return MODULE_MD.format(extra=extra)
