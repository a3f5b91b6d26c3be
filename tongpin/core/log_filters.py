"""Log filters set up in ``settings.LOGGING``."""

import logging
import re

# Secrets that travel in URL paths: one-time survey links (/s/<token>/) and meeting check-in
# codes (/life/checkin/<token>/). A logged token with its time could tie an anonymous survey
# response to its link (the 404 of a double submit is logged just after the answer), so no
# handler ever writes one.
TOKEN_IN_PATH = re.compile(r"(/s/|/checkin/)(?!done/)[^/\s\"'?]+")


def redact(value):
    return TOKEN_IN_PATH.sub(r"\1***", value) if isinstance(value, str) else value


class RedactTokens(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact(arg) for arg in record.args)
        elif isinstance(record.args, dict):
            record.args = {key: redact(arg) for key, arg in record.args.items()}
        return True
