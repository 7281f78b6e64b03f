"""`python -m hubspot_email.testing`: serve the simulator on loopback until interrupted.

python -m hubspot_email.testing --port 8765 --bounced gone@example.com --rate-limit 10/1
HUBSPOT_ACCESS_TOKEN=anything python your_app.py  # with base_url="http://127.0.0.1:8765"
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import threading
from collections.abc import Sequence

from ._decisions import Faults, RateLimit
from ._simulator import Simulator


def _rate_limit(text: str) -> RateLimit:
    """'100/10' -> 100 requests per 10 seconds."""
    try:
        requests, seconds = text.split("/")
        return RateLimit(max_requests=int(requests), interval=float(seconds))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected REQUESTS/SECONDS such as 100/10, got {text!r}") from None


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m hubspot_email.testing", description="Serve the HubSpot email simulator on loopback."
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8765, help="port (default: 8765; 0 picks a free one)")
    parser.add_argument("--bounced", action="append", default=[], metavar="ADDRESS")
    parser.add_argument("--unsubscribed", action="append", default=[], metavar="ADDRESS")
    parser.add_argument("--blocked", action="append", default=[], metavar="ADDRESS_OR_DOMAIN")
    parser.add_argument("--rate-limit", type=_rate_limit, default=RateLimit(), metavar="REQUESTS/SECONDS")
    parser.add_argument("--seed", type=int, default=0, help="seed for ids and injected faults")
    parser.add_argument("--server-error-rate", type=float, default=0.0)
    parser.add_argument("--reset-rate", type=float, default=0.0)
    parser.add_argument("--slow-rate", type=float, default=0.0)
    parser.add_argument("--malformed-rate", type=float, default=0.0)
    parser.add_argument("--timeout-after-acting-rate", type=float, default=0.0)
    parser.add_argument("--bad-encoding-rate", type=float, default=0.0)
    return parser.parse_args(argv)


def build_simulator(args: argparse.Namespace) -> Simulator:
    return Simulator(
        bounced=args.bounced,
        unsubscribed=args.unsubscribed,
        blocked=args.blocked,
        rate_limit=args.rate_limit,
        seed=args.seed,
        faults=Faults(
            seed=args.seed,
            server_error_rate=args.server_error_rate,
            reset_rate=args.reset_rate,
            slow_rate=args.slow_rate,
            malformed_rate=args.malformed_rate,
            timeout_after_acting_rate=args.timeout_after_acting_rate,
            bad_encoding_rate=args.bad_encoding_rate,
        ),
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    simulator = build_simulator(args)
    with simulator.serve(args.host, args.port) as base_url:
        print(f"HubSpot simulator listening on {base_url} (any bearer token is accepted; Ctrl-C stops it)")
        sys.stdout.flush()
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
