"""Pages of grants under /<lang>/grants/. Each part keeps its own URL module:

- urls_calls         public calls, their documents and questions
- urls_apply         starting and drafting an application, preview, submit
- urls_applications  the applicant's pages: my applications, status, messages, revisions
- urls_staff         KCSF: applications of a call, screening, ranking, decisions, exports
- urls_review        the reviewer: assignments, conflict of interest, scoring
- urls_awards        after the award: agreement, tranches, grantee reports
- urls_open_data     the public list of awarded grants and its downloads (360Giving)
"""

from django.urls import include, path

app_name = "grants"

urlpatterns = [
    path("", include("grants.urls_calls")),
    path("", include("grants.urls_apply")),
    path("", include("grants.urls_applications")),
    path("manage/", include("grants.urls_staff")),
    path("reviews/", include("grants.urls_review")),
    path("", include("grants.urls_awards")),
    path("awarded/", include("grants.urls_open_data")),
]
