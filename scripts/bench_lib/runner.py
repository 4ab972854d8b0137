"""Run one command as a whole process and measure it from the outside.

Peak RSS: the child's ru_maxrss as reported by wait4 is *not* usable when the child is forked
from this (large) Python process: Linux carries the high-water mark of the pre-exec address space
(a copy of the parent's) across execve, so every small child would report at least the harness's
own ~40 MB. So each command runs under GNU time (`/usr/bin/time -f '%e %M %U %S'`), a small C
program whose own children start from a tiny address space; its report of the command's peak RSS
(%M, KiB) is the command's own. Without /usr/bin/time the harness falls back to os.wait4 on the
direct child and says so (the RSS of small commands is then overstated).
"""

import os
import shutil
import signal
import subprocess
import threading
import time
from dataclasses import dataclass

GNU_TIME = "/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else shutil.which("time")


@dataclass
class Measurement:
    argv: list
    returncode: int
    wall: float  # seconds, measured here around the whole process (perf_counter)
    cpu: float  # user + system seconds of the command
    peak_rss: int  # bytes: the command's own maximum resident set size
    stderr: str

    @property
    def ok(self):
        return self.returncode == 0


def rss_method():
    return f"GNU time ({GNU_TIME}) %M" if GNU_TIME else "os.wait4 ru_maxrss (overstates small commands)"


def run_timed(argv, stdout_path=None, stderr_path=None, time_path=None, env=None, cwd=None,
              timeout=None):
    """Run argv to completion; stdout to stdout_path (or /dev/null), stderr to stderr_path (its
    last 4000 characters are returned). With a timeout (seconds), the process group is killed
    when it runs out and the measurement says so (returncode -9, stderr 'TIMEOUT')."""
    out = open(stdout_path, "wb") if stdout_path else subprocess.DEVNULL
    err = open(stderr_path or os.devnull, "wb")
    full = list(argv)
    if GNU_TIME and time_path:
        full = [GNU_TIME, "-o", time_path, "-f", "%e %M %U %S"] + full
        if os.path.exists(time_path):
            os.remove(time_path)
    try:
        t0 = time.perf_counter()
        # own process group, so that a timeout or an interrupted harness can kill the command
        # and GNU time together
        proc = subprocess.Popen(full, stdin=subprocess.DEVNULL, stdout=out, stderr=err, env=env,
                                cwd=cwd, start_new_session=True)
        timer = None
        timed_out = []
        if timeout:
            def kill():
                timed_out.append(True)
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            timer = threading.Timer(timeout, kill)
            timer.start()
        try:
            _, status, ru = os.wait4(proc.pid, 0)
        except BaseException:  # KeyboardInterrupt, SystemExit from SIGTERM: take the run down too
            try:
                os.killpg(proc.pid, signal.SIGKILL)
                os.waitpid(proc.pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass
            proc.returncode = -9
            raise
        wall = time.perf_counter() - t0
        if timer:
            timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
    finally:
        if out is not subprocess.DEVNULL:
            out.close()
        err.close()
    text = ""
    if stderr_path:
        with open(stderr_path, "rb") as f:
            text = f.read()[-4000:].decode("utf-8", "replace")
    cpu = ru.ru_utime + ru.ru_stime
    rss = ru.ru_maxrss * 1024
    if GNU_TIME and time_path:
        try:
            with open(time_path) as f:
                lines = [line for line in f.read().splitlines() if line.strip()]
            _, m, u, s = lines[-1].split()
            rss, cpu = int(m) * 1024, float(u) + float(s)
            extra = [line for line in lines[:-1] if "exited with non-zero status" not in line]
            if extra:
                text += "\n" + "\n".join(extra)
        except (OSError, ValueError, IndexError):
            text += "\n(cannot read GNU time's report)"
            proc.returncode = proc.returncode or -997
    if timeout and timed_out:
        proc.returncode = -9
        text += f"\nTIMEOUT: killed after {timeout:g} s"
    return Measurement(argv=list(argv), returncode=proc.returncode, wall=wall, cpu=cpu,
                       peak_rss=rss, stderr=text)
