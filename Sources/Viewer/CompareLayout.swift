import Screen

/// Where a comparison's parts go: one top line, the line that says where the runs first differ,
/// then the two sides, each its tables above its narration box. From 160 columns each side shows
/// its four tables (2×2); below, each side shows one pair (the frame tables or the fds) at a time.
public struct CompareLayout: Sendable {
    /// One side of the screen: its table boxes (in `TableKind` order; an empty rect for a table of
    /// the pair not shown) and its narration box.
    public struct Side: Sendable {
        public let area: Rect
        public let tables: [Rect]
        public let narration: Rect
        public var tablesArea: Rect { Rect(x: area.x, y: area.y, width: area.width, height: max(0, narration.y - area.y)) }
    }

    public let width: Int
    public let height: Int
    public let tooSmall: Bool
    public let top: Rect
    public let divergence: Rect
    public let sides: [Side]
    /// The step's text, once, under both sides.
    public let say: Rect
    public let footer: Rect
    /// True when each side shows all four tables.
    public let allTables: Bool
    /// Tables each side shows: 4 from 160 columns, else a pair (2), or only the focused one (1)
    /// when the screen is too low for a pair and the text.
    public let tablesPerSide: Int

    /// `tableRows`: the most rows a table has; `narrationLines`: the most lines either side's own
    /// narration needs; `sayLines`: the lines of the step's text; `focus`: below 160 columns, the
    /// table whose pair (or which alone) is shown. The tables get the rows they need, the text the rest.
    public init(width: Int, height: Int, tableRows: Int, narrationLines: Int, sayLines: Int, focus: TableKind) {
        self.width = width
        self.height = height
        tooSmall = width < ViewerLayout.minWidth || height < ViewerLayout.minHeight
        allTables = width >= ViewerLayout.sideBySideWidth
        let screen = Rect(width: max(0, width), height: max(0, height))
        let (top, rest) = screen.splitTop(1)
        let (divergence, rest2) = rest.splitTop(1)
        let (body0, footer) = rest2.splitBottom(1)
        self.top = top
        self.divergence = divergence
        self.footer = footer
        // A box is two borders, a header and its rows; both the 2×2 and a pair stack two boxes.
        let box = min(tableRows, 3) + 3
        let textNeed = narrationLines + 2 + (sayLines == 0 ? 0 : sayLines + 2)
        let stacked = allTables || body0.height - 2 * box >= textNeed ? 2 : 1
        tablesPerSide = allTables ? 4 : stacked
        // The step's text gets its lines while the tables and each side's own text keep theirs.
        let sideNeed = stacked * box + narrationLines + 2
        let sayHeight = sayLines == 0 ? 0 : min(sayLines + 2, max(3, body0.height - sideNeed))
        let (body, say) = body0.splitBottom(sayHeight)
        self.say = say
        let tablesNeed = stacked * (tableRows + 3)
        let smallest = stacked * (3 + 3)
        var narration = max(5, body.height - tablesNeed)
        narration = max(narration, min(narrationLines + 2, body.height - smallest))
        narration = min(narration, max(0, body.height - smallest))
        let halves = body.splitColumns([.weight(1), .weight(1)])
        let perSide = tablesPerSide
        sides = halves.map { half in
            let (tables, box) = half.splitBottom(narration)
            let rows = tables.splitRows([.weight(1), .weight(1)])
            let upper = rows.first ?? tables, lower = rows.last ?? tables
            let none = Rect(x: tables.x, y: tables.y, width: 0, height: 0)
            var t = [none, none, none, none]
            switch perSide {
            case 4:
                // The RMP table's bits need about 35 columns; the direct map takes the rest.
                t = upper.splitColumns([.weight(44), .weight(56)]) + lower.splitColumns([.weight(1), .weight(1)])
            case 2:
                let first = focus.rawValue / 2 * 2
                t[first] = upper
                t[first + 1] = lower
            default:
                t[focus.rawValue] = tables
            }
            return Side(area: half, tables: t, narration: box)
        }
    }

    /// Rows of data a shown table holds.
    public var tableCapacity: Int {
        let shown = sides.first?.tables.filter { $0.width > 0 } ?? []
        return max(1, (shown.map(\.height).min() ?? 4) - 3)
    }

    /// Which table and which visible line a screen position falls in, on either side.
    public func hit(x: Int, y: Int) -> (table: TableKind, line: Int)? {
        for side in sides {
            for (i, r) in side.tables.enumerated() where r.width > 0 && r.contains(x: x, y: y) {
                guard let t = TableKind(rawValue: i) else { return nil }
                let line = y - r.y - 2
                return line >= 0 && line < tableCapacity ? (t, line) : (t, -1)
            }
        }
        return nil
    }
}

extension ViewerState {
    /// The comparison's layout at this size (meaningful while one is open).
    public var compareLayout: CompareLayout {
        let m = compared?.measure ?? (step: -1, width: -1, sides: 0, say: 0)
        return CompareLayout(width: width, height: height,
                             tableRows: max(rowCount(.rmp), rowCount(.sharedFD)),
                             narrationLines: m.sides, sayLines: m.say,
                             focus: focus)
    }
}
