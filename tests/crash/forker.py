"""Fork server of the crash tests: one Python process imports the program once, then forks a fresh child for
each round, which runs `committer` or `operations` as its own process would and is killed with SIGKILL there.

Starting Python and importing the program took about 1 s a child (2-3 s on a loaded PC), and the crash tests
start some 250 children; a fork costs milliseconds. What is killed is the same: a process of its own with its
own database connection, its own file handles and locks, killed mid-commit. Nothing is open here when a child
is forked (no connection, no thread), so the child starts as clean as a new interpreter.

Protocol, one JSON line per child on stdin: {"module": "committer", "argv": [...], "env": {...}}. The child
prints `PID n`, then what its module prints (`READY`, `ACK …`, `DONE`); this process prints `EXIT code` once
the child has ended (killed: -9).
"""

import importlib
import json
import os
import sys
import tempfile
import traceback

from tests.crash import committer, operations  # noqa: F401 - the program's modules, loaded once before any fork

MODULES = {"committer", "operations"}


def _child(request: dict) -> None:
    os.environ.update(request.get("env", {}))
    tempfile.tempdir = None  # TMPDIR may differ per child (the export test sets its own)
    sys.argv = [request["module"], *request["argv"]]
    print(f"PID {os.getpid()}", flush=True)
    importlib.import_module(f"tests.crash.{request['module']}").main()
    sys.stdout.flush()


def main() -> None:
    for line in sys.stdin:
        request = json.loads(line)
        if request["module"] not in MODULES:
            print("EXIT 2", flush=True)
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
        _, status = os.waitpid(pid, 0)
        print(f"EXIT {os.waitstatus_to_exitcode(status)}", flush=True)


if __name__ == "__main__":
    main()


class Child:
    """One forked child, seen from the test: its output lines, its kill, its end."""

    def __init__(self, server: "ForkServer", request: dict):
        self.server = server
        self.lines: list[str] = []
        server.proc.stdin.write(json.dumps(request) + "\n")
        server.proc.stdin.flush()
        first = server.proc.stdout.readline()
        assert first.startswith("PID "), f"the fork server answered {first!r}: {server.errors()}"
        self.pid = int(first.split()[1])
        self.code: int | None = None

    def readline(self) -> str:
        """The child's next line ('' once it has ended)."""
        if self.code is not None:
            return ""
        line = self.server.proc.stdout.readline()
        if line.startswith("EXIT "):
            self.code = int(line.split()[1])
            return ""
        self.lines.append(line)
        return line

    def kill(self) -> None:
        import signal

        os.kill(self.pid, signal.SIGKILL)

    def wait(self) -> tuple[int, str]:
        """(exit code, everything it printed after what was read): -9 when killed."""
        rest = []
        while (line := self.readline()) != "":
            rest.append(line)
        return self.code, "".join(rest)


class ForkServer:
    """The test's side: starts `python -m tests.crash.forker` once and asks it for children."""

    def __init__(self, root, errors_path):
        import subprocess

        self.errors_path = errors_path
        self._errors = open(errors_path, "w+", encoding="utf-8")  # noqa: SIM115 - closed in close()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.crash.forker"],
            cwd=root,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._errors,
            text=True,
        )

    def start(self, module: str, *argv: str, env: dict | None = None) -> Child:
        return Child(self, {"module": module, "argv": [str(a) for a in argv], "env": env or {}})

    def errors(self) -> str:
        """What the children wrote to stderr (a traceback when one failed), for an assertion's message."""
        self._errors.flush()
        return open(self.errors_path, encoding="utf-8", errors="replace").read()[-4000:]

    def close(self) -> None:
        self.proc.stdin.close()
        self.proc.wait(timeout=30)
        self._errors.close()
