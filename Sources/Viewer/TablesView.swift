import MemoryModel
import Screen
import StepEngine

/// The value columns of each table, in order (the gutters that carry the change mark are not counted).
enum TableColumns {
    enum RMP { static let pfn = 0, assigned = 1, asid = 2, gfn = 3, validated = 4 }
    enum DirectMap { static let pfn = 0, present = 1, owner = 2, mappings = 3 }
    enum FD { static let gfn = 0, frame = 1, npt = 2, page = 3 }

    /// The mark drawn in a changed cell's gutter, right before its value.
    static let mark = "*"
    /// The gap between two columns is their gutter: a column of space and one for the mark, so a
    /// value never moves or loses a character when it is marked.
    static let gutterWidth = 2

    /// The mark of a changed cell, in the last column of the gutter before it (the first column has
    /// no gutter: it holds the row's key, which never changes).
    static func drawMark(row: Int, column: Int, in drawn: TableWidget.Layout, on grid: inout Grid,
                         mark: String = TableColumns.mark, style: Style = .changed) {
        guard column > 0, column < drawn.columnRects.count, drawn.columnRects[column].width > 0 else { return }
        let y = drawn.body.y + row - drawn.visibleRows.lowerBound
        grid[drawn.columnRects[column].x - 1, y] = Cell(mark, style: style)
    }
}

/// What each table's cells say for one world: the same text for the drawn rows and for the
/// comparison that finds changed cells.
struct TableCells {
    /// State that differs from the world's: the frames, pages and mappings before an action.
    struct Undo {
        var frames: [Int32: FrameState] = [:]
        var pages: [Int32: GuestPageState] = [:]
        /// A mapping before the action, nil when there was none.
        var mappings: [MappingKey: Mapping?] = [:]
    }

    let world: World
    let upm: Bool
    /// Kernel mappings of the frames on screen, built once per frame drawn; other frames are looked
    /// up in the world's mappings.
    var mappingsByFrame: [Int32: [String]]?
    let undo: Undo?

    init(world: World, upm: Bool, mappingsByFrame: [Int32: [String]]? = nil, undo: Undo? = nil) {
        self.world = world
        self.upm = upm
        self.mappingsByFrame = mappingsByFrame
        self.undo = undo
    }

    func frame(_ f: Int) -> FrameState { undo?.frames[Int32(f)] ?? world.frames[f] }
    func page(_ s: Int) -> GuestPageState { undo?.pages[Int32(s)] ?? world.pages[s] }

    func mappings(of frame: Int32) -> String {
        if let byFrame = mappingsByFrame, undo == nil { return byFrame[frame]?.joined(separator: ", ") ?? "" }
        var all = world.mappings.filter { $0.value.frame == frame && undo?.mappings[$0.key] == nil }
        for case let (key, m?) in undo?.mappings ?? [:] where m.frame == frame { all[key] = m }
        return all.sorted { $0.key < $1.key }
            .map { "\($0.key.holder.rawValue) \($0.value.via.rawValue) \(world.name(of: $0.key.page))" }
            .joined(separator: ", ")
    }

    /// The row's value cells, without change marks, as the table's spec reads them.
    func values(_ kind: TableKind, _ row: Int) -> [CellText] { TableSpec.of(kind).cells(self, row) }

    func rmpCells(_ row: Int) -> [CellText] {
        let g = world.geometry
        let f = frame(row)
        return [
            CellText(hex(g.pfn(Int32(row)))),
            CellText(f.assigned ? "1" : "0", style: f.assigned ? .warning : nil),
            CellText(f.assigned ? String(f.asid) : "-"),
            CellText(f.assigned ? hex(f.rmpGFN) : "-"),
            CellText(f.validated ? "1" : "0"),
        ]
    }

    func directMapCells(_ row: Int) -> [CellText] {
        let g = world.geometry
        let f = frame(row)
        return [
            CellText(hex(g.pfn(Int32(row)))),
            CellText(f.present ? "P" : "-", style: f.present ? nil : .error),
            CellText(ownerText(f.owner)),
            CellText(mappings(of: Int32(row))),
        ]
    }

    func fdCells(_ kind: TableKind, _ row: Int) -> [CellText] {
        let g = world.geometry
        let slot = g.slot(atGFNRank: row)
        let page = self.page(slot)
        let side: MemoryKind = kind == .sharedFD ? .shared : .private
        let frame = page.frame(in: side)
        let usedByNPT = page.npt.map { $0.frame == frame && frame >= 0 } ?? false
        var name = g.name(ofSlot: slot)
        let decl = g.layout.pages[g.declaration(ofSlot: slot).page]
        if let label = decl.label { name += " " + label }
        if side == .shared, page.orphans > 0 { name += ", orphans \(page.orphans)" }
        let noFile = side == .private && !upm
        return [
            CellText(hex(g.gfn(ofSlot: slot))),
            CellText(frame >= 0 ? hex(g.pfn(frame)) : (noFile ? "-" : "hole"), style: frame >= 0 ? nil : .dim),
            CellText(usedByNPT ? "N" : ""),
            CellText(name),
        ]
    }

