"""``pdg.job``: job-side services of schedulers."""
