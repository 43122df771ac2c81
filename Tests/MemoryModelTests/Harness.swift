import MemoryModel
import Testing

typealias Severity = MemoryModel.Severity

// Test-only helpers: a tiny reader of operation lines ("kvm map ghcb via=kmap") into `Operation`
// values, and a harness that splits operations into actions and performs them one by one.

/// A page declaration in one line.
func decl(_ name: String, _ gfn: Int, _ backing: InitialBacking, count: Int = 1) -> PageDeclaration {
    PageDeclaration(name: name, firstGFN: gfn, count: count, backing: backing)
}

/// Reads a page argument: "name" (every page of the declaration) or "name[i]"; unknown names are kernel objects.
func pageTarget(_ word: String, _ layout: Layout) -> PageTarget {
    var name = word
    var index: Int?
    if let open = word.firstIndex(of: "["), word.hasSuffix("]") {
        name = String(word[..<open])
        index = Int(word[word.index(after: open)..<word.index(before: word.endIndex)])
    }
    guard let p = layout.pages.firstIndex(where: { $0.name == name }) else { return .kernel(name: name) }
    if let index { return .guest(page: p, indices: index...index) }
    return .guest(page: p, indices: 0...(layout.pages[p].count - 1))
}

/// Reads one operation as the scene language writes it. Crashes on a typo: these are test fixtures.
func operation(_ text: String, _ layout: Layout) -> Operation {
    let w = text.split(separator: " ").map(String.init)
    func kind(_ s: String) -> MemoryKind {
        guard let k = MemoryKind(rawValue: s) else { preconditionFailure("bad kind in '\(text)'") }
        return k
    }
    func target(_ i: Int) -> PageTarget { pageTarget(w[i], layout) }
    switch (w[0], w[1]) {
    case ("guest", "psc"): return .guestPSC(target(2), kind(w[3]))
    case ("guest", "pvalidate"): return .guestPValidate(target(2), on: w[3] == "on")
    case ("guest", "read"), ("guest", "write"):
        return .guestAccess(target(2), write: w[1] == "write", cbit: w.count > 3 ? kind(w[3]) : nil)
    case ("kvm", "map"), ("host", "map"):
        var via = Via.kmap
        if w.count > 3 {
            guard w[3].hasPrefix("via="), let v = Via(rawValue: String(w[3].dropFirst(4))) else {
                preconditionFailure("bad via in '\(text)'")
            }
            via = v
        }
        return .map(Holder(rawValue: w[0])!, target(2), via)
    case ("kvm", "unmap"), ("host", "unmap"): return .unmap(Holder(rawValue: w[0])!, target(2))
    case ("kvm", "read"), ("kvm", "write"), ("host", "read"), ("host", "write"):
        return .kernelAccess(Holder(rawValue: w[0])!, target(2), write: w[1] == "write")
    case ("kvm", "exit"): return .kvmExit(target(2))
    case ("kvm", "fault-in"): return .kvmFaultIn(target(2))
    case ("kvm", "rmpupdate"): return .kvmRMPUpdate(target(2), kind(w[3]))
    case ("kvm", "resume"): return .kvmResume
    case ("vmm", "set-attr"): return .vmmSetAttr(target(2), kind(w[3]))
    case ("vmm", "alloc"): return .vmmAlloc(target(2), kind(w[3]))
    case ("vmm", "discard"): return .vmmDiscard(target(2), kind(w[3]))
    case ("vmm", "convert"): return .vmmConvert(target(2), kind(w[3]))
    case ("vmm", "read"), ("vmm", "write"): return .vmmAccess(target(2), write: w[1] == "write")
    case ("host", "alloc"): return .hostAlloc(w[2])
    default: preconditionFailure("unknown operation '\(text)'")
    }
}

/// Reads "key value" settings into a Config, failing the test on a value the key does not take.
func config(_ settings: [String]) -> Config {
    var c = Config()
    for s in settings {
        let w = s.split(separator: " ").map(String.init)
        guard let key = SettingKey(rawValue: w[0]) else { preconditionFailure("bad key \(s)") }
        if let reason = c.apply(key, w[1]) { Issue.record("setting '\(s)' rejected: \(reason)") }
    }
    return c
}

