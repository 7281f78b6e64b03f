"""The typer application: global options, `send`, `status` and the other commands. Exit codes: see the
package docstring."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from enum import IntEnum
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from hubspot_email._client import Client
from hubspot_email._constants import LEGACY_API
from hubspot_email._exceptions import HubSpotError, MissingTokenError
from hubspot_email._operations import check_api_version
from hubspot_email._polling import DEFAULT_WAIT_TIMEOUT
from hubspot_email._ratelimit import RateLimiter
from hubspot_email._results import SendStatus, SingleSendResult
from hubspot_email._validation import InvalidInputError, check_wait_seconds

EXIT_CODES_HELP = (
    "Exit codes: 0 sent, accepted or already sent (status: the send's status was found); "
    "1 refused by HubSpot (a failure sendResult, or a canceled send; bulk-send: some rows refused or "
    "invalid); "
    "2 invalid input or bad flags, nothing sent (status: HubSpot knows no send status by that id); "
    "3 failure whose outcome may be unknown: resend with the same --send-id "
    "(send --wait: not final within --wait-timeout, ask again with `hubspot-email status STATUS_ID`; "
    "bulk-send: run the same command again, it resumes from its journal; log-emails, attendance: "
    "some rows may have been created, check HubSpot before resending them)."
)


class ExitCode(IntEnum):
    OK = 0
    REFUSED = 1
    INVALID = 2
    FAILURE = 3


@dataclass(frozen=True)
class Settings:
    base_url: str | None
    token_file: Path | None
    timeout: float | None
    max_retries: int | None
    redis: str | None = None
    api_version: str | None = None  # None: the client's default (legacy)

    def client(self, *, max_connections: int = 10) -> Client:
        """A client; the token is read here (file or environment) and handed to it alone."""
        import httpx

        kwargs: dict[str, object] = {}
        if self.redis is not None:
            kwargs["rate_limiter"] = shared_rate_limiter(self.redis)
        if self.timeout is not None:
            kwargs["timeout"] = self.timeout
        if self.max_retries is not None:
            kwargs["max_retries"] = self.max_retries
        if self.api_version is not None:
            kwargs["api_version"] = self.api_version
        limits = httpx.Limits(max_connections=max_connections, max_keepalive_connections=max_connections)
        token = _read_token(self.token_file)
        try:
            return Client(
                access_token=token,
                base_url=self.base_url,
                transport=httpx.HTTPTransport(limits=limits),
                **kwargs,  # type: ignore[arg-type]
            )
        except InvalidInputError as error:
            if self.token_file is None or error.field != "access_token":
                raise
            # The user gave a file, not an argument: name the flag (the message never holds the token).
            failure = InvalidInputError(
                "--token-file",
                f"{str(self.token_file)!r} holds no usable token ({error})",
                "Write only the access token in the file, on one line.",
            )
        finally:
            token = None
        raise failure


REDIS_HINT = "pip install 'hubspot-email[redis]'"


def _shown_url(url: str) -> str:
    """The URL without its password (a Redis URL may carry one)."""
    from urllib.parse import urlsplit, urlunsplit

    try:
        parts = urlsplit(url)
        if parts.password is None:
            return url
        user = f"{parts.username}:***@" if parts.username else ":***@"
        return urlunsplit(parts._replace(netloc=user + parts.netloc.rsplit("@", 1)[1]))
    except ValueError:
        return "(the --redis URL)"


def shared_rate_limiter(url: str) -> RateLimiter:
    """A rate limiter whose budget lives in Redis, shared by every process that uses the same URL and
    token; exits 2 with a clear message when the redis package is missing or Redis cannot be reached."""
    shown = _shown_url(url)
    try:
        import redis  # noqa: F401
    except ImportError:
        fail(
            ExitCode.INVALID, f"--redis needs the 'redis' extra (the redis package is missing): {REDIS_HINT}"
        )
    from limits.storage import RedisStorage, storage_from_string

    try:
        storage = storage_from_string(url)
    except Exception as error:  # limits raises several kinds for a bad URL
        fail(ExitCode.INVALID, f"--redis {shown}: not a usable Redis URL ({type(error).__name__}: {error})")
    if not isinstance(storage, RedisStorage):
        fail(ExitCode.INVALID, f"--redis {shown}: expected a redis:// or rediss:// URL")
    if not storage.check():
        fail(ExitCode.INVALID, f"--redis {shown}: cannot reach Redis there; nothing was sent")
    return RateLimiter(storage=storage)


def _read_token(path: Path | None) -> str | None:
    """The token in `path` (one line; surrounding white space stripped), or None for the environment."""
    if path is None:
        return None
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InvalidInputError(
            "--token-file", f"cannot read {str(path)!r} ({type(error).__name__})", "Check the path."
        ) from None
    token = text.strip()
    if not token:  # else the client would say "no access token", as if no file had been given
        raise InvalidInputError(
            "--token-file",
            f"{str(path)!r} holds no token (it is empty or only white space)",
            "Write the access token in it, on one line.",
        )
    return token


app = typer.Typer(
    name="hubspot-email",
    help="Send HubSpot emails: one (`send`, and `status` to learn what became of it) or a file of "
    "recipients (`bulk-send`); log email records (`log-emails`) and event attendance (`attendance`) from a "
    "file; serve the simulator (`simulator`).\n\n" + EXIT_CODES_HELP,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _global_options(
    ctx: typer.Context,
    base_url: Annotated[
        str | None,
        typer.Option(
            "--base-url",
            help="HubSpot's API URL (default: $HUBSPOT_BASE_URL, else https://api.hubapi.com).",
            show_default=False,
        ),
    ] = None,
    token_file: Annotated[
        Path | None,
        typer.Option(
            "--token-file",
            help="Read the access token from this file (default: $HUBSPOT_ACCESS_TOKEN). "
            "There is no --token flag: it would show in `ps`.",
            show_default=False,
        ),
    ] = None,
    timeout: Annotated[
        float | None, typer.Option("--timeout", min=0.01, help="Seconds to wait for each answer.")
    ] = None,
    max_retries: Annotated[
        int | None, typer.Option("--max-retries", min=0, help="Retries after a transient failure.")
    ] = None,
    redis: Annotated[
        str | None,
        typer.Option(
            "--redis",
            help="Share the rate budget with other processes through Redis at this URL "
            "(redis://HOST:PORT/DB; needs the 'redis' extra).",
            show_default=False,
        ),
    ] = None,
    api_version: Annotated[
        str | None,
        typer.Option(
            "--api-version",
            help=f"HubSpot's API version: {LEGACY_API!r} (the default: the numbered paths, v4 and v3) or a "
            "date-based version such as 2026-03 or 2026-09 (any later YYYY-MM works too), which calls the "
            "dated successors. `send --legacy` (v1) has no dated successor and is always sent to v1.",
            show_default=False,
        ),
    ] = None,
) -> None:
    if api_version is not None:
        try:  # checked here, so that a dry run refuses a bad version too
            api_version = check_api_version(api_version)
        except InvalidInputError:
            fail(
                ExitCode.INVALID,
                f"--api-version {api_version!r}: expected {LEGACY_API!r} or a date-based version (YYYY-MM) "
                "such as 2026-03 or 2026-09",
            )
    ctx.obj = Settings(
        base_url=base_url,
        token_file=token_file,
        timeout=timeout,
        max_retries=max_retries,
        redis=redis,
        api_version=api_version,
    )


def fail(code: ExitCode, message: str) -> NoReturn:
    typer.echo(f"Error: {message}", err=True)
    raise typer.Exit(int(code))


def exit_for_error(error: HubSpotError, *, send_id: str | None = None) -> NoReturn:
    """The exit code and message for an error raised by the client."""
    if isinstance(error, InvalidInputError):
        fail(ExitCode.INVALID, f"invalid input: {error}")
    if isinstance(error, MissingTokenError):
        fail(ExitCode.INVALID, "no access token: set HUBSPOT_ACCESS_TOKEN or pass --token-file PATH")
    if getattr(error, "may_have_reached_hubspot", True) is False:
        fail(ExitCode.FAILURE, f"{type(error).__name__}: {error}. Nothing was sent; try again later.")
    again = (
        f" Resend with the same --send-id {send_id}: HubSpot sends at most one email per sendId."
        if send_id
        else ""
    )
    fail(
        ExitCode.FAILURE, f"{type(error).__name__}: {error}. The email may or may not have been sent.{again}"
    )


def exit_for_lookup_error(error: HubSpotError, *, accepted_send_id: str | None = None) -> NoReturn:
    """The exit code and message for an error raised while asking for a send's status: never a verdict
    on the send (`accepted_send_id`: the send that was accepted before the asking failed)."""
    if isinstance(error, InvalidInputError | MissingTokenError):
        exit_for_error(error)
    accepted = (
        f" The send was accepted: do not resend it, or only with the same --send-id {accepted_send_id}."
        if accepted_send_id
        else ""
    )
    fail(
        ExitCode.FAILURE,
        f"{type(error).__name__}: {error}. Could not learn the send's status; ask again later.{accepted}",
    )


def parse_pairs(flag: str, pairs: list[str]) -> dict[str, str]:
    """`name=value` flags as a mapping; a pair without `=` or with an empty name exits 2 naming the flag."""
    parsed: dict[str, str] = {}
    for pair in pairs:
        name, equals, value = pair.partition("=")
        if not equals or not name:
            fail(ExitCode.INVALID, f"{flag} {pair!r}: expected name=value")
        parsed[name] = value
    return parsed


def describe(result: SingleSendResult) -> list[str]:
    return [
        f"sendResult: {result.send_result if result.send_result is not None else '-'}",
        f"already_sent: {str(result.already_sent).lower()}",
        f"statusId: {result.status_id or '-'}",
    ]


def _echo(lines: list[str]) -> None:
    for line in lines:
        typer.echo(line)


def describe_status(status: SendStatus) -> list[str]:
    completed_at = status.completed_at.isoformat() if status.completed_at is not None else "-"
    return [
        f"status: {status.status if status.status is not None else '-'}",
        f"sendResult: {status.send_result if status.send_result is not None else '-'}",
        f"final: {str(status.final).lower()}",
        f"completedAt: {completed_at}",
        f"statusId: {status.status_id}",
    ]


def report_waited(status: SendStatus, *, send_id: str, wait_timeout: float) -> None:
    """`send --wait`'s verdict on the status it waited for (its lines are printed already)."""
    ask_again = f"ask again with `hubspot-email status {status.status_id}`"
    if not status.found:
        fail(
            ExitCode.FAILURE,
            f"HubSpot knows no status by the statusId the send answered with; the send was accepted: "
            f"{ask_again}, and resend, if at all, only with the same --send-id {send_id}",
        )
    if not status.final:
        fail(
            ExitCode.FAILURE,
            f"not final after {wait_timeout:g} s (status {status.status or '-'}); the send was accepted and "
            f"may still go out: {ask_again}, and resend, if at all, only with the same --send-id {send_id}",
        )
    if not status.ok:
        fail(ExitCode.REFUSED, f"HubSpot did not send the email: {status.send_result or status.status}")


