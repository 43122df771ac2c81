import Export
import Foundation
import StepEngine
import Testing
import Viewer

/// A scene whose shape is known by heart: step 1 has 4 actions (a PSC of three pages and its
/// VMGEXIT), step 2 has 2, step 3 has 10 (PVALIDATE off, request, for b then each page of a, and a
/// VMGEXIT): 16 actions, the same in both variants.
let navigationScene = """
    title "Navigation"
    config kernel mainline
    pfns 0x100..0x10f
    page a gfn=0x10..0x12 shared
    page b gfn=0x20 shared
    step "Three pages"
      guest psc a private
    step "One page"
      guest psc b private
    step "Both"
      guest psc b shared
      guest psc a shared
    variant one "first"
    variant two "second"
    """

typealias Move = HTMLNavigation.Move

@Suite("html navigation table")
struct HTMLNavigationTests {
    let traces = sceneTraces(navigationScene)

    @Test("the test scene has the shape the expectations below assume")
    func shape() {
        #expect(traces.map(\.actionCount) == [16, 16])
        #expect(traces.map { $0.stepStart } == [[0, 4, 6], [0, 4, 6]])
    }

    /// Both variants, no cards: frames 0–15 are variant one's actions, 16–31 variant two's.
    var single: HTMLNavigation {
        HTMLNavigation(scenes: [HTMLScene(title: "Navigation", variants: traces.indices.map { RunFrames(traces: traces, variant: $0, width: 100, height: 30) })],
                       titleCards: false)
    }

    @Test("actions: next and previous move by one and stop at the ends of the run")
    func actions() {
        let nav = single
        #expect(nav.frames.count == 32)
        #expect(nav.start == 0)
        #expect(nav.frames[0].content == .action(run: 0, action: 0))
        #expect(nav.frames[16].content == .action(run: 1, action: 0))
        #expect(nav.target(.next, from: 0) == 1)
        #expect(nav.target(.next, from: 3) == 4)
        #expect(nav.target(.next, from: 15) == nil)
        #expect(nav.target(.previous, from: 0) == nil)
        #expect(nav.target(.previous, from: 4) == 3)
        #expect(nav.target(.next, from: 16) == 17)
        #expect(nav.target(.previous, from: 16) == nil)
        #expect(nav.target(.first, from: 5) == 0)
        #expect(nav.target(.first, from: 0) == nil)
        #expect(nav.target(.last, from: 5) == 15)
        #expect(nav.target(.last, from: 20) == 31)
    }

