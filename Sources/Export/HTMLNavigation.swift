// Where every button, key and swipe of the HTML export leads, computed here in Swift with the
// viewer's own reducer (`ViewerState.apply`) and written into the page as a table. The page's script
// only looks moves up in that table: there is no second reducer in JavaScript to drift from this one.
import Screen
import StepEngine
import Viewer

/// The frames of an HTML page in order — title cards and the frame after every action of every
/// run — and, for each, the frame every move leads to.
public struct HTMLNavigation: Sendable, Equatable {
    /// The moves a page can make. The raw value is the move's field in the page's table.
    public enum Move: String, CaseIterable, Sendable {
        case next = "n", previous = "p"
        case nextStep = "ns", previousStep = "ps"
        case first = "f", last = "l"
        case nextVariant = "nv", previousVariant = "pv"
        case nextScene = "nS", previousScene = "pS"

        /// What the page's key table and button titles call it.
        public var help: String {
            switch self {
            case .next: "next action"
            case .previous: "previous action"
            case .nextStep: "next step"
            case .previousStep: "previous step"
            case .first: "first action"
            case .last: "last action"
            case .nextVariant: "next variant (same step)"
            case .previousVariant: "previous variant"
            case .nextScene: "next scene"
            case .previousScene: "previous scene"
            }
        }
    }

    /// What a frame shows.
    public enum Content: Sendable, Equatable {
        /// The deck's own title card, first of all.
        case deckCard
        /// A scene's title card, before its frames.
        case sceneCard(scene: Int)
        /// The viewer's screen after `action` (0-based) of `runs[run]`.
        case action(run: Int, action: Int)
    }

    public struct Frame: Sendable, Equatable {
        public var content: Content
        /// The scene the frame belongs to; nil for the deck card.
        public var scene: Int?
        /// The run the frame shows, or for a scene card the run its scene opens with (so that
        /// "N Enter" on a card goes to step N of it); nil for the deck card.
        public var run: Int?
        /// The 0-based step of an action frame.
        public var step: Int?
        /// Where each move leads; a move that goes nowhere from here is absent.
        public var targets: [Move: Int]
        /// For an action frame of a scene with several runs: the corresponding frame in each of the
        /// scene's runs (same step, same offset in it, as the viewer's `v` does), in run order.
        public var variants: [Int]
        /// The page's caption for the frame: scene, variant, step and action.
        public var label: String

        public subscript(_ m: Move) -> Int? { targets[m] }
    }

    /// One run (one variant of one scene) on the page.
    public struct Run: Sendable, Equatable {
        public var scene: Int
        /// Its index in its `HTMLScene`'s `variants`.
        public var variantIndex: Int
        /// The variant's name ("" for a scene without variants).
        public var name: String
        /// The frame of its first action.
        public var firstFrame: Int
        public var actionCount: Int
        /// For step N (index N-1): the frame "N Enter" leads to, as the viewer decides (a step the run
        /// did not reach leads to its last action).
        public var stepFrames: [Int]
    }

    public struct SceneEntry: Sendable, Equatable {
        public var title: String
        /// Its title card, when the page has cards.
        public var card: Int?
        /// Its runs, in page order, and the one it opens with.
        public var runs: [Int]
        public var startRun: Int
        /// Where "go to this scene" leads: the card, or the opening run's first action.
        public var entry: Int
    }

    public private(set) var frames: [Frame] = []
    public private(set) var runs: [Run] = []
    public private(set) var scenes: [SceneEntry] = []
    /// Whether the page has title cards (a deck card first, then one per scene).
    public let titleCards: Bool

    /// The frame the page opens at: the deck's card, or the first action of the run the first
    /// scene opens with.
    public private(set) var start = 0

