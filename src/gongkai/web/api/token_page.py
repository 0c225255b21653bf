"""``account/token/``: a logged-in user sees whether they have an API token and makes (or replaces) it.

The token is shown once, right after it is made; replacing it makes the old one stop working at once.  Both
are written to the audit log (the token itself never is).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from rest_framework.authtoken.models import Token

from gongkai.web.audit.models import AuditEntry
from gongkai.web.audit.recording import record
from gongkai.web.office.rows import role_label, shows_agency


def rotate_token(user) -> str:
    """A new API token for ``user``, replacing any old one (which stops working); returns the new key."""
    Token.objects.filter(user=user).delete()
    key = Token.objects.create(user=user).key
    record(AuditEntry.Action.UPDATE, "authtoken.Token", user.pk, changes={"token": ["", "（已重新生成）"]},
           user=user)
    return key


@never_cache  # the new token is on the page: never kept by a browser's or proxy's cache
@login_required
@require_http_methods(["GET", "POST"])
def token_page(request):
    key = rotate_token(request.user) if request.method == "POST" else None
    context = {"role": role_label(request.user), "show_agency": shows_agency(request.user), "nav": "token",
               "has_token": key is not None or Token.objects.filter(user=request.user).exists(), "key": key}
    return render(request, "api/token.html", context)
