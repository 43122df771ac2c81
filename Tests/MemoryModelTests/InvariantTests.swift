import MemoryModel
import Testing
import TestSupport

/// memory-model.md, Invariants, checked after many operations under many settings.
@Suite struct InvariantTests {
    /// A small deterministic generator (SplitMix64), so the sequence is the same on every run.

    static let pages = [decl("a", 0x10, .shared, count: 3), decl("b", 0x20, .private, count: 3),
                        decl("c", 0x30, .unbacked, count: 3)]

    static let settingSets: [[String]] = [
        [],
        ["discard-on-convert on"],
        ["allocator lowest", "discard-on-convert on", "directmap-unmap off"],
        ["kmap-guard on", "pf-fixup flip-shared", "panic-on-oops off"],
        ["rmpupdate fail", "discard-on-convert on"],
        ["upm off"],
        ["upm off", "kmap-guard on", "pf-fixup flip-shared"],
        ["upm off", "rmpupdate fail", "asid 77"],
    ]

    static func randomOperation(_ g: inout SeededRandom, upm: Bool) -> String {
        let names = ["a", "b", "c", "a[1]", "b[2]", "c[0]"]
        let page = names[Int(g.next() % UInt64(names.count))]
        let kind = g.next() % 2 == 0 ? "private" : "shared"
        let holder = g.next() % 2 == 0 ? "kvm" : "host"
        let via = ["kmap", "pin", "page_address", "uaccess"][Int(g.next() % 4)]
        var ops = [
            "guest psc \(page) \(kind)", "guest pvalidate \(page) on", "guest pvalidate \(page) off",
            "guest read \(page)", "guest write \(page) \(kind)", "\(holder) map \(page) via=\(via)",
            "\(holder) unmap \(page)", "\(holder) read \(page)", "\(holder) write \(page)",
            "kvm fault-in \(page)", "kvm rmpupdate \(page) \(kind)", "kvm resume", "vmm alloc \(page) shared",
            "vmm discard \(page) shared", "vmm read \(page)", "vmm write \(page)",
        ]
        if upm {
            ops += ["kvm exit \(page)", "vmm set-attr \(page) \(kind)", "vmm alloc \(page) private",
                    "vmm discard \(page) private", "vmm convert \(page) \(kind)", "vmm convert \(page) \(kind)"]
        }
        return ops[Int(g.next() % UInt64(ops.count))]
    }

    /// The first invariant, checked independently of the engine's own check.
    static func ownershipProblems(_ t: Harness) -> [String] {
        var problems: [String] = []
        let w = t.world
        var claimed: [Int32: String] = [:]
        func claim(_ f: Int32, _ by: String) {
            if let other = claimed[f] { problems.append("frame \(f) owned by \(other) and \(by)") }
            claimed[f] = by
        }
        var orphansPerGFN: [Int: Int] = [:]
        for s in 0..<w.geometry.slotCount {
            let p = w.pages[s]
            let g = w.geometry.gfn(ofSlot: s)
            if p.sharedFrame >= 0 {
                claim(p.sharedFrame, "shared fd \(g)")
                if w.frames[Int(p.sharedFrame)].owner != .sharedFD(gfn: g) { problems.append("shared fd \(g) owner") }
            }
            if p.privateFrame >= 0 {
                claim(p.privateFrame, "private fd \(g)")
                if w.frames[Int(p.privateFrame)].owner != .privateFD(gfn: g) { problems.append("private fd \(g) owner") }
            }
            if let e = p.npt, e.frame != p.sharedFrame, e.frame != p.privateFrame {
                problems.append("NPT of gfn \(g) maps a frame no fd holds")
            }
        }
        for (k, o) in w.kernelObjects.enumerated() {
            claim(o.frame, "kernel \(k)")
            if w.frames[Int(o.frame)].owner != .kernel(k) { problems.append("kernel object \(k) owner") }
        }
        let free = t.freeFrames()
        if free.count != w.freeCount { problems.append("free list has duplicates") }
        for f in free {
            claim(f, "free list")
            let fs = w.frames[Int(f)]
            if fs.owner != .free || fs.assigned || fs.pins != 0 { problems.append("free frame \(f) is \(fs)") }
        }
        for f in 0..<Int32(w.geometry.frameCount) {
            let fs = w.frames[Int(f)]
            if case .orphan(let g) = fs.owner {
                claim(f, "orphan \(g)")
                orphansPerGFN[g, default: 0] += 1
                if fs.pins == 0 && !fs.assigned { problems.append("orphan \(f) with no pin and not leaked") }
            }
            if claimed[f] == nil { problems.append("frame \(f) owned by nobody (\(fs.owner))") }
            if fs.assigned {
                if Int(fs.asid) != w.config.asid { problems.append("frame \(f) assigned to another ASID") }
                if fs.owner.gfn != fs.rmpGFN { problems.append("frame \(f) assigned at a gfn it does not back") }
            }
        }
        for s in 0..<w.geometry.slotCount {
            let g = w.geometry.gfn(ofSlot: s)
            if Int(w.pages[s].orphans) != orphansPerGFN[g, default: 0] { problems.append("orphan count of gfn \(g)") }
        }
        let pins = w.mappings.values.filter { $0.via == .pin }.reduce(into: [Int32: Int32]()) { $0[$1.frame, default: 0] += 1 }
        for f in 0..<Int32(w.geometry.frameCount) where w.frames[Int(f)].pins != pins[f, default: 0] {
            problems.append("frame \(f) pins \(w.frames[Int(f)].pins), mappings \(pins[f, default: 0])")
        }
        return problems
    }

    @Test(arguments: settingSets.indices)
    func invariantsHoldAfterManyOperations(set: Int) {
        let settings = Self.settingSets[set]
        for seed in 0..<6 {
            var g = SeededRandom(state: UInt64(seed * 1000 + set))
            var t = Harness(Self.pages, settings)
            var log: [String] = []
            for _ in 0..<150 where !t.stopped {
                let op = Self.randomOperation(&g, upm: t.world.config.upm)
                log.append(op)
                t.run(op)
                let engine = t.brokenInvariants()
                let mine = Self.ownershipProblems(t)
                #expect(engine.isEmpty, "\(settings) seed \(seed) after \(log.suffix(6)): \(engine)")
                #expect(mine.isEmpty, "\(settings) seed \(seed) after \(log.suffix(6)): \(mine)")
                if !engine.isEmpty || !mine.isEmpty { return }
            }
        }
    }

    @Test func aCorrectRunChecksClean() throws {
        var t = Harness(Self.pages)
        t.run(["guest psc a private", "kvm exit a", "vmm convert a private", "kvm resume", "guest pvalidate a on",
               "guest write a", "guest psc b shared", "kvm exit b", "vmm convert b shared", "kvm resume",
               "guest write b", "vmm write b", "kvm map c via=pin", "vmm discard c shared", "kvm unmap c"])
        #expect(t.outcomes.isEmpty)
        #expect(t.brokenInvariants().isEmpty)
        #expect(Self.ownershipProblems(t).isEmpty)
        for i in 0...2 {
            #expect(t.page("a", i).guestView == .private)
            #expect(t.page("b", i).guestView == .shared)
            #expect(t.frame(pfn: try #require(t.privatePFN("a", i))).validated)
        }
    }
}
