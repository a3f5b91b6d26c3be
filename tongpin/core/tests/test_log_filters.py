"""Tokens in URL paths never reach the log."""

import logging

from tongpin.core.log_filters import RedactTokens


def _console_handler():
    (handler,) = [
        h
        for h in logging.getLogger().handlers
        if any(isinstance(f, RedactTokens) for f in h.filters)
    ]
    return handler


def test_the_console_handler_writes_no_survey_or_check_in_token():
    handler = _console_handler()
    record = logging.LogRecord(
        "django.request",
        logging.WARNING,
        __file__,
        1,
        "%s: %s",
        ("Not Found", "/s/Zq3vX9kLmN0pQrStUvWxYz12/"),
        None,
    )
    assert handler.filter(record)
    assert record.getMessage() == "Not Found: /s/***/"
    record = logging.LogRecord(
        "waitress", logging.INFO, __file__, 1, "GET /life/checkin/abcDEF123/ 200", None, None
    )
    handler.filter(record)
    assert record.getMessage() == "GET /life/checkin/***/ 200"


def test_other_paths_are_logged_as_they_are():
    record = logging.LogRecord(
        "django.request", logging.WARNING, __file__, 1, "%s: %s", ("Not Found", "/s/done/"), None
    )
    _console_handler().filter(record)
    assert record.getMessage() == "Not Found: /s/done/"
    record = logging.LogRecord("x", logging.WARNING, __file__, 1, "%s", ("/members/12/",), None)
    _console_handler().filter(record)
    assert record.getMessage() == "/members/12/"
