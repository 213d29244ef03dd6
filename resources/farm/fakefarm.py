#!/usr/bin/env python3
"""fakefarm: a tiny stand-in for a render farm's command-line tool, shipped with
Scheduler Studio so its Farm CLI template cooks out of the box (test cooks put it last on
PATH: `scheduler_studio.engine.sandbox.studio_tools_on_path`), and used by its tests.

    fakefarm [--root DIR] submit [--name NAME] [--log FILE] [--cwd DIR] -- COMMAND...
        queue COMMAND as a job and print "job ID"; the job runs detached, with the
        environment of the submit call, output to FILE
    fakefarm [--root DIR] status ID...  one line per job: ID STATE [EXIT CODE], STATE
                                        one of queued running done failed cancelled
    fakefarm [--root DIR] cancel ID     end the job (its whole process group)
    fakefarm [--root DIR] list          one line per job: ID STATE NAME
    fakefarm [--root DIR] serve [--slots N]
        be the farm: start queued jobs (at most N at once; 0 = no limit) until
        SIGTERM or SIGINT, which also ends the jobs still running

Jobs live in DIR (default $FAKEFARM_ROOT, else ./fakefarm-jobs), one folder per job
holding job.json (what to run), state (one word, then the exit code), pid, and
times (when the command started and ended).
While `serve` runs, `submit` only queues the job and the server starts it, so jobs
are not children of whoever submitted them, as on a real farm; without a server,
`submit` starts the job itself, detached. Standard library only: any Python 3 runs it.
"""
import argparse
import itertools
import json
import os
import signal
import subprocess
import sys
import time


def job_dir(root, job_id):
    return os.path.join(root, str(job_id))


def write_state(root, job_id, state, code=None):
    path = os.path.join(job_dir(root, job_id), "state")
    text = state if code is None else "%s %d" % (state, code)
    tmp = "%s.%d" % (path, os.getpid())
    with open(tmp, "w") as handle:
        handle.write(text + "\n")
    os.replace(tmp, path)


def read_state(root, job_id):
    with open(os.path.join(job_dir(root, job_id), "state")) as handle:
        return handle.read().split()


def new_job_id(root):
    os.makedirs(root, mode=0o700, exist_ok=True)
    for number in itertools.count(len(os.listdir(root)) + 1):
        try:
            os.mkdir(job_dir(root, number), 0o700)
            return number
        except FileExistsError:
            continue


def submit(root, args):
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        sys.exit("fakefarm submit: no command given after --")
    job_id = new_job_id(root)
    job = {"name": args.name or "job%d" % job_id, "command": command,
           "log": args.log or os.path.join(job_dir(root, job_id), "output.log"),
           "cwd": args.cwd or os.getcwd(), "env": dict(os.environ),
           "submitted": time.time()}
    with open(os.path.join(job_dir(root, job_id), "job.json"), "w") as handle:
        json.dump(job, handle)
    write_state(root, job_id, "queued")
    if not server_running(root):
        start_runner(root, job_id)
    print("job %d" % job_id)


def start_runner(root, job_id):
    """The runner is the job's "farm node": its own session and process group, so
    it outlives its parent and a cancel can end it with all it started."""
    return subprocess.Popen([sys.executable, os.path.abspath(__file__), "--root", root,
                             "_run", str(job_id)],
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True,
                            close_fds=True)


def server_running(root):
    try:
        with open(os.path.join(root, "server.pid")) as handle:
            os.kill(int(handle.read()), 0)
        return True
    except (OSError, ValueError):
        return False


def serve(root, slots):
    os.makedirs(root, mode=0o700, exist_ok=True)
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    signal.signal(signal.SIGINT, lambda *_: stopping.append(True))
    with open(os.path.join(root, "server.pid"), "w") as handle:
        handle.write(str(os.getpid()))
    running = {}  # job id -> runner
    started = set()
    while not stopping:
        for job_id, runner in list(running.items()):
            if runner.poll() is not None:
                del running[job_id]
        for entry in sorted(os.listdir(root), key=lambda e: int(e) if e.isdigit() else 0):
            if not entry.isdigit() or entry in started:
                continue
            if slots and len(running) >= slots:
                break
            try:
                state = read_state(root, entry)[0]
            except (OSError, IndexError):
                continue  # still being written
            started.add(entry)
            if state == "queued":
                running[entry] = start_runner(root, entry)
        time.sleep(0.02)
    os.remove(os.path.join(root, "server.pid"))
    for job_id, runner in running.items():
        if runner.poll() is None:
            cancel(root, job_id)
        runner.wait()