    /// The table for `scenes`. Every action of every run is a frame, whatever subset a `RunFrames`
    /// names; with `titleCards`, the deck's card comes first and each scene's card before its frames.
    public init(scenes input: [HTMLScene], titleCards: Bool) {
        self.titleCards = titleCards
        // 1. Where everything goes.
        if titleCards { frames.append(Frame(content: .deckCard, targets: [:], variants: [], label: "")) }
        var sceneTraces: [[Trace]] = []
        for (si, scene) in input.enumerated() {
            let card: Int? = titleCards ? frames.count : nil
            if titleCards { frames.append(Frame(content: .sceneCard(scene: si), scene: si, targets: [:], variants: [], label: "")) }
            var runIndices: [Int] = []
            var traces: [Trace] = []
            for (k, run) in scene.variants.enumerated() {
                guard let trace = run.trace else { continue }
                let r = runs.count
                runIndices.append(r)
                traces.append(trace)
                runs.append(Run(scene: si, variantIndex: k, name: trace.variant?.name ?? "", firstFrame: frames.count,
                                actionCount: trace.actionCount, stepFrames: []))
                for a in 0..<trace.actionCount {
                    frames.append(Frame(content: .action(run: r, action: a), scene: si, run: r, step: Int(trace.records[a].step),
                                        targets: [:], variants: [], label: ""))
                }
            }
            sceneTraces.append(traces)
            let startRun = runIndices.isEmpty ? -1 : runIndices[min(scene.start, runIndices.count - 1)]
            let entry = card ?? (startRun >= 0 ? runs[startRun].firstFrame : frames.count)
            scenes.append(SceneEntry(title: scene.title, card: card, runs: runIndices, startRun: startRun, entry: entry))
        }
        // A scene without a single action and without a card has nowhere to go.
        for si in scenes.indices where scenes[si].entry >= frames.count { scenes[si].entry = max(0, frames.count - 1) }

        start = titleCards ? 0 : (scenes.first?.entry ?? 0)

        // 2. Within a run and across a scene's runs: the viewer's reducer decides.
        for (si, scene) in scenes.enumerated() {
            let traces = sceneTraces[si]
            for (k, r) in scene.runs.enumerated() {
                guard let base = ViewerState(traces: traces, variant: k) else { continue }
                let run = runs[r]
                func frame(_ s: ViewerState) -> Int { runs[scene.runs[s.variant]].firstFrame + max(0, s.index) }
                runs[r].stepFrames = (0..<traces[k].stepCount).map { s in
                    var v = base
                    for d in String(s + 1) { v.apply(.digit(d.wholeNumberValue ?? 0)) }
                    v.apply(.enter)
                    return frame(v)
                }
                for a in 0..<run.actionCount {
                    var here = base
                    here.jump(to: a)
                    let f = run.firstFrame + a
                    func after(_ action: ViewerAction) -> Int {
                        var v = here
                        v.apply(action)
                        return frame(v)
                    }
                    var t: [Move: Int] = [:]
                    t[.next] = after(.nextAction)
                    t[.previous] = after(.previousAction)
                    t[.nextStep] = after(.nextStep)
                    t[.previousStep] = after(.previousStep)
                    t[.first] = after(.first)
                    t[.last] = after(.last)
                    if scene.runs.count > 1 {
                        t[.nextVariant] = after(.nextVariant)
                        t[.previousVariant] = after(.previousVariant)
                        // Straight to run j, as `v` would go there if it came next: the viewer's
                        // switch on a pair of the two runs.
                        frames[f].variants = scene.runs.indices.map { j in
                            guard j != k, var v = ViewerState(traces: [traces[k], traces[j]], variant: 0) else { return f }
                            v.jump(to: a)
                            v.apply(.nextVariant)
                            return runs[scene.runs[j]].firstFrame + max(0, v.index)
                        }
                    }
                    // A move the viewer refuses (the first action has no previous) stays put: absent here.
                    frames[f].targets = t.filter { $0.value != f }
                }
            }
        }

        // 3. Across scenes and cards: the presenter's order (a scene's card, its frames, the next card).
        let sceneCount = scenes.count
        for f in frames.indices {
            var t = frames[f].targets
            switch frames[f].content {
            case .deckCard:
                if let first = scenes.first { t[.next] = first.entry; t[.nextStep] = first.entry; t[.nextScene] = first.entry }
            case .sceneCard(let si):
                let scene = scenes[si]
                frames[f].run = scene.startRun >= 0 ? scene.startRun : nil
                if scene.startRun >= 0, runs[scene.startRun].actionCount > 0 {
                    let run = runs[scene.startRun]
                    t[.next] = run.firstFrame
                    t[.nextStep] = run.firstFrame
                    t[.first] = run.firstFrame
                    t[.last] = run.firstFrame + run.actionCount - 1
                } else if si + 1 < sceneCount {
                    t[.next] = scenes[si + 1].entry
                    t[.nextStep] = scenes[si + 1].entry
                }
                let back = si > 0 ? lastFrame(ofScene: si - 1) : (titleCards ? 0 : nil)
                t[.previous] = back
                t[.previousStep] = back
                if si + 1 < sceneCount { t[.nextScene] = scenes[si + 1].entry }
                if si > 0 { t[.previousScene] = scenes[si - 1].entry }
            case .action(let r, let a):
                let si = runs[r].scene
                let atEnd = a == runs[r].actionCount - 1
                if si + 1 < sceneCount {
                    t[.nextScene] = scenes[si + 1].entry
                    // At the end of a run, → and PgDn go on to the next scene, as in `present`.
                    if atEnd { t[.next] = scenes[si + 1].entry }
                    if t[.nextStep] == nil { t[.nextStep] = scenes[si + 1].entry }
                }
                // Back from a run's first action: its scene's card, or the end of the scene before.
                let back = scenes[si].card ?? (si > 0 ? lastFrame(ofScene: si - 1) : nil)
                if a == 0, let back { t[.previous] = back }
                if t[.previousStep] == nil, let back { t[.previousStep] = back }
                if si > 0 { t[.previousScene] = scenes[si - 1].entry }
            }
            frames[f].targets = t.filter { $0.value != f }
        }

        // 4. Captions.
        for f in frames.indices { frames[f].label = label(of: f) }
    }

