from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "gongkai.web.accounts"
    verbose_name = "用户"

    def ready(self) -> None:
        from . import lookups, throttle  # noqa: F401  (throttle connects the login-failure signals)

        lookups.register()
