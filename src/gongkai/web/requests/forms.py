"""The admin's forms of a request: the receipt-date confirmation and the event form set whose whole new list
of events is checked by the ledger's rule before anything is saved."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet

from gongkai.web.accounts.access import head_only_message, may_record
from gongkai.web.concurrency import VersionedForm

from .events import EventKind
from .models import RequestEvent, check_timeline, recording_order


class RequestForm(VersionedForm):
    confirm_receipt_date = forms.BooleanField(
        label="确认收到日期", required=False,
        help_text="网络、传真、平常信函的申请在非工作日到达时，收到日期为双方确认之日，最早为下一个工作日；"
                  "确于所填日期确认的，请勾选（条例第三十一条）。")

    def clean(self):
        cleaned = super().clean()
        self.instance.confirm_receipt_date = bool(cleaned.get("confirm_receipt_date"))
        return cleaned


class RequestEventFormSet(BaseInlineFormSet):
    """Events of one request as one list: the ledger checks the list the save would leave (kept rows, changed
    rows, new rows after them in the order entered), not each row against the stored others."""

    user = None
    """The user saving (set by the admin's inline): the office head's events are refused to others."""

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        form.instance.check_timeline_on_save = False  # checked here, as a whole, in clean()
        return form

    def clean(self):
        super().clean()
        if any(form.errors for form in self.forms):
            return
        self._check_head_only()
        rows, has_received = [], False
        for form in self.forms:
            if not form.has_changed() and form.instance.pk is None:
                continue  # an empty extra row
            if self.can_delete and self._should_delete_form(form):
                continue
            row = form.instance
            if row.kind == EventKind.RECEIVED:
                row.occurred_on, has_received = self.instance.received_on, True
            rows.append(row)
        if not has_received and self.instance.received_on is not None:
            rows.append(RequestEvent(request=self.instance, kind=EventKind.RECEIVED,
                                     occurred_on=self.instance.received_on))
        for row in rows:
            row.request = self.instance
            if row.occurred_on is not None and self.instance.received_on and row.occurred_on < self.instance.received_on:
                raise ValidationError(f"{row}：早于收到日期 {self.instance.received_on}")
        received = [row for row in rows if row.kind == EventKind.RECEIVED]
        if len(received) > 1:
            raise ValidationError("每件申请只有一个“收到申请”，日期即收到日期")
        check_timeline(self.instance, recording_order(rows))

    def _check_head_only(self) -> None:
        """An added, changed or removed row of the head's events (批准延期, 作出答复) needs the head."""
        if self.user is None:
            return
        for form in self.forms:
            deleted = self.can_delete and self._should_delete_form(form) and form.instance.pk is not None
            if not (form.has_changed() or deleted):
                continue
            kinds = {form.cleaned_data.get("kind"), form.initial.get("kind")} - {None}
            for kind in sorted(kinds):
                if not may_record(self.user, kind):
                    raise ValidationError(head_only_message(kind))
