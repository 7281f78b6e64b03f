"""`python -m hubspot_email.testing`: serve the simulator on loopback until interrupted.

    python -m hubspot_email.testing --port 0 --token pat-test:transactional-email --bounced gone@example.com
    HubSpot simulator listening on http://127.0.0.1:41234 (...)
    POST /marketing/v4/email/single-send 200 2.3ms
    GET /marketing/v3/email/send-statuses/3f5c2a0e-8d4b-4c1e-9a7f-2b6d1e0c9a14 200 0.9ms
    POST /crm/v3/objects/emails/batch/create 500 fault=server_error 1.1ms

The first line printed gives the base URL (with the port picked when `--port 0`); then one line per
request: method, path, status (`-` when the connection was dropped), the injected fault if any, and
the time taken. Never a header, a body or a query string: a token can travel in any of them.

Two endpoints are the simulator's own, answered without a token, a budget or faults, and not
themselves recorded (they work in process too, through `Simulator.transport`):

`POST /_simulator/reset` forgets everything, as `Simulator.reset()`; answers `{"status": "reset"}`.

`GET /_simulator/record` answers what happened since the last reset, as `Simulator.record()`:

    {
      "deliveries": [{"api": "v4", "email_id": 1, "to": "ada@example.com", "send_id": "order-42",
                      "event_id": "...", "from": null, "reply_to": [], "cc": [], "bcc": [],
                      "contact_properties": {}, "custom_properties": {}}],
      "emails": [{"id": "70000000001", "properties": {"hs_timestamp": "..."},
                  "associations": [{"to": {"id": "101"}, "types": [...]}],
                  "object_write_trace_id": "trace-1"}],
      "contacts": [{"vid": 1001, "email": "bob@example.com", "properties": {"firstname": "Bob"}}],
      "attendance": [{"event_id": "58237132332", "state": "register", "email": "bob@example.com",
                      "vid": 1001, "interaction_date_time": 1795000000000, "properties": {}}],
      "exchanges": [{"operation": "sendSingleEmail", "status": 200, "fault": null, "count": 2}],
      "max_records": 100000,
      "dropped": {"deliveries": 0, "emails": 0, "attendance": 0, "exchanges": 0}
    }

deliveries: single sends whose result was SENT; emails: engagements created; contacts: created by
attendance; attendance: attendance recorded. Each list keeps its newest `--max-records` entries, and
`dropped` counts those forgotten. exchanges: requests answered, counted by operation (null when no
operation matched), status (null when a fault dropped the connection or held the answer) and fault;
the counts stay whole past the cap. A dated successor is counted under its own operation
(`sendSingleEmailDated`, ...), so the record says which path family a client called; what it did
(deliveries, emails, contacts, attendance) is recorded as for its numbered twin.
"""

from __future__ import annotations

import argparse
import contextlib
import ipaddress
import signal
import sys
import threading
from collections.abc import Sequence
from types import FrameType
from typing import NoReturn

from ._asgi import bind, serve_in_thread
from ._clock import zone
from ._decisions import Faults, RateLimit
from ._options import ALL_SCOPES
from ._simulator import Simulator

PROG = "python -m hubspot_email.testing"
DEFAULT_MAX_RECORDS = 100_000
FAULT_RATES = (
    ("server_error_rate", "a 5xx (500, 502, 503 or 504) before acting"),
    ("reset_rate", "the connection dropped before acting"),
    ("slow_rate", "the answer delayed by --slow-seconds"),
    ("malformed_rate", "acted, then a 200 whose body is not the documented JSON"),
    ("timeout_after_acting_rate", "acted, then the answer held for --hang-seconds"),
    ("bad_encoding_rate", "acted, then the answer labelled gzip, which it is not"),
    ("rate_limited_rate", "a 429 TEN_SECONDLY_ROLLING before acting, on every operation (single sends too)"),
)


def _rate_limit(text: str) -> RateLimit:
    """'100/10' -> 100 requests per 10 seconds."""
    try:
        requests, seconds = text.split("/")
        limit = RateLimit(max_requests=int(requests), interval=float(seconds))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected REQUESTS/SECONDS such as 100/10, got {text!r}") from None
    if limit.max_requests < 0 or not limit.interval > 0:
        raise argparse.ArgumentTypeError(f"expected a count >= 0 and seconds > 0, got {text!r}")
    return limit


