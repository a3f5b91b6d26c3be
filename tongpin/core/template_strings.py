"""Strings of the project-wide templates (``tongpin/templates/base.html``) for core's catalog.

``makemessages`` run inside ``tongpin/core`` does not see ``tongpin/templates``; listing the
strings here keeps them in core's catalog instead of letting a later run mark them obsolete.
Keep this list in step with base.html.
"""

from django.utils.translation import gettext_noop, pgettext_lazy

BASE_TEMPLATE_STRINGS = (
    gettext_noop("Tongpin"),
    gettext_noop("Party work and business work on one frequency"),
    gettext_noop("Menu"),
    gettext_noop("Close"),
    # a context: Django admin's catalog, which comes first, says 注销 for "Log out"
    pgettext_lazy("session", "Log out"),
)
