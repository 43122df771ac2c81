import MemoryModel
import Screen
import StepEngine

/// The page history: what happened to one page (a gfn) or one frame. By default one row per action
/// that touched it; `toggleHistoryAll` lists every action (those that did not touch it dimmed). Each
/// row shows the page's or frame's fields after that action, one column per field, with the cells
/// the action changed marked in their gutter. Only the visible rows are computed.
struct HistoryView {
    let state: ViewerState
    let target: HistoryTarget
    let scroll: Int

    func draw(on grid: inout Grid, in area: Rect) {
        let trace = state.trace
        let touched = trace.actions(touching: target)
        let touchedSet = Set(touched)
        let rows = state.historyShowsAll ? Array(0..<trace.actionCount) : touched
        let box = Box(title: title(area.width, touched: touched.count), style: .border, titleStyle: .title, ascii: state.ascii)
        let inner = box.draw(in: area, on: &grid)
        let visible = TableWidget.capacity(of: inner)
        let offset = max(0, min(scroll, rows.count - visible))
        let window = rows.isEmpty ? [] : Array(rows[offset..<min(rows.count, offset + visible)])
        let columns = HistoryColumns(state: state, target: target, width: inner.width)
        // Walk a private cursor over the visible rows: the cost follows the rows shown.
        var cursor = TraceCursor(trace: trace, at: (window.first ?? 0) - 1)
        var cells: [Int: [CellText]] = [:]
        var marks: [(row: Int, column: Int)] = []
        for (n, i) in window.enumerated() {
            cursor.move(to: i - 1)
            let before = values(cursor.world, columns.shown)
            cursor.move(to: i)
            let after = values(cursor.world, columns.shown)
            var row = [CellText(String(i + 1))]
            if columns.showsStep { row.append(CellText(String(trace.records[i].step + 1))) }
            row.append(CellText(trace.title(of: i)))
            for (c, v) in after.enumerated() {
                let changed = c < before.count && before[c] != v
                if changed { marks.append((n, row.count)) }
                row.append(CellText(v, style: changed ? .changed : nil))
            }
            cells[i] = row
        }
        let table = TableWidget(
            columns: columns.widgetColumns, rowCount: window.count, columnGap: TableColumns.gutterWidth, ascii: state.ascii,
            rowStyle: { n in
                let i = window[n]
                if i == state.index { return .selected }
                if !trace.isReached(step: Int(trace.records[i].step)) { return .notReached }
                return touchedSet.contains(i) ? nil : .dim
            },
            row: { n in cells[window[n]] ?? [] })
        let drawn = table.draw(in: inner, on: &grid)
        for m in marks { TableColumns.drawMark(row: m.row, column: m.column, in: drawn, on: &grid) }
        if rows.isEmpty, inner.height > 1 {
            _ = grid.put("no action touched it: a (all) lists every action", x: inner.x + 1, y: inner.y + 1, style: .dim,
                         clip: max(0, inner.width - 2), truncation: .ellipsis)
        }
    }

    /// "history of ghcb gfn 0x10: 7 of 12 actions touched it (a: all · ↑↓ scroll · Esc back)",
    /// giving up the key hints, then the counts, before the name.
    private func title(_ width: Int, touched: Int) -> String {
        let g = state.world.geometry
        let name: String
        switch target {
        case .frame(let f): name = "pfn \(hex(g.pfn(f)))"
        case .slot(let s): name = "\(g.name(ofSlot: s)) gfn \(hex(g.gfn(ofSlot: s)))"
        }
        let count = state.trace.actionCount
        let actions = { (n: Int) in n == 1 ? "1 action" : "\(n) actions" }
        let counts = state.historyShowsAll
            ? "all \(actions(count)), \(touched) touched it"
            : "\(touched) of \(actions(count)) touched it"
        let toggle = state.historyShowsAll ? "a: touched only" : "a: all"
        let room = width - 8
        for t in ["history of \(name): \(counts) (\(toggle) · ↑↓ scroll · Esc back)", "history of \(name): \(counts) (\(toggle))",
                  "history of \(name): \(counts)", "history of \(name)"]
        where TextWidth.width(of: t) <= room {
            return " \(t) "
        }
        return " history "
    }

