import Screen

/// Where everything goes on a screen of a given size; shared by the renderer and by mouse hits.
public struct ViewerLayout: Sendable {
    public static let minWidth = 80
    /// 80×23: an 80×24 terminal with a tmux status line.
    public static let minHeight = 23
    /// At this width and above the four tables stand side by side; below, 2×2.
    public static let sideBySideWidth = 160

    public let width: Int
    public let height: Int
    public let tooSmall: Bool
    public let top: Rect
    public let tablesArea: Rect
    /// The box of each table, in `TableKind` order.
    public let tables: [Rect]
    public let narration: Rect
    public let footer: Rect

    /// `tableRows`: the data rows the longest table has. The tables get the lines they need for
    /// them, and the narration every line they do not need (at least its usual share).
    /// `narrationLines`: the text lines the narration needs; it gets them if the tables can still
    /// show three rows each.
    public init(width: Int, height: Int, tableRows: Int? = nil, narrationLines: Int? = nil) {
        self.width = width
        self.height = height
        tooSmall = width < ViewerLayout.minWidth || height < ViewerLayout.minHeight
        let screen = Rect(width: max(0, width), height: max(0, height))
        let (top, rest) = screen.splitTop(1)
        let (body, footer) = rest.splitBottom(1)
        var narrationHeight = max(7, min(12, height / 4))
        if let rows = tableRows {
            // A box is its two borders, a header line and the rows; 2×2 stacks two boxes.
            let perBox = rows + 3
            let needed = width >= ViewerLayout.sideBySideWidth ? perBox : 2 * perBox
            narrationHeight = max(narrationHeight, body.height - needed)
        }
        if let lines = narrationLines {
            let smallestTables = width >= ViewerLayout.sideBySideWidth ? 6 : 12
            narrationHeight = max(narrationHeight, min(lines + 2, body.height - smallestTables))
        }
        let (tablesArea, narration) = body.splitBottom(min(narrationHeight, max(0, body.height - 8)))
        self.top = top
        self.footer = footer
        self.narration = narration
        self.tablesArea = tablesArea
        if width >= ViewerLayout.sideBySideWidth {
            // The RMP table holds only its bits; the direct map also names owners and mappings.
            tables = tablesArea.splitColumns([.weight(20), .weight(32), .weight(24), .weight(24)])
        } else {
            let halves = tablesArea.splitRows([.weight(1), .weight(1)])
            let upper = halves.first.map { $0.splitColumns([.weight(40), .weight(60)]) } ?? []
            let lower = halves.last.map { $0.splitColumns([.weight(1), .weight(1)]) } ?? []
            tables = upper + lower
        }
    }

    /// Rows of data a table shows (its box minus borders and header).
    public var tableCapacity: Int {
        guard let r = tables.first else { return 0 }
        return max(1, r.height - 3)
    }

    /// Which table and which visible line a screen position falls in.
    public func hit(x: Int, y: Int) -> (table: TableKind, line: Int)? {
        for (i, r) in tables.enumerated() where r.contains(x: x, y: y) {
            guard let t = TableKind(rawValue: i) else { return nil }
            let line = y - r.y - 2
            return line >= 0 && line < tableCapacity ? (t, line) : (t, -1)
        }
        return nil
    }
}
