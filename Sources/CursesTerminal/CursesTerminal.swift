// With Terminfo.swift, the only code that calls ncurses (with the C shim). Everything it
// exchanges with the rest of the program is a Screen `Grid` going out and a `TerminalEvent` coming
// in. ncurses opens and restores the terminal, reads and decodes keys, and supplies terminfo;
// frames bypass its screen (see `FrameEncoder`) and leave in one write each.
import CNcurses
import Screen

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An ncurses session on the controlling terminal. Use from one thread; `close()` (or deinit)
/// restores the terminal, and crash signals restore it too.
public final class CursesTerminal {
    /// Colours available: 256, 8, or 0 (monochrome; styles fall back to their attributes).
    public let colorCount: Int
    /// False when no UTF-8 locale could be set; grids are then drawn through `asciiFallback()`.
    public let isUTF8: Bool

    private var screen: OpaquePointer?
    /// Keys are read through this 1×1 window, never drawn in: ncurses refreshes the window it
    /// reads from when that window has changes, which would paint its own (empty) screen over ours.
    private let window: UnsafeMutablePointer<WINDOW>
    private let defaultColors: Bool
    private var encoder: FrameEncoder
    /// The grid last drawn; unchanged cells are not written again.
    private var lastGrid: Grid? {
        didSet { generation += 1 }
    }
    /// Counts changes to what is known to be on screen: a prepared frame is good only over the
    /// screen it was encoded against.
    private var generation = 0
    /// Successive "readable but nothing read" polls; two mean standard input is at its end.
    private var emptyReads = 0

    private init(
        screen: OpaquePointer, window: UnsafeMutablePointer<WINDOW>, colorCount: Int, isUTF8: Bool, defaultColors: Bool
    ) {
        self.screen = screen
        self.window = window
        self.colorCount = colorCount
        self.isUTF8 = isUTF8
        self.defaultColors = defaultColors
        encoder = FrameEncoder(strings: Self.terminalStrings(), roles: Array(repeating: RoleColors(), count: 256))
    }

    deinit { close() }

    /// Opens the terminal on standard input and output, or throws `TerminalError` saying why not.
    /// Installs the signal handlers (see `pendingSignal()`), sets a UTF-8 locale if it can,
    /// and enables mouse clicks and the wheel when `mouse` is true.
    public static func open(colorMode: ColorMode = .auto, mouse: Bool = true) throws -> CursesTerminal {
        guard isatty(0) == 1, isatty(1) == 1 else {
            throw TerminalError.noUsableTerminal("standard input and output must both be a terminal")
        }
        guard let term = getenv("TERM").map({ String(cString: $0) }), !term.isEmpty, term != "dumb" else {
            throw TerminalError.noUsableTerminal("TERM is unset or \"dumb\"")
        }
        let isUTF8 = setUTF8Locale()
        rmpviz_keep_heap()
        rmpviz_save_termios(0)
        guard rmpviz_install_signal_handlers() == 0 else {
            throw TerminalError.noUsableTerminal("cannot install signal handlers")
        }
        // newterm, unlike initscr, returns nil for an unknown TERM instead of exiting.
        guard let screen = rmpviz_newterm_small(rmpviz_stdout(), rmpviz_stdin()) else {
            rmpviz_forget_termios()
            rmpviz_reset_quit_signals()
            throw TerminalError.noUsableTerminal("ncurses cannot drive TERM=\(term)")
        }
        _ = set_term(screen)
        guard let window = newwin(1, 1, 0, 0) else {
            _ = endwin()
            delscreen(screen)
            rmpviz_forget_termios()
            rmpviz_reset_quit_signals()
            throw TerminalError.noUsableTerminal("ncurses cannot make a window")
        }
        _ = rmpviz_install_continue_handler()
        _ = cbreak()
        _ = noecho()
        _ = nonl()
        // Colours first: whatever start_color sends then leaves with the next flush.
        let noColor = getenv("NO_COLOR").map { $0.pointee != 0 } ?? false
        var colorCount = 0
        var defaultColors = false
        if colorMode == .auto && !noColor && has_colors() {
            _ = start_color()
            defaultColors = use_default_colors() == OK
            let colors = Int(rmpviz_colors())
            colorCount = colors >= 256 ? 256 : (colors >= 8 ? 8 : 0)
        }
        _ = keypad(window, true)
        // keypad() asks for the keys' application mode (smkx), and terminfo lists only those
        // sequences (xterm's right arrow: ESC O C). A terminal that ignores the request sends
        // ESC [ C, which would arrive as Esc, "[" and "C": three keys that each do something.
        for (sequence, code) in [("\u{1b}[A", KEY_UP), ("\u{1b}[B", KEY_DOWN), ("\u{1b}[C", KEY_RIGHT),
                                 ("\u{1b}[D", KEY_LEFT), ("\u{1b}[H", KEY_HOME), ("\u{1b}[F", KEY_END)]
        where key_defined(sequence) == 0 {
            _ = define_key(sequence, code)
        }
        _ = intrflush(window, false)
        wtimeout(window, 0)
        _ = curs_set(0)
        _ = set_escdelay(25)
        if mouse {
            let mask = rmpviz_button1_pressed() | rmpviz_button1_clicked()
                | rmpviz_button4_pressed() | rmpviz_button5_pressed()
            _ = mousemask(mask, nil)
            // Report presses at once instead of waiting to see whether they become clicks.
            _ = mouseinterval(0)
        }
        _ = untouchwin(window)
        return CursesTerminal(
            screen: screen, window: window, colorCount: colorCount, isUTF8: isUTF8, defaultColors: defaultColors)
    }

