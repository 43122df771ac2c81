// A table that draws only the rows it shows: rows come from a closure, so a table over a million
// frames costs what its visible window costs.

/// A scrolling table: a header row, then a window of rows starting at `scrollOffset`, with a
/// scroll bar in the rightmost column when the rows do not all fit.
public struct TableWidget {
    /// One column: header text, how wide, and how its cells align.
    public struct Column: Hashable, Sendable {
        public var header: String
        public var width: Rect.Size
        public var alignment: Alignment
        /// The narrowest a weighted column gets before the table clips columns at its right edge.
        public var minWidth: Int

        public init(_ header: String, width: Rect.Size, alignment: Alignment = .left, minWidth: Int? = nil) {
            self.header = header
            self.width = width
            self.alignment = alignment
            self.minWidth = max(1, minWidth ?? TextWidth.width(of: header))
        }
    }

    public var columns: [Column]
    public var rowCount: Int
    /// The cells of row `i`; called only for visible rows. Missing cells stay blank.
    public var row: (Int) -> [CellText]
    /// A style for a whole row (the selection, the active page), under its cells' own styles.
    public var rowStyle: ((Int) -> Style?)?
    public var scrollOffset: Int
    public var showHeader: Bool
    public var headerStyle: Style
    public var columnGap: Int
    public var ascii: Bool

    public init(
        columns: [Column], rowCount: Int, scrollOffset: Int = 0, showHeader: Bool = true,
        headerStyle: Style = .header, columnGap: Int = 1, ascii: Bool = false,
        rowStyle: ((Int) -> Style?)? = nil, row: @escaping (Int) -> [CellText]
    ) {
        self.columns = columns
        self.rowCount = max(0, rowCount)
        self.scrollOffset = scrollOffset
        self.showHeader = showHeader
        self.headerStyle = headerStyle
        self.columnGap = columnGap
        self.ascii = ascii
        self.rowStyle = rowStyle
        self.row = row
    }

    /// Where things landed, for mouse hits and for keeping a selection in view.
    public struct Layout: Hashable, Sendable {
        /// Indices of the rows drawn.
        public var visibleRows: Range<Int>
        /// The rect holding the rows (below the header, left of the scroll bar).
        public var body: Rect
        /// Each column's rect (within `body`'s rows), zero-width when it did not fit.
        public var columnRects: [Rect]
        public var hasScrollBar: Bool

        /// The row index drawn at screen row `y`, if any.
        public func rowIndex(atY y: Int) -> Int? {
            guard y >= body.y else { return nil }
            let index = visibleRows.lowerBound + (y - body.y)
            return visibleRows.contains(index) ? index : nil
        }
    }

    /// Rows a table in `rect` can show.
    public static func capacity(of rect: Rect, showHeader: Bool = true) -> Int {
        max(0, rect.height - (showHeader ? 1 : 0))
    }

    /// The offset nearest `current` that keeps `row` visible, clamped to the valid range.
    public static func scrollOffset(keeping row: Int, visible: Int, current: Int, count: Int) -> Int {
        guard visible > 0, count > visible else { return 0 }
        var offset = current
        if row < offset { offset = row }
        if row >= offset + visible { offset = row - visible + 1 }
        return min(max(0, offset), count - visible)
    }

    @discardableResult
    public func draw(in rect: Rect, on grid: inout Grid) -> Layout {
        let (headerRect, bodyArea) = rect.splitTop(showHeader ? 1 : 0)
        let capacity = bodyArea.height
        let scrolls = rowCount > capacity && rect.width > 1
        let offset = capacity > 0 ? min(max(0, scrollOffset), max(0, rowCount - capacity)) : 0
        let visible = offset..<min(rowCount, offset + capacity)
        let contentWidth = scrolls ? rect.width - 1 : rect.width
        let parts = columnParts(Rect(x: rect.x, y: rect.y, width: contentWidth, height: rect.height))
        let body = Rect(x: rect.x, y: bodyArea.y, width: contentWidth, height: visible.count)

        if showHeader && headerRect.height > 0 {
            grid.fill(Rect(x: rect.x, y: headerRect.y, width: contentWidth, height: 1), with: Cell(" ", style: headerStyle))
            for (column, part) in zip(columns, parts) {
                grid.put(column.header, in: Rect(x: part.x, y: headerRect.y, width: part.width, height: 1),
                         style: headerStyle, align: column.alignment)
            }
        }
        for (line, index) in visible.enumerated() {
            let y = bodyArea.y + line
            let base = rowStyle?(index) ?? .normal
            grid.fill(Rect(x: rect.x, y: y, width: contentWidth, height: 1), with: Cell(" ", style: base))
            let cells = row(index)
            for (i, part) in parts.enumerated() where i < cells.count && part.width > 0 {
                grid.put(cells[i].text, in: Rect(x: part.x, y: y, width: part.width, height: 1),
                         style: cells[i].style ?? base, align: columns[i].alignment)
            }
        }
        if scrolls {
            drawScrollBar(x: rect.maxX - 1, track: bodyArea, offset: offset, visible: capacity, on: &grid)
        }
        return Layout(
            visibleRows: visible, body: body,
            columnRects: parts.map { Rect(x: $0.x, y: body.y, width: $0.width, height: body.height) },
            hasScrollBar: scrolls)
    }

    /// Column rects: fixed widths and shares of the rest when everything fits at least at its
    /// minimum, else natural widths left to right, clipped at the right edge (so the leftmost,
    /// most important columns stay readable).
    private func columnParts(_ rect: Rect) -> [Rect] {
        let natural = columns.map { column -> Int in
            if case .fixed(let n) = column.width { return max(0, n) }
            return column.minWidth
        }
        let needed = natural.reduce(0, +) + max(0, columnGap) * max(0, columns.count - 1)
        if needed <= rect.width {
            return rect.splitColumns(columns.map(\.width), gap: columnGap)
        }
        var x = rect.x
        return natural.map { width in
            let part = Rect(x: min(x, rect.maxX), y: rect.y, width: min(width, max(0, rect.maxX - x)), height: rect.height)
            x += width + max(0, columnGap)
            return part
        }
    }

    /// A thumb on a track, with arrows at the ends while there is more to see that way.
    private func drawScrollBar(x: Int, track: Rect, offset: Int, visible: Int, on grid: inout Grid) {
        let height = track.height
        guard height > 0 else { return }
        // Ends hold arrows while there is more to see that way; the thumb moves between them.
        let ends = height >= 3 ? 1 : 0
        let inner = height - 2 * ends
        let thumb = min(inner, max(1, inner * visible / max(1, rowCount)))
        let start = rowCount > visible ? (inner - thumb) * offset / (rowCount - visible) : 0
        let trackCharacter = ascii ? ":" : "░"
        for i in 0..<inner {
            let onThumb = i >= start && i < start + thumb
            grid[x, track.y + ends + i] = Cell(onThumb ? (ascii ? "#" : "█") : trackCharacter, style: .dim)
        }
        if ends == 1 {
            let more = (up: offset > 0, down: offset + visible < rowCount)
            grid[x, track.y] = more.up ? Cell(ascii ? "^" : "▲", style: .border) : Cell(trackCharacter, style: .dim)
            grid[x, track.maxY - 1] = more.down ? Cell(ascii ? "v" : "▼", style: .border) : Cell(trackCharacter, style: .dim)
        }
    }
}
