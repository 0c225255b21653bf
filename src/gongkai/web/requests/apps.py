from django.apps import AppConfig


class RequestsConfig(AppConfig):
    name = "gongkai.web.requests"
    verbose_name = "依申请公开"
