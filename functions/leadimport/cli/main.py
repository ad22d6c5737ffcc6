"""leadimport: the local stack, tenants, imports and leads from the command line."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from google.auth.exceptions import DefaultCredentialsError
from pydantic import ValidationError

from leadimport.cli.context import Cli
from leadimport.errors import LeadImportError
from leadimport.store.jsonable import plain


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return args.handler(args, Cli())
    except (LeadImportError, ValidationError, TimeoutError, RuntimeError, OSError, ValueError) as exc:
        print(f"leadimport: {exc}", file=sys.stderr)
        return 1
    except DefaultCredentialsError:
        print("leadimport: no local stack is running (start it with `leadimport dev up`) and no Google "
              "credentials are set up for a real project.", file=sys.stderr)
        return 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="leadimport", description=__doc__)
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    dev = commands.add_parser("dev", help="start, stop or inspect the local stack")
    dev.add_argument("action", choices=("up", "down", "status", "token"))
    dev.add_argument("--json", action="store_true")
    dev.add_argument("--email", help="token: the signed-in user's address")
    dev.add_argument("--hd", help="token: the Google Workspace domain claim")
    dev.set_defaults(handler=_dev)

    tenant = commands.add_parser("tenant", help="tenants")
    tenant_commands = tenant.add_subparsers(required=True, metavar="ACTION")
    apply = tenant_commands.add_parser("apply", help="create or update a tenant from JSON")
    apply.add_argument("file", type=Path)
    apply.add_argument("--tenant", required=True)
    apply.add_argument("--json", action="store_true")
    apply.set_defaults(handler=_tenant_apply)

    imp = commands.add_parser("import", help="import a file through the drop bucket and wait for it")
    _import_arguments(imp)
    imp.add_argument("--on-match", choices=("update", "fill-empty", "skip"), default="update")
    imp.add_argument("--mode", choices=("upsert", "create-only", "update-only"), default="upsert")
    imp.add_argument("--replace-tags", action="store_true", help="tags replace a lead's own (default: added)")
    imp.add_argument("--sales-scenario", help="for the opportunities created from subject/date/revenue columns")
    imp.set_defaults(handler=_import, operation="import")

    mail = commands.add_parser("mail", help="email a message (.eml) to the inbound webhook and follow its imports")
    mail.add_argument("file", type=Path)
    mail.add_argument("--tenant", help="deliver to import+TENANT@… whatever the message's To says")
    mail.add_argument("--url", help="another inbound_email webhook (its secret in LEADIMPORT_INBOUND_SECRET)")
    mail.add_argument("--timeout", type=float, default=600.0)
    mail.add_argument("--json", action="store_true")
    mail.set_defaults(handler=_mail)

    _bulk_parser(commands.add_parser("bulk", help="bulk operations on existing leads, from a file of keys (seed 004)"))

    _history_parsers(commands)
    return parser


def _history_parsers(commands: argparse._SubParsersAction) -> None:
    """What imports did, undoing one, templates for the next, and the leads they left."""
    undo = commands.add_parser("undo", help="revert an import: delete what it created, restore what it updated")
    undo.add_argument("job")
    undo.add_argument("--tenant", required=True)
    undo.add_argument("--json", action="store_true")
    undo.set_defaults(handler=_undo)

    history = commands.add_parser("jobs", help="a tenant's imports, newest first")
    history.add_argument("--tenant", required=True)
    history.add_argument("--limit", type=int, default=50)
    history.add_argument("--json", action="store_true")
    history.set_defaults(handler=_jobs)

    template = commands.add_parser("template", help="write an import template (xlsx) to fill in")
    template.add_argument("--kind", choices=("person", "company"), default="person")
    template.add_argument("--locale", choices=("en", "es", "fr", "ru", "pt"), default="en")
    template.add_argument("--tenant", help="add the tenant's users and labels as dropdowns")
    template.add_argument("-o", "--output", type=Path, required=True)
    template.set_defaults(handler=_template)

    leads = commands.add_parser("leads", help="list a tenant's leads")
    leads.add_argument("--tenant", required=True)
    leads.add_argument("--json", action="store_true")
    leads.set_defaults(handler=_leads)


def _bulk_parser(bulk: argparse.ArgumentParser) -> None:
    from leadimport.core.operations import BULK, OPERATIONS

    bulk_commands = bulk.add_subparsers(required=True, metavar="ACTION")
    for name in BULK:  # what each sets is core/operations.py's, shared with start_import's `operation`
        op = OPERATIONS[name]
        action = bulk_commands.add_parser(name, help=op.summary)
        _import_arguments(action)
        if "tags" in op.choices:
            action.add_argument("--tag", action="append", required="tags" in op.needs, help="repeatable")
        if "owner" in op.choices:
            action.add_argument("--owner", help="user email or full name; else the file's owner column")
        if op.replace_tags is None:
            action.add_argument("--replace-tags", action="store_true", help="tags replace a lead's own")
        action.set_defaults(handler=_import, operation=name)
    move = bulk_commands.add_parser("reassign", help="give one user's leads (or the orphans) to another user")
    move.add_argument("--tenant", required=True)
    move.add_argument("--from", dest="from_user", help="the user whose leads move (email or full name)")
    move.add_argument("--to", dest="to_user", required=True)
    move.add_argument("--segment", action="append", default=[], help="only leads in this segment (repeatable)")
    move.add_argument("--orphans", action="store_true", help="also the leads nobody owns")
    move.add_argument("--keep-original", action="store_true", help="the origin user stays on as co-owner")
    move.add_argument("--notify", metavar="EMAIL")
    move.add_argument("--json", action="store_true")
    move.set_defaults(handler=_bulk_reassign)


def _dev(args: argparse.Namespace, cli: Cli) -> int:
    from leadimport.cli.render import stack_status
    from leadimport.devstack.stack import Stack, default_state_dir

    stack = Stack(default_state_dir())
    if args.action == "token":  # an ID token the local HTTP functions accept, as the add-on would send
        from leadimport.devstack.identity import ensure_key, mint_id_token

        config = stack.config()
        if not config or not args.email:
            raise SystemExit("leadimport dev token needs a running stack (dev up) and --email.")
        print(mint_id_token(ensure_key(Path(config["identity"]["key_file"])), args.email, hd=args.hd))
        return 0
    status = {"up": stack.up, "down": stack.down, "status": stack.status}[args.action]()
    print(json.dumps(status, indent=2) if args.json else stack_status(status))
    return 0 if args.action == "down" or status["running"] or args.action == "status" else 1


def _import_arguments(parser: argparse.ArgumentParser) -> None:
    """What every file-driven job takes: the file, its tenant, how to read and map it, what to report."""
    parser.add_argument("file", type=Path)
    parser.add_argument("--tenant", required=True)
    parser.add_argument("--mapping", type=Path, help='JSON object {"column": "field" or null}; remembered for '
                        "files with the same columns unless --no-save-mapping")
    parser.add_argument("--no-save-mapping", action="store_true")
    parser.add_argument("--sheet", help="sheet name or number (default: the first visible sheet)")
    parser.add_argument("--header-row", type=int, help="default: found under any title or blank rows")
    parser.add_argument("--no-header", action="store_true",
                        help="the file has no header row: every row is data, columns named by their letters")
    parser.add_argument("--first-row", type=int)
    parser.add_argument("--last-row", type=int)
    parser.add_argument("--default", action="append", default=[], metavar="FIELD=VALUE")
    parser.add_argument("--match-on", help="comma-separated keys in order: email,phone,id_number,name")
    parser.add_argument("--create-labels", action="store_true",
                        help="create tags, sources, channels, segments and levels the tenant does not have yet")
    parser.add_argument("--dry-run", action="store_true")
    parser.add_argument("--notify", metavar="EMAIL")
    parser.add_argument("--timeout", type=float, default=1800.0, help="seconds to wait for the job")
    parser.add_argument("--json", action="store_true")


def _bulk_reassign(args: argparse.Namespace, cli: Cli) -> int:
    from leadimport.core.models import Reassignment
    from leadimport.run.reassign import reassign

    request = Reassignment(to_user=args.to_user, from_user=args.from_user, segments=args.segment,
                           orphans=args.orphans, keep_original=args.keep_original, notify=args.notify)
    job_id, report = reassign(cli.db, cli.gcs, cli.settings.reports_bucket, args.tenant, request)
    moved = [row.lead_id for row in report.rows]
    undo = f"leadimport undo {job_id} --tenant {args.tenant}"
    print(json.dumps({"job_id": job_id, "reassigned": moved}) if args.json
          else f"Job {job_id}: {len(moved)} leads reassigned (undo with: {undo})")
    return 0


def _tenant_apply(args: argparse.Namespace, cli: Cli) -> int:
    from leadimport.core.tenant_config import TenantConfig
    from leadimport.store.tenants import apply_tenant

    config = TenantConfig.model_validate_json(args.file.read_text(encoding="utf-8"))
    apply_tenant(cli.db, args.tenant, config)
    summary = {"tenant": args.tenant, "users": len(config.users),
               "labels": sum(len(v) for v in config.labels.values())}
    print(json.dumps(summary) if args.json else
          f"Tenant {args.tenant} applied: {summary['users']} users, {summary['labels']} labels")
    return 0


def _import(args: argparse.Namespace, cli: Cli) -> int:
    """`import` and `bulk tag|assign|update`: one path, the operation's options from core/operations.py."""
    from leadimport.cli import import_cmd
    from leadimport.cli.render import import_summary
    from leadimport.core.models import ImportOptions
    from leadimport.core.operations import operation_options

    if not args.file.is_file():
        raise FileNotFoundError(f"No such file: {args.file}")
    base = ImportOptions(
        mapping=json.loads(args.mapping.read_text(encoding="utf-8")) if args.mapping else None,
        save_mapping=not args.no_save_mapping,
        sheet=args.sheet, header_row=args.header_row, no_header=args.no_header, first_row=args.first_row,
        last_row=args.last_row,
        defaults=dict(_pair(item) for item in args.default),
        match_on=[k.strip() for k in args.match_on.split(",") if k.strip()] if args.match_on else None,
        create_labels=args.create_labels, dry_run=args.dry_run, notify=args.notify, filename=args.file.name,
        # only `import` has these flags; a bulk operation sets them itself
        **{k: getattr(args, k) for k in ("on_match", "mode", "replace_tags", "sales_scenario") if hasattr(args, k)},
    )
    options = operation_options(args.operation, base, tags=getattr(args, "tag", None),
                                owner=getattr(args, "owner", None), replace_tags=getattr(args, "replace_tags", None))
    _ = cli.local  # the local stack's environment first: the upload's clients read it
    _, job_id = import_cmd.upload(args.file, args.tenant, options)
    job = import_cmd.wait_for_job(args.tenant, job_id, args.timeout, progress=not args.json and sys.stderr.isatty())
    outcome = import_cmd.job_outcome(job_id, job)
    email = import_cmd.wait_for_email(args.tenant, job_id)
    outcome["email"] = email
    if args.json:
        print(json.dumps(outcome, ensure_ascii=False))
    else:
        print(import_summary(outcome, email, cli.mail_dir))
    return 0 if outcome["status"] == "done" else 2


