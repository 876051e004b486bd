"""Fork server of the crash tests: one Python process imports the program once, then forks a fresh child for
each round, which runs `committer` or `operations` as its own process would and is killed with SIGKILL there.

Starting Python and importing the program took about 1 s a child (2-3 s on a loaded PC), and the crash tests
start some 250 children; a fork costs milliseconds. What is killed is the same: a process of its own with its
own database connection, its own file handles and locks, killed mid-commit. Nothing is open here when a child
is forked (no connection, no thread), so the child starts as clean as a new interpreter.

Protocol: the test sends one JSON line per child on stdin, {"module", "argv", "env", "out"}; this process
forks and answers `PID n`. The child writes what its module prints (`READY`, `ACK …`, `DONE`) into the FIFO
`out`, so the test sees end-of-file the moment it ends. The child is reaped only when the test sends `end`
(until then a child that ended by itself stays a zombie, so a kill can never reach another process that took
its number); this process then answers `EXIT code` (killed: -9).
"""

import importlib
import json
import os
import sys
import tempfile
import traceback
from pathlib import Path

from tests.crash import committer, operations  # noqa: F401 - the program's modules, loaded once before any fork

MODULES = {"committer", "operations"}


def _child(request: dict) -> None:
    out = os.open(request["out"], os.O_WRONLY)
    os.dup2(out, 1)
    os.close(out)
    os.environ.update(request.get("env", {}))
    tempfile.tempdir = None  # TMPDIR may differ per child (the export test sets its own)
    sys.argv = [request["module"], *request["argv"]]
    importlib.import_module(f"tests.crash.{request['module']}").main()
    sys.stdout.flush()


def main() -> None:
    for line in sys.stdin:
        request = json.loads(line)
        if request["module"] not in MODULES:
            print("PID 0", flush=True)
            continue
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                _child(request)
            except BaseException:  # noqa: BLE001 - reported to the test through stderr and the exit code
                traceback.print_exc()
                code = 1
            finally:
                sys.stderr.flush()
                os._exit(code)
        print(f"PID {pid}", flush=True)
        sys.stdin.readline()  # "end": the test has killed it or seen it end
        _, status = os.waitpid(pid, 0)
        print(f"EXIT {os.waitstatus_to_exitcode(status)}", flush=True)


class Child:
    """One forked child, seen from the test: its output lines, its kill, its end."""

    def __init__(self, server: "ForkServer", request: dict):
        self.server = server
        self.fifo = Path(request["out"])
        os.mkfifo(self.fifo)
        server.proc.stdin.write(json.dumps(request) + "\n")
        server.proc.stdin.flush()
        answer = server.proc.stdout.readline()
        assert answer.startswith("PID ") and answer != "PID 0\n", f"the fork server said {answer!r}"
        self.pid = int(answer.split()[1])
        # blocks until the child has opened its end (its first step); closed in wait()
        self.out = open(self.fifo, encoding="utf-8")  # noqa: SIM115
        self.code: int | None = None

    def readline(self) -> str:
        """The child's next line; '' once it has ended."""
        return self.out.readline()

    def kill(self) -> None:
        import signal

        os.kill(self.pid, signal.SIGKILL)  # not yet reaped: this number is still this child's

    def wait(self) -> tuple[int, str]:
        """(exit code, what it printed that was not read yet) once it has ended: -9 when killed."""
        rest = self.out.read()
        self.out.close()
        self.fifo.unlink()
        self.server.proc.stdin.write("end\n")
        self.server.proc.stdin.flush()
        answer = self.server.proc.stdout.readline()
        assert answer.startswith("EXIT "), f"the fork server said {answer!r}"
        self.code = int(answer.split()[1])
        self.server.current = None
        return self.code, rest


class ForkServer:
    """The test's side: starts `python -m tests.crash.forker` once and asks it for children."""

    def __init__(self, root, folder: Path):
        import subprocess

        self.folder = folder
        self.count = 0
        self.current: Child | None = None
        self._errors = open(folder / "stderr.txt", "w+", encoding="utf-8")  # noqa: SIM115 - closed in close()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.crash.forker"],
            cwd=root,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._errors,
            text=True,
        )

    def start(self, module: str, *argv, env: dict | None = None) -> Child:
        if self.current is not None:  # a test that failed midway left its child running
            self.current.kill()
            self.current.wait()
        self.count += 1
        out = str(self.folder / f"child-{self.count}.out")
        request = {"module": module, "argv": [str(a) for a in argv], "env": env or {}, "out": out}
        self.current = Child(self, request)
        return self.current

    def errors(self) -> str:
        """What the children wrote to stderr (a traceback when one failed), for an assertion's message."""
        self._errors.flush()
        return (self.folder / "stderr.txt").read_text("utf-8", errors="replace")[-4000:]

    def close(self) -> None:
        import subprocess

        if self.current is not None:
            self.current.kill()
            self.current.wait()
        self.proc.stdin.close()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self._errors.close()


if __name__ == "__main__":
    main()
