import MemoryModel
import Screen

/// How a comparison weighs one column of two aligned rows.
enum CompareRule: Sendable {
    /// The row's key (pfn or gfn): frame numbers differ between two allocators and mean nothing.
    case ignored
    /// A frame or a hole: only whether there is one counts, not which.
    case presence
    /// The text as shown.
    case text
}

/// The numbers a scene's tables must fit, measured once per drawing.
struct ColumnSizes: Sendable {
    let pfn: Int
    let gfn: Int
    let asid: Int
    let owner: Int

    init(_ state: ViewerState) {
        let layout = state.world.layout
        pfn = max(5, hex(layout.pfns.upperBound).count)
        gfn = max(4, layout.pages.map { hex($0.gfns.upperBound).count }.max() ?? 4)
        asid = max(4, String(state.trace.config.asid).count)
        // The owner column fits "private 0x10" (and a kernel object's name, up to a point).
        let names = state.trace.kernelNames.map { 7 + TextWidth.width(of: $0) }
        owner = min(16, ([8 + gfn] + names).max() ?? 12)
    }
}

/// One column of a table: its header, what the legend says of it, its width, how a comparison
/// weighs it.
struct ColumnSpec: Sendable {
    let header: String
    let meaning: String?
    let width: @Sendable (ColumnSizes) -> Rect.Size
    var minWidth: Int?
    let compare: CompareRule
}

/// A table described once: its columns and how a row reads a world. The viewer's tables, the
/// comparison's marks, `--fit`'s check of the headers and the help's legend all read these.
struct TableSpec: Sendable {
    let kind: TableKind
    let columns: [ColumnSpec]
    /// The row's value cells (without marks), one per column.
    let cells: @Sendable (TableCells, Int) -> [CellText]

    var headers: [String] { columns.map(\.header) }

    func widgetColumns(_ sizes: ColumnSizes) -> [TableWidget.Column] {
        columns.map { .init($0.header, width: $0.width(sizes), minWidth: $0.minWidth) }
    }

    static func of(_ kind: TableKind) -> TableSpec { all[kind.rawValue] }

    /// The four tables, in `TableKind` order.
    static let all: [TableSpec] = [
        TableSpec(kind: .rmp, columns: [
            ColumnSpec(header: "pfn", meaning: nil, width: { .fixed($0.pfn) }, compare: .ignored),
            ColumnSpec(header: "A", meaning: "the Assigned bit: the frame belongs to a guest", width: { _ in .fixed(1) }, compare: .text),
            ColumnSpec(header: "ASID", meaning: "the guest the RMP entry assigns the frame to", width: { .fixed($0.asid) }, compare: .text),
            ColumnSpec(header: "gfn", meaning: "the guest frame number the RMP entry records", width: { .fixed($0.gfn) }, compare: .text),
            ColumnSpec(header: "V", meaning: "the Validated bit (set by PVALIDATE)", width: { _ in .fixed(1) }, compare: .text),
        ], cells: { $0.rmpCells($1) }),
        TableSpec(kind: .directMap, columns: [
            ColumnSpec(header: "pfn", meaning: nil, width: { .fixed($0.pfn) }, compare: .ignored),
            ColumnSpec(header: "P", meaning: "the entry is present (P) or removed (-)", width: { _ in .fixed(1) }, compare: .text),
            ColumnSpec(header: "owner", meaning: "who holds the frame: an fd and gfn, an orphan a pin keeps, kernel code, or free",
                       width: { .fixed($0.owner) }, compare: .text),
            ColumnSpec(header: "kernel mappings", meaning: "kernel mappings that point at the frame (holder, how, page)",
                       width: { _ in .weight(1) }, minWidth: 8, compare: .text),
        ], cells: { $0.directMapCells($1) }),
        fdSpec(.sharedFD),
        fdSpec(.privateFD),
    ]

    private static func fdSpec(_ kind: TableKind) -> TableSpec {
        TableSpec(kind: kind, columns: [
            ColumnSpec(header: "gfn", meaning: nil, width: { .fixed($0.gfn) }, compare: .ignored),
            ColumnSpec(header: "frame", meaning: "the frame the fd holds for the gfn, or a hole", width: { .fixed($0.pfn) }, compare: .presence),
            ColumnSpec(header: "N", meaning: "the NPT entry of the gfn points at this fd's frame", width: { _ in .fixed(1) }, compare: .text),
            ColumnSpec(header: "page", meaning: nil, width: { _ in .weight(1) }, minWidth: 4, compare: .text),
        ], cells: { $0.fdCells(kind, $1) })
    }

    /// The legend the help screen shows: each column's header and meaning, once.
    static var legend: [(String, String)] {
        var seen = Set<String>()
        var out: [(String, String)] = []
        for spec in all {
            for c in spec.columns {
                guard let m = c.meaning, seen.insert(c.header).inserted else { continue }
                let table = switch spec.kind {
                case .rmp: "RMP"
                case .directMap: "direct map"
                case .sharedFD, .privateFD: "fds"
                }
                out.append((c.header, "\(table): \(m)"))
            }
        }
        return out
    }
}
