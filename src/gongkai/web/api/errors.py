"""The API's errors: DRF's own (in Chinese, as ``LANGUAGE_CODE`` is zh-hans), plus the models' validation errors
(400, with their Chinese messages) and a stale ``edit_version`` (``concurrency.StaleEdit``: 409 and the screens'
message).  Separate from ``permissions`` because DRF imports this handler while it is itself being imported."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from gongkai.web.concurrency import STALE_MESSAGE, StaleEdit


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = STALE_MESSAGE
    default_code = "stale"


def _django_errors(error: DjangoValidationError):
    if hasattr(error, "error_dict"):
        return {("non_field_errors" if field == "__all__" else field): messages
                for field, messages in error.message_dict.items()}
    return {"non_field_errors": error.messages}


def exception_handler(exc, context):
    """DRF's handler, plus the models' validation errors (400, their Chinese messages) and stale edits (409)."""
    if isinstance(exc, DjangoValidationError):
        return Response(_django_errors(exc), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, StaleEdit):
        exc = Conflict()
    return drf_exception_handler(exc, context)
