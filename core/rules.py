"""The kernel's own rules: who counts as signed in, and as staff."""

import rules

is_active_staff = rules.is_active & rules.is_staff

rules.add_perm("core.signed_in", rules.is_authenticated)
rules.add_perm("core.staff", is_active_staff)
