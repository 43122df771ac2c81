import Screen
import SceneLanguage
import StepEngine

/// One scene of a talk: its runs (one per variant) and the variant the deck asks for; for an
/// `explore` entry, the outcome matrix shown instead of the tables.
public struct PresentEntry: Sendable {
    public let traces: [Trace]
    public let variant: Int
    public let exploration: Exploration?
    /// A `compare=` entry: the scene opens side by side with this run.
    public let compare: CompareSide?
    public init(traces: [Trace], variant: Int, exploration: Exploration? = nil, compare: CompareSide? = nil) {
        self.traces = traces
        self.variant = variant
        self.exploration = exploration
        self.compare = compare
    }
}

/// The viewer made for a projector: a title card before each scene, presenter-remote keys, a
/// blank screen, a clock. Pure: the shell passes the time in.
public struct PresenterState: Sendable {
    public internal(set) var entries: [PresentEntry]
    public private(set) var current = 0
    public internal(set) var onCard = true
    public internal(set) var viewer: ViewerState
    /// The matrix of an `explore` entry, shown after its title card instead of the viewer.
    public internal(set) var matrix: ExploreState?
    public private(set) var blanked = false
    /// The scene list (`S`) is open; `sceneNumber` is what was typed in it.
    public private(set) var showSceneList = false
    public private(set) var sceneNumber = ""
    /// The deck's own title, shown on a cover card before the first scene.
    public let talkTitle: String?
    public private(set) var onCover: Bool
    /// Said on the first card until a key is pressed (the theme in use).
    public var notice: String?
    /// When the clock was last reset, in the shell's seconds.
    public private(set) var clockStart: Double
    public let font: FigletFont?
    public var quit: Bool { viewer.quit }

    public init?(entries: [PresentEntry], font: FigletFont?, width: Int, height: Int, now: Double, talkTitle: String? = nil) {
        guard let first = entries.first,
              var v = ViewerState(traces: first.traces, variant: first.variant, width: width, height: height) else {
            return nil
        }
        if let side = first.compare { v.openComparison(side) }
        v.keyLayer = PresenterKeyMap.legend
        self.entries = entries
        self.talkTitle = talkTitle
        onCover = talkTitle != nil
        viewer = v
        self.font = font
        clockStart = now
        matrix = PresenterState.matrix(for: first, width: width, height: height)
    }

    static func matrix(for entry: PresentEntry, width: Int, height: Int) -> ExploreState? {
        entry.exploration.map { ExploreState(exploration: $0, path: $0.scene.path, width: width, height: height) }
    }

    public var scene: Scene { viewer.scene }

    /// Presenter remotes send PgDn/PgUp, Space and arrows: all move one action here.
    public mutating func handle(_ key: Key, now: Double) {
        if case .resize = key {
            viewer.handle(key)
            matrix?.handle(key)
            return
        }
        let action = PresenterKeyMap.action(for: key)
        notice = nil
        if blanked {
            if action == .blank { blanked = false }
            if key == .char("q") { viewer.apply(.quit) }
            return
        }
        if showSceneList { return handleSceneList(key) }
        if onCover {
            switch action {
            case .forward?, .nextScene?: onCover = false
            case .blank?: blanked = true
            case .sceneList?: showSceneList = true
            default: if key == .char("q") || key == .ctrl("c") { viewer.apply(.quit) }
            }
            return
        }
        if !onCard, var m = matrix {
            // The matrix: the remote's keys move through the talk, the arrows and the others act on
            // the table (and on a witness opened from it).
            let arrows: Set<Key> = [.left, .right]
            if m.witness == nil, !m.showHelp, let action, !arrows.contains(key) {
                return perform(action, now: now, fromMatrix: true)
            }
            m.handle(key)
            if m.quit { viewer.apply(.quit) }
            matrix = m
            return
        }
        if case .tables = viewer.mode, viewer.number.isEmpty, let action {
            return perform(action, now: now, fromMatrix: false)
        }
        if onCard {
            // Any other viewer key leaves the card and acts on the scene (v, ?, g, a step number…).
            guard KeyMap.action(for: key) != nil else { return }
            onCard = false
            if key == .enter || key == .char("n") || key == .char("l") { return }
        }
        viewer.handle(key)
        if KeyMap.action(for: key) == .nextKernel {
            // The scene keeps its new kernel when the talk moves on and comes back.
            entries[current] = PresentEntry(traces: viewer.traces, variant: entries[current].variant,
                                            exploration: entries[current].exploration, compare: entries[current].compare)
        }
    }

    mutating func perform(_ action: PresenterAction, now: Double, fromMatrix: Bool) {
        switch action {
        case .forward: if fromMatrix { goTo(entry: current + 1) } else { forward() }
        case .backward: if fromMatrix { onCard = true } else { backward() }
        case .blank: blanked = true
        case .nextScene: goTo(entry: current + 1)
        case .previousScene: goTo(entry: current - 1)
        case .resetClock: clockStart = now
        case .sceneList:
            showSceneList = true
            sceneNumber = ""
        }
    }