def run(root, job_id):
    with open(os.path.join(job_dir(root, job_id), "job.json")) as handle:
        job = json.load(handle)
    with open(os.path.join(job_dir(root, job_id), "pid"), "w") as handle:
        handle.write(str(os.getpid()))
    if read_state(root, job_id)[0] == "cancelled":
        return
    write_state(root, job_id, "running")
    with open(job["log"], "w") as log:
        try:
            process = subprocess.Popen(job["command"], cwd=job["cwd"], env=job["env"],
                                       stdin=subprocess.DEVNULL, stdout=log,
                                       stderr=subprocess.STDOUT)
        except OSError as error:
            log.write("fakefarm: cannot start the job: %s\n" % error)
            write_state(root, job_id, "failed", 127)
            return
        started = time.time()
        code = process.wait()
    with open(os.path.join(job_dir(root, job_id), "times"), "w") as handle:
        handle.write("%f %f\n" % (started, time.time()))  # when the command ran
    if read_state(root, job_id)[0] != "cancelled":
        write_state(root, job_id, "done" if code == 0 else "failed", code)


def status(root, job_ids):
    """One line per job: ID STATE [EXIT CODE]; unknown ids go to stderr."""
    unknown = []
    for job_id in job_ids:
        try:
            print(job_id, " ".join(read_state(root, job_id)))
        except OSError:
            unknown.append(job_id)
    if unknown:
        sys.exit("fakefarm: no job %s" % ", ".join(unknown))


def cancel(root, job_id):
    try:
        state = read_state(root, job_id)[0]
    except OSError:
        sys.exit("fakefarm: no job %s" % job_id)
    if state in ("done", "failed", "cancelled"):
        print("job %s already %s" % (job_id, state))
        return
    write_state(root, job_id, "cancelled")
    pid_file = os.path.join(job_dir(root, job_id), "pid")
    if state == "running" or not server_running(root):
        deadline = time.time() + 2
        while not os.path.exists(pid_file) and time.time() < deadline:
            time.sleep(0.01)  # the runner is starting
    try:
        with open(pid_file) as handle:
            group = int(handle.read())
    except (OSError, ValueError):
        print("job %s cancelled before it started" % job_id)
        return
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(group, sig)
        except ProcessLookupError:
            break
        deadline = time.time() + 3
        while time.time() < deadline and _group_alive(group):
            time.sleep(0.02)
        if not _group_alive(group):
            break
    print("job %s cancelled" % job_id)


def _group_alive(group):
    """Whether a living (not zombie) process is left in the process group."""
    if not os.path.isdir("/proc"):
        try:
            os.killpg(group, 0)
            return True
        except ProcessLookupError:
            return False
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % entry) as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if fields[0] != "Z" and int(fields[2]) == group:
            return True
    return False


def list_jobs(root):
    if not os.path.isdir(root):
        return
    for entry in sorted(os.listdir(root), key=lambda e: int(e) if e.isdigit() else 0):
        try:
            with open(os.path.join(job_dir(root, entry), "job.json")) as handle:
                name = json.load(handle)["name"]
            print("%s %s %s" % (entry, read_state(root, entry)[0], name))
        except (OSError, ValueError, KeyError):
            continue


def main(argv=None):
    parser = argparse.ArgumentParser(prog="fakefarm")
    parser.add_argument("--root", default=os.environ.get("FAKEFARM_ROOT", "fakefarm-jobs"))
    commands = parser.add_subparsers(dest="verb", required=True)
    sub = commands.add_parser("submit")
    sub.add_argument("--name")
    sub.add_argument("--log")
    sub.add_argument("--cwd")
    sub.add_argument("command", nargs=argparse.REMAINDER)
    commands.add_parser("status").add_argument("job_ids", nargs="+")
    for verb in ("cancel", "_run"):
        commands.add_parser(verb).add_argument("job_id")
    commands.add_parser("list")
    commands.add_parser("serve").add_argument("--slots", type=int, default=0)
    args = parser.parse_args(argv)
    root = os.path.abspath(args.root)
    if args.verb == "submit":
        submit(root, args)
    elif args.verb == "status":
        status(root, args.job_ids)
    elif args.verb == "cancel":
        cancel(root, args.job_id)
    elif args.verb == "_run":
        run(root, args.job_id)
    elif args.verb == "serve":
        serve(root, args.slots)
    else:
        list_jobs(root)


if __name__ == "__main__":
    main()
