import MemoryModel
import SceneLanguage
import Screen
import StepEngine

/// What a key asks of the outcome matrix.
public enum ExploreAction: Hashable, Sendable {
    case up, down, left, right, first, last, open, help, back, quit
}

/// The matrix's key map: dispatch, the help screen and the footer all read it.
public enum ExploreKeyMap {
    public struct Binding: Sendable {
        public let keys: [Key]
        public let action: ExploreAction
        public let help: String
        public let footer: String?
    }

    public static let bindings: [Binding] = [
        Binding(keys: [.up, .char("k")], action: .up, help: "the row above", footer: "↑↓ row"),
        Binding(keys: [.down, .char("j")], action: .down, help: "the row below", footer: nil),
        Binding(keys: [.left, .char("h"), .backTab], action: .left, help: "the outcome to the left", footer: "←→ outcome"),
        Binding(keys: [.right, .char("l"), .tab], action: .right, help: "the outcome to the right", footer: nil),
        Binding(keys: [.home, .char("g")], action: .first, help: "the first row", footer: nil),
        Binding(keys: [.end, .char("G")], action: .last, help: "the last row", footer: nil),
        Binding(keys: [.enter], action: .open, help: "open the cell's witness in the viewer (Esc comes back)",
                footer: "Enter witness"),
        Binding(keys: [.char("?")], action: .help, help: "this help", footer: "? help"),
        Binding(keys: [.escape], action: .back, help: "close the help; in a witness, back to the matrix", footer: nil),
        Binding(keys: [.char("q"), .ctrl("c")], action: .quit, help: "quit", footer: "q quit"),
    ]

    public static func action(for key: Key) -> ExploreAction? {
        bindings.first { $0.keys.contains(key) }?.action
    }
}

/// `rmpviz explore` in a terminal: the outcome matrix as a table to move through, and a cell's
/// witness opened in the viewer. Pure, like the viewer.
public struct ExploreState: Sendable {
    public let exploration: Exploration
    /// The matrix's cells and widths, made once: the exploration never changes under the view.
    let matrixText: MatrixText
    public let path: String
    public private(set) var row = 0
    public private(set) var column = 0
    public private(set) var showHelp = false
    /// The witness being stepped through, if one is open.
    public private(set) var witness: ViewerState?
    public private(set) var message: String?
    public private(set) var quit = false
    public private(set) var width: Int
    public private(set) var height: Int
    public var ascii = false

    public init(exploration: Exploration, path: String, width: Int, height: Int) {
        self.exploration = exploration
        matrixText = MatrixText(exploration)
        self.path = path
        self.width = width
        self.height = height
    }

    /// The matrix's outcome columns, most severe first.
    public var columns: [OutcomeKind] { matrixText.columns }

    public mutating func handle(_ key: Key) {
        if case .resize(let w, let h) = key {
            width = w
            height = h
            witness?.handle(key)
            return
        }
        if var w = witness {
            if key == .escape, w.mode == .tables {
                witness = nil
                message = nil
                return
            }
            w.handle(key)
            if w.quit { quit = true }
            witness = w
            return
        }
        guard let action = ExploreKeyMap.action(for: key) else { return }
        if showHelp {
            if action == .quit { quit = true }
            showHelp = false
            return
        }
        message = nil
        let rows = exploration.rows.count, cols = max(1, columns.count)
        switch action {
        case .up: row = max(0, row - 1)
        case .down: row = min(rows - 1, row + 1)
        case .left: column = max(0, column - 1)
        case .right: column = min(cols - 1, column + 1)
        case .first: row = 0
        case .last: row = max(0, rows - 1)
        case .help: showHelp = true
        case .back: break
        case .quit: quit = true
        case .open: open()
        }
    }

    /// Opens the selected cell's witness: the interleaving raising the outcome with the fewest steps.
    mutating func open() {
        guard columns.indices.contains(column), exploration.rows.indices.contains(row) else {
            message = "no outcome was raised: there is no witness to open"
            return
        }
        let kind = columns[column]
        if let why = exploration.rows[row].invalid {
            message = "row \(row + 1) is invalid: \(why)"
            return
        }
        guard let scene = exploration.witness(row: row, outcome: kind),
              var v = ViewerState(traces: Engine.runAll(scene), width: width, height: height) else {
            message = "no interleaving of row \(row + 1) raises \(kind.rawValue)"
            return
        }
        v.ascii = ascii
        witness = v
    }

    public func render() -> Grid {
        if let witness { return witness.render() }
        var grid = Grid(width: max(1, width), height: max(1, height))
        drawTop(on: &grid)
        if showHelp {
            drawHelp(on: &grid)
        } else {
            drawMatrix(on: &grid)
        }
        drawFooter(on: &grid)
        return ascii ? grid.asciiFallback() : grid
    }

