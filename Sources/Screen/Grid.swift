// The screen as a value: widgets write cells, the terminal layer and exporters read them.
// Every write is clipped and sanitised here, so no caller can trap on a bad coordinate or send
// raw control characters to the terminal.

/// One terminal column: a sanitised character (with combining marks) and its style.
///
/// The character is kept as its UTF-8 bytes inside the cell, not as a `String`: a frame is some
/// ten thousand cells, made, compared and freed on every key, and a string's reference count
/// made each of those steps a call into the runtime.
public struct Cell: Hashable, Sendable {
    var glyph: PackedUTF8
    public var style: Style

    /// A cell showing the first visible character of `text` (sanitised; wide characters need
    /// `Grid.put` to take their second column, so here they become "?").
    public init(_ text: String = " ", style: Style = .normal) {
        let utf8 = text.utf8
        if utf8.count == 1, let byte = utf8.first, byte &- 0x20 < 0x5F {
            glyph = PackedUTF8(low: UInt64(byte), high: 0)
        } else if let symbol = TextWidth.symbolGlyph(text) {
            glyph = symbol.packed
        } else {
            let found = text.lazy.compactMap(TextWidth.glyph(for:)).first ?? .space
            glyph = found.width == 1 ? found.packed : Glyph.question.packed
        }
        self.style = style
    }

    init(packed glyph: PackedUTF8, style: Style) {
        self.glyph = glyph
        self.style = style
    }

    /// What the cell shows; empty for the right half of a wide character to its left.
    public var text: String { glyph.string }

    /// True for the right half of a wide character.
    public var isContinuation: Bool { glyph.isEmpty }

    /// The cell's one byte when it shows a single ASCII character.
    public var asciiByte: UInt8? { glyph.asciiByte }

    /// Appends the cell's UTF-8 (nothing for a continuation).
    public func appendUTF8(to bytes: inout [UInt8]) { glyph.append(to: &bytes) }

    public static let blank = Cell()
}

/// A glyph's UTF-8 in two integers, zero-padded: up to 12 bytes, enough for a character and the
/// four combining marks a cell keeps (at two or three bytes each); a longer one keeps the whole
/// scalars that fit. All zero is the empty text of a continuation cell (UTF-8 text never holds
/// a zero byte: controls are replaced before they get here).
struct PackedUTF8: Hashable, Sendable {
    var low: UInt64
    var high: UInt32

    static let empty = PackedUTF8(low: 0, high: 0)

    init(low: UInt64, high: UInt32) {
        self.low = low
        self.high = high
    }

    init(_ text: String) {
        var low: UInt64 = 0, high: UInt32 = 0, count = 0, scalarEnd = 0
        for byte in text.utf8 {
            if byte & 0xC0 != 0x80 {
                // A scalar starts: its length from the lead byte; stop if it would not fit whole.
                let length = byte < 0x80 ? 1 : byte < 0xE0 ? 2 : byte < 0xF0 ? 3 : 4
                scalarEnd = count + length
                guard scalarEnd <= 12 else { break }
            }
            guard count < scalarEnd else { break }
            if count < 8 { low |= UInt64(byte) << (8 * UInt64(count)) } else { high |= UInt32(byte) << (8 * UInt32(count - 8)) }
            count += 1
        }
        self.low = low
        self.high = high
    }

    var isEmpty: Bool { low == 0 }

    var asciiByte: UInt8? {
        low < 0x80 && low != 0 && high == 0 ? UInt8(truncatingIfNeeded: low) : nil
    }

    func append(to bytes: inout [UInt8]) {
        var word = low
        for _ in 0..<8 {
            let byte = UInt8(truncatingIfNeeded: word)
            guard byte != 0 else { return }
            bytes.append(byte)
            word >>= 8
        }
        var rest = high
        while rest != 0 {
            bytes.append(UInt8(truncatingIfNeeded: rest))
            rest >>= 8
        }
    }

    var string: String {
        // At most 12 bytes: a small string, made without a heap allocation.
        String(unsafeUninitializedCapacity: 12) { buffer in
            var count = 0
            var word = low
            while count < 8 && word & 0xFF != 0 {
                buffer[count] = UInt8(truncatingIfNeeded: word)
                word >>= 8
                count += 1
            }
            var rest = count == 8 ? high : 0
            while rest & 0xFF != 0 {
                buffer[count] = UInt8(truncatingIfNeeded: rest)
                rest >>= 8
                count += 1
            }
            return count
        }
    }
}

