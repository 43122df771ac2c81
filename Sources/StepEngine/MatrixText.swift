import MemoryModel

/// The outcome matrix as text cells and column widths: what the text report prints and the
/// terminal table draws, computed once for both.
public struct MatrixText: Sendable {
    /// "row" and the `--over` keys.
    public let head: [String]
    /// Per row: its number and its settings' values.
    public let fixed: [[String]]
    public let fixedWidths: [Int]
    public let columns: [OutcomeKind]
    /// Per row, per column: `always`, `sometimes (k/n)`, `never`; `invalid` for an invalid row.
    public let cells: [[String]]
    /// Per column: the widest of its name and its cells.
    public let widths: [Int]

    public init(_ e: Exploration) {
        head = ["row"] + e.over.map(\.rawValue)
        fixed = e.rows.enumerated().map { i, r in ["\(i + 1)"] + r.settings.map(\.value) }
        var fw = head.map(\.count)
        for cells in fixed { for (j, c) in cells.enumerated() { fw[j] = max(fw[j], c.count) } }
        fixedWidths = fw
        let columns = e.columns
        self.columns = columns
        let cells = e.rows.map { r in
            columns.map { k in
                r.invalid != nil ? "invalid" : Exploration.cell(r.outcomes.first { $0.kind == k }?.count ?? 0, of: r.runs)
            }
        }
        self.cells = cells
        widths = columns.indices.map { j in max(columns[j].rawValue.count, cells.map { $0[j].count }.max() ?? 0) }
    }

    /// The width the fixed columns take with their gaps of two.
    public var fixedWidth: Int { fixedWidths.reduce(0) { $0 + $1 + 2 } }
}
