"""The command line loads only the command it names, and still knows every command for help and mistakes."""

from __future__ import annotations

import pytest

from kiosk.cli.commands import COMMANDS, named_command
from kiosk.cli.main import build_parser


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["run", "--demo"], "run"),
        (["--data-dir", "/tmp/x", "--fullscreen", "false", "run"], "run"),
        (["--data-dir=/tmp/x", "catalog", "stats"], "catalog"),
        (["--language", "run", "catalog"], "catalog"),  # a global option's value is not the command
        (["--help"], None),
        (["--version"], None),
        (["nonsense"], None),
        ([], None),
    ],
)
def test_named_command(argv: list[str], expected: str | None) -> None:
    assert named_command(argv) == expected


def test_a_named_command_registers_only_itself() -> None:
    parser = build_parser(["catalog", "stats"])
    choices = parser._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    assert list(choices) == ["catalog"]


def test_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        build_parser(["--help"]).parse_args(["--help"])
    out = capsys.readouterr().out
    for name in COMMANDS:
        assert name in out
