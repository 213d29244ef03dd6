"""Job-side helpers copied into a job's scripts dir (standalone, stdlib only)."""