Repeated = Annotated[list[str] | None, typer.Option(show_default=False)]


@app.command(help="Send one published email to one recipient (v4; --legacy for v1).\n\n" + EXIT_CODES_HELP)
def send(
    ctx: typer.Context,
    email_id: Annotated[int, typer.Option("--email-id", help="The email's content id.", show_default=False)],
    to: Annotated[str, typer.Option("--to", help="The recipient.", show_default=False)],
    from_: Annotated[str | None, typer.Option("--from", help="The From header.", show_default=False)] = None,
    cc: Annotated[list[str] | None, typer.Option("--cc", help="Repeatable.", show_default=False)] = None,
    bcc: Annotated[list[str] | None, typer.Option("--bcc", help="Repeatable.", show_default=False)] = None,
    reply_to: Annotated[
        list[str] | None, typer.Option("--reply-to", help="Repeatable.", show_default=False)
    ] = None,
    send_id: Annotated[
        str | None,
        typer.Option(
            "--send-id",
            help="Idempotency key: HubSpot sends at most one email per sendId. Default: a new one, printed.",
            show_default=False,
        ),
    ] = None,
    prop: Annotated[
        list[str] | None,
        typer.Option("--prop", help="Contact property name=value (repeatable).", show_default=False),
    ] = None,
    custom: Annotated[
        list[str] | None,
        typer.Option("--custom", help="Custom property name=value (repeatable).", show_default=False),
    ] = None,
    legacy: Annotated[bool, typer.Option("--legacy", help="Use the legacy v1 single send.")] = False,
    wait: Annotated[
        bool,
        typer.Option(
            "--wait",
            help="Then poll the send's status until HubSpot is done with it (COMPLETE or CANCELED) and print "
            "its status and sendResult (the v4 send or its dated successor: the legacy send answers with "
            "its final result).",
        ),
    ] = False,
    wait_timeout: Annotated[
        float,
        typer.Option(
            "--wait-timeout",
            help="Seconds --wait polls at most; not final by then: the last status is printed, exit 3.",
        ),
    ] = DEFAULT_WAIT_TIMEOUT,
) -> None:
    settings: Settings = ctx.obj
    contact_properties = parse_pairs("--prop", prop or [])
    custom_properties = parse_pairs("--custom", custom or [])
    if wait and legacy:
        fail(ExitCode.INVALID, "--wait needs the v4 send: the legacy send (--legacy) answers with its result")
    try:
        check_wait_seconds("--wait-timeout", wait_timeout)
    except InvalidInputError as error:
        exit_for_error(error)
    send_id = send_id if send_id is not None else f"cli-{uuid.uuid4()}"
    try:
        client = settings.client()
    except HubSpotError as error:
        exit_for_error(error, send_id=send_id)
    with client:
        try:
            sender = client.send_legacy_email if legacy else client.send_email
            result = sender(
                email_id=email_id,
                to=to,
                from_=from_,
                send_id=send_id,
                reply_to=reply_to or [],
                cc=cc or [],
                bcc=bcc or [],
                contact_properties=contact_properties,
                custom_properties=custom_properties,
            )
        except HubSpotError as error:
            exit_for_error(error, send_id=send_id)
        sent_lines = [*describe(result), f"sendId: {send_id}"]
        if not result.ok:
            _echo(sent_lines)
            hint = " (passing: resend later with the same --send-id)" if result.retryable else ""
            fail(
                ExitCode.REFUSED,
                f"HubSpot did not send the email: {result.send_result or result.message}{hint}",
            )
        if not wait:
            _echo(sent_lines)
            return
        try:
            status = client.wait_for_send(result, timeout=wait_timeout)
        except HubSpotError as error:
            _echo(sent_lines)
            exit_for_lookup_error(error, accepted_send_id=send_id)
    already_sent = result.already_sent or status.already_sent
    _echo([*describe_status(status), f"already_sent: {str(already_sent).lower()}", f"sendId: {send_id}"])
    report_waited(status, send_id=send_id, wait_timeout=wait_timeout)


