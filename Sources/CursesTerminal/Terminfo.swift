// The terminal's control strings, read from the terminfo entry ncurses opened, for the frame encoder.
import CNcurses
import Screen

extension CursesTerminal {
    /// The control strings of the terminal ncurses opened (its terminfo entry).
    static func terminalStrings() -> TerminalStrings {
        func bytes(_ name: String) -> [UInt8]? {
            rmpviz_tigetstr(name).map(TerminalStrings.bytes)
        }
        let ansiMove = "\u{1b}[%i%p1%d;%p2%dH"
        let move: (Int, Int, inout [UInt8]) -> Void
        if let cup = rmpviz_tigetstr("cup"), TerminalStrings.bytes(cup) != Array(ansiMove.utf8) {
            let format = String(cString: cup)
            move = { row, column, out in
                if let s = rmpviz_tparm2(format, Int32(row), Int32(column)) { out += TerminalStrings.bytes(s) }
            }
        } else {
            move = TerminalStrings.ansiMove
        }
        var right: ((Int, inout [UInt8]) -> Void)?
        if let cuf = rmpviz_tigetstr("cuf") {
            let format = String(cString: cuf)
            right = TerminalStrings.bytes(cuf) == Array("\u{1b}[%p1%dC".utf8) ? TerminalStrings.ansiRight : { columns, out in
                if let s = rmpviz_tparm1(format, Int32(columns)) { out += TerminalStrings.bytes(s) }
            }
        }
        // ncv uses the curses attribute bits: underline 2, reverse 4, dim 16, bold 32.
        let ncv = max(0, tigetnum("ncv"))
        let noColor: [(Int32, Style.Attributes)] = [(2, .underline), (4, .reverse), (16, .dim), (32, .bold)]
        var strings = TerminalStrings(
            clear: bytes("clear") ?? Array("\u{1b}[H\u{1b}[2J".utf8),
            clearToEnd: bytes("el"),
            reset: bytes("sgr0") ?? Array("\u{1b}[m".utf8),
            attributes: [bytes("bold"), bytes("rev"), bytes("smul"), bytes("dim")],
            defaultColors: bytes("op") ?? Array("\u{1b}[39;49m".utf8),
            backColorErase: tigetflag("bce") > 0,
            bottomRightScrolls: tigetflag("am") > 0 && tigetflag("xenl") <= 0,
            moveTo: move, moveRight: right)
        strings.noColorAttributes = noColor.reduce(0) { ncv & $1.0 != 0 ? $0 | $1.1.rawValue : $0 }
        return strings
    }
}
