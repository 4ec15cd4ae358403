#!/usr/bin/python3
"""A small SCPI instrument (a 30 V power supply) on raw TCP, for tst_scpi.

Commands: *IDN?  *RST  VOLT <v> (0..30, else -222)  VOLT?  OUTP ON|OFF  MEAS:VOLT?
          ABOR  SYST:ERR?  anything else: -113 "Undefined header".
Scripting, from any connection (always answered "OK", never affected by the modes):
  SIM:GARBLE          the next query reply (not SYST:ERR?) is garbage
  SIM:GARBLE_ERR      the next SYST:ERR? reply is garbage
  SIM:SILENT          stop answering the other connections
  SIM:WAKE            answer again
  SIM:DROP            close every other connection
  SIM:ERROR <n>,<msg> queue an instrument error
  SIM:COUNT           how many instrument commands arrived (excluding SIM:)
Prints "ready PORT" once it listens.
"""
import asyncio
import sys

state = {"volt": 0.0, "output": False, "errors": [], "garble": False, "garble_err": False,
         "silent": False, "count": 0}
writers = set()


def handle(line):
    s = state
    up = line.upper()
    s["count"] += 1
    if up == "*IDN?":
        return "ALABOS,SIMPSU-30,SN0001,1.0"
    if up == "*RST":
        s.update(volt=0.0, output=False, errors=[])
        return None
    if up == "SYST:ERR?":
        if s["garble_err"]:
            s["garble_err"] = False
            return "\x07#?!"
        if s["errors"]:
            return s["errors"].pop(0)
        return '0,"No error"'
    if up.startswith("VOLT "):
        try:
            v = float(line.split(None, 1)[1])
        except ValueError:
            s["errors"].append('-104,"Data type error"')
            return None
        if not 0 <= v <= 30:
            s["errors"].append('-222,"Data out of range"')
        else:
            s["volt"] = v
        return None
    if up in ("VOLT?", "MEAS:VOLT?"):
        if s["garble"]:
            s["garble"] = False
            return "#ERR?%%"
        return "%.4f" % (s["volt"] if s["output"] or up == "VOLT?" else 0.0)
    if up in ("OUTP ON", "OUTP OFF"):
        s["output"] = up.endswith("ON")
        return None
    if up == "ABOR":
        return None
    s["errors"].append('-113,"Undefined header"')
    return None


async def serve(reader, writer):
    writers.add(writer)
    try:
        while True:
            raw = await reader.readline()
            if not raw:
                break
            line = raw.decode(errors="replace").strip()
            if line.upper().startswith("SIM:"):
                word = line[4:].split(None, 1)
                cmd = word[0].upper()
                reply = "OK"
                if cmd == "GARBLE":
                    state["garble"] = True
                elif cmd == "GARBLE_ERR":
                    state["garble_err"] = True
                elif cmd == "SILENT":
                    state["silent"] = True
                elif cmd == "WAKE":
                    state["silent"] = False
                elif cmd == "ERROR":
                    state["errors"].append(word[1])
                elif cmd == "COUNT":
                    reply = str(state["count"])
                elif cmd == "DROP":
                    for w in list(writers):
                        if w is not writer:
                            w.close()
                writer.write((reply + "\n").encode())
                await writer.drain()
                continue
            if state["silent"]:
                continue
            reply = handle(line)
            if reply is not None:
                writer.write((reply + "\n").encode())
                await writer.drain()
    except (ConnectionError, asyncio.CancelledError):
        pass
    finally:
        writers.discard(writer)
        writer.close()


async def main(port):
    server = await asyncio.start_server(serve, "127.0.0.1", port, reuse_address=True)
    print("ready", server.sockets[0].getsockname()[1], flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 0))
