"""``/api/`` (every routed view set of ``views``, and the OpenAPI 3 schema) and the token page."""

from django.urls import include, path
from drf_spectacular.views import SpectacularJSONAPIView
from rest_framework.routers import SimpleRouter

from . import token_page, views

router = SimpleRouter(trailing_slash=True)
for prefix, viewset, basename in views.ROUTES:
    router.register(prefix, viewset, basename=basename)

app_name = "api"
urlpatterns = [
    path("api/openapi.json", SpectacularJSONAPIView.as_view(), name="schema"),
    path("api/", include(router.urls)),
    path("account/token/", token_page.token_page, name="token"),
]
