from django.apps import AppConfig


class ProactiveConfig(AppConfig):
    name = "gongkai.web.proactive"
    verbose_name = "主动公开"
