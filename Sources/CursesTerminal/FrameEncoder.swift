// Turns a grid (and the grid on screen before it) into the bytes that update the terminal, so a
// frame leaves in one write(2). ncurses sends its own screen in many small writes (it flushes on
// every cursor motion until its first endwin, and when its buffer of about one screen fills); it
// still opens the terminal, reads keys and supplies the terminfo strings used here.
import Screen

/// The control strings a frame needs, as bytes (from terminfo).
struct TerminalStrings {
    /// Home and erase the whole screen.
    var clear: [UInt8]
    /// Erase to the end of the line (`el`); used only where the terminal erases in the current
    /// background colour (`bce`), for runs of blanks.
    var clearToEnd: [UInt8]?
    /// All attributes and colours off (`sgr0`).
    var reset: [UInt8]
    /// Turns on bold, reverse, underline, dim (by `Style.Attributes` bit); nil when missing.
    var attributes: [[UInt8]?]
    /// Both colours to the terminal's default (`op`).
    var defaultColors: [UInt8]
    /// Attributes (as `Style.Attributes` bits) this terminal cannot show together with colours
    /// (`ncv`), left out of coloured cells as ncurses does.
    var noColorAttributes: UInt8 = 0
    var backColorErase: Bool
    /// True when writing the bottom-right cell would scroll the screen (`am` without `xenl`).
    var bottomRightScrolls: Bool
    /// Cursor to (row, column), 0-based; appended to the buffer.
    var moveTo: (_ row: Int, _ column: Int, _ out: inout [UInt8]) -> Void
    /// Cursor right by n columns on the same row, when the terminal has `cuf`.
    var moveRight: ((_ columns: Int, _ out: inout [UInt8]) -> Void)?
}

/// The colours of one role: numbers to compare (-1 is the terminal's default) and the bytes
/// that select each one.
struct RoleColors {
    var foreground: Int16 = -1
    var background: Int16 = -1
    var setForeground: [UInt8] = []
    var setBackground: [UInt8] = []
}

/// Encodes frames. Every frame ends with attributes off, so a suspend (Ctrl-Z) or exit between
/// frames never leaves colours behind, and the next frame starts from that known state.
struct FrameEncoder {
    let strings: TerminalStrings
    /// Blank line ends can be erased instead of written (`bce` and `el`).
    private let canErase: Bool
    /// By `Style.Role` raw value.
    var roles: [RoleColors]

    private var out: [UInt8] = []
    private var penAttributes: UInt8 = 0
    private var penForeground: Int16 = -1
    private var penBackground: Int16 = -1
    /// The style the pen was last set for (nil after a reset): most cells repeat their neighbour's.
    private var penStyle: Style?
    /// Where the next character lands; -1 when unknown (after the last column).
    private var cursorRow = -1
    private var cursorColumn = -1

    init(strings: TerminalStrings, roles: [RoleColors]) {
        self.strings = strings
        canErase = strings.backColorErase && strings.clearToEnd != nil
        self.roles = roles
        out.reserveCapacity(1 << 15)
    }

    /// The bytes that turn the screen showing `previous` (nil: unknown, repaint everything) into
    /// `grid`, drawn within `columns` × `rows`; empty when nothing changed.
    mutating func encode(_ grid: Grid, over previous: Grid?, columns: Int, rows: Int) -> [UInt8] {
        out.removeAll(keepingCapacity: true)
        penAttributes = 0
        penForeground = -1
        penBackground = -1
        penStyle = nil
        cursorRow = -1
        cursorColumn = -1
        let previous = previous.flatMap { $0.width == grid.width && $0.height == grid.height ? $0 : nil }
        if previous == nil {
            // What the grid does not cover (a terminal larger than it, mid-resize) is blank.
            out += strings.reset
            out += strings.clear
            cursorRow = 0
            cursorColumn = 0
        }
        let width = min(grid.width, columns)
        let height = min(grid.height, rows)
        grid.cells.withUnsafeBufferPointer { cells in
            if let previous {
                previous.cells.withUnsafeBufferPointer { before in
                    for y in 0..<height {
                        encodeRow(y, cells, before: before, gridWidth: grid.width, width: width, columns: columns, rows: rows)
                    }
                }
            } else {
                for y in 0..<height {
                    encodeRow(y, cells, before: nil, gridWidth: grid.width, width: width, columns: columns, rows: rows)
                }
            }
        }
        if penAttributes != 0 || penForeground != -1 || penBackground != -1 { out += strings.reset }
        return out
    }