def _mail(args: argparse.Namespace, cli: Cli) -> int:
    from leadimport.cli import mail_cmd
    from leadimport.cli.render import import_summary
    from leadimport.run.storage_event import parse_upload_path

    if not args.file.is_file():
        raise FileNotFoundError(f"No such file: {args.file}")
    _ = cli.local  # the local stack's environment first: the upload's clients read it
    answer = mail_cmd.post_message(args.file, args.tenant, args.url)
    stored = parse_upload_path(answer["jobs"][0]["object"]) if answer.get("jobs") else None
    tenant = args.tenant or (stored.tenant_id if stored else None)
    outcomes = mail_cmd.follow_jobs(tenant, answer, args.timeout) if tenant else []
    if args.json:
        print(json.dumps({**answer, "outcomes": outcomes}, ensure_ascii=False))
    elif answer["status"] == "refused":
        print(f"Refused ({answer['reason']}); {answer['replies']} reply sent to the sender.")
    else:
        print("\n".join(import_summary(outcome, outcome["email"], cli.mail_dir) for outcome in outcomes))
    return 0 if answer["status"] == "accepted" and all(o["status"] == "done" for o in outcomes) else 2


def _undo(args: argparse.Namespace, cli: Cli) -> int:
    from leadimport.run.undo import undo_job

    report = undo_job(cli.db, cli.tenant(args.tenant), args.job)
    if args.json:
        print(json.dumps(report.model_dump(), ensure_ascii=False))
    else:
        print(f"Undid import {report.job_id}: {report.deleted} leads deleted, {report.restored} restored, "
              f"{report.opportunities_deleted} opportunities deleted, {len(report.left)} left as they are")
        for item in report.left:
            print(f"  lead {item['lead_id']}: {item['reason']}")
    return 0


