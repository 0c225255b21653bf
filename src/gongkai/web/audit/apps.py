from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "gongkai.web.audit"
    verbose_name = "审计日志"

    def ready(self) -> None:
        from . import recording

        recording.connect()
