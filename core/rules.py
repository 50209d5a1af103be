"""The kernel's own rules: who counts as signed in, as staff, and who sees every report job."""

import rules

is_active_staff = rules.is_active & rules.is_staff

rules.add_perm("core.signed_in", rules.is_authenticated)
rules.add_perm("core.staff", is_active_staff)
# Background report jobs: everyone sees their own; staff see (and download) everyone's.
rules.add_perm("core.view_all_report_jobs", is_active_staff)
