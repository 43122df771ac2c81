import MemoryModel
import Screen
import SceneLanguage
import StepEngine

/// The four tables, in screen order.
public enum TableKind: Int, CaseIterable, Sendable {
    case rmp = 0, directMap, sharedFD, privateFD

    public var title: String {
        switch self {
        case .rmp: "RMP table"
        case .directMap: "host direct map"
        case .sharedFD: "shared fd"
        case .privateFD: "private fd"
        }
    }

    /// Frame tables have a row per pfn of the pool; fd tables a row per declared gfn.
    public var isFrameTable: Bool { self == .rmp || self == .directMap }
}

/// What the screen shows besides the tables.
public enum ViewerMode: Hashable, Sendable {
    case tables
    case help(scroll: Int)
    /// The timeline of one row: a frame (frame index) or a gfn slot.
    case history(HistoryTarget, scroll: Int)
    case find(query: String)
}

/// The row whose history is shown.
public enum HistoryTarget: Hashable, Sendable {
    case frame(Int32)
    case slot(Int)
}

/// The whole interactive program as a value: which run, which action, what is selected, what is open.
public struct ViewerState: Sendable {
    public internal(set) var traces: [Trace]
    public internal(set) var variant: Int
    public internal(set) var cursor: TraceCursor {
        didSet {
            refreshNarrationLines()
            syncCompared()
        }
    }
    public internal(set) var width: Int {
        didSet {
            refreshNarrationLines()
            syncCompared()
        }
    }
    public internal(set) var height: Int
    public internal(set) var focus = TableKind.rmp
    public internal(set) var selection = [0, 0, 0, 0]
    public internal(set) var scroll = [0, 0, 0, 0]
    public internal(set) var mode = ViewerMode.tables
    /// Digits typed before Enter (go to step N).
    public internal(set) var number = ""
    /// A one-line answer to the last key (a failed find, a step that was not reached).
    public internal(set) var message: String?
    public internal(set) var quit = false
    /// The page history lists every action, not only those that touched its page (`toggleHistoryAll`).
    public internal(set) var historyShowsAll = false
    /// Draw with ASCII only (no UTF-8 locale).
    public var ascii = false
    /// In presenter mode: the progress and the clock, drawn in place of the key hints.
    public var presentation: String?
    /// A key map laid over the viewer's (the presenter's): the help screen and the footer show it.
    public var keyLayer: [KeyLegendEntry] = []
    /// The ending banner is hidden (`o`, or Esc over it); moving to another action shows it again.
    public internal(set) var bannerHidden = false
    /// Diagnostics of a broken edit under `--watch`, drawn over the screen until the file is fixed.
    public var diagnostics: [String] = []
    /// Set by Ctrl-L: the shell should repaint everything.
    public internal(set) var wantsRedraw = false
    /// An open comparison: the other run, stepped with this one (`c`, `C`, `--compare`).
    public internal(set) var compared: ComparedRun?

    /// Opens the first variant (or the given one) at its first action.
    /// Nil without a run: every scene has at least one.
    public init?(traces: [Trace], variant: Int = 0, width: Int = 160, height: Int = 45) {
        guard !traces.isEmpty else { return nil }
        self.traces = traces
        self.variant = min(max(0, variant), traces.count - 1)
        cursor = TraceCursor(trace: traces[self.variant], at: 0)
        self.width = width
        self.height = height
        refreshNarrationLines()
        followActivePage()
    }

    public var trace: Trace { cursor.trace }
    public var world: World { cursor.world }
    public var index: Int { cursor.index }
    public var scene: Scene { trace.scene }

    /// The step of the current action (0-based).
    public var step: Int { index >= 0 ? Int(trace.records[index].step) : 0 }

    /// Rows of data each table shows at this size (a comparison has its own layout).
    public var tableCapacity: Int { compared == nil ? layout.tableCapacity : compareLayout.tableCapacity }

    /// Where everything goes at this size, for this scene's tables and this step's narration.
    public var layout: ViewerLayout {
        ViewerLayout(width: width, height: height, tableRows: max(rowCount(.rmp), rowCount(.sharedFD)),
                     narrationLines: narrationLines)
    }

    /// Lines the narration box needs for the current step at this width: the same for every action
    /// of a step, so the tables do not jump while stepping through it. Kept with the run, step and
    /// width it was measured for: the layout is asked for several times a key, the wrapping once.
    var narrationLines: Int { narrationMeasure.lines }
    private var narrationMeasure = NarrationMeasure()

    struct NarrationMeasure: Sendable {
        var run: ObjectIdentifier?
        var step = -1
        var width = -1
        var lines = 0
    }

