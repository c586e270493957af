"""``kiosk release``: the update repository of signed releases (docs/updates.md)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.cli.output import fail, print_json
from kiosk.config import Settings

if TYPE_CHECKING:
    from kiosk.release.repository import PublishResult


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser(
        "release",
        help="the update repository: keys, releases, signed metadata",
        description="A TUF repository of the program's releases (static files: REPO/metadata and "
        "REPO/targets, served by any web server or CDN). See docs/updates.md.",
    )
    commands = parser.add_subparsers(dest="release_command", metavar="ACTION", required=True)

    p = commands.add_parser(
        "init",
        help="make a repository: root, targets, snapshot and timestamp keys, root metadata",
        description="Makes REPO with four Ed25519 keys. Root and targets private keys go to "
        "REPO/keystore-offline (keep them offline), snapshot and timestamp to REPO/keystore-online. "
        "Prints the root metadata terminals must be shipped with (setting update_root).",
    )
    p.add_argument("repo", metavar="REPO", type=Path, help="an empty or new folder")
    p.add_argument("--json", action="store_true", help="print as JSON")
    p.set_defaults(handler=_init)

    p = commands.add_parser(
        "add",
        help="add a bundle folder as a release: its archive and a patch from the previous release",
        description="Archives BUNDLE_DIR as release V and makes a bsdiff patch from the newest release before "
        "it. Terminals see it after `kiosk release publish`.",
    )
    p.add_argument("repo", metavar="REPO", type=Path)
    p.add_argument("bundle_dir", metavar="BUNDLE_DIR", type=Path, help="the built program's folder")
    p.add_argument(
        "--version", required=True, metavar="V", help="the release's version (newer than every one)"
    )
    p.add_argument("--json", action="store_true", help="print as JSON")
    p.set_defaults(handler=_add)

    p = commands.add_parser(
        "publish",
        help="sign and write the metadata for the releases added (needs the offline keys)",
    )
    p.add_argument("repo", metavar="REPO", type=Path)
    p.add_argument("--json", action="store_true", help="print as JSON")
    p.set_defaults(handler=_publish)

    p = commands.add_parser(
        "refresh",
        help="re-sign snapshot and timestamp with the online keys (run daily: the timestamp expires)",
    )
    p.add_argument("repo", metavar="REPO", type=Path)
    p.add_argument("--json", action="store_true", help="print as JSON")
    p.set_defaults(handler=_refresh)


def _init(args: argparse.Namespace, settings: Settings) -> int:
    from kiosk.release.repository import ReleaseError, init_repository

    try:
        result = init_repository(args.repo)
    except ReleaseError as exc:
        return fail(str(exc))
    if args.json:
        print_json(result)
    else:
        print(f"repository: {result.repository}")
        print(f"root metadata for terminals (setting update_root): {result.root}")
        print(f"online keys (snapshot, timestamp): {result.online_keys}")
    print(
        f"WARNING: the root and targets private keys are in {result.offline_keys}. Move them to an offline "
        "medium now; bring them back only to publish.",
        file=sys.stderr,
    )
    return 0


def _add(args: argparse.Namespace, settings: Settings) -> int:
    from kiosk.release.repository import ReleaseError, add_bundle

    try:
        result = add_bundle(args.repo, args.bundle_dir, args.version)
    except ReleaseError as exc:
        return fail(str(exc))
    if args.json:
        print_json(result)
        return 0
    print(f"archive: {result.archive} ({result.archive_bytes} bytes)")
    if result.patch is not None:
        print(f"patch from {result.previous}: {result.patch} ({result.patch_bytes} bytes)")
    print("not visible to terminals until: kiosk release publish REPO")
    return 0


def _publish(args: argparse.Namespace, settings: Settings) -> int:
    from kiosk.release.repository import ReleaseError, publish

    try:
        result = publish(args.repo)
    except ReleaseError as exc:
        return fail(str(exc))
    return _print_published(args, result)


def _refresh(args: argparse.Namespace, settings: Settings) -> int:
    from kiosk.release.repository import ReleaseError, refresh

    try:
        result = refresh(args.repo)
    except ReleaseError as exc:
        return fail(str(exc))
    return _print_published(args, result)


def _print_published(args: argparse.Namespace, result: PublishResult) -> int:
    if args.json:
        print_json(result)
        return 0
    print(f"releases: {', '.join(result.versions) or '-'} (latest {result.latest or '-'})")
    print(f"timestamp valid until {result.timestamp_expires} (re-sign with: kiosk release refresh REPO)")
    return 0
