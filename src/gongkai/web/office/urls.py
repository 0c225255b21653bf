from django.contrib.auth import views as auth_views
from django.urls import path

from . import actions, content_edit, intake, letter_views, views

app_name = "office"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("requests/", views.request_list, name="requests"),
    path("agencies/", views.agencies, name="agencies"),
    path("requests/export.csv", views.request_export, {"kind": "csv"}, name="export_csv"),
    path("requests/export.xlsx", views.request_export, {"kind": "xlsx"}, name="export_xlsx"),
    path("requests/metrics.csv", views.metrics_export, {"kind": "csv"}, name="metrics_csv"),
    path("requests/metrics.xlsx", views.metrics_export, {"kind": "xlsx"}, name="metrics_xlsx"),
    path("requests/new/", intake.intake, name="intake"),
    path("requests/<int:pk>/", views.request_detail, name="request"),
    path("requests/<int:pk>/content/", content_edit.edit_content, name="edit_content"),
    path("requests/<int:pk>/act/<slug:key>/", actions.act, name="act"),
    path("requests/<int:pk>/letters/<int:letter_pk>/sign/", actions.sign_letter, name="sign_letter"),
    path("requests/<int:pk>/letters/<int:letter_pk>/discard/", actions.discard_letter, name="discard_letter"),
    path("requests/<int:pk>/letters/<int:letter_pk>.docx", letter_views.letter_docx, name="letter_docx"),
    path("requests/<int:pk>/letters/<int:letter_pk>.pdf", letter_views.letter_pdf, name="letter_pdf"),
]
