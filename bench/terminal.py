#!/usr/bin/env python3
"""Measure the viewer in a real pseudo-terminal: time from process start to the first frame on
screen, each key's time to its finished frame, and the bytes each key writes to the terminal.

The program reports its own times (RMPVIZ_TIMING): the first-frame time is its CLOCK_MONOTONIC at
the end of the first doupdate minus ours just before exec, so no terminal emulator's parsing is
counted. Bytes are counted on the pty. Usage: bench/terminal.py [BINARY] [SCENE...]
"""
import os, pty, random, select, statistics, sys, tempfile, time

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


def watch_reload(binary, source_scene="scenes/ghcb-upm.scene", rounds=20):
    """Time from an edit's rename into place to the reloaded frame on screen (viewer --watch)."""
    folder = tempfile.mkdtemp()
    path = os.path.join(folder, "watched.scene")
    text = open(source_scene).read()
    open(path, "w").write(text)
    log = os.path.join(folder, "timing")
    env = dict(os.environ, TERM="xterm-256color", LANG="C.UTF-8", LC_ALL="C.UTF-8", RMPVIZ_TIMING=log)
    pid, fd = pty.fork()
    if pid == 0:
        os.execvpe(binary, [binary, path, "--watch"], env)
    drain(fd, 0.5)
    delays = []
    for n in range(rounds):
        edited = text.replace("KVM forwards the request", f"KVM forwards (edit {n}) the request")
        tmp = path + ".tmp"
        open(tmp, "w").write(edited)
        # A random pause, so saves do not fall in step with the viewer's 100 ms poll.
        time.sleep(random.random() * 0.25)
        saved = time.monotonic()
        os.rename(tmp, path)
        drain(fd, 0.4)
        frames = [float(l.split()[1]) for l in open(log).read().split("\n") if l.startswith("tick-frame")]
        after = [f for f in frames if f >= saved]
        if after:
            delays.append((after[0] - saved) * 1000)
    os.write(fd, b"q")
    drain(fd, 0.2)
    os.waitpid(pid, 0)
    return delays


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else ".build/release/rmpviz"
    scenes = sys.argv[2:] or ["ghcb-upm"]
    for scene in scenes:
        firsts, keys, kbytes = [], [], []
        for _ in range(15):
            f, k, fb, kb = run(binary, [scene])
            firsts.append(f)
            keys += k
            kbytes += kb
        keys.sort()
        print(f"{scene}: first frame {statistics.median(firsts):.1f} ms (median of 15, min {min(firsts):.1f});"
              f" key to finished frame median {statistics.median(keys)} µs, p99 {keys[len(keys) * 99 // 100]} µs, max {keys[-1]} µs;"
              f" bytes per key median {statistics.median(kbytes):.0f}, max {max(kbytes)}; first frame {fb} bytes")


    delays = watch_reload(binary)
    if delays:
        print(f"--watch: save to reloaded frame median {statistics.median(delays):.0f} ms, max {max(delays):.0f} ms ({len(delays)} edits)")


if __name__ == "__main__":
    main()
