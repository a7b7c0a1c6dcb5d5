"""The ``harmline`` command: run the bot, the demo, and the operators' tools.

``harmline run --config FILE`` runs the bot (long polling, or a webhook when configured);
``harmline demo`` plays citizens against an embedded Bot API server; ``harmline outbox`` shows
what is waiting or failed; ``harmline retention`` applies the retention periods.
``python -m harmline ARGS`` is the same as ``harmline ARGS``.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import logging
import sys
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

from harmline import updates
from harmline.bot import build_application, build_reading, configure_logging, update_source
from harmline.exports import EXPORT_STATUSES, FORMATS, TLP_LEVELS, write_export
from harmline.i18n import LANGUAGES, Catalogs
from harmline.reports.analyze import Analyzer, stream
from harmline.repositories import OutboxRepository
from harmline.routing import NOTICE, summary_recipients
from harmline.services.intake import utc_now
from harmline.services.summaries import Summaries
from harmline.settings import REGIONAL, ConfigError, Settings, load_settings
from harmline.storage import open_store
from harmline.storage.postgres import redacted
from harmline.storage.units import DatabaseUnavailable
from harmline.summaries.week import Week, last_complete_week
from harmline.updates import StartupError

log = logging.getLogger("harmline")



def _load(path: str, *, existing_database: bool = False) -> Settings:
    """The settings, or one line on stderr and exit 2. With ``existing_database`` (commands that
    read what the bot stored) the database file must exist; else the folder to create it in."""
    from harmline.storage.database import missing_database

    try:
        settings = load_settings(path)
    except ConfigError as error:
        print(f"harmline: config error: {error}", file=sys.stderr)
        raise SystemExit(2) from None
    problem = None if settings.database_url else missing_database(settings.database, create=not existing_database)
    if problem is not None:
        print(f"harmline: {problem}", file=sys.stderr)
        raise SystemExit(2)
    return settings


def command_run(args: argparse.Namespace) -> int:
    settings = _load(args.config)
    configure_logging(settings.log_level, settings.telegram.token, settings.log_format)
    try:
        # Loading the classifier takes a moment; Ctrl-C meanwhile is a stop, not a crash.
        application = build_application(settings)
        services = application.bot_data.services
        assert services is not None and services.feed is not None
        log.info("harmline serving %s, database %s", ", ".join(settings.countries), settings.database)
        asyncio.run(updates.serve(application, services.feed, update_source(application),
                                  settings.telegram.base_url))
    except (StartupError, DatabaseUnavailable) as error:
        log.error("cannot start: %s", error)
        return 2
    except KeyboardInterrupt:  # before serve() handles SIGINT itself
        log.info("stopped while starting")
    return 0


def command_outbox(args: argparse.Namespace) -> int:
    """Operators: the pending and failed deliveries and why (``harmline outbox``), and re-queuing
    the failed ones once the cause is fixed (``harmline outbox retry REF|--failed``)."""
    from harmline.delivery.requeue import plan_requeue
    from harmline.delivery.worker import IDLE_POLL_SECONDS
    from harmline.repositories.outbox import FAILED, PENDING, OutboxEntry

    if not args.config:
        print("harmline outbox: --config FILE is required", file=sys.stderr)
        return 2
    settings = _load(args.config, existing_database=True)
    retrying = getattr(args, "outbox_command", None) == "retry"
    now = utc_now()
    shown = 50

    def when(moment: datetime) -> str:
        seconds = (moment - now).total_seconds()
        if seconds <= 0:
            return "due now"
        ahead = f"{seconds:.0f} s" if seconds < 120 else f"{seconds / 60:.0f} min" if seconds < 7200 \
            else f"{seconds / 3600:.1f} h"
        return f"{moment:%Y-%m-%d %H:%M:%S} UTC (in {ahead})"

    def line(entry: OutboxEntry, tries: str = "") -> str:
        delivery = entry.delivery
        # A citizen's chat id is their Telegram identity: never printed.
        where = delivery.channel if delivery.channel == NOTICE else f"{delivery.channel} {delivery.target}"
        tries += f"{delivery.attempts} attempt{'s' if delivery.attempts != 1 else ''}"
        return f"  {entry.subject:<11}  to {delivery.contact_name} ({where}), {tries}"

    async def show(outbox: OutboxRepository) -> int:
        counts = await outbox.counts()
        print("deliveries: " + (", ".join(f"{state} {n}" for state, n in sorted(counts.items())) or "none"))
        for state, heading in ((PENDING, "pending, next attempt first"), (FAILED, "failed, newest first")):
            entries = await outbox.listing(state, shown)
            if not entries:
                continue
            print(f"\n{heading} ({counts.get(state, 0)}):")
            for entry in entries:
                delivery = entry.delivery
                if state == PENDING:
                    last = f"; last error: {delivery.last_error}" if delivery.last_error else ""
                    print(f"{line(entry)}; next {when(delivery.next_attempt_at)}{last}")
                else:
                    print(f"{line(entry)}: {delivery.last_error or 'no reason recorded'}")
            if counts.get(state, 0) > len(entries):
                print(f"  … and {counts[state] - len(entries)} more")
        if counts.get(FAILED):
            print(f"\nOnce the cause is fixed: harmline outbox retry REF --config {args.config} "
                  "(or --failed for every failed delivery)")
        return 0

    async def retry(outbox: OutboxRepository) -> int:
        subject: str | None = None if args.failed else args.reference.strip()
        if subject is not None and not subject.startswith("summary:"):
            subject = subject.upper()  # as a citizen or contact may have written it
        failed = await outbox.failed_of(subject)
        if not failed:
            if subject is None:
                print("no failed deliveries: nothing to re-queue")
                return 0
            states = await outbox.states_of(subject)
            if states is None:
                print(f"harmline outbox retry: no report {subject}", file=sys.stderr)
            else:
                have = ", ".join(f"{state} {n}" for state, n in sorted(states.items())) or "none"
                print(f"harmline outbox retry: {subject} has no failed deliveries (deliveries: {have})",
                      file=sys.stderr)
            return 1
        planned = plan_requeue(failed, settings)
        requeued = set(await outbox.requeue([plan.change for plan in planned], utc_now()))
        print(f"re-queued {len(requeued)} failed deliver{'y' if len(requeued) == 1 else 'ies'}, due now (a running "
              f"bot picks them up within {IDLE_POLL_SECONDS:.0f} s; no restart needed):")
        for plan in planned:
            if plan.change.id in requeued:
                note = f" — {plan.note}" if plan.note else ""
                print(f"{line(plan.entry, 'failed after ')}: {plan.entry.delivery.last_error}{note}")
        left = [plan for plan in planned if plan.change.id not in requeued]
        if left:
            print("not re-queued (no longer failed, or the new target has this delivery already):")
            for plan in left:
                print(line(plan.entry))
        return 0 if requeued else 1

    async def run() -> int:
        store = open_store(settings.database, settings.database_url, create=False)
        await store.database.open()
        try:
            outbox = store.outbox
            return await (retry(outbox) if retrying else show(outbox))
        finally:
            await store.database.close()

    try:
        return asyncio.run(run())
    except DatabaseUnavailable as error:  # removed since _load looked, or a server down
        print(f"harmline: {error}", file=sys.stderr)
        return 2


def command_retention(args: argparse.Namespace) -> int:
    """Operators: what the retention periods take now (``--dry-run``), or take it now."""
    from harmline.services.retention import Retention

    settings = _load(args.config, existing_database=True)

    async def run() -> int:
        store = open_store(settings.database, settings.database_url, create=False)
        await store.database.open()
        try:
            retention = Retention(store, settings, utc_now)
            cutoffs = {cutoff.country: cutoff for cutoff in retention.cutoffs(retention.clock())}
            print(f"{'country':<8} {'de-identify after':<18} {'received before':<16} {'reports':>8}   "
                  f"{'delete after':<13} {'received before':<16} {'reports':>8}")
            for counts in await retention.preview():
                if counts.country not in settings.countries and not (counts.to_deidentify or counts.to_delete):
                    continue
                period, cutoff = settings.retention.period(counts.country), cutoffs[counts.country]
                print(f"{counts.country:<8} {period.deidentify_after_days:>5} days{'':<8} "
                      f"{cutoff.deidentify_before:%Y-%m-%d}{'':<6} {counts.to_deidentify:>8}   "
                      f"{period.delete_after_days:>5} days{'':<3} {cutoff.delete_before:%Y-%m-%d}{'':<6} "
                      f"{counts.to_delete:>8}")
            if args.dry_run:
                print("dry run: nothing was changed (run without --dry-run to apply; the bot does it daily at "
                      f"{settings.retention.at:%H:%M} UTC)")
                return 0
            done = await retention.run()
            print(f"de-identified {sum(d.deidentified for d in done)} report(s), deleted "
                  f"{sum(d.deleted for d in done)} (audited as retention.deidentified / retention.deleted)")
            return 0
        finally:
            await store.database.close()

    try:
        return asyncio.run(run())
    except DatabaseUnavailable as error:
        print(f"harmline: {error}", file=sys.stderr)
        return 2


def command_dashboard(args: argparse.Namespace) -> int:
    """The web dashboard for moderators and ministries, until interrupted (Ctrl-C or SIGTERM)."""
    import signal

    from harmline.dashboard.server import Dashboard

    settings = _load(args.config, existing_database=True)
    configure_logging(settings.log_level, settings.telegram.token, settings.log_format)

    async def serve() -> None:
        store = open_store(settings.database, settings.database_url, create=False)
        await store.database.open()
        dashboard = Dashboard(settings, store, Catalogs(), utc_now)
        stopped = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stopped.set)
        try:
            await dashboard.start()
            print(f"dashboard on http://{settings.dashboard.listen}:{settings.dashboard.port}/ (Ctrl-C stops it)",
                  flush=True)
            await stopped.wait()
        finally:
            await dashboard.stop()
            await store.database.close()

    try:
        asyncio.run(serve())
    except (DatabaseUnavailable, OSError) as error:  # the database, or the port taken
        print(f"harmline: {error}", file=sys.stderr)
        return 2
    return 0


def command_migrate_db(args: argparse.Namespace) -> int:
    """Copy a deployment's SQLite database into an empty PostgreSQL database."""
    from harmline.storage.transfer import TransferRefused, copy_to_postgres

    source = args.source.removeprefix("sqlite://") if args.source.startswith("sqlite:///") else args.source
    if not args.target.startswith(("postgresql://", "postgres://")):
        print("harmline migrate-db: --to must be a postgresql:// URL", file=sys.stderr)
        return 2
    shown: dict[str, int] = {}

    def progress(table: str, rows: int) -> None:
        if shown.get(table) != rows:
            shown[table] = rows
            print(f"\r  {table}: {rows} rows".ljust(48), end="", file=sys.stderr, flush=True)

    started = time.perf_counter()
    try:
        result = asyncio.run(copy_to_postgres(source, args.target, progress))
    except (TransferRefused, DatabaseUnavailable) as error:
        print(f"\nharmline migrate-db: {error}", file=sys.stderr)
        return 2
    print(file=sys.stderr)
    for table, rows in result.counts.items():
        print(f"{table:>20}  {rows:>9} rows, the same in both")
    print(f"copied in {time.perf_counter() - started:.1f} s; {result.sampled} reports compared field by field. "
          f"Set [storage] url to the PostgreSQL database (and remove storage.database) to run on it.")
    return 0


