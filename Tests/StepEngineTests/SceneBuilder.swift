import MemoryModel
import SceneLanguage
import StepEngine
import Testing
import TestSupport

// Test-only builders: scenes as Swift values (the parser lives elsewhere), with a tiny reader of
// operation lines ("kvm map ghcb via=kmap") into `Operation` values.

typealias Severity = MemoryModel.Severity

let here = SourceLocation(line: 1, column: 1)

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
    // Version 1 of the model unless a test names another kernel: these tests were written for it.
    let settings = (config.contains { $0.hasPrefix("kernel ") } ? [] : ["kernel thread"]) + config
    return Scene(path: "test.scene", title: "test", config: settings.map { setting($0) }, layout: layout, steps: built,
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
