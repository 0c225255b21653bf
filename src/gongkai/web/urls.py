from django.contrib import admin
from django.urls import include, path

from gongkai.web.accounts.throttle import ThrottledAdminLoginForm
from gongkai.web.reports.suggestions import suggestions

admin.site.site_header = admin.site.site_title = "政府信息公开工作台账"
admin.site.enable_nav_sidebar = False  # the page width goes to the lists (deadline, outcome); the home page lists the apps
admin.site.index_title = "台账管理"
admin.site.site_url = "/"  # 查看站点: the office's dashboard
admin.site.login_form = ThrottledAdminLoginForm

urlpatterns = [
    path("admin/", admin.site.urls),
    path("reports/", include("gongkai.web.reports.urls")),
    path("requests/suggestions/", suggestions, name="suggestions"),
    path("", include("gongkai.web.api.urls")),
    path("", include("gongkai.web.office.urls")),
]