    /// The row's field values at one world, for the fields shown.
    private func values(_ w: World, _ fields: [HistoryField]) -> [String] {
        let g = w.geometry
        let cells = TableCells(world: w, upm: state.trace.config.upm)
        func rmpFrame() -> Int32 {
            switch target {
            case .frame(let f): return f
            case .slot(let s):
                let p = w.pages[s]
                return p.npt?.frame ?? (p.privateFrame >= 0 ? p.privateFrame : p.sharedFrame)
            }
        }
        let rf = rmpFrame()
        let rmp = rf >= 0 ? w.frames[Int(rf)] : nil
        // The frame's RMP and direct-map fields say what the tables' cells say: read from their specs.
        let rmpRow = rf >= 0 ? TableSpec.of(.rmp).cells(cells, Int(rf)).map(\.text) : nil
        // Read once a row (its kernel mappings are a pass over the world's), and only when shown.
        let dmRow = rf >= 0 && fields.contains(where: { [.owner, .present, .mappings].contains($0) })
            ? TableSpec.of(.directMap).cells(cells, Int(rf)).map(\.text) : nil
        func directMap(_ column: Int) -> String { dmRow?[column] ?? "" }
        return fields.map { field in
            switch field {
            case .owner: return directMap(TableColumns.DirectMap.owner)
            case .pins: return rmp.map { String($0.pins) } ?? ""
            case .present: return directMap(TableColumns.DirectMap.present)
            case .mappings: return directMap(TableColumns.DirectMap.mappings)
            case .backing: return rf >= 0 ? hex(g.pfn(rf)) : "-"
            case .assigned: return rmpRow?[TableColumns.RMP.assigned] ?? "-"
            case .asid: return rmpRow?[TableColumns.RMP.asid] ?? "-"
            case .rmpGFN: return rmpRow?[TableColumns.RMP.gfn] ?? "-"
            case .validated: return rmpRow?[TableColumns.RMP.validated] ?? "-"
            case .shared, .privateFrame, .attribute, .npt, .guest, .request:
                guard case .slot(let s) = target else { return "" }
                let p = w.pages[s]
                switch field {
                case .shared: return p.sharedFrame >= 0 ? hex(g.pfn(p.sharedFrame)) : "hole"
                case .privateFrame: return p.privateFrame >= 0 ? hex(g.pfn(p.privateFrame)) : "hole"
                case .attribute: return p.attribute.rawValue
                case .npt: return p.npt.map { "\(hex(g.pfn($0.frame))) \($0.kind.rawValue)" } ?? "none"
                case .guest: return p.guestView.rawValue
                default:
                    guard let r = p.pending else { return "-" }
                    return r.kind.rawValue + (r.forwarded ? ", forwarded" : "") + (r.willFail ? ", will fail" : "")
                }
            }
        }
    }
}

/// One field a history row shows, with its header, its width and how long it stays on a narrow screen.
enum HistoryField: CaseIterable {
    // A frame's fields.
    case owner, pins, present, mappings
    // A gfn's fields.
    case shared, privateFrame, backing, attribute, npt, guest, request
    // The RMP entry of the frame (a gfn's: the frame backing it, the one the guest maps first).
    case assigned, asid, rmpGFN, validated

    static func fields(for target: HistoryTarget, upm: Bool) -> [HistoryField] {
        switch target {
        case .frame: [.owner, .pins, .assigned, .asid, .rmpGFN, .validated, .present, .mappings]
        case .slot: (upm ? [.shared, .privateFrame] : [.shared]) + [.backing, .assigned, .asid, .rmpGFN, .validated, .attribute, .npt, .guest, .request]
        }
    }

    func header(upm: Bool) -> String {
        switch self {
        case .owner: "owner"
        case .pins: "pins"
        case .present: "P"
        case .mappings: "kernel mappings"
        case .shared: upm ? "shared" : "memslot"
        case .privateFrame: "private"
        case .backing: "RMP of"
        case .assigned: "A"
        case .asid: "ASID"
        case .rmpGFN: "gfn"
        case .validated: "V"
        case .attribute: "attr"
        case .npt: "NPT"
        case .guest: "guest"
        case .request: "request"
        }
    }

