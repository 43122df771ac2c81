import MemoryModel
import SceneLanguage
import StepEngine
import Testing

// Test-only builders: scenes as Swift values (the parser lives elsewhere), with a tiny reader of
// operation lines ("kvm map ghcb via=kmap") into `Operation` values.

typealias Severity = MemoryModel.Severity

let here = SourceLocation(line: 1, column: 1)

func decl(_ name: String, _ gfn: Int, _ backing: InitialBacking, count: Int = 1) -> PageDeclaration {
    PageDeclaration(name: name, firstGFN: gfn, count: count, backing: backing)
}

/// "name" (every page of the declaration) or "name[i]"; unknown names are kernel objects.
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

func setting(_ text: String, line: Int = 1) -> Setting {
    let w = text.split(separator: " ").map(String.init)
    guard let key = SettingKey(rawValue: w[0]) else { preconditionFailure("bad key \(text)") }
    var probe = Config()
    if let reason = probe.apply(key, w[1]) { Issue.record("setting '\(text)' rejected: \(reason)") }
    return Setting(key: key, value: w[1], location: SourceLocation(line: line, column: 1))
}

/// `expect [no] OUTCOME [PAGE] [at=N]` as a value.
func expectation(_ text: String, _ layout: Layout) -> SceneLanguage.Expectation {
    var w = text.split(separator: " ").map(String.init)
    let negated = w.first == "no"
    if negated { w.removeFirst() }
    guard let kind = OutcomeKind(rawValue: w.removeFirst()) else { preconditionFailure("bad outcome \(text)") }
    var at: Int?
    var page: PageTarget?
    var pageText: String?
    for word in w {
        if word.hasPrefix("at=") { at = Int(word.dropFirst(3)) } else {
            page = pageTarget(word, layout)
            pageText = word
        }
    }
    return SceneLanguage.Expectation(negated: negated, outcome: kind, page: page, pageText: pageText, atStep: at, location: here)
}

/// A scene from lines: each step is a list of operation lines (an empty list is a narration step).
func scene(_ pages: [PageDeclaration], pfns: ClosedRange<Int> = Layout.defaultPFNs, config: [String] = [],
           steps: [[String]], expect: [String] = [],
           variants: [(name: String, settings: [String], expect: [String])] = []) -> Scene {
    let layout = Layout(pages: pages, pfns: pfns)
    let built = steps.enumerated().map { n, ops in
        Step(title: "step \(n + 1)",
             operations: ops.enumerated().map { l, text in
                 OperationLine(operation: operation(text, layout), text: text,
                               location: SourceLocation(line: 10 * n + l + 2, column: 3))
             },
             location: SourceLocation(line: 10 * n + 1, column: 1))
    }
    return Scene(path: "test.scene", title: "test", config: config.map { setting($0) }, layout: layout, steps: built,
                 expectations: expect.map { expectation($0, layout) },
                 variants: variants.map { v in
                     Variant(name: v.name, title: v.name, settings: v.settings.map { setting($0) },
                             expectations: v.expect.map { expectation($0, layout) }, location: here)
                 })
}

/// The thread's GHCB scenario (one operation per step).
func ghcbScene(variants: [(name: String, settings: [String], expect: [String])] = [], config: [String] = []) -> Scene {
    scene([decl("ghcb", 0x10, .shared), decl("heap", 0x30, .unbacked)],
          config: ["upm on"] + config,
          steps: [["kvm map ghcb via=kmap"], ["guest psc ghcb private"], ["kvm exit ghcb"],
                  ["vmm convert ghcb private"], ["guest psc heap private"], ["kvm exit heap"],
                  ["vmm convert heap private"], ["kvm resume"], ["guest pvalidate heap on"], ["kvm write ghcb"]],
          variants: variants)
}

extension Trace {
    var kinds: [OutcomeKind] { outcomes.map(\.outcome.kind) }
}

/// The parts of a world that make its state, compared field by field.
func sameState(_ a: World, _ b: World) -> Bool {
    a.frames == b.frames && a.pages == b.pages && a.mappings == b.mappings && a.watermark == b.watermark
        && a.freed == b.freed && a.kernelObjects == b.kernelObjects
}
