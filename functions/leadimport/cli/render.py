"""What the CLI prints for a person (the --json output is the contract; this is for eyes)."""

from __future__ import annotations

from typing import Any


def import_summary(outcome: dict[str, Any], email: str, mail_dir: str | None) -> str:
    counts = outcome["counts"]
    lines = [f"Job {outcome['job_id']}: {outcome['status']}"]
    if outcome.get("error"):
        lines.append(f"  Error: {outcome['error']}")
    lines.append(f"  Rows read: {counts.get('rows', 0)}")
    for key in ("created", "updated", "unchanged", "skipped", "errors"):
        lines.append(f"    {key:<10}{counts.get(key, 0):>7}")
    mapped = [m for m in outcome["mapping"] if m["field"]]
    if mapped:
        lines.append("  Mapping: " + ", ".join(f"{m['column']} → {m['field']}" for m in mapped))
    for note in outcome.get("notes", []):
        lines.append(f"  Note: {note}")
    errors = [(r["row"], e["message"]) for r in outcome["rows"] for e in r["errors"]]
    if errors:
        lines.append("  First rows not imported:")
        lines += [f"    row {row}: {message}" for row, message in errors[:10]]
        if len(errors) > 10:
            lines.append(f"    … and {len(errors) - 10} more (see the report email)")
    where = f" — saved in {mail_dir}" if mail_dir and email == "sent" else ""
    lines.append(f"  Report email: {email}{where}")
    return "\n".join(lines)


def stack_status(status: dict[str, Any]) -> str:
    if not status.get("processes"):
        return f"Local stack: not running (state folder {status['state_dir']})"
    lines = [f"Local stack: {'running' if status['running'] else 'partly running'} ({status['state_dir']})"]
    emulator = status.get("firestore_emulator") or {}
    lines.append(f"  Firestore emulator  {status['firestore']}  {emulator.get('name', '')}")
    lines.append(f"  Cloud Storage       {status['storage']}  buckets: {', '.join(status['buckets'].values())}")
    for name, url in status["functions"].items():
        lines.append(f"  {name:<19} {url}")
    if "http_functions" in status:
        lines.append(f"  HTTP functions      {status['http_functions']}/<name>  (leadimport dev token --email …)")
    lines.append(f"  SMTP                {status['smtp']}  → {status['mail_dir']}")
    for name, proc in status["processes"].items():
        lines.append(f"  [{'up' if proc['alive'] else 'DOWN'}] {name} pid {proc['pid']}  log {proc['log']}")
    return "\n".join(lines)
