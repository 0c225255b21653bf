from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "gongkai.web.reports"
    verbose_name = "年度报告"

    def ready(self) -> None:
        from . import ledger_changes

        ledger_changes.connect()