def _token(text: str) -> tuple[str, frozenset[str]]:
    """'TOKEN' -> every scope; 'TOKEN:scope,scope' -> those scopes."""
    token, _, scopes = text.partition(":")
    if not token.strip():
        raise argparse.ArgumentTypeError("expected TOKEN or TOKEN:scope,scope, got an empty token")
    chosen = frozenset(scope.strip() for scope in scopes.split(",") if scope.strip())
    return token.strip(), chosen or ALL_SCOPES


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected a number >= 0, got {text!r}")
    return value


def _port(text: str) -> int:
    value = _count(text)
    if value > 65535:
        raise argparse.ArgumentTypeError(f"expected a port from 0 to 65535, got {text!r}")
    return value


def _rate(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a chance from 0 to 1, got {text!r}") from None
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"expected a chance from 0 to 1, got {text!r}")
    return value


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected seconds, got {text!r}") from None
    if not value >= 0:
        raise argparse.ArgumentTypeError(f"expected seconds >= 0, got {text!r}")
    return value


def _timezone(text: str) -> str:
    try:
        zone(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
    return text


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        """One line on stderr (not the whole usage, which runs to many lines), and exit status 2."""
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def build_parser(prog: str = PROG) -> argparse.ArgumentParser:
    parser = _Parser(
        prog=prog,
        description="Serve the HubSpot email simulator on loopback. GET /_simulator/record shows what "
        "it did; POST /_simulator/reset forgets it.",
    )
    where = parser.add_argument_group("where")
    where.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to bind (default: 127.0.0.1); only a loopback address unless --allow-non-loopback",
    )
    where.add_argument(
        "--allow-non-loopback",
        action="store_true",
        help="allow a --host other machines can reach. Off by default: the simulator accepts any token "
        "(unless --token is given), speaks plain HTTP, and anyone who reaches it can read its record "
        "(addresses, properties) or reset it",
    )
    where.add_argument(
        "--port", type=_port, default=8765, help="port (default: 8765; 0 picks a free one, printed at start)"
    )
    account = parser.add_argument_group("the account")
    account.add_argument(
        "--token",
        action="append",
        type=_token,
        default=[],
        metavar="TOKEN[:SCOPE,SCOPE]",
        help="a token the account knows, with its scopes (all four without any); repeatable. "
        "None given: any bearer token is accepted, with every scope",
    )
    account.add_argument(
        "--email-id",
        action="append",
        type=int,
        default=None,
        metavar="ID",
        help="a published email id; repeatable (none given: every id; others give MISSING_CONTENT)",
    )
    account.add_argument(
        "--event",
        action="append",
        default=None,
        metavar="ID",
        help="a marketing event id that exists; repeatable (none given: every id; others give 404)",
    )
    account.add_argument(
        "--record-id",
        action="append",
        default=None,
        metavar="ID",
        help="a CRM record id engagements may be associated with; repeatable (none given: every numeric id)",
    )
    account.add_argument(
        "--bounced", action="append", default=[], metavar="ADDRESS", help="a bounced address; repeatable"
    )
    account.add_argument(
        "--unsubscribed",
        action="append",
        default=[],
        metavar="ADDRESS",
        help="an unsubscribed address; repeatable",
    )
    account.add_argument(
        "--blocked",
        action="append",
        default=[],
        metavar="ADDRESS_OR_DOMAIN",
        help="a blocked address or domain (@example.com); repeatable",
    )
    account.add_argument(
        "--batch-status",
        type=int,
        choices=(200, 201),
        default=201,
        help="status of a fully created batch (default: 201 as documented; 200 as HubSpot has answered)",
    )
    account.add_argument(
        "--send-completion-delay",
        type=_seconds,
        default=0.0,
        metavar="SECONDS",
        help="seconds from a v4 send's acceptance to its completion (default: 0, at once); until then the "
        "send and GET /marketing/v3/email/send-statuses/{statusId} answer PENDING with no sendResult",
    )
    budget = parser.add_argument_group("the app's budget (single sends are exempt)")
    budget.add_argument(
        "--rate-limit",
        type=_rate_limit,
        default=RateLimit(),
        metavar="REQUESTS/SECONDS",
        help="the rolling window (default: 100/10)",
    )
    budget.add_argument(
        "--daily", type=_count, default=None, metavar="N", help="requests per day (default: 250000)"
    )
    budget.add_argument(
        "--timezone",
        type=_timezone,
        default="UTC",
        metavar="ZONE",
        help="the account's IANA time zone; the daily budget restarts at its midnight (default: UTC)",
    )
    faults = parser.add_argument_group("injected faults (each a chance from 0 to 1; together at most 1)")
    for name, what in FAULT_RATES:
        faults.add_argument(
            "--" + name.replace("_", "-"), type=_rate, default=0.0, metavar="CHANCE", help=what
        )
    faults.add_argument(
        "--slow-seconds",
        type=_seconds,
        default=Faults.slow_seconds,
        help="delay of a slow answer (default: 0.2)",
    )
    faults.add_argument(
        "--hang-seconds",
        type=_seconds,
        default=Faults.hang_seconds,
        help="how long a held answer is held (default: 30)",
    )
    faults.add_argument(
        "--rate-limited-retry-after",
        type=_count,
        default=None,
        metavar="SECONDS",
        help="Retry-After on the injected 429s (default: none, as HubSpot documents none for them)",
    )
    faults.add_argument("--seed", type=int, default=0, help="seed for ids and injected faults (default: 0)")
    parser.add_argument(
        "--max-records",
        type=_count,
        default=DEFAULT_MAX_RECORDS,
        metavar="N",
        help=f"keep the newest N of each record list (default: {DEFAULT_MAX_RECORDS}), so a long run "
        "stays bounded; de-duplication by sendId is unaffected",
    )
    return parser


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    return build_parser().parse_args(argv)


