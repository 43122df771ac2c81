import MemoryModel
import Screen
import StepEngine

/// The page history: one row per action of the run, the selected page's row in all four tables at
/// that action, with the cells that action changed marked. Only the visible rows are computed.
struct HistoryView {
    let state: ViewerState
    let target: HistoryTarget
    let scroll: Int

    func draw(on grid: inout Grid, in area: Rect) {
        let g = state.world.geometry
        let name: String
        switch target {
        case .frame(let f): name = "pfn \(hex(g.pfn(f)))"
        case .slot(let s): name = "\(g.name(ofSlot: s)) gfn \(hex(g.gfn(ofSlot: s)))"
        }
        let box = Box(title: " history of \(name) (↑↓ scroll, Esc back) ", style: .border, titleStyle: .title, ascii: state.ascii)
        let inner = box.draw(in: area, on: &grid)
        let count = state.trace.actionCount
        let visible = TableWidget.capacity(of: inner)
        let offset = min(scroll, max(0, count - visible))
        // Walk a private cursor over the visible window: the cost follows the rows shown.
        var cursor = TraceCursor(trace: state.trace, at: offset - 1)
        var previous = values(cursor.world)
        var rows: [Int: [String]] = [:]
        var marks: [Int: Set<Int>] = [:]
        for i in offset..<min(count, offset + visible) {
            cursor.move(to: i)
            let now = values(cursor.world)
            rows[i] = now
            marks[i] = Set(now.indices.filter { now[$0] != previous[$0] })
            previous = now
        }
        let headers = target.isFrame ? ["owner", "RMP A ASID gfn V", "P", "kernel mappings"]
                                     : ["shared fd", "private fd", "RMP of backing", "KVM attr / NPT", "guest"]
        let columns: [TableWidget.Column] =
            [.init("act", width: .fixed(6)), .init("step", width: .fixed(5)), .init("operation", width: .weight(5), minWidth: 12)]
            + headers.map { .init($0, width: .weight(2), minWidth: 4) }
        let trace = state.trace
        let table = TableWidget(
            columns: columns, rowCount: count, scrollOffset: offset, ascii: state.ascii,
            rowStyle: { i in i == state.index ? .selected : (trace.isReached(step: Int(trace.records[i].step)) ? nil : .notReached) },
            row: { i in
                var cells: [CellText] = [CellText(String(i + 1)), CellText(String(trace.records[i].step + 1)), CellText(trace.title(of: i))]
                for (c, v) in (rows[i] ?? []).enumerated() {
                    cells.append(marks[i]?.contains(c) == true ? CellText("*" + v, style: .changed) : CellText(v))
                }
                return cells
            })
        _ = table.draw(in: inner, on: &grid)
    }

    /// The row's cells at one world.
    private func values(_ w: World) -> [String] {
        let g = w.geometry
        func rmp(_ f: Int32) -> String {
            guard f >= 0 else { return "-" }
            let s = w.frames[Int(f)]
            return "\(hex(g.pfn(f))) \(s.assigned ? "1" : "0") \(s.assigned ? String(s.asid) : "-") \(s.assigned ? hex(s.rmpGFN) : "-") \(s.validated ? "1" : "0")"
        }
        switch target {
        case .frame(let f):
            let s = w.frames[Int(f)]
            let maps = w.mappings.sorted { $0.key < $1.key }.filter { $0.value.frame == f }
                .map { "\($0.key.holder.rawValue) \($0.value.via.rawValue) \(w.name(of: $0.key.page))" }
            return [ownerWord(s.owner) + (s.pins > 0 ? " pin\(s.pins)" : ""), rmp(f), s.present ? "P" : "-", maps.joined(separator: ", ")]
        case .slot(let slot):
            let p = w.pages[slot]
            let backing = p.npt?.frame ?? (p.privateFrame >= 0 ? p.privateFrame : p.sharedFrame)
            let npt = p.npt.map { "\(hex(g.pfn($0.frame))) \($0.kind.rawValue)" } ?? "none"
            return [p.sharedFrame >= 0 ? hex(g.pfn(p.sharedFrame)) : "hole",
                    p.privateFrame >= 0 ? hex(g.pfn(p.privateFrame)) : "hole",
                    rmp(backing), "\(p.attribute.rawValue) / \(npt)",
                    p.guestView.rawValue + (p.pending.map { " req \($0.kind.rawValue)" } ?? "")]
        }
    }
}

extension HistoryTarget {
    var isFrame: Bool {
        if case .frame = self { return true }
        return false
    }
}