/// How `Grid.put` shows text that does not fit.
public enum Truncation: Sendable {
    /// Cut at the edge.
    case clip
    /// Cut one column earlier and end with "…".
    case ellipsis
}

/// A run of neighbouring cells of one style in a row, for exporters and the terminal layer.
public struct StyledRun: Hashable, Sendable {
    public var x: Int
    /// Columns covered (wide characters count two).
    public var width: Int
    public var text: String
    public var style: Style
}

/// A width × height array of cells, row-major; a value type, cheap to copy until written.
public struct Grid: Hashable, Sendable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]

    public init(width: Int, height: Int, fill: Cell = .blank) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: fill, count: self.width * self.height)
    }

    public var bounds: Rect { Rect(width: width, height: height) }

    /// The cell at (x, y); a blank cell outside the grid. Writes outside are ignored, and a write
    /// over half of a wide character blanks its other half.
    public subscript(x: Int, y: Int) -> Cell {
        get { contains(x, y) ? cells[y * width + x] : .blank }
        set {
            guard contains(x, y), !newValue.isContinuation else { return }
            put(cell: newValue, x: x, y: y)
        }
    }

    /// Writes a cell taken from some grid: a wide character takes two columns, or becomes "?"
    /// at the right edge.
    private mutating func put(cell: Cell, x: Int, y: Int) {
        let wide = cell.asciiByte == nil && cell.text.unicodeScalars.first.map(TextWidth.width(of:)) == 2
        if wide && x + 1 >= width {
            place(.question, x: x, y: y, style: cell.style)
        } else {
            place(Glyph(packed: cell.glyph, width: wide ? 2 : 1), x: x, y: y, style: cell.style)
        }
    }

    private func contains(_ x: Int, _ y: Int) -> Bool {
        x >= 0 && y >= 0 && x < width && y < height
    }

    /// Writes a glyph whose columns are known to be inside the grid, repairing wide neighbours.
    private mutating func place(_ glyph: Glyph, x: Int, y: Int, style: Style) {
        place(glyph.packed, width: glyph.width, x: x, y: y, style: style)
    }

    private mutating func place(_ packed: PackedUTF8, width glyphWidth: Int, x: Int, y: Int, style: Style) {
        let row = y * width
        if cells[row + x].isContinuation && x > 0 {
            cells[row + x - 1].glyph = Glyph.space.packed
        }
        let last = x + glyphWidth - 1
        if last + 1 < width && cells[row + last + 1].isContinuation {
            cells[row + last + 1].glyph = Glyph.space.packed
        }
        cells[row + x] = Cell(packed: packed, style: style)
        if glyphWidth == 2 {
            cells[row + x + 1] = Cell(packed: .empty, style: style)
        }
    }

    /// Writes `string` from (x, y), at most `clip` columns (and never past the grid's edge).
    /// Controls become U+FFFD; a wide character that does not fit becomes "?".
    /// Returns the columns the text advanced from `x`.
    @discardableResult
    public mutating func put(
        _ string: String, x: Int, y: Int, style: Style = .normal, clip: Int? = nil,
        truncation: Truncation = .clip
    ) -> Int {
        guard y >= 0, y < height else { return 0 }
        var limit = width
        if let clip {
            let (end, overflow) = x.addingReportingOverflow(max(0, clip))
            if !overflow { limit = min(width, end) }
        }
        guard x < limit else { return 0 }
        let text = truncation == .ellipsis ? TextWidth.truncate(string, to: limit - x) : string
        var column = x
        if TextWidth.isPrintableASCII(text) {
            // Most text is: a byte a column, each glyph's text made once for the whole program.
            for byte in text.utf8 {
                guard column < limit else { break }
                if column >= 0 { place(PackedUTF8(low: UInt64(byte), high: 0), width: 1, x: column, y: y, style: style) }
                column += 1
            }
            return column - x
        }
        TextWidth.forEachGlyph(in: text) { glyph in
            guard column < limit else { return false }
            if column < 0 {
                column += glyph.width
                return true
            }
            if column + glyph.width > limit {
                place(.question, x: column, y: y, style: style)
                column += 1
                return false
            }
            place(glyph, x: column, y: y, style: style)
            column += glyph.width
            return true
        }
        return column - x
    }

    /// Writes `string` on row `y` of `rect`, aligned, cut with an ellipsis when too long.
    @discardableResult
    public mutating func put(
        _ string: String, in rect: Rect, row: Int = 0, style: Style = .normal, align: Alignment = .left
    ) -> Int {
        guard row >= 0, row < rect.height, rect.width > 0 else { return 0 }
        let text = TextWidth.truncate(string, to: rect.width)
        let used = TextWidth.width(of: text)
        let x = rect.x + align.offset(used: used, in: rect.width)
        return put(text, x: x, y: rect.y + row, style: style, clip: rect.maxX - x)
    }

    /// Fills `rect` (clipped to the grid) with `cell`.
    public mutating func fill(_ rect: Rect, with cell: Cell = .blank) {
        let area = rect.intersection(bounds)
        guard area.width > 0, area.height > 0 else { return }
        let wide = cell.asciiByte == nil && cell.text.unicodeScalars.first.map(TextWidth.width(of:)) == 2
        guard !wide, !cell.isContinuation else {
            for y in area.rows {
                for x in area.cols { self[x, y] = cell }
            }
            return
        }
        // One column a cell: only a wide character cut by the area's left or right edge needs its
        // other half blanked (as `place` does); the cells inside are all overwritten.
        for y in area.rows {
            let row = y * width
            if area.x > 0, cells[row + area.x].isContinuation {
                cells[row + area.x - 1].glyph = Glyph.space.packed
            }
            if area.maxX < width, cells[row + area.maxX].isContinuation {
                cells[row + area.maxX].glyph = Glyph.space.packed
            }
            for x in area.cols { cells[row + x] = cell }
        }
    }

    /// Changes the style of every cell in `rect` but keeps the characters: a selected row, say.
    public mutating func restyle(_ rect: Rect, with style: Style) {
        let area = rect.intersection(bounds)
        for y in area.rows {
            for x in area.cols { cells[y * width + x].style = style }
        }
    }

    /// A horizontal line of `character` (one column wide), clipped.
    public mutating func hline(x: Int, y: Int, length: Int, character: String = "─", style: Style = .border) {
        fill(Rect(x: x, y: y, width: max(0, length), height: 1), with: Cell(character, style: style))
    }

    /// A vertical line of `character` (one column wide), clipped.
    public mutating func vline(x: Int, y: Int, length: Int, character: String = "│", style: Style = .border) {
        fill(Rect(x: x, y: y, width: 1, height: max(0, length)), with: Cell(character, style: style))
    }

    /// Copies `other` with its top-left at (x, y), clipped to this grid.
    public mutating func draw(_ other: Grid, x: Int, y: Int) {
        for row in 0..<other.height where (0..<height).contains(row + y) {
            for column in 0..<other.width {
                let target = column + x
                guard target >= 0, target < width else { continue }
                let cell = other.cells[row * other.width + column]
                if cell.isContinuation {
                    // Its left half fell off our left edge: nothing sensible to show.
                    if target == 0 { self[target, row + y] = Cell(" ", style: cell.style) }
                } else {
                    put(cell: cell, x: target, y: row + y)
                }
            }
        }
    }

    /// Row `y` as text, trailing spaces trimmed.
    public func rowText(_ y: Int) -> String {
        guard y >= 0, y < height else { return "" }
        var line = ""
        for cell in cells[(y * width)..<((y + 1) * width)] { line += cell.text }
        while line.last == " " { line.removeLast() }
        return line
    }

    /// The readable form used by golden tests: each row trimmed, rows joined by "\n".
    public var text: String {
        (0..<height).map(rowText).joined(separator: "\n")
    }

    /// Row `y` as runs of one style each, left to right, covering the whole row.
    public func styledRuns(row y: Int) -> [StyledRun] {
        guard y >= 0, y < height else { return [] }
        var runs: [StyledRun] = []
        for x in 0..<width {
            let cell = cells[y * width + x]
            if var last = runs.last, last.style == cell.style {
                last.width += 1
                last.text += cell.text
                runs[runs.count - 1] = last
            } else {
                runs.append(StyledRun(x: x, width: 1, text: cell.text, style: cell.style))
            }
        }
        return runs
    }
}

/// Horizontal placement of text in a column or rect.
public enum Alignment: Sendable {
    case left, center, right

    /// Where text `used` columns wide starts in a space `width` columns wide.
    public func offset(used: Int, in width: Int) -> Int {
        let free = max(0, width - used)
        switch self {
        case .left: return 0
        case .center: return free / 2
        case .right: return free
        }
    }
}
