from django.apps import AppConfig


class OfficeConfig(AppConfig):
    name = "gongkai.web.office"
    verbose_name = "工作台"
