from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from simple_history.signals import pre_create_historical_record

from .audit import record_event
from .middleware import get_request_id
from .models import AuditEvent


@receiver(pre_create_historical_record)
def stamp_request_id(sender, history_instance, **kwargs):
    history_instance.request_id = get_request_id()


@receiver(user_logged_in)
def audit_login(sender, request, user, **kwargs):
    record_event(AuditEvent.Kind.LOGIN, user=user, request=request)


@receiver(user_logged_out)
def audit_logout(sender, request, user, **kwargs):
    if user is not None:
        record_event(AuditEvent.Kind.LOGOUT, user=user, request=request)


@receiver(user_login_failed)
def audit_login_failed(sender, credentials, request=None, **kwargs):
    # never store the password; the username is needed to spot brute force
    record_event(
        AuditEvent.Kind.LOGIN_FAILED,
        success=False,
        request=request,
        username=str(credentials.get("username", ""))[:150],
    )
