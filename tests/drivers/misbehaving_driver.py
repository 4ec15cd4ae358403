#!/usr/bin/python3
"""A driver program that breaks the protocol on purpose, for tst_processdriver.

The mode comes from the hello's settings {"mode": ...}:
  good               behaves (command "run" with parameter "n"; telemetry on request)
  exit_at_start      exits with code 3 before describing itself
  silent             never describes itself
  slow_start         describes itself (and so connects) only after 2 s
  crash_on_execute   exits with code 7 when a command arrives
  hang_on_execute    stops reading and answering once a command arrives
  garbage            answers a command with a line that is not JSON
  not_object         answers a command with a JSON array
  long_line          answers a command with a line longer than max_line_bytes
  stray_result       answers a result for a command id alabos never sent, then the real one
  flood              sends 20000 telemetry readings as fast as it can after describe
  nan                sends a NaN reading after describe (as the JSON token NaN)
  hot_then_nan       sends temperature_c 1300 five times a second for 6 s, then null (no valid
                     number: a sensor fault) five times a second; the fault must not clear the
                     over-temperature
The file counter in settings["counter"] (if given) counts starts, so a test can see restarts.
"""
import json
import sys
import threading
import time

out_lock = threading.Lock()


def send(message):
    write(json.dumps(message) + "\n")


def write(text):
    with out_lock:
        sys.stdout.write(text)
        sys.stdout.flush()


def hot_then_nan():
    for _ in range(30):
        write('{"type":"telemetry","metric":"temperature_c","value":1300}\n')
        time.sleep(0.2)
    while True:
        write('{"type":"telemetry","metric":"temperature_c","value":null}\n')
        time.sleep(0.2)


def main():
    mode = "good"
    for raw in sys.stdin:
        message = json.loads(raw)
        kind = message.get("type")
        if kind == "hello":
            settings = message.get("settings", {})
            mode = settings.get("mode", "good")
            if settings.get("counter"):
                with open(settings["counter"], "a") as f:
                    f.write("start\n")
            if mode == "exit_at_start":
                sys.exit(3)
            if mode == "silent":
                continue
            if mode == "slow_start":
                time.sleep(2)
            send({"type": "describe", "protocol": 1, "identity": "TEST,MISBEHAVING,0,1",
                  "commands": [{"name": "run", "parameters": [
                      {"name": "n", "type": "integer", "min": 0, "max": 10, "default": 1}]}]})
            if mode == "flood":
                for i in range(20000):
                    sys.stdout.write('{"type":"telemetry","metric":"x","value":%d}\n' % i)
                sys.stdout.flush()
            if mode == "hot_then_nan":
                threading.Thread(target=hot_then_nan, daemon=True).start()
            if mode == "nan":
                sys.stdout.write('{"type":"telemetry","metric":"temperature_c","value":NaN}\n')
                sys.stdout.flush()
        elif kind == "query_state":
            send({"type": "state", "persistent": False, "running": None, "last_finished": None})
        elif kind == "ping":
            send({"type": "pong", "id": message["id"]})
        elif kind == "execute":
            cid = message["id"]
            if mode == "crash_on_execute":
                sys.exit(7)
            if mode == "hang_on_execute":
                while True:
                    time.sleep(60)
            if mode == "garbage":
                sys.stdout.write("this is not json\n")
                sys.stdout.flush()
                continue
            if mode == "not_object":
                send([1, 2, 3])
                continue
            if mode == "long_line":
                send({"type": "log", "level": "info", "message": "x" * 4000})
                continue
            if mode == "stray_result":
                send({"type": "result", "id": cid + 1000, "ok": True})
            send({"type": "result", "id": cid, "ok": True,
                  "data": {"n": message["parameters"].get("n")}})
        elif kind == "cancel":
            send({"type": "result", "id": message["id"], "ok": False, "message": "cancelled"})
        elif kind == "shutdown":
            return


if __name__ == "__main__":
    main()
