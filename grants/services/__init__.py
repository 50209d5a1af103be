"""Every write that matters in grants, one module per side of the work:

- `common`       permission checks, locks, the state-machine move, reference numbers, emails
- `applications` the applicant: start, draft, checks, submit, withdraw, messages
- `assessment`   KCSF and reviewers: screening, more information, reviewers, reviews, decisions
- `awards`       after the award: agreement, tranches, grantee reports, closing

Each runs in one transaction, locks the row it changes, checks permission again (defence in
depth), checks the move against `grants.workflow` and records who did it.
"""