    @Test("steps: next step lands on the first action of the next step; previous step first goes back to the step's start")
    func steps() {
        let nav = single
        for f in 0...3 { #expect(nav.target(.nextStep, from: f) == 4, "from \(f)") }
        for f in 4...5 { #expect(nav.target(.nextStep, from: f) == 6, "from \(f)") }
        for f in 6...15 { #expect(nav.target(.nextStep, from: f) == nil, "from \(f): there is no step 4") }
        #expect(nav.target(.previousStep, from: 0) == nil)
        #expect(nav.target(.previousStep, from: 2) == 0)
        #expect(nav.target(.previousStep, from: 4) == 0)
        #expect(nav.target(.previousStep, from: 5) == 4)
        #expect(nav.target(.previousStep, from: 6) == 4)
        #expect(nav.target(.previousStep, from: 10) == 6)
        #expect(nav.target(.nextStep, from: 17) == 20)
        // "N Enter" goes to step N of the run shown.
        #expect(nav.step(1, from: 10) == 0)
        #expect(nav.step(2, from: 10) == 4)
        #expect(nav.step(3, from: 0) == 6)
        #expect(nav.step(4, from: 0) == nil)
        #expect(nav.step(2, from: 20) == 20)
        #expect(nav.step(1, from: 20) == 16)
        #expect(nav.runs.map(\.stepFrames) == [[0, 4, 6], [16, 20, 22]])
    }

    @Test("variants: v keeps the step and the offset in it; the switch lists every variant's frame")
    func variants() {
        let nav = single
        #expect(nav.target(.nextVariant, from: 5) == 21)
        #expect(nav.target(.previousVariant, from: 5) == 21)
        #expect(nav.target(.nextVariant, from: 21) == 5)
        #expect(nav.target(.nextVariant, from: 0) == 16)
        #expect(nav.frames[5].variants == [5, 21])
        #expect(nav.frames[31].variants == [15, 31])
        #expect(nav.runs.map(\.name) == ["one", "two"])
        #expect(nav.frames[5].label == "variant 1/2 one · step 2/3 · action 6/16")
        #expect(nav.frames[31].label == "variant 2/2 two · step 3/3 · action 16/16")
        // The scene opens at the variant asked for.
        let second = HTMLNavigation(scenes: [HTMLScene(title: "N", variants: traces.indices.map { RunFrames(traces: traces, variant: $0, width: 100, height: 30) },
                                                       start: 1)], titleCards: false)
        #expect(second.start == 16)
    }

    @Test("a deck: its card, each scene's card, the scene's frames; → at a scene's end goes to the next card")
    func deck() throws {
        let upm = builtinTraces("upm-basics")
        let nav = HTMLNavigation(scenes: [HTMLScene(title: "Navigation (one)", variants: [RunFrames(traces: traces, variant: 0, width: 100, height: 30)]),
                                          HTMLScene(title: "UPM", variants: [RunFrames(traces: upm, width: 100, height: 30)])],
                                 titleCards: true)
        let upmCount = try #require(upm.first?.actionCount)
        // 0 deck card, 1 card of scene 1, 2–17 its actions, 18 card of scene 2, 19… its actions.
        #expect(nav.frames.count == 19 + upmCount)
        #expect(nav.frames[0].content == .deckCard)
        #expect(nav.frames[1].content == .sceneCard(scene: 0))
        #expect(nav.frames[2].content == .action(run: 0, action: 0))
        #expect(nav.frames[18].content == .sceneCard(scene: 1))
        #expect(nav.frames[19].content == .action(run: 1, action: 0))
        #expect(nav.start == 0)
        #expect(nav.scenes.map(\.entry) == [1, 18])

        #expect(nav.target(.next, from: 0) == 1)
        #expect(nav.target(.previous, from: 0) == nil)
        #expect(nav.target(.nextScene, from: 0) == 1)
        #expect(nav.target(.next, from: 1) == 2)
        #expect(nav.target(.previous, from: 1) == 0)
        #expect(nav.target(.nextScene, from: 1) == 18)
        #expect(nav.target(.previousScene, from: 1) == nil)
        #expect(nav.target(.first, from: 1) == 2)
        #expect(nav.target(.last, from: 1) == 17)
        #expect(nav.step(2, from: 1) == 6)
        // Back from a scene's first action: its card; on from its last: the next scene's card.
        #expect(nav.target(.previous, from: 2) == 1)
        #expect(nav.target(.previousStep, from: 2) == 1)
        #expect(nav.target(.next, from: 17) == 18)
        #expect(nav.target(.nextStep, from: 17) == 18)
        #expect(nav.target(.nextStep, from: 8) == 18)
        #expect(nav.target(.previous, from: 17) == 16)
        #expect(nav.target(.nextScene, from: 5) == 18)
        #expect(nav.target(.previous, from: 18) == 17)
        #expect(nav.target(.previousStep, from: 18) == 17)
        #expect(nav.target(.next, from: 18) == 19)
        #expect(nav.target(.previous, from: 19) == 18)
        #expect(nav.target(.previousScene, from: 19) == 1)
        #expect(nav.target(.nextScene, from: 19) == nil)
        #expect(nav.target(.next, from: 18 + upmCount) == nil)
        // One run per scene: no variant switch.
        #expect(nav.frames.allSatisfy { $0.variants.isEmpty && $0[.nextVariant] == nil })
        #expect(nav.frames[0].label == "title")
        #expect(nav.frames[1].label == "scene 1/2 · title card")
        #expect(nav.frames[2].label == "scene 1/2 · step 1/3 · action 1/16")
        #expect(nav.frames[19].label == "scene 2/2 · step 1/\(upm[0].stepCount) · action 1/\(upmCount)")
    }

    @Test("a run that ends early: v into it and N Enter past its end land on its last action")
    func unreachedSteps() throws {
        let ghcb = builtinTraces("ghcb-upm")
        let keep = try #require(ghcb.firstIndex { $0.variant?.name == "keep" })
        let discard = try #require(ghcb.firstIndex { $0.variant?.name == "discard" })
        #expect(ghcb[discard].stepsRun < ghcb[discard].stepCount, "discard no longer ends early")
        let nav = HTMLNavigation(scenes: [HTMLScene(title: "GHCB", variants: ghcb.indices.map { RunFrames(traces: ghcb, variant: $0, width: 160, height: 45) })],
                                 titleCards: false)
        let lastStep = ghcb[keep].stepCount - 1
        let keepFrame = try #require(nav.frame(scene: 0, variant: keep, action: ghcb[keep].actions(ofStep: lastStep).lowerBound))
        let discardEnd = try #require(nav.frame(scene: 0, variant: discard, action: ghcb[discard].actionCount - 1))
        let forward = (discard - keep + ghcb.count) % ghcb.count
        if forward == 1 { #expect(nav.target(.nextVariant, from: keepFrame) == discardEnd) }
        #expect(nav.frames[keepFrame].variants[discard] == discardEnd)
        let discardStart = try #require(nav.frame(scene: 0, variant: discard, action: 0))
        #expect(nav.step(ghcb[discard].stepCount, from: discardStart) == discardEnd)
        #expect(nav.target(.nextStep, from: discardEnd) == nil)
    }

    @Test("every built-in scene: moves agree with the run's steps, read from the trace")
    func everyBuiltinScene() throws {
        for name in ["ghcb-upm", "no-upm-host-write", "pf-fixup", "kmap-guard", "upm-basics", "implicit-conversion", "psc-refused"] {
            let ts = builtinTraces(name)
            let nav = HTMLNavigation(scenes: [HTMLScene(title: name, variants: ts.indices.map { RunFrames(traces: ts, variant: $0, width: 160, height: 45) })],
                                     titleCards: false)
            #expect(nav.frames.count == ts.map(\.actionCount).reduce(0, +))
            for (v, t) in ts.enumerated() {
                for a in 0..<t.actionCount {
                    let f = try #require(nav.frame(scene: 0, variant: v, action: a))
                    let s = Int(t.records[a].step)
                    #expect(nav.target(.next, from: f) == (a + 1 < t.actionCount ? f + 1 : nil))
                    #expect(nav.target(.previous, from: f) == (a > 0 ? f - 1 : nil))
                    // Next step: the first action of step s+1 when the run reached it.
                    if s + 1 < t.stepsRun {
                        #expect(nav.target(.nextStep, from: f) == nav.frame(scene: 0, variant: v, action: t.stepStart[s + 1]), "\(name) \(v) \(a)")
                    }
                    let start = t.actions(ofStep: s).lowerBound
                    if a > start {
                        #expect(nav.target(.previousStep, from: f) == nav.frame(scene: 0, variant: v, action: start))
                    } else if s > 0 {
                        #expect(nav.target(.previousStep, from: f) == nav.frame(scene: 0, variant: v, action: t.actions(ofStep: s - 1).lowerBound))
                    }
                    // Each variant's frame: the same step and offset, clamped to the step, or the run's end.
                    for (w, u) in ts.enumerated() where ts.count > 1 {
                        let range = u.actions(ofStep: s)
                        let expected = range.isEmpty ? u.actionCount - 1 : min(range.lowerBound + (a - start), range.upperBound - 1)
                        #expect(nav.frames[f].variants[w] == nav.frame(scene: 0, variant: w, action: expected), "\(name) \(v)→\(w) at \(a)")
                    }
                }
            }
        }
    }

    @Test("the table in the page is the table computed here")
    func json() throws {
        let nav = single
        let object = try #require(try JSONSerialization.jsonObject(with: Data(nav.json.utf8)) as? [String: Any])
        #expect(object["start"] as? Int == 0)
        let frames = try #require(object["frames"] as? [[String: Any]])
        #expect(frames.count == nav.frames.count)
        for (i, f) in nav.frames.enumerated() {
            for m in Move.allCases { #expect(frames[i][m.rawValue] as? Int == f[m], "frame \(i) move \(m)") }
            #expect(frames[i]["t"] as? String == f.label)
            #expect(frames[i]["r"] as? Int == f.run)
            #expect((frames[i]["vs"] as? [Int] ?? []) == f.variants)
        }
        #expect(frames[5]["ns"] as? Int == 6)
        let runs = try #require(object["runs"] as? [[String: Any]])
        #expect(runs.compactMap { $0["steps"] as? [Int] } == [[0, 4, 6], [16, 20, 22]])
        // The document carries exactly this table.
        let html = HTMLExport.document(title: "N", scenes: [HTMLScene(title: "Navigation", variants: traces.indices.map {
            RunFrames(traces: traces, variant: $0, width: 100, height: 30)
        })], theme: darkTheme)
        #expect(html.contains("<script type=\"application/json\" id=\"nav\">" + nav.json + "</script>"))
    }
}
