"""``pdgjob``: the job-side helpers (our own `pdgcmd` and shared-server helpers)."""
