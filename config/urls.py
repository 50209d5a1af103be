from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView

from accounts import views as accounts_views
from core import i18n as core_i18n
from core import views as core_views

admin.site.site_header = "CEA Portal — KCSF"
admin.site.site_title = "CEA Portal"
# The admin's own password form would skip MFA: send admin logins through allauth instead.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("i18n/setlang/", core_i18n.set_language, name="set_language"),
    path("admin/", admin.site.urls),
    # The API's own addresses, typed by a partner exploring it, open its documentation.
    path("api/", RedirectView.as_view(pattern_name="api-docs"), name="api-root"),
    path("api/v1/", RedirectView.as_view(pattern_name="api-docs"), name="api-v1-root"),
    path("api/v1/", include("config.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", core_views.ApiDocsView.as_view(url_name="api-schema"), name="api-docs"),
]

urlpatterns += i18n_patterns(
    path("", core_views.home, name="home"),
    # allauth's TOTP setup and recovery codes, leading back to the page the person was going to.
    path("accounts/2fa/totp/activate/", accounts_views.activate_totp),
    path("accounts/2fa/recovery-codes/", accounts_views.view_recovery_codes),
    path("accounts/", include("allauth.urls")),
    path("me/", include("accounts.urls")),
    path("organizations/", include("organizations.urls")),
    path("reports/", include("core.urls")),
    path("giving/", include("giving.urls")),
    path("transparency/", include("transparency.urls")),
    path("grants/", include("grants.urls")),
    path("assistance/", include("assistance.urls")),
    path("academy/", include("academy.urls")),
    path("volunteering/", include("volunteering.urls")),
    path("dialogue/", include("dialogue.urls")),
    path("verify/", include("core.certificate_urls")),
    prefix_default_language=True,
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler400 = "core.views.bad_request"
handler403 = "core.views.permission_denied"
handler404 = "core.views.page_not_found"
handler500 = "core.views.server_error"
