import MemoryModel
import Screen
import StepEngine

/// Marks on the cells the last action changed: (table, row, column) triples.
struct ChangedCells {
    private var cells = Set<[Int]>()
    /// KVM and guest fields of the active page that changed (shown in the narration's page line).
    var pageFields = Set<String>()

    init(_ state: ViewerState) {
        guard state.index >= 0 else { return }
        let g = state.world.geometry
        for c in state.trace.changes(of: state.index) {
            let frameRow = c.row - g.pfnBase
            let gfnRow = g.slot(ofGFN: c.row).map { g.rank(ofSlot: $0) } ?? -1
            switch (c.table, c.field) {
            case (.rmp, "assigned"): mark(.rmp, frameRow, RMPColumns.assigned)
            case (.rmp, "asid"): mark(.rmp, frameRow, RMPColumns.asid)
            case (.rmp, "gfn"): mark(.rmp, frameRow, RMPColumns.gfn)
            case (.rmp, _): mark(.rmp, frameRow, RMPColumns.validated)
            case (.frame, _): mark(.rmp, frameRow, RMPColumns.owner)
            case (.directMap, "present"): mark(.directMap, frameRow, 1)
            case (.directMap, _): if c.row >= 0 { mark(.directMap, frameRow, 2) }
            case (.sharedFD, _): mark(.sharedFD, gfnRow, 1)
            case (.privateFD, _): mark(.privateFD, gfnRow, 1)
            case (.kvm, "npt"):
                mark(.sharedFD, gfnRow, 2)
                mark(.privateFD, gfnRow, 2)
                pageFields.insert(c.field)
            case (.kvm, _), (.guest, _): pageFields.insert(c.field)
            }
        }
    }

    private mutating func mark(_ t: TableKind, _ row: Int, _ column: Int) {
        cells.insert([t.rawValue, row, column])
    }

    func contains(_ t: TableKind, _ row: Int, _ column: Int) -> Bool {
        cells.contains([t.rawValue, row, column])
    }
}

enum RMPColumns {
    static let pfn = 0, assigned = 1, asid = 2, gfn = 3, validated = 4, owner = 5
}

/// The four tables: what each row shows and how it is styled.
struct TablesView {
    let state: ViewerState
    let changed: ChangedCells
    let active: Set<Int32>
    let activeRank: Int?
    /// Kernel mappings of the frames the direct-map table shows, built once per frame drawn: one
    /// pass over the mappings, sorting only the visible ones (a scene may map 262,144 pages).
    let mappingsByFrame: [Int32: [String]]

    init(_ state: ViewerState, changed: ChangedCells, layout: ViewerLayout) {
        self.state = state
        self.changed = changed
        active = state.activeFrames
        activeRank = state.activeSlot.map { state.world.geometry.rank(ofSlot: $0) }
        let first = state.scroll[TableKind.directMap.rawValue]
        let visible = Int32(first)..<Int32(first + layout.tableCapacity)
        let shown = state.world.mappings.filter { visible.contains($0.value.frame) }
        var byFrame: [Int32: [String]] = [:]
        for (key, m) in shown.sorted(by: { $0.key < $1.key }) {
            byFrame[m.frame, default: []].append("\(key.holder.rawValue) \(m.via.rawValue) \(state.world.name(of: key.page))")
        }
        mappingsByFrame = byFrame
    }

    func draw(on grid: inout Grid, layout: ViewerLayout) {
        for kind in TableKind.allCases where kind.rawValue < layout.tables.count {
            draw(kind, in: layout.tables[kind.rawValue], on: &grid)
        }
    }

    private func draw(_ kind: TableKind, in rect: Rect, on grid: inout Grid) {
        let focused = state.focus == kind
        var title = kind.title
        if kind == .privateFD, !state.trace.config.upm { title += " (none: upm off)" }
        let box = Box(title: " \(title) ", style: focused ? Style(.title) : .border,
                      titleStyle: focused ? Style(.title, attributes: [.bold, .reverse]) : .title,
                      ascii: state.ascii)
        let inner = box.draw(in: rect, on: &grid)
        let selected = state.selection[kind.rawValue]
        let table = TableWidget(
            columns: columns(kind), rowCount: state.rowCount(kind), scrollOffset: state.scroll[kind.rawValue],
            ascii: state.ascii,
            rowStyle: { row in rowStyle(kind, row, selected: focused && row == selected) },
            row: { row in cells(kind, row) })
        _ = table.draw(in: inner, on: &grid)
    }