def command_check_config(args: argparse.Namespace) -> int:
    settings = _load(args.config)
    if settings.database_url is not None:
        # Not connected here: the server may be reachable only from where the bot runs.
        where = f"PostgreSQL {redacted(settings.database_url)}"
    else:
        fresh = settings.database != ":memory:" and not Path(settings.database).exists()
        where = f"database {settings.database}" + (" (new: harmline run creates it)" if fresh else "")
    print(f"config OK: countries {', '.join(settings.countries)}, {len(settings.contacts)} contact(s), "
          f"review {settings.review}, {where}")
    return 0


def command_analyze(args: argparse.Namespace) -> int:
    """JSON lines on stdin → one JSON line per input on stdout; bad lines reported on stderr."""
    detector, classifier = build_reading()
    # Each result leaves as soon as its line is read: a consumer sees it at once, not per 8 KiB.
    if isinstance(sys.stdout, io.TextIOWrapper):
        sys.stdout.reconfigure(line_buffering=True)
    written, bad = stream(Analyzer(detector, classifier), sys.stdin, sys.stdout, sys.stderr)
    if bad:
        print(f"harmline analyze: {written} line(s) analysed, {bad} bad line(s) skipped", file=sys.stderr)
    return 1 if bad else 0


def command_summary(args: argparse.Namespace) -> int:
    """Operators: write a week's summary files (message, charts, PDF, CSV) to a folder."""
    settings = _load(args.config, existing_database=True)
    scope = args.country.upper()
    if scope not in (*settings.countries, REGIONAL):
        print(f"harmline summary: --country {args.country!r} is not served here; use one of "
              f"{', '.join(settings.countries)} or ALL", file=sys.stderr)
        return 2
    try:
        week = Week.parse(args.week) if args.week else last_complete_week(settings.time_zone_of(scope), utc_now())
    except ValueError as error:
        print(f"harmline summary: --week: {error}", file=sys.stderr)
        return 2
    recipients = summary_recipients(scope, settings)
    language = args.language or (recipients[0].language if recipients else "en")

    from harmline.summaries.files import write_files  # matplotlib and fpdf2: only for this command

    async def make() -> list[Path]:
        store = open_store(settings.database, settings.database_url, create=False)
        await store.database.open()
        try:
            summaries = Summaries(store, settings, Catalogs(), utc_now)
            return write_files(await summaries.files(scope, week, language), Path(args.out))
        finally:
            await store.database.close()

    started = time.perf_counter()
    print(f"summary {scope} {week.label} in {language} from {settings.database} …")
    try:
        written = asyncio.run(make())
    except DatabaseUnavailable as error:  # removed since _load looked, or a server down
        print(f"harmline: {error}", file=sys.stderr)
        return 2
    for path in written:
        print(f"  wrote {path} ({path.stat().st_size:,} bytes)")
    print(f"done in {time.perf_counter() - started:.1f} s")
    return 0


