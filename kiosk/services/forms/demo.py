"""The demo's form templates (resources/demo/forms) put into an empty cache, as if the center's form-template
feed had delivered them, so ``kiosk run --demo`` offers forms without a center."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

from kiosk.domain.forms import parse_template
from kiosk.resources_path import resources_dir
from kiosk.store import sync_state
from kiosk.store.database import Database

log = logging.getLogger(__name__)


def seed_demo_forms(database: Database) -> int:
    """Cache the demo templates when no template is cached yet; returns how many were added."""
    conn = database.connection()
    if sync_state.form_templates(conn):
        return 0
    stamp = datetime.now(UTC).isoformat(timespec="seconds")
    added = 0
    with database.transaction() as conn:
        for path in sorted((resources_dir() / "demo" / "forms").glob("*.json")):
            document = json.loads(path.read_text(encoding="utf-8"))
            template = parse_template(document)
            values = {"document": json.dumps(document, ensure_ascii=False, sort_keys=True)}
            sync_state.apply_entry(conn, "form_templates", template.code, template.version, values, stamp)
            added += 1
    log.info("demo: %d form templates cached", added)
    return added