    /// The scene list: a number then Enter opens scene N at its title card; Esc or S closes it.
    mutating func handleSceneList(_ key: Key) {
        switch key {
        case .char(let c) where c.isASCII && c.isNumber:
            if sceneNumber.count < 4 { sceneNumber.append(c) }
        case .backspace: sceneNumber = String(sceneNumber.dropLast())
        case .enter:
            if let n = Int(sceneNumber), entries.indices.contains(n - 1) {
                onCover = false
                goTo(entry: n - 1)
            }
            showSceneList = false
        case .char("q"), .ctrl("c"): viewer.apply(.quit)
        default: showSceneList = false
        }
    }

    mutating func forward() {
        if onCard {
            onCard = false
        } else if viewer.index + 1 < viewer.trace.actionCount {
            viewer.apply(.nextAction)
        } else if current + 1 < entries.count {
            goTo(entry: current + 1)
        } else {
            viewer.apply(.nextAction)
        }
    }

    mutating func backward() {
        if onCard {
            guard current > 0 else { return }
            goTo(entry: current - 1)
            onCard = false
            viewer.apply(.last)
        } else if viewer.index > 0 {
            viewer.apply(.previousAction)
        } else {
            onCard = true
        }
    }

    /// Opens another scene at its title card.
    mutating func goTo(entry: Int) {
        guard entries.indices.contains(entry) else { return }
        let e = entries[entry]
        guard var v = ViewerState(traces: e.traces, variant: e.variant, width: viewer.width, height: viewer.height) else { return }
        if let side = e.compare { v.openComparison(side) }
        v.ascii = viewer.ascii
        v.keyLayer = PresenterKeyMap.legend
        viewer = v
        matrix = PresenterState.matrix(for: e, width: viewer.width, height: viewer.height)
        matrix?.ascii = viewer.ascii
        current = entry
        onCard = true
    }

    public mutating func setASCII(_ on: Bool) {
        viewer.ascii = on
        matrix?.ascii = on
    }

    /// The elapsed time as m:ss (h:mm:ss past an hour).
    public func clock(now: Double) -> String {
        let s = max(0, Int(now - clockStart))
        return s >= 3600 ? "\(s / 3600):\(pad(s / 60 % 60)):\(pad(s % 60))" : "\(s / 60):\(pad(s % 60))"
    }

    private func pad(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

    /// Scene i/n, step and action, then the clock: what the corner shows.
    public func progress(now: Double) -> String {
        var s = "scene \(current + 1)/\(entries.count)"
        if !onCard { s += " · step \(viewer.step + 1)/\(viewer.trace.stepCount) · action \(viewer.index + 1)/\(viewer.trace.actionCount)" }
        return s + " · ⏱ " + clock(now: now)
    }

    public func render(now: Double) -> Grid {
        if blanked { return Grid(width: max(1, viewer.width), height: max(1, viewer.height)) }
        if showSceneList { return SceneList(state: self).render() }
        if onCover { return CoverCard(state: self, now: now).render() }
        if onCard { return TitleCard(state: self, now: now).render() }
        if let matrix { return matrix.render() }
        var v = viewer
        v.presentation = " " + progress(now: now) + " "
        return v.render()
    }

    /// What `--notes PATH` holds: the current step's speaker notes, the next step's title, the time.
    public func notes(now: Double) -> String {
        var out = "elapsed \(clock(now: now))\n"
        if blanked { out += "(the screen is blanked)\n" }
        if onCover, let talkTitle {
            return out + "cover: \(talkTitle)\n\n\(entries.count) scenes\n\nnext: scene 1: \(entries[0].traces.first?.scene.title ?? "")\n"
        }
        out += "scene \(current + 1)/\(entries.count): \(scene.title)\n"
        out += "\(viewer.trace.config.kernel.label)" + (viewer.trace.variant.map { ", variant \($0.name)" } ?? "")
            + (viewer.compared.map { ", compared with \(viewer.sideName($0.trace))" } ?? "") + "\n"
        if onCard {
            out += "title card\n\n" + (scene.about.joined(separator: "\n\n"))
        } else if let m = matrix {
            let over = m.exploration.over.map(\.rawValue).joined(separator: ", ")
            out += "outcome matrix" + (over.isEmpty ? "" : " over \(over)") + ": every order of the lanes, "
                + "\(m.exploration.interleavings) a row\n\n"
                + "Read a row as a kernel's answer to 'can this happen?'; Enter opens a cell's shortest witness."
        } else {
            let step = viewer.step
            out += "step \(step + 1)/\(viewer.trace.stepCount): \(scene.steps[step].title)\n\n"
            let notes = scene.steps[step].notes
            out += notes.isEmpty ? "(no notes for this step)" : notes.joined(separator: "\n\n")
        }
        out += "\n\nnext: " + nextTitle
        return out + "\n"
    }

    /// The title of what comes after the current step: the next step, or the next scene.
    var nextTitle: String {
        if onCard, matrix != nil { return "the outcome matrix" }
        let nextStep = onCard ? 0 : matrix != nil ? viewer.trace.stepCount : viewer.step + 1
        if nextStep < viewer.trace.stepCount, viewer.trace.isReached(step: nextStep) {
            return "step \(nextStep + 1): \(scene.steps[nextStep].title)"
        }
        if current + 1 < entries.count, let t = entries[current + 1].traces.first {
            return "scene \(current + 2): \(t.scene.title)"
        }
        return "the end"
    }
}
