from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _waiting_report_jobs():
    from core.models import ReportJob

    return ReportJob.objects.filter(status=ReportJob.Status.QUEUED)


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Core")

    def ready(self):
        from core import checks  # noqa: F401  (registers the deploy checks)
        from core.models import Municipality, Sector
        from core.page_cache import REFERENCE, touch_on_change

        touch_on_change(REFERENCE, Municipality, Sector)  # the public pages kept for visitors
        from django.db.models.signals import post_delete, post_save

        from core.widgets import forget_choices

        for model in (Municipality, Sector):  # filter forms' memoised choices (core.widgets.MemoSelect)
            post_save.connect(
                lambda **kw: forget_choices(), sender=model, weak=False, dispatch_uid=f"memo-{model}"
            )
            post_delete.connect(
                lambda **kw: forget_choices(), sender=model, weak=False, dispatch_uid=f"memo-{model}"
            )
        from core.jobs import register as register_job

        # Report jobs whose send was lost are sent again by beat (core.jobs).
        register_job(
            "core.report_job",
            waiting=_waiting_report_jobs,
            tasks=("core.tasks.run_report_job",),
            default=lambda job: ("core.tasks.run_report_job", [str(job.pk)]),
        )
