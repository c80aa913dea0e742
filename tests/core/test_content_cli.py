import pytest
from content_builders import module_md
from flask import Flask

from academy.core.config import DEFAULTS
from academy.core.content.cli import content_cli


@pytest.fixture
def runner(content_dir):
    app = Flask(__name__)
    app.config["ACADEMY_CONTENT_DIR"] = str(content_dir)
    app.config["ACADEMY_CONTENT_MAX_BYTES"] = DEFAULTS["ACADEMY_CONTENT_MAX_BYTES"]
    app.cli.add_command(content_cli)
    return app.test_cli_runner()


def test_check_clean_content_exits_0(runner, write_module):
    write_module()
    result = runner.invoke(args=["content", "check"])
    assert result.exit_code == 0
    assert result.output == "0 errors, 0 warnings\n"


def test_check_prints_errors_then_warnings_and_exits_1(runner, content_dir, write_module):
    long = " ".join(["word"] * 31) + "."
    write_module("a", {"01-what-trauma-is.md": f"# Title\n\n{long} Ok. Ok. Ok.\n"})
    write_module("b", {"module.md": module_md("objective: typo\n")})
    result = runner.invoke(args=["content", "check"])
    assert result.exit_code == 1
    assert result.output == (
        f"{content_dir}/b/module.md:9: unknown key 'objective'\n"
        f"{content_dir}/a/01-what-trauma-is.md:3: warning: sentence of 31 words; "
        "aim for 30 or fewer\n"
        "1 error, 1 warning\n"
    )


def test_check_warnings_alone_exit_0(runner, content_dir, write_module):
    write_module(files={"notes.md": "# Notes"})
    result = runner.invoke(args=["content", "check"])
    assert result.exit_code == 0
    assert result.output.endswith("0 errors, 1 warning\n")


def test_check_a_given_module_folder(runner, content_dir, write_module):
    write_module("basics", {"module.md": module_md("oops: 1\n")})
    folder = write_module("trauma", {"module.md": module_md("prerequisites: [ghost]\n")})
    result = runner.invoke(args=["content", "check", str(folder)])
    assert result.exit_code == 1
    assert result.output == (
        f"{folder}/module.md:9: prerequisite 'ghost' is not a module\n1 error, 0 warnings\n"
    )


def test_check_missing_path(runner, tmp_path):
    result = runner.invoke(args=["content", "check", str(tmp_path / "nope")])
    assert result.exit_code == 1
    assert result.output == f"{tmp_path}/nope:1: no such file or folder\n1 error, 0 warnings\n"


def test_stats_prints_an_aligned_table_with_totals(runner, write_module):
    write_module(
        "trauma", {"02-more.md": "# More\n\n" + "A b c d e f g h i j k l m n o p q r s t.\n"}
    )
    write_module("data-protection", {"quiz.md": None})
    result = runner.invoke(args=["content", "stats"])
    assert result.exit_code == 0
    assert result.output == (
        "module           lessons  words  minutes  questions  warnings\n"
        "data-protection        1     15        1          0         0\n"
        "trauma                 2     36        2          2         1\n"
        "total                  3     51        3          2         1\n"
    )


def test_stats_mentions_left_out_modules(runner, content_dir, write_module):
    write_module("trauma")
    write_module("broken", {"module.md": module_md("oops: 1\n")})
    result = runner.invoke(args=["content", "stats", str(content_dir)])
    assert result.exit_code == 0
    assert result.output.splitlines()[1:] == [
        "trauma        1     15        1          2         0",
        "total         1     15        1          2         0",
        "1 error: modules with errors are left out; run `academy content check` for details",
    ]