    /// Tries the user's character encoding, then C.UTF-8; true when the result encodes UTF-8.
    /// Only LC_CTYPE matters to the terminal (ncurses' key decoding, the codeset); loading the
    /// other categories read a dozen more locale files before the first frame.
    private static func setUTF8Locale() -> Bool {
        func codesetIsUTF8() -> Bool {
            guard let codeset = rmpviz_codeset() else { return false }
            let name = String(cString: codeset).lowercased()
            return name == "utf-8" || name == "utf8"
        }
        if setlocale(LC_CTYPE, "") != nil && codesetIsUTF8() { return true }
        if setlocale(LC_CTYPE, "C.UTF-8") != nil && codesetIsUTF8() { return true }
        return false
    }

    /// Columns and rows of the terminal now.
    public var size: (width: Int, height: Int) {
        fullSize ? (Int(rmpviz_cols()), Int(rmpviz_lines())) : Self.terminalSize()
    }

    /// False until ncurses' screen, opened small, has the terminal's size.
    private var fullSize = false
    private var scrollRegionSet = false

    private static func terminalSize() -> (width: Int, height: Int) {
        var rows: Int32 = 0
        var columns: Int32 = 0
        rmpviz_terminal_size(1, &rows, &columns)
        return (Int(columns), Int(rows))
    }

    /// Gives ncurses' screen the terminal's size (it was opened small, see rmpviz_newterm_small),
    /// once the first frame is out: ncurses then tracks resizes, and endwin and a suspend put the
    /// cursor on the real bottom line. True when the size is not the one the last frame had.
    private func growScreen() -> Bool {
        guard !fullSize else { return false }
        let (width, height) = Self.terminalSize()
        let drawn = lastGrid.map { ($0.width, $0.height) }
        fullSize = true
        _ = resize_term(Int32(height), Int32(width))
        _ = untouchwin(window)
        return drawn.map { $0 != (width, height) } ?? false
    }

    /// Sets the colours of each role; roles not in `map` use the terminal's default colours.
    /// Does nothing on a monochrome terminal.
    public func setPalette(_ map: [Style.Role: (fg: TermColor, bg: TermColor)]) {
        guard colorCount > 0, screen != nil else { return }
        let setForeground = rmpviz_tigetstr("setaf")
        let setBackground = rmpviz_tigetstr("setab")
        func select(_ capability: UnsafePointer<CChar>?, _ number: Int16) -> [UInt8] {
            guard number >= 0, let capability, let s = rmpviz_tparm1(capability, Int32(number)) else { return [] }
            return TerminalStrings.bytes(s)
        }
        var roles = Array(repeating: RoleColors(), count: 256)
        for role in Style.Role.allCases {
            guard let colors = map[role] else { continue }
            let fg = colorNumber(colors.fg, foreground: true)
            let bg = colorNumber(colors.bg, foreground: false)
            roles[Int(role.rawValue)] = RoleColors(
                foreground: fg, background: bg, setForeground: select(setForeground, fg),
                setBackground: select(setBackground, bg))
        }
        encoder.roles = roles
        lastGrid = nil
    }

