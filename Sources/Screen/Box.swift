// Frames and banners: the two widgets that draw borders. Both have an ASCII mode for terminals
// without a UTF-8 locale (the grid-wide `asciiFallback()` gives the same result afterwards).

/// The characters of a frame.
public struct BorderSet: Hashable, Sendable {
    public var horizontal, vertical, topLeft, topRight, bottomLeft, bottomRight: String

    public static let unicode = BorderSet(
        horizontal: "─", vertical: "│", topLeft: "┌", topRight: "┐", bottomLeft: "└", bottomRight: "┘")
    public static let heavy = BorderSet(
        horizontal: "━", vertical: "┃", topLeft: "┏", topRight: "┓", bottomLeft: "┗", bottomRight: "┛")
    public static let ascii = BorderSet(
        horizontal: "-", vertical: "|", topLeft: "+", topRight: "+", bottomLeft: "+", bottomRight: "+")
}

/// A frame around a rect with an optional title in its top border: `┌─ Title ───┐`.
public struct Box: Sendable {
    public var title: String?
    public var style: Style
    public var titleStyle: Style
    public var borders: BorderSet

    public init(
        title: String? = nil, style: Style = .border, titleStyle: Style = .title, ascii: Bool = false,
        borders: BorderSet? = nil
    ) {
        self.title = title
        self.style = style
        self.titleStyle = titleStyle
        self.borders = borders ?? (ascii ? .ascii : .unicode)
    }

    /// Draws the frame on the edge of `rect` and returns its interior. A rect too small for a
    /// frame (under 2×2) is left alone and returned empty.
    @discardableResult
    public func draw(in rect: Rect, on grid: inout Grid) -> Rect {
        guard rect.width >= 2, rect.height >= 2 else { return Rect(x: rect.x, y: rect.y, width: 0, height: 0) }
        let b = borders
        grid.hline(x: rect.x + 1, y: rect.y, length: rect.width - 2, character: b.horizontal, style: style)
        grid.hline(x: rect.x + 1, y: rect.maxY - 1, length: rect.width - 2, character: b.horizontal, style: style)
        grid.vline(x: rect.x, y: rect.y + 1, length: rect.height - 2, character: b.vertical, style: style)
        grid.vline(x: rect.maxX - 1, y: rect.y + 1, length: rect.height - 2, character: b.vertical, style: style)
        grid[rect.x, rect.y] = Cell(b.topLeft, style: style)
        grid[rect.maxX - 1, rect.y] = Cell(b.topRight, style: style)
        grid[rect.x, rect.maxY - 1] = Cell(b.bottomLeft, style: style)
        grid[rect.maxX - 1, rect.maxY - 1] = Cell(b.bottomRight, style: style)
        // The title sits after "┌─" with a space either side, and never covers the right corner.
        if let title, !title.isEmpty, rect.width >= 6 {
            let room = rect.width - 4
            let text = TextWidth.truncate(title, to: room - 2)
            grid.put(" " + text + " ", x: rect.x + 2, y: rect.y, style: titleStyle, clip: room)
        }
        return rect.inset(by: 1)
    }
}

/// A framed message centred over other content: a step's outcome, an error, a help hint.
public struct Banner: Sendable {
    public var title: String?
    public var lines: [CellText]
    public var style: Style
    public var ascii: Bool

    public init(title: String? = nil, lines: [CellText], style: Style = .banner, ascii: Bool = false) {
        self.title = title
        self.lines = lines
        self.style = style
        self.ascii = ascii
    }

    /// The banner's natural size: the widest line plus a border and one column of padding each
    /// side, and the lines plus a border and a blank row above and below.
    public var preferredSize: (width: Int, height: Int) {
        let widest = lines.map { TextWidth.width(of: $0.text) }.max() ?? 0
        let titleWidth = title.map { TextWidth.width(of: $0) + 4 } ?? 0
        return (max(widest, titleWidth) + 4, lines.count + 4)
    }

    /// Clears a centred rect inside `area`, frames it and writes the lines centred. When space
    /// is short the padding goes first, then lines are cut (the last shown ends in "…").
    /// Returns the banner's rect.
    @discardableResult
    public func draw(over area: Rect, on grid: inout Grid) -> Rect {
        let size = preferredSize
        var height = min(size.height, area.height)
        if height < size.height { height = min(size.height - 2, area.height) }
        let rect = area.centered(width: size.width, height: height)
        grid.fill(rect, with: Cell(" ", style: style))
        let inner = Box(title: title, style: style, titleStyle: style, ascii: ascii).draw(in: rect, on: &grid)
        let padded = inner.height >= lines.count + 2 ? inner.inset(dx: 1, dy: 1) : inner.inset(dx: 1, dy: 0)
        for (i, line) in lines.enumerated() where i < padded.height {
            var text = line.text
            if i == padded.height - 1 && i < lines.count - 1 {
                text = TextWidth.truncate(text, to: max(0, padded.width - 1), ellipsis: false) + "…"
            }
            grid.put(text, in: padded, row: i, style: line.style ?? style, align: .center)
        }
        return rect
    }
}