    /// Who holds a frame, in a word and the gfn: the file (the memslot's backing without UPM), an
    /// orphan that only a pin keeps, other kernel code, or the free list. Pins are listed with the
    /// kernel mappings.
    func ownerText(_ o: FrameOwner) -> String {
        switch o {
        case .free: "free"
        case .sharedFD(let g): upm ? "shared \(hex(g))" : "memslot \(hex(g))"
        case .privateFD(let g): "private \(hex(g))"
        case .orphan(let g): "orphan \(hex(g))"
        case .kernel(let k): k < world.kernelObjects.count ? "kernel \(world.kernelObjects[k].name)" : "kernel"
        }
    }
}

extension TableKind {
    /// The table's title for a run: without UPM the shared side is the memslot's only backing and
    /// there is no private fd.
    func title(upm: Bool) -> String {
        guard !upm else { return title }
        switch self {
        case .sharedFD: return "memslot backing"
        case .privateFD: return "private fd: none without UPM"
        case .rmp, .directMap: return title
        }
    }
}

/// In a comparison, the frame tables' rows are the aligned backing rows: which frame one side
/// shows in each, and which row shows a frame (for its marks and its highlight).
struct FrameRowMap {
    let rows: AlignedBackingRows
    let isLeft: Bool
    let index: Int
    let world: World
    /// The direct map repeats the "for" column only when it is not beside the RMP table.
    let keyInDirectMap: Bool

    var count: Int { rows.rows.count }

    func hasKey(_ kind: TableKind) -> Bool { kind == .rmp || (kind == .directMap && keyInDirectMap) }

    func frame(ofRow r: Int) -> BackingFrame {
        guard rows.rows.indices.contains(r) else { return .none }
        return (isLeft ? rows.left : rows.right).frame(rows.rows[r], at: index, in: world)
    }

    func row(ofFrame f: Int32) -> Int? { rows.row(showing: f, left: isLeft, at: index, in: world) }

    /// The frames the rows in `range` show, each with its row (the row it backs now, over one it
    /// backed before): marks and highlights look frames up here, not across every row.
    func frames(in range: Range<Int>) -> [Int32: Int] {
        var out: [Int32: Int] = [:]
        for r in range.clamped(to: 0..<count) {
            switch frame(ofRow: r) {
            case .current(let f): out[f] = r
            case .former(let f): out[f] = out[f] ?? r
            case .none: break
            }
        }
        return out
    }

    /// The key cell of a row: the fd (s or p) and the gfn it backs.
    func key(ofRow r: Int) -> String {
        guard rows.rows.indices.contains(r) else { return "" }
        let row = rows.rows[r]
        return "\(row.kind == .shared ? "s" : "p") \(hex(world.geometry.gfn(ofSlot: Int(row.slot))))"
    }
}

/// The four tables: what each row shows and how it is styled. Draws into the rects it is given,
/// so a comparison draws each side's tables into its half of the screen.
struct TablesView {
    let state: ViewerState
    let changed: ChangedCells
    let active: Set<Int32>
    let activeRank: Int?
    let content: TableCells
    let tables: [Rect]
    let capacity: Int
    let frameRows: FrameRowMap?
    /// Cells that differ from the other side of a comparison: (table, row, column).
    let differing: Set<[Int]>

    init(_ state: ViewerState, changed: ChangedCells, tables: [Rect], capacity: Int,
         frameRows: FrameRowMap? = nil, differing: Set<[Int]> = []) {
        self.state = state
        self.changed = changed
        self.tables = tables
        self.capacity = capacity
        self.frameRows = frameRows
        self.differing = differing
        active = state.activeFrames
        activeRank = state.activeSlot.map { state.world.geometry.rank(ofSlot: $0) }
        // Kernel mappings of the frames the direct-map table shows: one pass over the mappings,
        // sorting only the visible ones (a scene may map 262,144 pages).
        let first = state.scroll[TableKind.directMap.rawValue]
        let shownFrames: Set<Int32>
        if let map = frameRows {
            shownFrames = Set((first..<min(map.count, first + capacity)).compactMap { map.frame(ofRow: $0).frame })
        } else {
            shownFrames = Set(Int32(first)..<Int32(first + capacity))
        }
        let shown = state.world.mappings.filter { shownFrames.contains($0.value.frame) }
        var byFrame: [Int32: [String]] = [:]
        for (key, m) in shown.sorted(by: { $0.key < $1.key }) {
            byFrame[m.frame, default: []].append("\(key.holder.rawValue) \(m.via.rawValue) \(state.world.name(of: key.page))")
        }
        content = TableCells(world: state.world, upm: state.trace.config.upm, mappingsByFrame: byFrame)
    }

    func draw(on grid: inout Grid) {
        for kind in TableKind.allCases where kind.rawValue < tables.count && tables[kind.rawValue].width > 0 {
            draw(kind, in: tables[kind.rawValue], on: &grid)
        }
    }