/// A world plus everything its actions raised, run the way the engine runs a step's operations.
struct Harness {
    var world: World
    var actions: [PageAction] = []
    var outcomes: [Outcome] = []
    var writes: [Write] = []
    var stopped = false

    init(_ pages: [PageDeclaration], pfns: ClosedRange<Int> = Layout.defaultPFNs, _ settings: [String] = []) {
        world = World(layout: Layout(pages: pages, pfns: pfns), config: config(settings))
    }

    /// Splits `text` into its actions and performs them, stopping after a fatal outcome.
    /// Returns the outcomes this operation raised.
    @discardableResult
    mutating func run(_ text: String) -> [Outcome] {
        let actions = self.actions(of: text)
        var raised: [Outcome] = []
        for a in actions where !stopped {
            world.perform(a)
            self.actions.append(a)
            let (w, o) = world.drain()
            writes += w
            raised += o
            if o.contains(where: { $0.severity == .fatal }) { stopped = true }
        }
        outcomes += raised
        return raised
    }

    /// Runs several operations; returns every outcome they raised.
    @discardableResult
    mutating func run(_ texts: [String]) -> [Outcome] {
        texts.flatMap { run($0) }
    }

    /// The actions an operation splits into (not performed).
    func actions(of text: String) -> [PageAction] {
        let op = operation(text, world.layout)
        let objects = world.kernelObjects
        var out: [PageAction] = []
        op.forEachAction(geometry: world.geometry, config: world.config,
                         kernelIndex: { n in objects.lastIndex { $0.name == n } }) { a in
            out.append(a)
            return true
        }
        return out
    }

    func slot(_ name: String, _ i: Int = 0) -> Int {
        guard let p = world.layout.pages.firstIndex(where: { $0.name == name }) else {
            preconditionFailure("no page \(name)")
        }
        return world.geometry.slotStart[p] + i
    }

    func page(_ name: String, _ i: Int = 0) -> GuestPageState { world.pages[slot(name, i)] }

    func frame(pfn: Int) -> FrameState { world.frames[pfn - world.layout.pfns.lowerBound] }

    func pfn(_ frameIndex: Int32) -> Int? { frameIndex >= 0 ? world.layout.pfns.lowerBound + Int(frameIndex) : nil }

    func sharedPFN(_ name: String, _ i: Int = 0) -> Int? { pfn(page(name, i).sharedFrame) }
    func privatePFN(_ name: String, _ i: Int = 0) -> Int? { pfn(page(name, i).privateFrame) }
    func nptPFN(_ name: String, _ i: Int = 0) -> Int? { page(name, i).npt.flatMap { pfn($0.frame) } }
    func nptKind(_ name: String, _ i: Int = 0) -> MemoryKind? { page(name, i).npt?.kind }

    func mapping(_ holder: Holder, _ name: String, _ i: Int = 0) -> Mapping? {
        mapping(holder, .guest(slot: slot(name, i)))
    }

    func mapping(_ holder: Holder, _ ref: PageRef) -> Mapping? {
        world.mappings.first { $0.key.holder == holder && $0.key.page == ref }?.value
    }

    func kinds(_ o: [Outcome]) -> [OutcomeKind] { o.map(\.kind) }

    /// The engine's own check over every frame and every slot.
    func brokenInvariants() -> [String] {
        world.brokenInvariants(frames: (0..<Int32(world.geometry.frameCount)).map { $0 },
                               slots: (0..<Int32(world.geometry.slotCount)).map { $0 })
    }

    /// The frames on the free list (freed ones and the never-used ones above the watermark).
    func freeFrames() -> Set<Int32> {
        var s = Set((0..<world.freed.count).map { world.freed[$0] })
        s.formUnion(world.watermark..<Int32(world.geometry.frameCount))
        return s
    }
}

/// "0x10" as the model writes numbers.
func h(_ n: Int) -> String { "0x" + String(n, radix: 16) }
