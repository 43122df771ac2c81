import CursesTerminal
import Glibc
import SceneLanguage
import Screen
import Viewer

/// A screen the terminal loop can drive: the viewer or the presenter.
protocol InteractiveScreen {
    mutating func handle(_ key: Key, now: Double)
    func render(now: Double) -> Grid
    var quit: Bool { get }
    /// Ctrl-L: the terminal should repaint everything.
    var wantsRepaint: Bool { get }
    mutating func setASCII(_ on: Bool)
    /// What the screen draws, when it can say so cheaply: a key that leaves it equal is not
    /// rendered. Nil: always render (the presenter's clock moves on its own).
    var screenKey: AnyHashable? { get }
    /// Keys whose frames are worth preparing while waiting (see `Lookahead`); only for screens
    /// that change by keys alone.
    static var likelyKeys: [Key] { get }
}

extension InteractiveScreen {
    var screenKey: AnyHashable? { nil }
    static var likelyKeys: [Key] { [] }
}

extension ViewerState: InteractiveScreen {
    var screenKey: AnyHashable? { AnyHashable(appearance) }
    /// Stepping by action and by step, and moving the selection: what a viewer does most, most
    /// likely first.
    static var likelyKeys: [Key] { [.right, .left, .down, .up, .pageDown, .pageUp, .char("]"), .char("[")] }
    mutating func handle(_ key: Key, now: Double) { handle(key) }
    func render(now: Double) -> Grid { render() }
    var wantsRepaint: Bool { wantsRedraw }
    mutating func setASCII(_ on: Bool) { ascii = on }
}

extension NotesScreen: InteractiveScreen {
    mutating func handle(_ key: Key, now: Double) { handle(key) }
    func render(now: Double) -> Grid { render() }
    var wantsRepaint: Bool { false }
    mutating func setASCII(_ on: Bool) { ascii = on }
}

extension PresenterState: InteractiveScreen {
    var wantsRepaint: Bool { viewer.wantsRedraw }
}

extension ExploreState: InteractiveScreen {
    mutating func handle(_ key: Key, now: Double) { handle(key) }
    func render(now: Double) -> Grid { render() }
    var wantsRepaint: Bool { witness?.wantsRedraw ?? false }
    mutating func setASCII(_ on: Bool) { ascii = on }
}

/// Long work before the first frame (an exploration): a progress line on the screen, and Ctrl-C,
/// q or a signal asking it to stop with what it has.
final class BusyScreen {
    private let terminal: CursesTerminal
    private var lastPoll = 0.0
    private(set) var stopped = false
    /// SIGTERM or SIGHUP arrived while busy: the program must end after the work stops.
    private(set) var exitSignal: Int32?

    init(terminal: CursesTerminal) { self.terminal = terminal }

    func show(_ text: String) {
        let size = terminal.size
        var grid = Grid(width: max(1, size.width), height: max(1, size.height))
        let y = max(0, size.height / 2 - 1)
        grid.put(text, in: Rect(x: 0, y: y, width: size.width, height: 1), style: .title, align: .center)
        grid.put("Ctrl-C or q: stop and show what was counted", in: Rect(x: 0, y: y + 1, width: size.width, height: 1),
                 style: .dim, align: .center)
        terminal.draw(grid)
    }

    /// Polls the keyboard at most every 50 ms, so the work pays almost nothing for it.
    func stopRequested() -> Bool {
        guard !stopped else { return true }
        let now = monotonicNow()
        guard now - lastPoll > 0.05 else { return false }
        lastPoll = now
        while let event = terminal.readEvent(timeoutMs: 0) {
            switch event {
            case .ctrlC, .char("q"): stopped = true
            case .signal(let s):
                stopped = true
                if s != SIGINT { exitSignal = s }
            default: continue
            }
        }
        return stopped
    }
}

/// Seconds on CLOCK_MONOTONIC, the clock other processes (a benchmark driver) can compare with.
func monotonicNow() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}

/// Opens the terminal, runs the loop, and restores the terminal on every way out.
enum TerminalLoop {
    /// Runs until quit; `tick` runs about ten times a second (reloads, notes, the clock) and says
    /// whether the screen must be drawn again. Returns the exit status: 0, or 128+N for SIGTERM/SIGHUP.
    static func run<S: InteractiveScreen>(
        color: Bool, theme: Theme, make: (_ width: Int, _ height: Int) -> S?,
        tick: (inout S, Double) -> Bool = { _, _ in false }
    ) throws(CLIFailure) -> Int32 {
        try run(color: color, theme: theme, makeBusy: { w, h, _ in make(w, h) }, tick: tick)
    }

