"""What both sides read in a submission's body (docs/forms.md): which answer is the applicant's ID number."""

from __future__ import annotations

from typing import Any


def applicant_field(template: dict[str, Any]) -> str:
    """The key of a submission's applicant ID number: the template's field filled from the card's ID number
    (``prefill: id_number``), else ``id_number``. An agent's number in another field is not the applicant's."""
    steps = template.get("steps")
    for step in steps if isinstance(steps, list) else ():
        entries = step.get("fields") if isinstance(step, dict) else None
        for entry in entries if isinstance(entries, list) else ():
            if (
                isinstance(entry, dict)
                and entry.get("prefill") == "id_number"
                and isinstance(entry.get("key"), str)
            ):
                return str(entry["key"])
    return "id_number"