    /// Columns sized to the numbers this scene has (0x100 or 0x100000), so names get the room; one
    /// more column than the value needs, for the `*` that marks a change.
    private func columns(_ kind: TableKind) -> [TableWidget.Column] {
        let layout = state.world.layout
        let pfn = max(5, hex(layout.pfns.upperBound).count)
        let gfn = max(4, layout.pages.map { hex($0.gfns.upperBound).count }.max() ?? 4)
        switch kind {
        case .rmp:
            return [.init("pfn", width: .fixed(pfn)), .init("A", width: .fixed(2)), .init("ASID", width: .fixed(5)),
                    .init("gfn", width: .fixed(gfn + 1)), .init("V", width: .fixed(2)),
                    .init("owner", width: .weight(1), minWidth: 6)]
        case .directMap:
            return [.init("pfn", width: .fixed(pfn)), .init("P", width: .fixed(2)),
                    .init("kernel mappings", width: .weight(1), minWidth: 8)]
        case .sharedFD, .privateFD:
            return [.init("gfn", width: .fixed(gfn)), .init("frame", width: .fixed(pfn + 1)), .init("N", width: .fixed(2)),
                    .init("page", width: .weight(1), minWidth: 4)]
        }
    }

    private func rowStyle(_ kind: TableKind, _ row: Int, selected: Bool) -> Style? {
        if selected { return .selected }
        let isActive = kind.isFrameTable ? active.contains(Int32(row)) : activeRank == row
        if isActive { return .highlight }
        if kind.isFrameTable, state.world.frames[row].owner == .free { return .free }
        return nil
    }

    /// A cell, marked with '*' and the changed style when the last action changed it.
    private func cell(_ kind: TableKind, _ row: Int, _ column: Int, _ text: String, _ style: Style? = nil) -> CellText {
        changed.contains(kind, row, column) ? CellText("*" + text, style: .changed) : CellText(text, style: style)
    }

    private func cells(_ kind: TableKind, _ row: Int) -> [CellText] {
        let w = state.world
        let g = w.geometry
        switch kind {
        case .rmp:
            let f = w.frames[row]
            return [
                CellText(hex(g.pfn(Int32(row)))),
                cell(.rmp, row, RMPColumns.assigned, f.assigned ? "1" : "0", f.assigned ? .warning : nil),
                cell(.rmp, row, RMPColumns.asid, f.assigned ? String(f.asid) : "-"),
                cell(.rmp, row, RMPColumns.gfn, f.assigned ? hex(f.rmpGFN) : "-"),
                cell(.rmp, row, RMPColumns.validated, f.validated ? "1" : "0"),
                cell(.rmp, row, RMPColumns.owner, ownerText(f)),
            ]
        case .directMap:
            let f = w.frames[row]
            let maps = mappingsByFrame[Int32(row)]?.joined(separator: ", ") ?? ""
            return [
                CellText(hex(g.pfn(Int32(row)))),
                cell(.directMap, row, 1, f.present ? "P" : "-", f.present ? nil : .error),
                cell(.directMap, row, 2, maps),
            ]
        case .sharedFD, .privateFD:
            let slot = g.slot(atGFNRank: row)
            let page = w.pages[slot]
            let side: MemoryKind = kind == .sharedFD ? .shared : .private
            let frame = page.frame(in: side)
            let usedByNPT = page.npt.map { $0.frame == frame && frame >= 0 } ?? false
            var name = g.name(ofSlot: slot)
            let decl = g.layout.pages[g.declaration(ofSlot: slot).page]
            if let label = decl.label { name += " " + label }
            if side == .shared, page.orphans > 0 { name += " +\(page.orphans) orphan" }
            let noFile = side == .private && !state.trace.config.upm
            return [
                CellText(hex(g.gfn(ofSlot: slot))),
                cell(kind, row, 1, frame >= 0 ? hex(g.pfn(frame)) : (noFile ? "-" : "hole"), frame >= 0 ? nil : .dim),
                cell(kind, row, 2, usedByNPT ? "N" : ""),
                CellText(name),
            ]
        }
    }

    private func ownerText(_ f: FrameState) -> String {
        var s: String
        switch f.owner {
        case .free: s = "free"
        case .sharedFD(let g): s = "shared \(hex(g))"
        case .privateFD(let g): s = "private \(hex(g))"
        case .orphan(let g): s = "orphan \(hex(g))"
        case .kernel(let k): s = k < state.world.kernelObjects.count ? "kernel \(state.world.kernelObjects[k].name)" : "kernel"
        }
        if f.pins > 0 { s += " pin\(f.pins > 1 ? "×\(f.pins)" : "")" }
        return s
    }
}
