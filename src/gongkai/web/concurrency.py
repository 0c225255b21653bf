"""Optimistic concurrency: no edit silently overwrites another.

Every editable record carries a ``version`` that each save increments.  A change form carries the version the
user saw (``VersionedForm``'s hidden ``edit_version``; an admin that lists its fields must name it); the form is
refused with a clear message when the record has moved on since (the row is locked while the form is checked,
inside the admin's transaction), and the model's own save only writes when the stored version is still the one
the edit started from (a conditional ``UPDATE``), so not even a save that bypasses the form can overwrite a newer edit: it raises ``StaleEdit`` and nothing is written.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db import models, transaction

STALE_MESSAGE = ("此记录在您打开后已被他人修改，您的修改未保存。请复制您填写的内容，重新打开此页面查看最新内容后再修改。"
                 " (This record was changed by someone else after you opened it; your changes were not saved.)")


class StaleEdit(Exception):
    """A save started from a version that is no longer the stored one."""


class Versioned(models.Model):
    version = models.PositiveIntegerField("版本", default=0, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        if self._state.adding:
            super().save(*args, **kwargs)
            return
        with transaction.atomic(using=kwargs.get("using")):
            claimed = (type(self)._base_manager.filter(pk=self.pk, version=self.version)
                       .update(version=models.F("version") + 1))
            if not claimed:
                raise StaleEdit(f"{self._meta.label} {self.pk}: version {self.version} is no longer current")
            self.version += 1
            super().save(*args, **kwargs)


class VersionedForm(forms.ModelForm):
    """A model form that carries the record's version and refuses a stale one."""

    edit_version = forms.IntegerField(label="版本", widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["edit_version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        if self.instance._state.adding or not set(self.changed_data) - {"edit_version"}:
            return cleaned  # new, or the same values as stored (an untouched inline row): nothing to overwrite
        seen = cleaned.get("edit_version")
        stored = (type(self.instance)._base_manager.select_for_update()
                  .filter(pk=self.instance.pk).values_list("version", flat=True).first())
        if seen is None or seen != stored:
            raise ValidationError(STALE_MESSAGE, code="stale")
        self.instance.version = seen
        return cleaned


class VersionedAdmin:
    """A ModelAdmin mixin: versioned change forms, and a save that loses a race comes back as the form.

    The form's check and the write are two steps; should another save land between them, the model refuses
    the write (``StaleEdit``) and the admin's transaction rolls back.  The same POST is then shown again: the
    form's own check now sees the newer version and re-renders with the stale-edit message and everything the
    user typed, instead of an error page.
    """

    form = VersionedForm

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except StaleEdit:
            return super().changeform_view(request, object_id, form_url, extra_context)