    private mutating func encodeRow(
        _ y: Int, _ cells: UnsafeBufferPointer<Cell>, before: UnsafeBufferPointer<Cell>?,
        gridWidth: Int, width: Int, columns: Int, rows: Int
    ) {
        let start = y * gridWidth
        var tail: Int?
        var x = 0
        while x < width {
            var index = start + x
            if let before, Self.same(cells, before, index) {
                x += 1
                continue
            }
            if cells[index].isContinuation {
                // Only the right half of a wide character differs: write the character again.
                guard x > 0, !cells[index - 1].isContinuation else {
                    x += 1
                    continue
                }
                x -= 1
                index -= 1
            }
            let cell = cells[index]
            var span = x + 1 < gridWidth && cells[index + 1].isContinuation ? 2 : 1
            if canErase && width == columns {
                let from = tail ?? blankTail(cells, start: start, width: width)
                tail = from
                if x >= from, let erase = strings.clearToEnd {
                    moveCursor(to: y, x, cells: cells, rowStart: start)
                    setPen(cell.style)
                    out += erase
                    return
                }
            }
            if y == rows - 1 && x + span >= columns && strings.bottomRightScrolls { return }
            moveCursor(to: y, x, cells: cells, rowStart: start)
            setPen(cell.style)
            if x + span > columns {
                // A wide character cut by the terminal's edge: the terminal would wrap it.
                out.append(0x20)
                span = 1
            } else if let byte = cell.asciiByte {
                out.append(byte)
            } else {
                cell.appendUTF8(to: &out)
            }
            x += span
            cursorColumn = x < columns ? x : -1
        }
    }

    /// Whether the cell at `index` is the same in both grids. A cell is plain bytes (its
    /// character's UTF-8 in 12, its style in 2), so comparing them answers without a call to
    /// `==` across modules for each of the frame's cells.
    @inline(__always)
    private static func same(_ cells: UnsafeBufferPointer<Cell>, _ before: UnsafeBufferPointer<Cell>, _ index: Int) -> Bool {
        if bytewise, let a = cells.baseAddress, let b = before.baseAddress {
            let p = UnsafeRawPointer(a + index)
            let q = UnsafeRawPointer(b + index)
            return p.loadUnaligned(as: UInt64.self) == q.loadUnaligned(as: UInt64.self)
                && p.loadUnaligned(fromByteOffset: 8, as: UInt32.self) == q.loadUnaligned(fromByteOffset: 8, as: UInt32.self)
                && p.loadUnaligned(fromByteOffset: 12, as: UInt16.self) == q.loadUnaligned(fromByteOffset: 12, as: UInt16.self)
        }
        return cells[index] == before[index]
    }

    /// True when a cell is 12 bytes of text followed by a 2-byte style, the layout `same` reads.
    private static let bytewise = MemoryLayout<Cell>.size == 14 && MemoryLayout<Cell>.offset(of: \Cell.style) == 12
        && MemoryLayout<Style>.size == 2

    /// The first column of the row's trailing run of blanks that erasing can paint: at least four
    /// of them, all one style, without reverse or underline (an erase shows neither).
    private func blankTail(_ cells: UnsafeBufferPointer<Cell>, start: Int, width: Int) -> Int {
        let last = cells[start + width - 1]
        let visible = Style.Attributes.reverse.rawValue | Style.Attributes.underline.rawValue
        guard last.asciiByte == 0x20, last.style.attributes.rawValue & visible == 0 else { return width }
        var x = width - 1
        while x > 0 && cells[start + x - 1] == last { x -= 1 }
        return width - x >= 4 ? x : width
    }

    /// Moves the cursor, rewriting a short gap of unchanged cells when that is shorter.
    private mutating func moveCursor(to y: Int, _ x: Int, cells: UnsafeBufferPointer<Cell>, rowStart: Int) {
        if cursorRow == y && cursorColumn == x { return }
        if cursorRow == y && cursorColumn >= 0 && x > cursorColumn {
            let gap = x - cursorColumn
            if gap <= 4 && gapIsPlain(cells, from: rowStart + cursorColumn, count: gap) {
                for i in 0..<gap { cells[rowStart + cursorColumn + i].appendUTF8(to: &out) }
                cursorColumn = x
                return
            }
            if let right = strings.moveRight, gap < 100 {
                right(gap, &out)
                cursorColumn = x
                return
            }
        }
        strings.moveTo(y, x, &out)
        cursorRow = y
        cursorColumn = x
    }

