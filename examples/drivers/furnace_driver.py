#!/usr/bin/python3
"""An example alabos driver program: a tube furnace, simulated here, written the way a driver
for a real one would be (replace the Furnace class with the vendor SDK or pyvisa calls).

Commands: heat (temperature_c 25..1200, hold_min 0..1440) waits until the set point is
reached, holds, and answers with the peak temperature; cool switches the heater off.
Telemetry: temperature_c, settings["telemetry_hz"] times a second (default 1).
Settings: telemetry_hz, ramp_c_per_s (default 10), ambient_c (default 25).
Standard library only (Python 3.9 or newer).
"""
import os
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from alabos_driver import CommandFailed, Driver  # noqa: E402


class Furnace:
    """The instrument: a temperature that follows its set point at a limited ramp rate."""

    def __init__(self, ambient, ramp):
        self.ambient = ambient
        self.ramp = ramp
        self.temperature = ambient
        self.setpoint = ambient
        self.lock = threading.Lock()

    def step(self, dt):
        with self.lock:
            delta = self.setpoint - self.temperature
            limit = self.ramp * dt
            self.temperature += max(-limit, min(limit, delta))

    def read(self):
        with self.lock:
            return round(self.temperature, 2)


class FurnaceDriver(Driver):
    identity = "ALABOS-EXAMPLE,TUBE-FURNACE,SN0001,1.0"
    commands = [
        {"name": "heat", "description": "Heat to a set point, hold, report the peak",
         "parameters": [
             {"name": "temperature_c", "type": "number", "unit": "°C", "min": 25, "max": 1200},
             {"name": "hold_min", "type": "number", "unit": "min", "min": 0, "max": 1440,
              "default": 0}]},
        {"name": "cool", "description": "Switch the heater off", "parameters": []},
    ]

    def setup(self):
        self.furnace = Furnace(float(self.settings.get("ambient_c", 25)),
                               float(self.settings.get("ramp_c_per_s", 10)))

    def started(self):
        rate = float(self.settings.get("telemetry_hz", 1))
        threading.Thread(target=self._simulate, daemon=True).start()
        if rate > 0:
            threading.Thread(target=self._report, args=(1.0 / rate,), daemon=True).start()

    def _simulate(self):
        while not self.stopping():
            time.sleep(0.05)
            self.furnace.step(0.05)

    def _report(self, period):
        while not self.stopping():
            self.telemetry("temperature_c", self.furnace.read())
            time.sleep(period)

    def execute(self, command, parameters, cancelled):
        if command == "cool":
            self.furnace.setpoint = self.furnace.ambient
            return {}
        if command != "heat":
            raise CommandFailed("unknown command %s" % command)
        target = float(parameters["temperature_c"])
        self.furnace.setpoint = target
        peak = self.furnace.read()
        while abs(self.furnace.read() - target) > 0.5:
            if cancelled.wait(0.05):
                self.furnace.setpoint = self.furnace.ambient
                raise CommandFailed("cancelled")
            peak = max(peak, self.furnace.read())
        end = time.monotonic() + float(parameters.get("hold_min", 0)) * 60
        while time.monotonic() < end:
            if cancelled.wait(0.1):
                self.furnace.setpoint = self.furnace.ambient
                raise CommandFailed("cancelled")
            peak = max(peak, self.furnace.read())
        return {"peak_c": max(peak, self.furnace.read()), "reached_c": self.furnace.read()}


if __name__ == "__main__":
    FurnaceDriver().run()
