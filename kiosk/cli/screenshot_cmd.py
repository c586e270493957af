"""``kiosk screenshot``: render screens of the touch UI to PNG files, without a display."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from kiosk.cli.output import fail, print_json
from kiosk.config import Settings
from kiosk.logs import setup_logging


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser(
        "screenshot",
        help="render UI screens to PNG (offscreen)",
        description="Render a named screen of the real UI offscreen to a PNG file, or every screen with 'all'. "
        "Uses the terminal's catalog; an empty cache gets the demo catalog.",
    )
    parser.add_argument("screen", nargs="?", help="screen name (see --list), or 'all'")
    parser.add_argument("--out", metavar="FILE", help="PNG file to write (one screen)")
    parser.add_argument("--out-dir", metavar="DIR", help="folder for 'all' (default ./kiosk-screens)")
    parser.add_argument(
        "--size",
        metavar="WxH",
        help="window size, e.g. 1080x1920 or 1920x1080 (default from the orientation setting)",
    )
    parser.add_argument("--elder", action="store_true", help="elder mode (长辈模式)")
    parser.add_argument("--lang", choices=["zh_CN", "en"], help="UI language (default from the settings)")
    parser.add_argument("--list", action="store_true", help="list the screens")
    parser.add_argument("--json", action="store_true", help="with --list or after rendering: JSON output")
    parser.set_defaults(handler=_screenshot)


def _size(text: str | None) -> tuple[int, int] | None:
    if text is None:
        return None
    match = re.fullmatch(r"(\d{3,5})[x×X](\d{3,5})", text.strip())
    if not match:
        raise ValueError(f"--size must look like 1080x1920, not {text!r}")
    return int(match[1]), int(match[2])


def _screenshot(args: argparse.Namespace, settings: Settings) -> int:
    from kiosk.roles import screenshots

    by_role = screenshots()
    screens = {
        name: (role, shows) for role, module in by_role.items() for name, shows in module.SCREENS.items()
    }
    if args.list:
        if args.json:
            print_json(
                [{"name": name, "role": role, "shows": shows} for name, (role, shows) in screens.items()]
            )
        else:
            width = max(map(len, screens))
            for name, (role, shows) in screens.items():
                print(f"{name:<{width}}  {role:<8}  {shows}")
        return 0
    if not args.screen:
        return fail("name a screen (see --list) or 'all'", 2)
    try:
        size = _size(args.size)
    except ValueError as exc:
        return fail(str(exc), 2)
    if args.screen == "all":
        out_dir = Path(args.out_dir or "kiosk-screens")
        targets = {name: out_dir / f"{name}.png" for name in screens}
    elif args.screen in screens:
        if not args.out:
            return fail("--out FILE is required for one screen", 2)
        targets = {args.screen: Path(args.out)}
    else:
        return fail(f"unknown screen {args.screen!r}; known: {', '.join(screens)}, all", 2)

    from kiosk.ui.shell.app import prepare_environment
    from kiosk.ui.shell.screenshot import ScreenshotError

    setup_logging(settings.log_dir, settings.log_level)
    prepare_environment(offscreen=True)
    written: list[Path] = []
    for role, module in by_role.items():  # each role renders its own screens in one window
        mine = {name: path for name, path in targets.items() if screens[name][0] == role}
        if not mine:
            continue
        try:
            written += module.render(
                settings, mine, size=size, elder=True if args.elder else None, language=args.lang
            )
        except ScreenshotError as exc:
            return fail(f"rendering failed: {exc}")
    if args.json:
        print_json([str(p) for p in written])
    else:
        for path in written:
            print(path)
    return 0