    /// True when the cells are single-width ASCII in the current pen, so writing them again
    /// changes nothing on screen.
    private func gapIsPlain(_ cells: UnsafeBufferPointer<Cell>, from: Int, count: Int) -> Bool {
        for i in from..<(from + count) {
            let cell = cells[i]
            guard let byte = cell.asciiByte, byte >= 0x20, byte < 0x7f,
                  penMatches(cell.style) else { return false }
        }
        return true
    }

    private func penMatches(_ style: Style) -> Bool {
        if style == penStyle { return true }
        let colors = roles[Int(style.role.rawValue)]
        return attributes(of: style, colors) == penAttributes
            && colors.foreground == penForeground && colors.background == penBackground
    }

    private func attributes(of style: Style, _ colors: RoleColors) -> UInt8 {
        let colored = colors.foreground != -1 || colors.background != -1
        return style.attributes.rawValue & 0x0f & (colored ? ~strings.noColorAttributes : 0xff)
    }

    /// Switches attributes and colours to `style`, sending only what differs when it can.
    private mutating func setPen(_ style: Style) {
        if style == penStyle { return }
        penStyle = style
        let colors = roles[Int(style.role.rawValue)]
        let attributes = attributes(of: style, colors)
        if attributes == penAttributes && colors.foreground == penForeground && colors.background == penBackground {
            return
        }
        if penAttributes & ~attributes != 0 {
            // No terminfo string turns one attribute off: reset, then build up again.
            out += strings.reset
            penAttributes = 0
            penForeground = -1
            penBackground = -1
        }
        let added = attributes & ~penAttributes
        for bit in 0..<strings.attributes.count where added & (1 << bit) != 0 {
            if let bytes = strings.attributes[bit] { out += bytes }
        }
        penAttributes = attributes
        if (colors.foreground == -1 && penForeground != -1) || (colors.background == -1 && penBackground != -1) {
            out += strings.defaultColors
            penForeground = -1
            penBackground = -1
        }
        if colors.foreground != penForeground {
            out += colors.setForeground
            penForeground = colors.foreground
        }
        if colors.background != penBackground {
            out += colors.setBackground
            penBackground = colors.background
        }
    }
}

extension TerminalStrings {
    /// A terminfo string as bytes, without its padding (`$<5>`, `$<2*/>`): tputs would turn
    /// padding into delays, but these strings are written directly and modern terminals need none.
    static func bytes(_ string: UnsafePointer<CChar>) -> [UInt8] {
        let raw = Array(String(cString: string).utf8)
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var i = 0
        while i < raw.count {
            if raw[i] == UInt8(ascii: "$"), i + 1 < raw.count, raw[i + 1] == UInt8(ascii: "<"),
               let end = raw[(i + 2)...].firstIndex(of: UInt8(ascii: ">")),
               raw[(i + 2)..<end].allSatisfy({ "0123456789.*/".utf8.contains($0) }) {
                i = end + 1
                continue
            }
            out.append(raw[i])
            i += 1
        }
        return out
    }

    /// `ESC [ row ; column H`, written without formatting through terminfo (the common case).
    static func ansiMove(_ row: Int, _ column: Int, _ out: inout [UInt8]) {
        out.append(0x1b)
        out.append(0x5b)
        appendDecimal(row + 1, to: &out)
        out.append(0x3b)
        appendDecimal(column + 1, to: &out)
        out.append(0x48)
    }

    /// `ESC [ n C`.
    static func ansiRight(_ columns: Int, _ out: inout [UInt8]) {
        out.append(0x1b)
        out.append(0x5b)
        appendDecimal(columns, to: &out)
        out.append(0x43)
    }

    static func appendDecimal(_ value: Int, to out: inout [UInt8]) {
        if value >= 10 { appendDecimal(value / 10, to: &out) }
        out.append(UInt8(0x30 + value % 10))
    }
}