    /// The last frame of a scene: the last action of the run it opens with (or its card).
    func lastFrame(ofScene si: Int) -> Int {
        let scene = scenes[si]
        if scene.startRun >= 0, runs[scene.startRun].actionCount > 0 {
            return runs[scene.startRun].firstFrame + runs[scene.startRun].actionCount - 1
        }
        return scene.card ?? scene.entry
    }

    /// The frame `m` leads to from `frame`, or nil when it goes nowhere.
    public func target(_ m: Move, from frame: Int) -> Int? {
        frames.indices.contains(frame) ? frames[frame].targets[m] : nil
    }

    /// The frame "N Enter" leads to from `frame` (N is 1-based), or nil.
    public func step(_ n: Int, from frame: Int) -> Int? {
        guard frames.indices.contains(frame), let r = frames[frame].run, runs[r].stepFrames.indices.contains(n - 1) else { return nil }
        return runs[r].stepFrames[n - 1]
    }

    /// The frame showing `action` of the scene's run `variant` (indices into the `HTMLScene`s).
    public func frame(scene: Int, variant: Int, action: Int) -> Int? {
        guard scenes.indices.contains(scene), scenes[scene].runs.indices.contains(variant) else { return nil }
        let run = runs[scenes[scene].runs[variant]]
        return action >= 0 && action < run.actionCount ? run.firstFrame + action : nil
    }

    func label(of f: Int) -> String {
        let frame = frames[f]
        var parts: [String] = []
        if scenes.count > 1 || titleCards, let si = frame.scene {
            parts.append("scene \(si + 1)/\(scenes.count)")
        }
        switch frame.content {
        case .deckCard: parts.append("title")
        case .sceneCard: parts.append("title card")
        case .action(let r, let a):
            let run = runs[r]
            let scene = scenes[run.scene]
            if scene.runs.count > 1, let k = scene.runs.firstIndex(of: r) {
                parts.append("variant \(k + 1)/\(scene.runs.count) \(run.name)")
            }
            parts.append("step \((frame.step ?? 0) + 1)/\(run.stepFrames.count)")
            parts.append("action \(a + 1)/\(run.actionCount)")
        }
        return parts.joined(separator: " · ")
    }

    /// The table as the page reads it (JSON, safe inside a `<script>`):
    /// `{"start":F,"frames":[{"s":scene,"r":run,"n":F,"p":F,…,"vs":[F…],"t":caption}…],
    /// "runs":[{"s":scene,"name":…,"steps":[F…]}…],"scenes":[{"t":title,"e":F,"runs":[R…]}…]}`,
    /// where every F is a frame index and a move that goes nowhere is left out.
    public var json: String {
        var out = "{\"start\":\(start),\"frames\":["
        for (i, f) in frames.enumerated() {
            if i > 0 { out += ",\n" }
            out += "{"
            var fields: [String] = []
            if let s = f.scene { fields.append("\"s\":\(s)") }
            if let r = f.run { fields.append("\"r\":\(r)") }
            for m in Move.allCases { if let to = f.targets[m] { fields.append("\"\(m.rawValue)\":\(to)") } }
            if !f.variants.isEmpty { fields.append("\"vs\":[" + f.variants.map(String.init).joined(separator: ",") + "]") }
            var caption = "\"t\":"
            JSONObject.quote(f.label, into: &caption, scriptSafe: true)
            fields.append(caption)
            out += fields.joined(separator: ",") + "}"
        }
        out += "],\n\"runs\":["
        out += runs.map { r in
            var o = "{\"s\":\(r.scene),\"name\":"
            JSONObject.quote(r.name, into: &o, scriptSafe: true)
            return o + ",\"steps\":[" + r.stepFrames.map(String.init).joined(separator: ",") + "]}"
        }.joined(separator: ",")
        out += "],\n\"scenes\":["
        out += scenes.map { s in
            var o = "{\"t\":"
            JSONObject.quote(s.title, into: &o, scriptSafe: true)
            return o + ",\"e\":\(s.entry),\"runs\":[" + s.runs.map(String.init).joined(separator: ",") + "]}"
        }.joined(separator: ",")
        out += "]}"
        return out
    }
}