    /// The fields that give way on a narrow screen, in the order they do: the RMP entry's details,
    /// then the whole RMP entry (so that no A or V is left without its frame), then the request.
    static func givingWay(for target: HistoryTarget) -> [[HistoryField]] {
        switch target {
        case .frame: [[.asid], [.pins], [.rmpGFN]]
        case .slot: [[.asid], [.rmpGFN], [.backing, .assigned, .validated], [.request]]
        }
    }
}

/// The history's columns at one width: action, step and operation, then each field with a gutter
/// for the change mark. Every column but the operation has a fixed width, so values line up under
/// their headers; when they do not all fit, the step gives way first, then the fields that matter
/// least, never the alignment.
struct HistoryColumns {
    let shown: [HistoryField]
    let showsStep: Bool
    let widgetColumns: [TableWidget.Column]

    init(state: ViewerState, target: HistoryTarget, width: Int) {
        let trace = state.trace
        let upm = trace.config.upm
        let layout = state.world.layout
        let pfn = max(5, hex(layout.pfns.upperBound).count)
        let gfn = max(4, layout.pages.map { hex($0.gfns.upperBound).count }.max() ?? 4)
        let names = trace.kernelNames.map { 7 + TextWidth.width(of: $0) }
        let owner = min(16, ([8 + gfn] + names).max() ?? 12)
        /// The narrowest a field's column gets, and the widest it is worth making.
        func widths(_ f: HistoryField) -> (least: Int, most: Int) {
            let h = TextWidth.width(of: f.header(upm: upm))
            switch f {
            case .owner: return (max(h, owner), max(h, owner))
            case .pins: return (h, h)
            case .present, .assigned, .validated: return (1, 1)
            case .asid: let n = max(h, String(trace.config.asid).count); return (n, n)
            case .rmpGFN: return (max(h, gfn), max(h, gfn))
            case .shared, .privateFrame, .backing: return (max(h, pfn), max(h, pfn))
            case .attribute, .guest: return (7, 7)
            case .npt: return (pfn + 8, pfn + 8)
            case .request: return (h, 28)  // "private, forwarded, will fail"
            case .mappings: return (h, 40)
            }
        }
        let act = max(3, String(trace.actionCount).count)
        let stepWidth = max(4, String(trace.stepCount).count)
        let operation = 12
        let gutter = TableColumns.gutterWidth
        var shown = HistoryField.fields(for: target, upm: upm)
        var step = true
        func needed() -> Int {
            act + (step ? gutter + stepWidth : 0) + gutter + operation + shown.map { gutter + widths($0).least }.reduce(0, +)
        }
        if needed() > width { step = false }
        for group in HistoryField.givingWay(for: target) where needed() > width {
            shown.removeAll { group.contains($0) }
        }
        // Fields that still do not fit are cut at the right edge by the table, never misaligned.
        self.shown = shown
        showsStep = step
        // Room left: the operation first (its titles run to 40 columns), then the growing fields.
        var extra = max(0, width - needed())
        var opWidth = operation + min(extra, 28)
        extra -= opWidth - operation
        var sizes: [Int] = shown.map { widths($0).least }
        for (i, f) in shown.enumerated() where extra > 0 {
            let grow = min(extra, widths(f).most - sizes[i])
            sizes[i] += grow
            extra -= grow
        }
        opWidth += extra
        // The gap between columns is their gutter (TableColumns.gutterWidth), where a mark goes.
        var columns: [TableWidget.Column] = [.init("act", width: .fixed(act))]
        if step { columns.append(.init("step", width: .fixed(stepWidth))) }
        columns.append(.init("operation", width: .weight(1), minWidth: opWidth))
        for (i, f) in shown.enumerated() { columns.append(.init(f.header(upm: upm), width: .fixed(sizes[i]))) }
        widgetColumns = columns
    }
}