    /// The same, for a screen whose making takes long: `makeBusy` can show progress and stop early.
    static func run<S: InteractiveScreen>(
        color: Bool, theme: Theme, makeBusy: (_ width: Int, _ height: Int, _ busy: BusyScreen) -> S?,
        tick: (inout S, Double) -> Bool = { _, _ in false }
    ) throws(CLIFailure) -> Int32 {
        let timing = TimingLog()
        timing.phase("loop")
        let terminal: CursesTerminal
        do {
            terminal = try CursesTerminal.open(colorMode: color ? .auto : .none)
        } catch {
            // 69, EX_UNAVAILABLE: not a failed expectation (1) but a service the program needs.
            throw CLIFailure(status: 69, message: "rmpviz: \(error); the viewer needs a terminal. Use 'rmpviz run SCENE' to print a run instead.")
        }
        defer { terminal.close() }
        terminal.setPalette(ThemeLoader.palette(theme))
        timing.phase("terminal")
        let size = terminal.size
        let busy = BusyScreen(terminal: terminal)
        guard var state = makeBusy(size.width, size.height, busy) else { return 0 }
        if let s = busy.exitSignal { return 128 + s }
        terminal.invalidate()
        state.setASCII(!terminal.isUTF8)
        timing.phase("state")
        let first = state.render(now: monotonicNow())
        timing.phase("render")
        terminal.draw(first)
        timing.firstFrame()
        var lookahead = Lookahead<S>()
        // RMPVIZ_NO_LOOKAHEAD=1 renders every key when pressed: the tests compare both ways.
        let prepares = environment("RMPVIZ_NO_LOOKAHEAD") == nil
        while !state.quit {
            var event: TerminalEvent?
            if prepares, !lookahead.ready {
                // The frame just written first reaches the screen: the pty hands it on from a
                // kernel worker on this CPU, which the preparing would otherwise delay.
                event = terminal.readEvent(timeoutMs: 3)
                if event == nil { lookahead.prepare(from: state, on: terminal) }
            }
            if event == nil { event = terminal.readEvent(timeoutMs: 100) }
            let redraw = tick(&state, monotonicNow())
            if redraw { lookahead.forget() }
            if let event {
                guard let key = key(for: event) else {
                    switch event {
                    case .signal(let s): return s == SIGINT ? 0 : 128 + s
                    case .endOfInput: return 0
                    default: continue
                    }
                }
                let start = monotonicNow()
                if let next = lookahead.take(key, on: terminal) {
                    // No reducer and no render now: the whole time is the terminal's.
                    state = next
                    timing.key(start: start, handled: start, rendered: start)
                    continue
                }
                lookahead.forget()
                let before = state.screenKey
                state.handle(key, now: start)
                if state.wantsRepaint { terminal.invalidate() }
                if case .resize = key { terminal.invalidate() }
                let handled = monotonicNow()
                if let before, before == state.screenKey, !state.wantsRepaint {
                    // Nothing on the screen would change: no render, no write.
                    timing.key(start: start, handled: handled, rendered: handled)
                    continue
                }
                let grid = state.render(now: handled)
                let rendered = monotonicNow()
                terminal.draw(grid)
                timing.key(start: start, handled: handled, rendered: rendered)
                continue
            }
            if redraw {
                terminal.draw(state.render(now: monotonicNow()))
                timing.tickFrame()
            }
        }
        return 0
    }

    static func key(for event: TerminalEvent) -> Key? {
        switch event {
        case .char(let c): .char(c)
        case .ctrl(let c): .ctrl(c)
        case .ctrlC: .ctrl("c")
        case .up: .up
        case .down: .down
        case .left: .left
        case .right: .right
        case .pageUp: .pageUp
        case .pageDown: .pageDown
        case .home: .home
        case .end: .end
        case .enter: .enter
        case .backspace, .delete: .backspace
        case .tab: .tab
        case .backTab: .backTab
        case .escape: .escape
        case .resize(let w, let h): .resize(width: w, height: h)
        case .mouse(let x, let y, .click): .click(x: x, y: y)
        case .mouse(let x, let y, .wheelUp): .wheelUp(x: x, y: y)
        case .mouse(let x, let y, .wheelDown): .wheelDown(x: x, y: y)
        case .function(let n): .function(n)
        case .unknown, .endOfInput, .signal: nil
        }
    }
}

