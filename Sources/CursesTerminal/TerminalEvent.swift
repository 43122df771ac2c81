// What the terminal reports, as plain values: callers map these to actions and never see ncurses.

/// One input event from the terminal.
public enum TerminalEvent: Hashable, Sendable {
    /// A printable character.
    case char(Character)
    /// Control plus a letter (a–z) not covered by a named key below.
    case ctrl(Character)
    case up, down, left, right, pageUp, pageDown, home, end
    case enter, backspace, delete, tab, backTab, escape
    /// Function key Fn.
    case function(Int)
    /// Ctrl-C arrived as a byte (the terminal in raw mode); in cbreak mode it is `.signal(SIGINT)`.
    case ctrlC
    /// The terminal now has this many columns and rows; redraw from state.
    case resize(width: Int, height: Int)
    case mouse(x: Int, y: Int, kind: MouseKind)
    /// Standard input is closed: treat as quit.
    case endOfInput
    /// SIGINT, SIGTERM or SIGHUP arrived; close the terminal and exit with 128 + the number.
    case signal(Int32)
    /// A key this program has no name for; callers ignore it.
    case unknown
}

/// What a mouse event was.
public enum MouseKind: Hashable, Sendable {
    case click, wheelUp, wheelDown
}

/// A terminal colour: an xterm-256 index with the 8-colour index used when only 8 exist, or
/// the terminal's own default.
public enum TermColor: Hashable, Sendable {
    case `default`
    case indexed(UInt8, fallback: UInt8)

    /// One of the eight basic colours (0 black … 7 white), the same on every colour terminal.
    public static func basic(_ index: UInt8) -> TermColor { .indexed(index % 8, fallback: index % 8) }

    public static let black = basic(0)
    public static let red = basic(1)
    public static let green = basic(2)
    public static let yellow = basic(3)
    public static let blue = basic(4)
    public static let magenta = basic(5)
    public static let cyan = basic(6)
    public static let white = basic(7)
}

/// Whether to use colours at all; `NO_COLOR` in the environment also turns them off.
public enum ColorMode: Hashable, Sendable {
    case auto, none
}

/// Why the terminal could not be opened.
public enum TerminalError: Error, Hashable, Sendable, CustomStringConvertible {
    case noUsableTerminal(String)

    public var description: String {
        switch self {
        case .noUsableTerminal(let reason): "no usable terminal: \(reason)"
        }
    }
}