    private func rowCount(_ kind: TableKind) -> Int {
        if kind.isFrameTable, let map = frameRows { return map.count }
        return kind.isFrameTable ? state.world.geometry.frameCount : state.world.geometry.slotCount
    }

    private func draw(_ kind: TableKind, in rect: Rect, on grid: inout Grid) {
        let focused = state.focus == kind
        let upm = state.trace.config.upm
        let title = kind.isFrameTable && frameRows != nil ? "\(kind.title) by gfn" : kind.title(upm: upm)
        let box = Box(title: " \(title) ", style: focused ? Style(.title) : .border,
                      titleStyle: focused ? Style(.title, attributes: [.bold, .reverse]) : .title,
                      ascii: state.ascii)
        let inner = box.draw(in: rect, on: &grid)
        if kind == .privateFD, !upm {
            // No private fd exists: the header says what the table would hold, the body why it is empty.
            let table = TableWidget(columns: valueColumns(kind), rowCount: 0, columnGap: TableColumns.gutterWidth,
                                    ascii: state.ascii) { _ in [] }
            _ = table.draw(in: inner, on: &grid)
            let text = inner.inset(left: 1, right: 1)
            let body = Rect(x: text.x, y: inner.y + 1, width: text.width, height: max(0, inner.height - 1))
            _ = TextBox(paragraphs: [CellText("Pages are converted in place, in the memslot backing.")],
                        style: .dim).draw(in: body, on: &grid)
            return
        }
        let selected = state.selection[kind.rawValue]
        let table = TableWidget(
            columns: valueColumns(kind), rowCount: rowCount(kind), scrollOffset: state.scroll[kind.rawValue],
            columnGap: TableColumns.gutterWidth, ascii: state.ascii,
            rowStyle: { row in rowStyle(kind, row, selected: focused && row == selected) },
            row: { row in cells(kind, row) })
        let drawn = table.draw(in: inner, on: &grid)
        if kind.isFrameTable, let map = frameRows {
            // Marks are kept by frame; here a frame's row is where its aligned row is, one column on.
            let onScreen = map.frames(in: drawn.visibleRows)
            changed.drawMarks(kind, in: drawn, on: &grid, row: { onScreen[Int32($0)] }, columnShift: map.hasKey(kind) ? 1 : 0)
        } else {
            changed.drawMarks(kind, in: drawn, on: &grid)
        }
        for d in differing where d[0] == kind.rawValue && drawn.visibleRows.contains(d[1]) {
            TableColumns.drawMark(row: d[1], column: d[2], in: drawn, on: &grid, mark: state.ascii ? "!" : "≠", style: .warning)
        }
    }

    /// The table's value columns, sized to the numbers this scene has (0x100 or 0x100000) so names
    /// get the room; a comparison's frame tables start with the gfn a row's frame is for.
    private func valueColumns(_ kind: TableKind) -> [TableWidget.Column] {
        let sizes = ColumnSizes(state)
        let key: [TableWidget.Column] = frameRows?.hasKey(kind) == true ? [.init("for", width: .fixed(sizes.gfn + 2))] : []
        return key + TableSpec.of(kind).widgetColumns(sizes)
    }

    private func rowStyle(_ kind: TableKind, _ row: Int, selected: Bool) -> Style? {
        if selected { return .selected }
        if kind.isFrameTable, let map = frameRows {
            switch map.frame(ofRow: row) {
            case .current(let f): return active.contains(f) ? .highlight : nil
            case .former, .none: return .free
            }
        }
        let isActive = kind.isFrameTable ? active.contains(Int32(row)) : activeRank == row
        if isActive { return .highlight }
        if kind.isFrameTable, state.world.frames[row].owner == .free { return .free }
        return nil
    }

    /// The row's cells; a changed one in the changed style (its mark goes in the gutter before it).
    private func cells(_ kind: TableKind, _ row: Int) -> [CellText] {
        if kind.isFrameTable, let map = frameRows {
            let key = map.hasKey(kind) ? [CellText(map.key(ofRow: row))] : []
            guard let f = map.frame(ofRow: row).frame else {
                return key + [CellText("none", style: .dim)]
            }
            var out = key + content.values(kind, Int(f))
            for i in key.count..<out.count where changed.contains(kind, Int(f), i - key.count) { out[i].style = .changed }
            return out
        }
        var out = content.values(kind, row)
        for i in out.indices where changed.contains(kind, row, i) { out[i].style = .changed }
        return out
    }
}

extension ViewerState {
    /// Memory in use, in words for the footer: "1 frame backs 1 gfn", "3 frames back 2 gfns"; frames
    /// other kernel code holds (`host alloc`) back no gfn and are counted apart.
    var memoryInUse: String {
        let kernel = world.kernelObjects.count
        let frames = max(0, world.framesInUse - kernel)
        let gfns = world.backedPages
        var s = "\(frames) \(frames == 1 ? "frame backs" : "frames back") \(gfns) \(gfns == 1 ? "gfn" : "gfns")"
        if kernel > 0 { s += ", \(kernel) kernel \(kernel == 1 ? "frame" : "frames")" }
        return s
    }
}