/// With `RMPVIZ_TIMING=PATH`, the loop appends when its first frame was on screen (CLOCK_MONOTONIC
/// seconds, comparable with the launching process's clock), when each step before it ended (the
/// loop entered after parsing and loading, the terminal opened, the state made, the first grid
/// rendered), and each key's time to its finished frame (with the reducer's, the render's and the
/// terminal's shares), for `bench/terminal.py`. Off (and free) otherwise.
struct TimingLog {
    private let file: UnsafeMutablePointer<FILE>?

    init() {
        file = environment("RMPVIZ_TIMING").flatMap { fopen($0, "a") }
    }

    func phase(_ name: String) {
        guard let file else { return }
        fputs("phase \(name) \(monotonicNow())\n", file)
    }

    func firstFrame() {
        guard let file else { return }
        fputs("first-frame \(monotonicNow())\n", file)
        fflush(file)
    }

    /// A frame drawn for a reason other than a key: a reload, the clock, the notes file.
    func tickFrame() {
        guard let file else { return }
        fputs("tick-frame \(monotonicNow())\n", file)
        fflush(file)
    }

    /// `key TOTAL HANDLE RENDER DRAW`, in microseconds: the reducer, the grid, the terminal write.
    func key(start: Double, handled: Double, rendered: Double) {
        guard let file else { return }
        let end = monotonicNow()
        let parts = [end - start, handled - start, rendered - handled, end - rendered].map { String(Int($0 * 1e6)) }
        fputs("key \(parts.joined(separator: " "))\n", file)
        fflush(file)
    }
}

/// Notices edits to files by polling their size, time and inode at the loop's modest interval
/// (100 ms), which also catches editors that save by renaming a new file into place.
struct FileWatcher {
    private var stamps: [String: [Int]] = [:]
    let paths: [String]

    init(paths: [String]) {
        self.paths = paths
        for p in paths { stamps[p] = FileWatcher.stamp(p) }
    }

    static func stamp(_ path: String) -> [Int] {
        var s = stat()
        guard stat(path, &s) == 0 else { return [-1] }
        return [Int(s.st_mtim.tv_sec), Int(s.st_mtim.tv_nsec), Int(s.st_size), Int(s.st_ino)]
    }

    /// Whether any file changed since the last call.
    mutating func changed() -> Bool {
        var any = false
        for p in paths {
            let now = FileWatcher.stamp(p)
            if stamps[p] != now {
                stamps[p] = now
                any = true
            }
        }
        return any
    }
}

/// Frames prepared while the loop waits for a key: for each of the screen's likely keys, the
/// state that key leads to and its frame, already encoded against the screen. When that key
/// comes, the frame leaves at once. The reducer and the render are pure, so the prepared state
/// and frame are exactly what handling the key would have made; any other key, a tick that
/// redraws or a change on the terminal's side drops them (the terminal checks the last).
struct Lookahead<S: InteractiveScreen> {
    private var entries: [(key: Key, state: S, frame: CursesTerminal.PreparedFrame)] = []
    private(set) var ready = false

    mutating func prepare(from state: S, on terminal: CursesTerminal) {
        ready = true
        entries = []
        guard let base = state.screenKey else { return }
        var frames: [(screen: AnyHashable, frame: CursesTerminal.PreparedFrame)] = []
        for key in S.likelyKeys {
            // A key pressed meanwhile is not kept waiting: it is handled as it would be anyway.
            guard !terminal.hasPendingInput() else { return }
            var next = state
            let now = monotonicNow()
            next.handle(key, now: now)
            guard !next.quit, !next.wantsRepaint, let after = next.screenKey, after != base else { continue }
            // Two keys that lead to the same screen (PgDn and ]) share its frame.
            if let shared = frames.first(where: { $0.screen == after }) {
                entries.append((key, next, shared.frame))
            } else if let frame = terminal.prepare(next.render(now: now)) {
                frames.append((after, frame))
                entries.append((key, next, frame))
            }
        }
    }

    /// The state after `key` when its frame was prepared and is now on screen; nil otherwise.
    /// The other prepared frames are freed after the write.
    mutating func take(_ key: Key, on terminal: CursesTerminal) -> S? {
        guard let i = entries.firstIndex(where: { $0.key == key }) else { return nil }
        let shown = terminal.show(entries[i].frame)
        let state = entries[i].state
        forget()
        return shown ? state : nil
    }

    mutating func forget() {
        entries = []
        ready = false
    }
}