@app.command(
    name="status",
    help="Print what became of a v4 (or dated) send, by the statusId `send` printed: its status (final "
    "once COMPLETE or CANCELED) and its sendResult.\n\n" + EXIT_CODES_HELP,
)
def send_status(
    ctx: typer.Context,
    status_id: Annotated[
        str, typer.Argument(help="The statusId a v4 send answered with.", show_default=False)
    ],
) -> None:
    settings: Settings = ctx.obj
    try:
        with settings.client() as client:
            status = client.get_send_status(status_id)
    except HubSpotError as error:
        exit_for_lookup_error(error)
    if not status.found:
        fail(
            ExitCode.INVALID,
            f"not found: HubSpot knows no send status by the id {status_id!r} (404). Check it against the "
            "statusId `send` printed; this says nothing of whether the email was sent.",
        )
    _echo(describe_status(status))


def _register_bulk() -> None:
    from ._bulk import bulk_send

    app.command(
        name="bulk-send",
        help="Send one email to every recipient of a CSV or JSONL file, once each, resumably.\n\n"
        + EXIT_CODES_HELP,
    )(bulk_send)


_register_bulk()


def _register_batches() -> None:
    from ._batches import log_emails, record_attendance

    app.command(
        name="log-emails",
        help="Log email engagements on the CRM timeline from a CSV or JSONL file, 100 per call, "
        "resumably. A row that may have reached HubSpot is never resent (there is no idempotency key): "
        "it ends unknown (exit 3).\n\n" + EXIT_CODES_HELP,
    )(log_emails)
    app.command(
        name="attendance",
        help="Record marketing-event attendance (register, attend, cancel) from a CSV or JSONL file of "
        "attendees, resumably; a row that may have reached HubSpot is never resent (exit 3).\n\n"
        + EXIT_CODES_HELP,
    )(record_attendance)


_register_batches()


@app.command(
    help="Serve the loopback HubSpot simulator, with the flags of `python -m hubspot_email.testing` "
    "(see `hubspot-email simulator --help`).",
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True, "help_option_names": []},
    add_help_option=False,
)
def simulator(ctx: typer.Context) -> None:
    try:
        from hubspot_email.testing.__main__ import main as serve
    except ImportError as error:  # without the `testing` extra: its message names what to install
        fail(ExitCode.INVALID, str(error))

    raise typer.Exit(serve(list(ctx.args), prog="hubspot-email simulator"))