def command_export(args: argparse.Namespace) -> int:
    """Investigators and CERTs: reports (by default those forwarded to a contact) and their indicators,
    without reporter data."""
    settings = _load(args.config, existing_database=True)
    country = args.country.upper() if args.country else None
    if country is not None and country not in settings.countries:
        print(f"harmline export: --country {args.country!r} is not served here ({', '.join(settings.countries)})",
              file=sys.stderr)
        return 2
    try:
        since = datetime.fromisoformat(args.since)
    except ValueError:
        print(f"harmline export: --since {args.since!r} is not a date like 2026-11-01", file=sys.stderr)
        return 2
    since = since if since.tzinfo else since.replace(tzinfo=UTC)

    async def export(handle: BinaryIO) -> int:
        store = open_store(settings.database, settings.database_url, create=False)
        await store.database.open()
        try:
            records = store.exports.reports_since(since, country, status=args.status)
            producer = args.producer or " ".join(settings.countries)
            return await write_export(args.format, records, handle, producer=producer, tlp=args.tlp,
                                      status=args.status)
        finally:
            await store.database.close()

    try:
        with Path(args.out).open("wb") as handle:
            count = asyncio.run(export(handle))
    except DatabaseUnavailable as error:  # removed since _load looked, or a server down
        print(f"harmline: {error}", file=sys.stderr)
        return 2
    print(f"exported {count} {args.status} report(s) received since {since.isoformat()} as {args.format}"
          f" to {args.out}")
    return 0


