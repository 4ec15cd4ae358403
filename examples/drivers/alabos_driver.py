"""A small helper for alabos driver programs (docs/driver-protocol.md), standard library only.

Subclass Driver, describe the commands, implement execute(); call run(). The input is read on
its own thread, so pings are answered and cancels arrive while a command runs; each command
runs on a worker thread with a threading.Event that cancel() sets.

    class Pump(Driver):
        identity = "ACME,PUMP-1,SN42,1.0"
        commands = [{"name": "dispense", "parameters": [{"name": "volume_ul", "type": "number",
                                                         "min": 1, "max": 1000}]}]
        def execute(self, command, parameters, cancelled):
            ...
            return {"dispensed_ul": parameters["volume_ul"]}   # or raise CommandFailed(...)

    if __name__ == "__main__":
        Pump().run()
"""
import json
import sys
import threading
import time

PROTOCOL = 1


class CommandFailed(Exception):
    """Raised by execute(): the command failed; transient=True if a retry may succeed."""

    def __init__(self, message, transient=False):
        super().__init__(message)
        self.transient = transient


class Driver:
    identity = ""
    commands = []

    def __init__(self):
        self.device = {}
        self.settings = {}
        self._out = threading.Lock()
        self._running = None  # (command id, cancel event)
        self._last = None
        self._stop = threading.Event()

    # --- what a driver implements -------------------------------------------------------
    def setup(self):
        """Called once after hello, with self.device and self.settings set, before describe."""

    def started(self):
        """Called once after describe: telemetry may flow from now on."""

    def execute(self, command, parameters, cancelled):
        """Runs one command; returns its result data (a dict). Check cancelled.is_set()."""
        raise CommandFailed("no command is implemented")

    def shutdown(self):
        """Called when alabos asks the program to end."""

    # --- what a driver may call ---------------------------------------------------------
    def send(self, message):
        line = json.dumps(message, separators=(",", ":"))
        with self._out:
            sys.stdout.write(line + "\n")
            sys.stdout.flush()

    def telemetry(self, metric, value):
        self.send({"type": "telemetry", "metric": metric, "value": value,
                   "time_us": int(time.time() * 1e6)})

    def log(self, message, level="info"):
        self.send({"type": "log", "level": level, "message": message})

    def stopping(self):
        return self._stop.is_set()

    # --- the protocol -------------------------------------------------------------------
    def run(self):
        for raw in sys.stdin:
            raw = raw.strip()
            if not raw:
                continue
            try:
                message = json.loads(raw)
            except ValueError:
                self.log("alabos sent a line that is not JSON", "error")
                continue
            kind = message.get("type")
            if kind == "hello":
                self.device = message.get("device", {})
                self.settings = message.get("settings", {})
                self.setup()
                self.send({"type": "describe", "protocol": PROTOCOL, "identity": self.identity,
                           "commands": self.commands})
                self.started()
            elif kind == "query_state":
                self.send({"type": "state", "persistent": False,
                           "running": self._running[0] if self._running else None,
                           "last_finished": self._last})
            elif kind == "ping":
                self.send({"type": "pong", "id": message.get("id")})
            elif kind == "execute":
                self._start(message)
            elif kind == "cancel":
                running = self._running
                if running and running[0] == message.get("id"):
                    running[1].set()
            elif kind == "shutdown":
                break
        self._stop.set()
        self.shutdown()

    def _start(self, message):
        command_id = message.get("id")
        if self._running:
            self.send({"type": "result", "id": command_id, "ok": False, "transient": True,
                       "message": "busy with command %s" % self._running[0]})
            return
        cancelled = threading.Event()
        self._running = (command_id, cancelled)

        def work():
            result = {"type": "result", "id": command_id}
            try:
                data = self.execute(message.get("command"), message.get("parameters", {}),
                                    cancelled)
                result.update(ok=True, data=data or {})
            except CommandFailed as failure:
                result.update(ok=False, transient=failure.transient, message=str(failure))
            except Exception as error:  # a bug in the driver: a permanent failure, said why
                result.update(ok=False, message="driver error: %r" % (error,))
            self._last = {k: result.get(k) for k in ("id", "ok", "message", "data")}
            self._running = None
            self.send(result)

        threading.Thread(target=work, daemon=True).start()
