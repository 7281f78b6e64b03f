"""`HUBSPOT_LOG=debug|info`: turn on the package's logging without touching the application's config.

Read once at import, as generated SDKs do (OPENAI_LOG, STRIPE_LOG). Nothing is logged that holds the
token: the request loop logs operation, status, attempt, wait and correlation id only.
"""

from __future__ import annotations

import logging
import os

from ._constants import LOG_ENV_VAR

LEVELS = {"debug": logging.DEBUG, "info": logging.INFO}
FORMAT = "[%(asctime)s %(levelname)s %(name)s] %(message)s"


def setup_logging(environ: dict[str, str] | None = None) -> int | None:
    """Attach a stderr handler at the level the variable names; the level set, or None when unset."""
    value = (os.environ if environ is None else environ).get(LOG_ENV_VAR, "").strip().lower()
    level = LEVELS.get(value)
    if level is None:
        return None
    loggers = [logging.getLogger("hubspot_email")]
    if level == logging.DEBUG:
        loggers.append(logging.getLogger("httpx"))
    for logger in loggers:
        if not any(getattr(handler, "_hubspot_email", False) for handler in logger.handlers):
            handler = logging.StreamHandler()
            handler.setFormatter(logging.Formatter(FORMAT))
            handler._hubspot_email = True  # type: ignore[attr-defined]  # ours: added once
            logger.addHandler(handler)
        logger.setLevel(level)
    return level
