#!/usr/bin/env python3
"""Measure the viewer in a real pseudo-terminal: time from process start to the first frame on
screen, each key's time to its finished frame, and the bytes each key writes to the terminal.

The program reports its own times (RMPVIZ_TIMING): the first-frame time is its CLOCK_MONOTONIC at
the end of the first doupdate minus ours just before exec, so no terminal emulator's parsing is
counted. Bytes are counted on the pty. Usage: bench/terminal.py [BINARY] [SCENE...]
"""
import os, pty, select, statistics, sys, tempfile, time

KEYS = [b"\x1bOC", b"\x1bOC", b"]", b"\x1bOD", b"v", b"\t", b"\x1bOB", b"\x1bOB", b"G", b"g", b"\x1b[6~", b"\x1bOA"]


def drain(fd, quiet):
    got = 0
    while True:
        r, _, _ = select.select([fd], [], [], quiet)
        if not r:
            return got
        try:
            data = os.read(fd, 65536)
        except OSError:
            return got
        if not data:
            return got
        got += len(data)


def run(binary, args, cols=160, rows=45, rounds=5):
    log = tempfile.NamedTemporaryFile(delete=False, suffix=".timing").name
    env = dict(os.environ, TERM="xterm-256color", LANG="C.UTF-8", LC_ALL="C.UTF-8", RMPVIZ_TIMING=log, COLUMNS=str(cols), LINES=str(rows))
    start = time.monotonic()
    pid, fd = pty.fork()
    if pid == 0:
        import fcntl, struct, termios
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        os.execvpe(binary, [binary] + args, env)
    import fcntl, struct, termios
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    first_bytes = drain(fd, 0.5)
    key_bytes = []
    for _ in range(rounds):
        for k in KEYS:
            os.write(fd, k)
            key_bytes.append(drain(fd, 0.08))
    os.write(fd, b"q")
    drain(fd, 0.2)
    os.waitpid(pid, 0)
    lines = open(log).read().split("\n")
    os.unlink(log)
    first = [float(l.split()[1]) for l in lines if l.startswith("first-frame")]
    keys = [int(l.split()[1]) for l in lines if l.startswith("key")]
    return (first[0] - start) * 1000 if first else None, keys, first_bytes, key_bytes


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else ".build/release/rmpviz"
    scenes = sys.argv[2:] or ["ghcb-upm"]
    for scene in scenes:
        firsts, keys, kbytes = [], [], []
        for _ in range(5):
            f, k, fb, kb = run(binary, [scene])
            firsts.append(f)
            keys += k
            kbytes += kb
        keys.sort()
        print(f"{scene}: first frame {statistics.median(firsts):.1f} ms (median of 5, min {min(firsts):.1f});"
              f" key to finished frame median {statistics.median(keys)} µs, p99 {keys[len(keys) * 99 // 100]} µs, max {keys[-1]} µs;"
              f" bytes per key median {statistics.median(kbytes):.0f}, max {max(kbytes)}; first frame {fb} bytes")


if __name__ == "__main__":
    main()