def _jobs(args: argparse.Namespace, cli: Cli) -> int:
    from leadimport.store.jobs import job_history

    history = [plain(job) for job in job_history(cli.tenant(args.tenant), args.limit)]
    if args.json:
        print(json.dumps(history, ensure_ascii=False))
        return 0
    for job in history:
        counts = job["counts"]
        summary = ", ".join(f"{counts.get(k, 0)} {k}" for k in ("created", "updated", "unchanged", "skipped", "errors"))
        when = (job["created_at"] or "")[:19].replace("T", " ")
        dry = " (dry run)" if job["dry_run"] else ""
        print(f"{when}  {job['job_id']}  {job['status']:<8} {job['filename'] or '?'}{dry}  by "
              f"{job['requested_by'] or 'the command line'}: {counts.get('rows', 0)} rows; {summary}")
    print(f"{len(history)} imports")
    return 0


def _template(args: argparse.Namespace, cli: Cli) -> int:
    from leadimport.report.templates import build_template

    tenant = cli.tenant_config(args.tenant) if args.tenant else None
    args.output.write_bytes(build_template(args.kind, args.locale, tenant))
    print(f"Template written to {args.output}")
    return 0


def _leads(args: argparse.Namespace, cli: Cli) -> int:
    from leadimport.store.leads import stream_leads

    leads = list(stream_leads(cli.tenant(args.tenant)))
    if args.json:
        print(json.dumps(leads, ensure_ascii=False))
    else:
        for lead in leads:
            name = f"{lead.get('first_name', '')} {lead.get('last_name', '')}".strip()
            print(f"{lead['id']}  {name:<30} {lead.get('email', ''):<35} {lead.get('phone', '')}")
        print(f"{len(leads)} leads")
    return 0


def _pair(item: str) -> tuple[str, str]:
    field, sep, value = item.partition("=")
    if not sep or not field.strip():
        raise ValueError(f"--default takes FIELD=VALUE, not {item!r}")
    return field.strip(), value.strip()


if __name__ == "__main__":
    sys.exit(main())
