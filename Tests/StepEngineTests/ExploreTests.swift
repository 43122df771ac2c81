import MemoryModel
import SceneLanguage
import StepEngine
import Testing
import TestSupport

/// The explorer against a naive enumeration: every interleaving run on its own by the engine, as a
/// plain scene with its steps in that order. Merged-graph counts must equal the naive ones.
@Suite struct ExploreTests {
    static let operations = [
        "kvm map a", "kvm map a via=kmap", "kvm write a", "kvm unmap a", "host map a", "host write a",
        "guest psc a private", "kvm exit a", "vmm convert a private", "vmm convert a shared", "kvm resume",
        "guest write a", "guest write a private", "vmm refuse a", "vmm discard a shared", "kvm fault-in a",
        "guest pvalidate b on", "vmm write a", "kvm rmpupdate b shared", "guest psc b shared", "kvm exit b",
        "vmm convert b shared", "kvm write b", "kvm map b via=pin",
    ]
    static let settings = ["kernel thread", "kernel mainline", "discard-on-convert on", "post-map-guard on",
                           "kmap-guard on", "rmpupdate fail", "psc-error terminate", "allocator lowest"]

    /// A random scene of 2–3 lanes, 1–3 steps each, 1–3 operations a step.
    static func randomScene(_ rng: inout SeededRandom) -> String {
        var lines = ["title \"random\"", "pfns 0x100..0x107"]
        for s in settings where Int.random(in: 0..<4, using: &rng) == 0 { lines.append("config " + s) }
        lines += ["page a gfn=0x10 shared", "page b gfn=0x20 private"]
        let lanes = Int.random(in: 2...3, using: &rng)
        for lane in 0..<lanes {
            for n in 0..<Int.random(in: 1...3, using: &rng) {
                lines.append("step \"l\(lane) s\(n)\" lane=l\(lane)")
                for _ in 0..<Int.random(in: 1...3, using: &rng) {
                    lines.append("  " + (operations.randomElement(using: &rng) ?? "kvm resume"))
                }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Every merge of the lanes, as step indices.
    static func interleavings(_ lanes: [[Int]]) -> [[Int]] {
        var out: [[Int]] = []
        func walk(_ pos: [Int], _ path: [Int]) {
            var done = true
            for l in lanes.indices where pos[l] < lanes[l].count {
                done = false
                var next = pos
                next[l] += 1
                walk(next, path + [lanes[l][pos[l]]])
            }
            if done { out.append(path) }
        }
        walk(lanes.map { _ in 0 }, [])
        return out
    }

    static func reordered(_ scene: Scene, _ order: [Int]) -> Scene {
        var s = scene
        s.steps = order.map { var step = scene.steps[$0]; step.lane = Step.defaultLane; return step }
        return s
    }

    @Test func mergedCountsEqualANaiveEnumeration() throws {
        var rng = SeededRandom(state: 0x1A4E5)
        var checked = 0, merged = 0
        for round in 0..<60 {
            let text = Self.randomScene(&rng)
            guard case .success(let scene) = parseScene(text, path: "r.scene") else { continue }
            let exploration = Exploration.run(scene, variant: nil, over: [])
            let row = try #require(exploration.rows.first)
            let orders = Self.interleavings(scene.lanes.map(\.steps))
            #expect(exploration.interleavings == orders.count)
            #expect(row.runs == orders.count, "round \(round)")
            var endings: [String: Int] = [:], outcomes: [OutcomeKind: Int] = [:], fewest: [OutcomeKind: Int] = [:]
            for order in orders {
                let t = Engine.run(Self.reordered(scene, order), variant: nil)
                endings[t.ending.description, default: 0] += 1
                for k in Set(t.outcomes.map(\.outcome.kind)) {
                    outcomes[k, default: 0] += 1
                    fewest[k] = min(fewest[k] ?? .max, t.stepsRun)
                }
            }
            #expect(Dictionary(uniqueKeysWithValues: row.endings.map { ($0.name, $0.count) }) == endings, "round \(round):\n\(text)")
            #expect(Dictionary(uniqueKeysWithValues: row.outcomes.map { ($0.kind, $0.count) }) == outcomes, "round \(round):\n\(text)")
            // Every witness is an interleaving, raises its outcome, has the fewest steps run, and its
            // written scene passes `check`.
            for (kind, _) in outcomes {
                let order = try #require(row.witness(raising: kind))
                #expect(orders.contains(order), "round \(round): the witness keeps each lane's order")
                let t = Engine.run(Self.reordered(scene, order), variant: nil)
                #expect(t.outcomes.contains { $0.outcome.kind == kind }, "round \(round): witness raises \(kind)")
                #expect(t.stepsRun == fewest[kind], "round \(round): witness for \(kind) runs the fewest steps")
                let written = try #require(exploration.witnessScene(row: 0, outcome: kind))
                guard case .success(let back) = parseScene(written, path: "w.scene") else {
                    Issue.record("round \(round): the witness scene does not parse:\n\(written)")
                    continue
                }
                #expect(Engine.run(back, variant: nil).passed, "round \(round): check passes the witness of \(kind)")
            }
            if row.distinctStates < orders.count { merged += 1 }
            checked += 1
        }
        #expect(checked >= 50)
        #expect(merged > 10, "state merging happened in \(merged) scenes")
    }

    @Test func quantifiedExpectationsHoldOrFailWithACounterexample() throws {
        let text = """
            title "race"
            config kernel thread
            config discard-on-convert on
            pfns 0x100..0x10f
            page ghcb gfn=0x10 shared
            page heap gfn=0x30 unbacked
            step "map" lane=kvm
              kvm map ghcb
            step "write" lane=kvm
              kvm write ghcb
            step "convert" lane=guest
              guest psc ghcb private
              kvm exit ghcb
              vmm convert ghcb private
            step "reuse" lane=guest
              guest psc heap private
              kvm exit heap
              vmm convert heap private
              kvm resume
              guest pvalidate heap on
            expect sometimes host-panic ghcb
            expect never host-panic heap
            expect always host-panic
            expect never use-after-free
            """
        guard case .success(let scene) = parseScene(text, path: "race.scene") else {
            Issue.record("does not parse")
            return
        }
        let results = Exploration.checkQuantified(scene)
        #expect(results.map(\.passed) == [true, true, false, false])
        #expect(results.allSatisfy { $0.runs == 6 })
        // write before convert → no panic; only map, convert, reuse, write panics.
        #expect(results[0].raising == 1)
        #expect(results[2].witness == ["map", "write", "convert", "reuse"], "the first interleaving without a panic")
        #expect(results[2].detail.contains("raised in 1 of 6 interleavings"))
        let uaf = try #require(results[3].witness)
        #expect(uaf.count == 4 && results[3].raising > 0)
        // The plain run (file order) does not see the quantified lines.
        #expect(Engine.run(scene, variant: nil).expectations.isEmpty)
    }

    @Test func overRowsFollowTheSpecsValueOrderAndInvalidRowsSayWhy() throws {
        let text = """
            title "t"
            pfns 0x100..0x10f
            page p gfn=0x10 shared
            step "a" lane=x
              vmm convert p private
            step "b" lane=y
              kvm write p
            """
        guard case .success(let scene) = parseScene(text, path: "t.scene") else { return }
        let e = Exploration.run(scene, variant: nil, over: [.kernel, .gmemAlloc])
        #expect(e.rows.map { $0.settings.map(\.value) } == [["thread", "eager"], ["thread", "lazy"], ["v5", "eager"],
                                                             ["v5", "lazy"], ["mainline", "eager"], ["mainline", "lazy"]])
        #expect(e.rows[2].invalid?.contains("line 5") == true)
        #expect(e.rows[2].invalid?.contains("needs 'upm on'") == true)
        #expect(e.rows[0].invalid == nil && e.rows[0].runs == 2)
    }

    @Test func interleavingsAreTheMultinomial() {
        #expect(Explorer.interleavings([4, 4, 4]) == 34_650)
        #expect(Explorer.interleavings([4, 4, 4, 4]) == 63_063_000)
        #expect(Explorer.interleavings([3, 2, 1]) == 60)
        #expect(Explorer.interleavings([1000, 1000]) == nil, "past Int's range")
    }
}

/// A stop request (Ctrl-C in the shell) ends the exploration with what was counted, marked partial.
@Test func aStoppedExplorationIsPartialAndCountsLess() throws {
    let lanes = (0..<3).map { l in (0..<4).map { s in "step \"l\(l) s\(s)\" lane=l\(l)\n  kvm write a\n" }.joined() }.joined()
    guard case .success(let scene) = parseScene("title \"t\"\npage a gfn=1\n" + lanes, path: "t.scene") else {
        Issue.record("does not parse")
        return
    }
    var calls = 0
    let e = Exploration.run(scene, variant: nil, over: [], shouldStop: { calls += 1; return calls > 20 })
    let row = try #require(e.rows.first)
    #expect(e.partial && row.partial)
    #expect(row.runs < e.interleavings, "counted \(row.runs) of \(e.interleavings)")
    let full = Exploration.run(scene, variant: nil, over: [])
    #expect(!full.partial && full.rows.first?.runs == 34_650)
}
