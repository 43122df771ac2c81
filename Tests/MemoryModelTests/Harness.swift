import MemoryModel
import Testing
import TestSupport

typealias Severity = MemoryModel.Severity

// Test-only helpers: a tiny reader of operation lines ("kvm map ghcb via=kmap") into `Operation`
// values, and a harness that splits operations into actions and performs them one by one.


/// Reads "key value" settings into a Config, failing the test on a value the key does not take.
func config(_ settings: [String]) -> Config {
    var c = Config(kernel: .thread)  // version 1 of the model: these tests are its rows
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
