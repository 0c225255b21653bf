"""Login throttling: after a few failed logins for one user name from one address (or many from one address
for any names), that address waits until the oldest failure in the window has aged out.

Failures are counted in the database (``FailedLogin``) so that every worker of the server sees them; a
successful login clears the failures of that user name at that address.  The check runs before the password
is tried, so a right password during the wait is refused too.  One form (``ThrottledLoginForm``) serves the
office login page and the admin's.  The address is the connection's (``REMOTE_ADDR``), unless the connection
comes from a reverse proxy listed in ``GONGKAI_TRUSTED_PROXIES`` (settings ``TRUSTED_PROXIES``): then it is the
client the proxies name in ``X-Forwarded-For`` — the right-most entry that is not itself a trusted proxy, since
every entry left of the proxy's own can be written by the client.  Without that setting, behind a proxy every
client shares the proxy's address, and the per-user limit is what remains.
"""

from __future__ import annotations

import ipaddress
import math
from datetime import timedelta

from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import user_logged_in, user_login_failed
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.dispatch import receiver
from django.utils import timezone

from .models import FailedLogin


def client_address(request) -> str | None:
    if request is None:
        return None
    address = request.META.get("REMOTE_ADDR") or None
    trusted = set(settings.TRUSTED_PROXIES)
    if address not in trusted:
        return address
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    for hop in reversed(forwarded):
        if hop not in trusted:
            return hop if _is_address(hop) else address
    return address


def _is_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def _window() -> timedelta:
    return timedelta(minutes=settings.LOGIN_FAILURE_WINDOW_MINUTES)


def wait_minutes(username: str, address: str | None, now=None) -> int:
    """Minutes this address must wait before trying ``username`` again; 0 when it may try now."""
    now = now or timezone.now()
    recent = FailedLogin.objects.filter(address=address, at__gt=now - _window())
    waits = []
    for failures, limit in ((recent.filter(username=username), settings.LOGIN_FAILURES_PER_USER),
                            (recent, settings.LOGIN_FAILURES_PER_ADDRESS)):
        times = list(failures.order_by("-at").values_list("at", flat=True)[:limit])
        if len(times) >= limit:
            waits.append(times[-1] + _window() - now)  # when the limit-th most recent failure ages out
    if not waits:
        return 0
    return max(1, math.ceil(max(waits).total_seconds() / 60))


@receiver(user_login_failed, dispatch_uid="throttle_record_failure")
def _record_failure(sender, credentials, request=None, **kwargs) -> None:
    FailedLogin.objects.filter(at__lte=timezone.now() - _window()).delete()  # old failures have done their job
    FailedLogin.objects.create(username=str(credentials.get("username", ""))[:150], address=client_address(request))


@receiver(user_logged_in, dispatch_uid="throttle_clear_failures")
def _clear_failures(sender, request, user, **kwargs) -> None:
    FailedLogin.objects.filter(username=user.get_username(), address=client_address(request)).delete()


class ThrottledLoginForm(AuthenticationForm):
    """Django's login form, in Chinese, that first asks whether this address must wait."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "用户名或密码不正确。请注意区分大小写。",
        "inactive": "该账号已停用。",
        "throttled": "登录失败次数过多，请 %(minutes)s 分钟后再试。",
    }

    def clean(self):
        username = self.cleaned_data.get("username")
        if username:
            minutes = wait_minutes(username, client_address(self.request))
            if minutes:
                raise ValidationError(self.error_messages["throttled"], code="throttled",
                                      params={"minutes": minutes})
        return super().clean()


class ThrottledAdminLoginForm(ThrottledLoginForm, AdminAuthenticationForm):
    """The admin's login: throttled the same way, and only for staff accounts (``is_staff``)."""

    error_messages = {
        **ThrottledLoginForm.error_messages,
        "invalid_login": "用户名或密码不正确，或该账号无权进入后台管理。请注意区分大小写。",
    }
