"""The login backend: Django's, reading a logged-in user with their profile and its agency in one query.

Every page asks who the user is, what role they have and which agency (``access.profile_of``, the header's
role line); read separately that was three queries per page.
"""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend


class ProfileBackend(ModelBackend):
    def get_user(self, user_id):
        from django.contrib.auth import get_user_model

        model = get_user_model()
        try:
            user = model._default_manager.select_related("profile__agency").get(pk=user_id)
        except model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
