import Screen

/// Where everything goes on a screen of a given size; shared by the renderer and by mouse hits.
public struct ViewerLayout: Sendable {
    public static let minWidth = 80
    public static let minHeight = 24
    /// At this width and above the four tables stand side by side; below, 2×2.
    public static let sideBySideWidth = 120

    public let width: Int
    public let height: Int
    public let tooSmall: Bool
    public let top: Rect
    public let tablesArea: Rect
    /// The box of each table, in `TableKind` order.
    public let tables: [Rect]
    public let narration: Rect
    public let footer: Rect

    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
        tooSmall = width < ViewerLayout.minWidth || height < ViewerLayout.minHeight
        let screen = Rect(width: max(0, width), height: max(0, height))
        let (top, rest) = screen.splitTop(1)
        let (body, footer) = rest.splitBottom(1)
        let narrationHeight = max(7, min(12, height / 4))
        let (tablesArea, narration) = body.splitBottom(narrationHeight)
        self.top = top
        self.footer = footer
        self.narration = narration
        self.tablesArea = tablesArea
        if width >= ViewerLayout.sideBySideWidth {
            tables = tablesArea.splitColumns([.weight(28), .weight(24), .weight(24), .weight(24)])
        } else {
            let halves = tablesArea.splitRows([.weight(1), .weight(1)])
            let upper = halves.first.map { $0.splitColumns([.weight(55), .weight(45)]) } ?? []
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
