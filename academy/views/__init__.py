"""The academy's pages: public (cohorts, eligibility), applicant (apply, my applications,
confirm a place), review (conflict of interest, then scores), staff (selection), running
(sessions, attendance, mentor notes, projects)."""