    private func drawTop(on grid: inout Grid) {
        grid.fill(Rect(x: 0, y: 0, width: width, height: 1), with: Cell(" ", style: .header))
        let e = exploration
        let states = e.rows.reduce(0) { $0 + $1.distinctStates }
        let text = " explore \(e.scene.title)" + (e.variant.map { " │ variant \($0.name)" } ?? "")
            + " │ \(e.scene.lanes.count) lanes │ \(e.interleavings) interleavings a row │ \(states) states "
        grid.put(text, x: 0, y: 0, style: Style(.header, attributes: [.bold]), clip: width, truncation: .ellipsis)
        if e.partial {
            let p = " PARTIAL: stopped early "
            grid.put(p, x: max(0, width - p.count), y: 0, style: .warning, clip: p.count)
        }
    }

    private func drawMatrix(on grid: inout Grid) {
        let e = exploration
        let m = matrixText
        let cols = m.columns, widths = m.widths, fixedWidths = m.fixedWidths
        // Scroll horizontally so the selected column is visible.
        let fixed = m.fixedWidth
        var firstColumn = 0
        while firstColumn < column,
              fixed + widths[firstColumn...column].reduce(0, { $0 + $1 + 2 }) > width { firstColumn += 1 }
        let top = 2
        let capacity = max(1, height - top - 8)
        let firstRow = max(0, min(row - capacity + 1, e.rows.count - capacity))
        func drawLine(y: Int, fixedCells: [String], cells: [(String, Bool)], style: Style) {
            var x = 0
            for (j, c) in fixedCells.enumerated() {
                grid.put(c, x: x, y: y, style: style, clip: fixedWidths[j])
                x += fixedWidths[j] + 2
            }
            for (j, (c, selected)) in cells.enumerated() where j >= firstColumn {
                guard x < width else { break }
                grid.put(c, x: x, y: y, style: selected ? .selected : style, clip: min(widths[j], width - x))
                x += widths[j] + 2
            }
        }
        drawLine(y: top, fixedCells: m.head, cells: cols.map { ($0.rawValue, false) }, style: Style(.header, attributes: [.bold]))
        for i in firstRow..<min(e.rows.count, firstRow + capacity) {
            let r = e.rows[i]
            let cells = m.cells[i].enumerated().map { j, c in (c, i == row && j == column) }
            drawLine(y: top + 1 + i - firstRow, fixedCells: m.fixed[i], cells: cells,
                     style: i == row ? .highlight : (r.invalid != nil ? .dim : .normal))
        }
        // The selected cell and row, in words.
        var y = top + 2 + min(capacity, e.rows.count)
        let r = e.rows.indices.contains(row) ? e.rows[row] : nil
        let settings = r?.settings.map { "\($0.key.rawValue)=\($0.value)" }.joined(separator: " ") ?? ""
        var lines: [String] = []
        if let r, let why = r.invalid {
            lines.append("row \(row + 1) (\(settings)) is invalid: \(why)")
        } else if let r, cols.indices.contains(column) {
            let k = cols[column]
            let n = r.outcomes.first { $0.kind == k }?.count ?? 0
            lines.append("row \(row + 1)\(settings.isEmpty ? "" : " (\(settings))"): \(k.rawValue) in \(n) of \(r.runs) interleavings"
                         + (n > 0 ? "; Enter opens the witness (fewest steps run)" : ""))
            lines.append("endings: " + r.endings.map { "\($0.name) \($0.count)" }.joined(separator: " · ") + (r.partial ? " (partial)" : ""))
        } else {
            lines.append("no interleaving raised any outcome")
        }
        if let message { lines.append(message) }
        for line in lines where y < height - 1 {
            grid.put(line, x: 1, y: y, style: .normal, clip: width - 2, truncation: .ellipsis)
            y += 1
        }
    }

    private func drawHelp(on grid: inout Grid) {
        let inner = Box(title: " keys (Esc or ? to close) ", style: .border, titleStyle: .title, ascii: ascii)
            .draw(in: Rect(x: 2, y: 2, width: max(0, width - 4), height: max(0, height - 4)), on: &grid)
        var lines = ExploreKeyMap.bindings.map { ($0.keys.map(\.label).joined(separator: " "), $0.help) }
        lines += [("", ""), ("always", "raised in every interleaving"), ("sometimes (k/n)", "raised in k of n"),
                  ("never", "raised in none")]
        for (i, line) in lines.prefix(max(0, inner.height)).enumerated() {
            grid.put(line.0, x: inner.x + 1, y: inner.y + i, style: .key, clip: 20, truncation: .ellipsis)
            grid.put(line.1, x: inner.x + 22, y: inner.y + i, style: .normal, clip: max(0, inner.maxX - inner.x - 23),
                     truncation: .ellipsis)
        }
    }

    private func drawFooter(on grid: inout Grid) {
        let y = height - 1
        guard y > 0 else { return }
        grid.fill(Rect(x: 0, y: y, width: width, height: 1), with: Cell(" ", style: .header))
        let text = " " + ExploreKeyMap.bindings.compactMap(\.footer).joined(separator: " · ")
        grid.put(text, x: 0, y: y, style: .header, clip: width, truncation: .ellipsis)
    }
}