    private func colorNumber(_ color: TermColor, foreground: Bool) -> Int16 {
        switch color {
        case .default:
            // Without use_default_colors, -1 is invalid: guess the classic white on black.
            return defaultColors ? -1 : (foreground ? 7 : 0)
        case .indexed(let index, let fallback):
            return Int16(colorCount >= 256 ? index : fallback % 8)
        }
    }

    /// Shows `grid`: only cells that differ from the last drawn grid are sent, in one write.
    /// Without UTF-8 the grid is first mapped to ASCII.
    public func draw(_ grid: Grid) {
        guard screen != nil else { return }
        let grid = isUTF8 ? grid : grid.asciiFallback()
        let (columns, rows) = size
        var bytes = encoder.encode(grid, over: lastGrid, columns: columns, rows: rows)
        lastGrid = grid
        guard !bytes.isEmpty else { return }
        if !scrollRegionSet {
            // ncurses set the scroll region for its one-row screen (rmpviz_newterm_small); the
            // first frame sets it for the terminal, as ncurses would have (nothing here scrolls,
            // but the region outlives the program).
            scrollRegionSet = true
            if let csr = rmpviz_tigetstr("csr"), let region = rmpviz_tparm2(csr, 0, Int32(rows - 1)) {
                bytes = TerminalStrings.bytes(region) + bytes
            }
        }
        _ = bytes.withUnsafeBytes { rmpviz_write_all(1, $0.baseAddress, $0.count) }
    }

    /// A frame encoded ahead of time against the frame on screen, shown later by `show(_:)` in one
    /// write: the viewer prepares the next action's frame while it waits for a key.
    public struct PreparedFrame {
        fileprivate let grid: Grid
        fileprivate let bytes: [UInt8]
        fileprivate let encoder: FrameEncoder
        fileprivate let generation: Int
        fileprivate let columns: Int
        fileprivate let rows: Int
    }

    /// Encodes `grid` against the screen now, without writing it (nil before the first frame).
    public func prepare(_ grid: Grid) -> PreparedFrame? {
        guard screen != nil, scrollRegionSet, lastGrid != nil else { return nil }
        let grid = isUTF8 ? grid : grid.asciiFallback()
        let (columns, rows) = size
        var ahead = encoder
        let bytes = ahead.encode(grid, over: lastGrid, columns: columns, rows: rows)
        return PreparedFrame(grid: grid, bytes: bytes, encoder: ahead, generation: generation, columns: columns, rows: rows)
    }

    /// Shows a prepared frame, exactly as `draw` would have shown its grid; false, and nothing
    /// written, when the screen or the terminal's size changed since it was prepared.
    public func show(_ frame: PreparedFrame) -> Bool {
        guard screen != nil, frame.generation == generation, size == (frame.columns, frame.rows) else { return false }
        // The bytes first: freeing the frame they replace can wait until they are on their way.
        if !frame.bytes.isEmpty {
            _ = frame.bytes.withUnsafeBytes { rmpviz_write_all(1, $0.baseAddress, $0.count) }
        }
        encoder = frame.encoder
        lastGrid = frame.grid
        return true
    }

    /// True when a key is waiting to be read.
    public func hasPendingInput() -> Bool {
        var descriptor = pollfd(fd: 0, events: Int16(POLLIN), revents: 0)
        return poll(&descriptor, 1, 0) > 0
    }

    /// Repaints the whole screen on the next draw (after a resize, or on a redraw key).
    public func invalidate() {
        lastGrid = nil
    }