def build_simulator(args: argparse.Namespace) -> Simulator:
    rate_limit: RateLimit = args.rate_limit
    if args.daily is not None:
        rate_limit = RateLimit(rate_limit.max_requests, rate_limit.interval, args.daily)
    return Simulator(
        tokens=dict(args.token) or None,
        email_ids=args.email_id,
        events=args.event,
        record_ids=args.record_id,
        bounced=args.bounced,
        unsubscribed=args.unsubscribed,
        blocked=args.blocked,
        rate_limit=rate_limit,
        batch_status=args.batch_status,
        timezone=args.timezone,
        max_records=args.max_records,
        seed=args.seed,
        send_completion_delay=args.send_completion_delay,
        faults=Faults(
            seed=args.seed,
            slow_seconds=args.slow_seconds,
            hang_seconds=args.hang_seconds,
            rate_limited_retry_after=args.rate_limited_retry_after,
            **{name: getattr(args, name) for name, _ in FAULT_RATES},
        ),
    )


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _log(line: str) -> None:
    print(line, flush=True)


def _stop(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def main(argv: Sequence[str] | None = None, *, prog: str = PROG) -> int:
    """Serve until interrupted; `prog` names the command in usage and errors."""
    parser = build_parser(prog)
    args = parser.parse_args(argv)
    if not (args.allow_non_loopback or is_loopback(args.host)):
        parser.error(
            f"--host {args.host} is not a loopback address: pass --allow-non-loopback to serve the "
            "simulator to other machines (it accepts any token and lets anyone reset it)"
        )
    try:
        simulator = build_simulator(args)
    except ValueError as error:
        parser.error(str(error))
    host = "127.0.0.1" if args.host == "localhost" else args.host
    try:
        sock = bind(host, args.port)
    except OSError as error:
        print(f"{prog}: cannot listen on {host}:{args.port}: {error.strerror or error}", file=sys.stderr)
        return 1
    signal.signal(signal.SIGTERM, _stop)
    try:
        with serve_in_thread(simulator, sock=sock, log=_log) as base_url:
            tokens = "only the --token tokens" if args.token else "any bearer token"
            _log(f"HubSpot simulator listening on {base_url} ({tokens} accepted; Ctrl-C stops it)")
            with contextlib.suppress(KeyboardInterrupt):
                threading.Event().wait()
    except RuntimeError as error:
        print(f"{prog}: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
