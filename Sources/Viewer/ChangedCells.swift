import MemoryModel
import Screen
import StepEngine

/// Marks on the cells the last action changed: (table, row, column) triples, where a column is a
/// value column of `TableColumns`. A cell is marked only when the text it shows differs before and
/// after the action: each row the action wrote is drawn from the state before it (the world after,
/// with the action's writes undone) and compared with the row drawn now, cell by cell.
///
/// Both collections are sorted arrays, not sets: a set of a new element type has the Swift runtime
/// search every protocol conformance in the binary the first time, before the first frame.
struct ChangedCells {
    /// (table, row, column) packed into one number each, sorted.
    private var cells: [Int] = []
    /// KVM and guest fields of the active page that changed (shown in the narration's page line),
    /// and `.orphans` when the page's orphan count changed; each once.
    private(set) var pageFields: [ChangeField] = []
    /// The active page's request before the action, when the action ended it (done or failed).
    var endedRequest: PendingRequest?

    /// `visible`: when given, only rows it holds are compared (frame rows by frame, fd rows by
    /// rank): a screen shows a few dozen rows of an action that may have written 4,096.
    init(_ state: ViewerState, visible: ((TableKind, Int) -> Bool)? = nil) {
        guard state.index >= 0 else { return }
        let trace = state.trace
        let writes = trace.writes(of: state.index)
        // The world before the action, as far as the touched rows need it: the state each write
        // replaced (the earliest write of a key holds the state before the action).
        var undo = TableCells.Undo()
        var frames = Set<Int32>()
        var slots = Set<Int32>()
        let g = state.world.geometry
        func shown(frame f: Int32) -> Bool { visible.map { $0(.rmp, Int(f)) || $0(.directMap, Int(f)) } ?? true }
        func shown(slot s: Int32) -> Bool {
            visible.map { v in let r = g.rank(ofSlot: Int(s)); return v(.sharedFD, r) || v(.privateFD, r) } ?? true
        }
        for w in writes.reversed() {
            switch w {
            case .frame(let f, let b, _):
                guard shown(frame: f) else { continue }
                frames.insert(f)
                undo.frames[f] = b
            case .page(let s, let b, _):
                guard shown(slot: s) else { continue }
                slots.insert(s)
                undo.pages[s] = b
            case .mapping(let k, let b, let a):
                for m in [b, a] { if let f = m?.frame, f >= 0 { frames.insert(f) } }
                undo.mappings[k] = .some(b)
            case .kernelObject(let o): frames.insert(o.frame)
            case .watermark, .freedPush, .freedRemove: break
            }
        }
        let old = TableCells(world: state.world, upm: trace.config.upm, undo: undo)
        let new = TableCells(world: state.world, upm: trace.config.upm)
        func compare(_ kind: TableKind, _ row: Int) {
            if let visible, !visible(kind, row) { return }
            let a = old.values(kind, row), b = new.values(kind, row)
            for c in b.indices where c >= a.count || a[c].text != b[c].text {
                cells.append(Self.key(kind.rawValue, row, c))
            }
        }
        for f in frames where f >= 0 && Int(f) < state.world.geometry.frameCount {
            compare(.rmp, Int(f))
            compare(.directMap, Int(f))
        }
        for s in slots {
            let rank = g.rank(ofSlot: Int(s))
            compare(.sharedFD, rank)
            if trace.config.upm { compare(.privateFD, rank) }
        }
        // The page line's fields, from the page writes themselves (an action over 4,096 pages
        // need not be put into words for this).
        let active = state.activeSlot.map(Int32.init)
        var fields: [ChangeField] = []
        for case .page(let slot, let b, let a) in writes {
            if b.attribute != a.attribute { fields.append(.attribute) }
            if b.npt != a.npt { fields.append(.npt) }
            if b.pending != a.pending { fields.append(.request) }
            if b.guestView != a.guestView { fields.append(.view) }
            if b.orphans != a.orphans { fields.append(.orphans) }
            if slot == active, let ended = b.pending, a.pending == nil { endedRequest = ended }
        }
        pageFields = [ChangeField.attribute, .npt, .request, .view, .orphans].filter(fields.contains)
        cells.sort()
    }

    /// A cell as one number: the row in the middle bits, the table and the column (both small)
    /// at either end, so that sorting orders by table, then row, then column.
    private static func key(_ table: Int, _ row: Int, _ column: Int) -> Int {
        table << 56 | (row & 0xFFFF_FFFF_FFFF) << 8 | column & 0xFF
    }

    func contains(_ t: TableKind, _ row: Int, _ column: Int) -> Bool {
        guard !cells.isEmpty else { return false }
        let key = Self.key(t.rawValue, row, column)
        var low = 0, high = cells.count
        while low < high {
            let mid = (low + high) / 2
            if cells[mid] < key { low = mid + 1 } else { high = mid }
        }
        return low < cells.count && cells[low] == key
    }

    /// Draws the mark of each changed cell of a drawn table in the gutter before its value; `row`
    /// maps a cell's row to the row it is drawn on (a comparison aligns frame rows by gfn).
    func drawMarks(_ t: TableKind, in drawn: TableWidget.Layout, on grid: inout Grid,
                   row: (Int) -> Int? = { $0 }, columnShift: Int = 0) {
        for c in cells where c >> 56 == t.rawValue {
            guard let r = row(c >> 8 & 0xFFFF_FFFF_FFFF), drawn.visibleRows.contains(r) else { continue }
            TableColumns.drawMark(row: r, column: c & 0xFF + columnShift, in: drawn, on: &grid)
        }
    }

    /// Every marked cell, as (table, row, value column).
    var all: [[Int]] { cells.map { [$0 >> 56, $0 >> 8 & 0xFFFF_FFFF_FFFF, $0 & 0xFF] } }
}