    /// The next event, waiting at most `timeoutMs` milliseconds; nil on timeout. Signals are
    /// reported first, and a closed standard input becomes `.endOfInput` instead of a busy loop.
    public func readEvent(timeoutMs: Int32) -> TerminalEvent? {
        guard screen != nil else { return .endOfInput }
        if let signal = pendingSignal() { return .signal(signal) }
        if growScreen() {
            invalidate()
            let (width, height) = size
            return .resize(width: width, height: height)
        }
        if rmpviz_take_continued() != 0 { repaint() }
        // ncurses may hold keys already read (the rest of an escape sequence, a resize).
        if let event = nextKey() { return event }
        var descriptor = pollfd(fd: 0, events: Int16(POLLIN), revents: 0)
        let ready = poll(&descriptor, 1, max(0, timeoutMs))
        if let signal = pendingSignal() { return .signal(signal) }
        if ready == 0 { return nil }
        if ready < 0 {
            // EINTR: a SIGWINCH makes ncurses report KEY_RESIZE on the next read; after a stop
            // (Ctrl-Z, fg) ncurses has cleared the screen.
            if rmpviz_take_continued() != 0 { repaint() }
            return nextKey()
        }
        if let event = nextKey() { return event }
        emptyReads += 1
        return emptyReads >= 2 || descriptor.revents & Int16(POLLNVAL) != 0 ? .endOfInput : nil
    }

    /// The number of a SIGINT, SIGTERM or SIGHUP that arrived since the last call, if any.
    public func pendingSignal() -> Int32? {
        let signal = rmpviz_take_pending_signal()
        return signal == 0 ? nil : signal
    }

    /// Draws the last frame again in full.
    private func repaint() {
        guard let grid = lastGrid else { return }
        lastGrid = nil
        draw(grid)
    }

    /// One key from ncurses without waiting, decoded.
    private func nextKey() -> TerminalEvent? {
        var character: wint_t = 0
        let result = wget_wch(window, &character)
        switch result {
        case OK:
            emptyReads = 0
            return Self.decode(character: character)
        case KEY_CODE_YES:
            emptyReads = 0
            return decode(keyCode: Int32(bitPattern: character))
        default:
            return nil
        }
    }

    private static func decode(character: wint_t) -> TerminalEvent {
        switch character {
        case 3: return .ctrlC
        case 8, 127: return .backspace
        case 9: return .tab
        case 10, 13: return .enter
        case 27: return .escape
        case 1...26:
            return Unicode.Scalar(96 + character).map { .ctrl(Character($0)) } ?? .unknown
        case 0..<32: return .unknown
        default:
            guard let scalar = Unicode.Scalar(character), !TextWidth.isControl(scalar) else { return .unknown }
            return .char(Character(scalar))
        }
    }

    private func decode(keyCode: Int32) -> TerminalEvent {
        switch keyCode {
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_PPAGE: return .pageUp
        case KEY_NPAGE: return .pageDown
        case KEY_HOME: return .home
        case KEY_END: return .end
        case KEY_ENTER: return .enter
        case KEY_BACKSPACE: return .backspace
        case KEY_DC: return .delete
        case KEY_BTAB: return .backTab
        case KEY_F0 + 1...KEY_F0 + 63: return .function(Int(keyCode - KEY_F0))
        case KEY_RESIZE:
            // resizeterm marks every window changed; the next read must not refresh ours.
            _ = untouchwin(window)
            invalidate()
            let (width, height) = size
            return .resize(width: width, height: height)
        case KEY_MOUSE:
            var event = MEVENT()
            guard getmouse(&event) == OK else { return .unknown }
            let state = event.bstate
            let kind: MouseKind
            if state & rmpviz_button4_pressed() != 0 {
                kind = .wheelUp
            } else if state & rmpviz_button5_pressed() != 0 {
                kind = .wheelDown
            } else if state & (rmpviz_button1_pressed() | rmpviz_button1_clicked()) != 0 {
                kind = .click
            } else {
                return .unknown
            }
            return .mouse(x: Int(event.x), y: Int(event.y), kind: kind)
        default:
            return .unknown
        }
    }

    /// Ends the ncurses session and restores the terminal; safe to call more than once.
    public func close() {
        guard let screen else { return }
        _ = growScreen()
        _ = endwin()
        delscreen(screen)
        self.screen = nil
        lastGrid = nil
        rmpviz_forget_termios()
        rmpviz_reset_quit_signals()
    }
}
