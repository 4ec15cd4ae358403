#!/usr/bin/python3
"""A furnace controller on Modbus TCP, served by pymodbus (Debian python3-pymodbus).

Started by tst_modbus on a loopback port. Registers (zero-based addresses):
  input 0      temperature, 0.1 degC per count; moves 5 degC every 50 ms towards the
               set point while coil 0 (heater) is on, towards 25 degC when off
  input 1      a tick counter (telemetry that always moves)
  input 2..3   uint32 (high word first): ticks * 1000
  holding 10   set point, 0.1 degC per count
  holding 11   signed register (int16), free for writes
  coil 0       heater on
  discrete 0   at set point (heater on and temperature == set point)
  input 20..27 fixed values in the orders vendors use (tst_modbus decodes each):
               20-21 float32 123.5 low word first; 22-23 uint32 0x12345678 with the bytes
               of each word swapped; 24 int16 -1234; 25 status word 0xA005 (bits 0, 2, 15);
               26-27 int32 -100000 low word first
Prints "ready PORT" once it listens.
"""
import asyncio
import logging
import sys

from pymodbus.datastore import (ModbusSequentialDataBlock, ModbusServerContext,
                                ModbusSlaveContext)
from pymodbus.server.async_io import ModbusTcpServer


async def simulate(slave):
    tick = 0
    while True:
        await asyncio.sleep(0.05)
        tick += 1
        temperature = slave.getValues(4, 0, 1)[0]
        setpoint = slave.getValues(3, 10, 1)[0]
        heater = bool(slave.getValues(1, 0, 1)[0])
        target = setpoint if heater else 250
        step = 50
        if temperature < target:
            temperature = min(target, temperature + step)
        elif temperature > target:
            temperature = max(target, temperature - step)
        big = (tick * 1000) & 0xFFFFFFFF
        slave.setValues(4, 0, [temperature, tick & 0xFFFF, big >> 16, big & 0xFFFF])
        slave.setValues(2, 0, [heater and temperature == setpoint])


async def main(port):
    slave = ModbusSlaveContext(
        di=ModbusSequentialDataBlock(0, [0] * 100),
        co=ModbusSequentialDataBlock(0, [0] * 100),
        hr=ModbusSequentialDataBlock(0, [0] * 100),
        ir=ModbusSequentialDataBlock(0, [0] * 100),
        zero_mode=True,
    )
    slave.setValues(4, 0, [250])
    slave.setValues(4, 20, [0x0000, 0x42F7, 0x3412, 0x7856, (-1234) & 0xFFFF, 0xA005,
                            0x7960, 0xFFFE])
    server = ModbusTcpServer(ModbusServerContext(slaves=slave, single=True),
                             address=("127.0.0.1", port), allow_reuse_address=True)
    serving = asyncio.create_task(server.serve_forever())
    await server.serving
    print("ready", port, flush=True)
    await asyncio.gather(serving, simulate(slave))


if __name__ == "__main__":
    logging.getLogger("pymodbus").setLevel(logging.CRITICAL)  # a killed client is expected here
    asyncio.run(main(int(sys.argv[1])))