extension Trace {
    /// The actions that touched a page or a frame, in order.
    ///
    /// A gfn is touched by an action on it, by a write to its state or to a mapping of it, by an
    /// outcome about it, and by a change to a frame that backs or backed it. A frame is touched by a
    /// change to it, to a mapping of it or to a page's reference to it (file or NPT), by an outcome
    /// about it, and by an access that reaches it: a kernel access through a mapping of it (or the
    /// user address of the page it backs), a guest access through the NPT, a VMM access to the
    /// shared side.
    func actions(touching target: HistoryTarget) -> [Int] {
        var out: [Int] = []
        let g = initial.geometry
        switch target {
        case .slot(let slot):
            let gfn = g.gfn(ofSlot: slot)
            let raised = Set(outcomes.lazy.filter { $0.outcome.gfn == gfn }.map(\.action))
            for i in 0..<actionCount {
                if raised.contains(i) || records[i].action.slot.map({ Int($0) }) == slot {
                    out.append(i)
                    continue
                }
                let hit = writes(of: i).contains { w in
                    switch w {
                    case .page(let s, _, _): return Int(s) == slot
                    case .mapping(let k, _, _): return k.page == .guest(slot: slot)
                    case .frame(_, let b, let a): return b.owner.gfn == gfn || a.owner.gfn == gfn
                    default: return false
                    }
                }
                if hit { out.append(i) }
            }
        case .frame(let f):
            let pfn = g.pfn(f)
            let raised = Set(outcomes.lazy.filter { $0.outcome.frame == pfn }.map(\.action))
            var mappings = Set(initial.mappings.lazy.filter { $0.value.frame == f }.map(\.key))
            var objects = initial.kernelObjects
            // The pages whose shared side holds the frame, and those whose NPT maps it: at the start,
            // at most the page the frame backs.
            var sharedHolders = Set<Int32>()
            var nptMappers = Set<Int32>()
            if let gfn = initial.frames[Int(f)].owner.gfn, let s = g.slot(ofGFN: gfn) {
                if initial.pages[s].sharedFrame == f { sharedHolders.insert(Int32(s)) }
                if initial.pages[s].npt?.frame == f { nptMappers.insert(Int32(s)) }
            }
            /// What a page's state says of the frame, as bits: shared side, private side, NPT shared,
            /// NPT private.
            func reference(_ p: GuestPageState) -> Int {
                (p.sharedFrame == f ? 1 : 0) | (p.privateFrame == f ? 2 : 0)
                    | (p.npt.map { $0.frame == f ? ($0.kind == .private ? 8 : 4) : 0 } ?? 0)
            }
            for i in 0..<actionCount {
                var hit = raised.contains(i)
                // Accesses are judged on the state they ran in, before this action's writes.
                switch records[i].action {
                case .kernelAccess(let h, let ref, _):
                    if mappings.contains(MappingKey(holder: h, page: ref)) { hit = true }
                    else if case .guest(let s) = ref, sharedHolders.contains(Int32(s)) { hit = true }
                    else if case .kernel(let k) = ref, k < objects.count, objects[k].frame == f { hit = true }
                case .guestAccess(let s, _, _):
                    if nptMappers.contains(s) { hit = true }  // the guest reaches what its NPT maps
                case .vmmAccess(let s, _):
                    if sharedHolders.contains(s) { hit = true }  // the VMM reaches the shared side
                default: break
                }
                for w in writes(of: i) {
                    switch w {
                    case .frame(let x, _, _): if x == f { hit = true }
                    case .mapping(let k, let b, let a):
                        if b?.frame == f || a?.frame == f {
                            hit = true
                            if a?.frame == f { mappings.insert(k) } else { mappings.remove(k) }
                        }
                    case .page(let s, let b, let a):
                        let rb = reference(b), ra = reference(a)
                        guard rb != ra else { continue }
                        hit = true
                        if ra & 1 != 0 { sharedHolders.insert(s) } else { sharedHolders.remove(s) }
                        if ra & 12 != 0 { nptMappers.insert(s) } else { nptMappers.remove(s) }
                    case .kernelObject(let o):
                        if o.frame == f { hit = true }
                        objects.append(o)
                    case .watermark, .freedPush, .freedRemove: break
                    }
                }
                if hit { out.append(i) }
            }
        }
        return out
    }
}

extension HistoryTarget {
    var isFrame: Bool {
        if case .frame = self { return true }
        return false
    }
}
