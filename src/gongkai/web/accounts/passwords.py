"""Password rules beside Django's validators: the minimum length with its message in Chinese (Django's own
Chinese catalogue lacks the reworded message of 5.x and would show it in English)."""

from django.contrib.auth import password_validation


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self) -> str:
        return f"密码太短，至少需要 {self.min_length} 个字符。"

    def get_help_text(self) -> str:
        return f"密码至少需要 {self.min_length} 个字符。"
