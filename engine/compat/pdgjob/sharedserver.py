"""``pdgjob.sharedserver``: stop a shared server a job started."""
from scheduler_studio.engine.runtime import kill_pid


def shutdownServer(server_info, *args, **kwargs):
    """End the server process named in `server_info` (a dict with its pid)."""
    pid = (server_info or {}).get("pid")
    if pid:
        kill_pid(int(pid))
    return True