def command_demo(args: argparse.Namespace) -> int:
    from harmline.demo import run_demo  # the demo pulls in the embedded Bot API server; only load it here

    return asyncio.run(run_demo(keep_database=args.database, summary_folder=Path(args.summaries)))


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(
        prog="harmline",
        description="A Telegram bot through which citizens report online scams, illegal gambling and "
                    "fraudulent content to their national contact point.")
    commands = root.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="run the bot")
    run.add_argument("--config", required=True, help="TOML configuration file")
    run.set_defaults(handler=command_run)
    demo = commands.add_parser("demo", help="citizens report against an embedded Bot API server (no token, "
                                            "no network)")
    demo.add_argument("--database", help="keep the demo's SQLite database at this path")
    demo.add_argument("--summaries", default="harmline-demo-summary",
                      help="folder for the weekly summary files the demo makes (default: %(default)s)")
    demo.set_defaults(handler=command_demo)
    from harmline.delivery.worker import IDLE_POLL_SECONDS

    outbox = commands.add_parser(
        "outbox", help="list pending and failed deliveries (why, next attempt); re-queue failed ones",
        usage="%(prog)s --config FILE [retry (REF | --failed)]",
        description="Lists the deliveries waiting or failed, by report reference (or summary), with "
                    "recipient, channel, attempts, the last reason and the next attempt.")
    outbox.add_argument("--config", help="TOML configuration file (required)")
    outbox.set_defaults(handler=command_outbox)
    outbox_commands = outbox.add_subparsers(dest="outbox_command", title="commands")
    retry = outbox_commands.add_parser(
        "retry", help="re-queue failed deliveries once their cause is fixed", prog="harmline outbox retry",
        usage="%(prog)s (REF | --failed) --config FILE",
        description="Puts failed deliveries back in the outbox: pending, due now, attempts reset (the last "
                    "reason stays until the next attempt). A contact's chat id or webhook URL is taken from "
                    "the configuration as it is now, so fix it there first. A running bot picks them up "
                    f"within {IDLE_POLL_SECONDS:.0f} seconds, without a restart.")
    retry.add_argument("--config", default=argparse.SUPPRESS, help="TOML configuration file")
    which = retry.add_mutually_exclusive_group(required=True)
    which.add_argument("reference", nargs="?", metavar="REF",
                       help="a report's reference (MY-7KQ4XP2D), or a summary as listed (summary:TH:2026-W47)")
    which.add_argument("--failed", action="store_true", help="every failed delivery")
    analyze = commands.add_parser("analyze", help="read JSON lines ({\"text\": …}) on stdin, write language, "
                                                  "category and indicators as JSON lines")
    analyze.set_defaults(handler=command_analyze)
    summary = commands.add_parser("summary", help="write a weekly summary (message, charts, PDF, CSV) to a folder")
    summary.add_argument("--config", required=True)
    summary.add_argument("--country", required=True, help="a served country code, or ALL for the regional summary")
    summary.add_argument("--week", help="ISO week, like 2026-W47 (default: the last complete week)")
    summary.add_argument("--language", choices=LANGUAGES, help="default: the language of the scope's first "
                                                               "summary contact, else English")
    summary.add_argument("--out", required=True, help="folder for the files (created if missing)")
    summary.set_defaults(handler=command_summary)
    export = commands.add_parser("export", help="reports (by status: forwarded by default) and their indicators as "
                                                "CSV, JSON Lines or a STIX 2.1 bundle (no reporter data)")
    export.add_argument("--config", required=True)
    export.add_argument("--format", required=True, choices=sorted(FORMATS))
    export.add_argument("--status", default="forwarded", choices=EXPORT_STATUSES,
                        help="which reports: forwarded = delivered to a national contact and not since found "
                             "harmless, merged or withdrawn (default); confirmed = confirmed by a moderator; "
                             "received = every report but those withdrawn or still being written (never one "
                             "the citizen asked to keep on file only)")
    export.add_argument("--since", required=True, help="received on or after this date (UTC), like 2026-11-01")
    export.add_argument("--country", help="one served country (default: all)")
    export.add_argument("--out", required=True, help="the file to write")
    export.add_argument("--tlp", default="amber", choices=TLP_LEVELS, help="STIX: the TLP marking (default amber)")
    export.add_argument("--producer", help="STIX: the name of this deployment, e.g. \"Thailand pilot\" (the "
                                           "Identity is \"harmline: NAME\"; default: the served countries)")
    export.set_defaults(handler=command_export)
    migrate = commands.add_parser(
        "migrate-db", help="copy a SQLite database into an empty PostgreSQL database (verified)",
        description="Copies every table (ids kept) from one consistent moment of the SQLite database, "
                    "which may be in use, into an empty PostgreSQL database, then compares counts and "
                    "sampled reports. Stop the bot before switching it to the copy.")
    migrate.add_argument("--from", dest="source", required=True, metavar="sqlite:///FILE",
                         help="the SQLite database (a sqlite:/// URL or a path)")
    migrate.add_argument("--to", dest="target", required=True, metavar="postgresql://…",
                         help="an empty PostgreSQL database")
    migrate.set_defaults(handler=command_migrate_db)
    retention = commands.add_parser(
        "retention", help="de-identify, then delete, reports past their retention period ([retention])",
        description="Reports older than deidentify_after_days lose their words, screenshot texts, files, "
                    "forward names and reporter (indicators, category, country, dates and losses stay for the "
                    "figures and /check); older than delete_after_days they are deleted. The running bot "
                    "does this daily; this command shows what would go (--dry-run) or does it now.")
    retention.add_argument("--config", required=True)
    retention.add_argument("--dry-run", action="store_true", help="only show what would be de-identified or deleted")
    retention.set_defaults(handler=command_retention)
    dashboard = commands.add_parser(
        "dashboard", help="the web dashboard: sign in with Telegram; figures, indicators and (moderators) reports",
        description="Serves [dashboard] listen:port until interrupted. Moderators and admins see their "
                    "countries' figures and reports; ministry viewers ([[viewers]]) figures and "
                    "indicators only.")
    dashboard.add_argument("--config", required=True)
    dashboard.set_defaults(handler=command_dashboard)
    check = commands.add_parser("check-config", help="validate a configuration file")
    check.add_argument("--config", required=True)
    check.set_defaults(handler=command_check_config)
    return root


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    handler: Callable[[argparse.Namespace], int] = args.handler
    return handler(args)


if __name__ == "__main__":
    sys.exit(main())