    private mutating func refreshNarrationLines() {
        let run = ObjectIdentifier(trace)
        guard narrationMeasure.run != run || narrationMeasure.step != step || narrationMeasure.width != width else { return }
        narrationMeasure = NarrationMeasure(run: run, step: step, width: width, lines: measureNarration())
    }

    /// The action's title, its summary and page line (two lines each), the most outcome lines any
    /// action of the step raises, and the step's `say` text.
    private func measureNarration() -> Int {
        let inner = max(10, width - 4)
        return Self.runLines(trace, step: step, inner: inner) + Self.sayLines(scene, step: step, inner: inner)
    }

    /// The lines a run's own narration needs for a step: the action's title, its summary and page
    /// line (two lines each), the most outcome lines any action of the step raises.
    static func runLines(_ trace: Trace, step: Int, inner: Int) -> Int {
        var outcomeLines = 0
        for i in trace.actions(ofStep: step).prefix(256) {
            let lines = trace.outcomes(of: i).reduce(0) { n, o in
                n + TextBox.wrap("✖ fatal \(o.outcome.kind.rawValue): \(o.outcome.reason)", width: inner).count
            }
            outcomeLines = max(outcomeLines, lines)
        }
        // Half a screen wraps the summary and the page line onto a third line each.
        return 1 + (inner < 60 ? 7 : 4) + outcomeLines
    }

    /// The lines the step's `say` text needs.
    static func sayLines(_ scene: Scene, step: Int, inner: Int) -> Int {
        scene.steps.indices.contains(step) ? scene.steps[step].say.reduce(0) { $0 + TextBox.wrap($1, width: inner).count } : 0
    }

    public func rowCount(_ t: TableKind) -> Int {
        if t.isFrameTable, let c = compared { return c.rows.rows.count }
        return t.isFrameTable ? world.geometry.frameCount : world.geometry.slotCount
    }

    // MARK: - The active page: what the last action touched

    /// The gfn slot the last action worked on.
    public var activeSlot: Int? {
        guard index >= 0 else { return nil }
        if let s = trace.records[index].action.slot { return Int(s) }
        for w in trace.writes(of: index) { if case .page(let s, _, _) = w { return Int(s) } }
        if let g = trace.outcomes(of: index).first?.outcome.gfn { return world.geometry.slot(ofGFN: g) }
        return nil
    }

    /// Frames the last action touched or that back its page: highlighted in the frame tables.
    public var activeFrames: Set<Int32> {
        var out = Set<Int32>()
        guard index >= 0 else { return out }
        for w in trace.writes(of: index) {
            switch w {
            case .frame(let f, _, _): out.insert(f)
            case .mapping(_, let b, let a):
                if let f = (a ?? b)?.frame, f >= 0 { out.insert(f) }
            default: break
            }
        }
        if let p = trace.frame(of: index) { out.insert(Int32(p - world.geometry.pfnBase)) }
        if let s = activeSlot {
            let page = world.pages[s]
            if page.sharedFrame >= 0 { out.insert(page.sharedFrame) }
            if page.privateFrame >= 0 { out.insert(page.privateFrame) }
        }
        return out
    }

    /// The frame the frame tables should follow: the one the action is about.
    var primaryFrame: Int32? {
        if let p = trace.frame(of: max(0, index)), index >= 0 { return Int32(p - world.geometry.pfnBase) }
        return activeFrames.min()
    }

    /// Moves selections and scrolls so that the active page is in view in all four tables.
    mutating func followActivePage() {
        if let f = primaryFrame { selectFrame(f) }
        if let s = activeSlot {
            let rank = world.geometry.rank(ofSlot: s)
            select(.sharedFD, rank)
            select(.privateFD, rank)
        }
    }

    /// Selects a row and scrolls its table to keep it visible.
    mutating func select(_ t: TableKind, _ row: Int) {
        let count = rowCount(t)
        guard count > 0 else { return }
        let r = min(max(0, row), count - 1)
        selection[t.rawValue] = r
        let visible = tableCapacity
        scroll[t.rawValue] = TableWidget.scrollOffset(keeping: r, visible: visible, current: scroll[t.rawValue], count: count)
    }

    // MARK: - Moving

    mutating func move(to target: Int) {
        if target != index { bannerHidden = false }
        cursor.move(to: target)
        followActivePage()
    }

    /// Switches variant, staying at the same step (and action within it) where that step exists.
    mutating func switchVariant(by delta: Int) {
        guard traces.count > 1 else {
            message = "this scene has no other variant"
            return
        }
        variant = (variant + delta + traces.count) % traces.count
        let t = traces[variant]
        let place = t.samePlace(as: index, in: trace)
        if !place.reached { message = "step \(step + 1) is not reached in this variant: showing its ending" }
        cursor = TraceCursor(trace: t, at: place.index)
        rebuildComparison()
        followActivePage()
    }
}
