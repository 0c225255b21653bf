from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("overview/", views.overview, name="overview"),
    path("overview/<int:year>/aggregate.<str:fmt>", views.aggregate_export, name="aggregate_export"),
    path("upload/", views.upload, name="upload"),
    path("<int:year>/", views.report_workspace, name="workspace"),
    path("<int:year>/texts/", views.save_texts, name="texts"),
    path("<int:year>/sign/", views.sign, name="sign"),
    path("<int:year>/publish/", views.publish, name="publish"),
    path("<int:year>/preview/", views.preview, name="preview"),
    path("<int:year>/export.<str:fmt>", views.export, name="export"),
]
