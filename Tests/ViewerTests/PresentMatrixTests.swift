import BuiltinScenes
import SceneLanguage
import StepEngine
import Testing
import Viewer

/// A deck's `explore` entry in `present`: its title card, then the matrix; remote keys move on,
/// the others act on the table.
@Suite struct PresentMatrixTests {
    static func presenter() throws -> PresenterState {
        let deck = """
            title "t"
            scene ghcb-upm variant=keep
            explore ghcb-race variant=thread over=kernel
            """
        guard case .success(let d) = parseDeck(deck, path: "t.deck"), d.entries.count == 2 else { throw Failed() }
        #expect(d.entries[1].explore == [.kernel])
        #expect(d.entries[0].explore == nil)
        var entries: [PresentEntry] = []
        for e in d.entries {
            let file = try #require(BuiltinScenes.named(e.reference))
            guard case .success(let scene) = parseScene(bytes: file.bytes, path: file.fileName) else { throw Failed() }
            let traces = Engine.runAll(scene)
            let v = e.variant.flatMap { name in traces.firstIndex { $0.variant?.name == name } } ?? 0
            entries.append(PresentEntry(traces: traces, variant: v,
                                        exploration: e.explore.map { Exploration.run(scene, variant: v, over: $0) }))
        }
        return try #require(PresenterState(entries: entries, font: nil, width: 160, height: 45, now: 0))
    }
    struct Failed: Error {}

    @Test func theMatrixFollowsItsTitleCardAndTheRemoteMovesOn() throws {
        var p = try Self.presenter()
        p.handle(.char("}"), now: 1)
        #expect(p.onCard)
        p.handle(.pageDown, now: 2)
        #expect(!p.onCard)
        let text = p.render(now: 3).text
        #expect(text.contains("row  kernel") && text.contains("sometimes (4/90)"), "the matrix is on screen")
        p.handle(.down, now: 4)
        #expect(p.matrix?.row == 1, "arrows move through the cells")
        p.handle(.up, now: 4)
        p.handle(.enter, now: 5)
        #expect(p.matrix?.witness != nil, "Enter opens the witness")
        #expect(p.render(now: 6).text.contains("RMP table"))
        p.handle(.escape, now: 7)
        #expect(p.matrix?.witness == nil)
        p.handle(.pageUp, now: 8)
        #expect(p.onCard, "PgUp goes back to the entry's title card")
        p.handle(.char("{"), now: 9)
        #expect(p.matrix == nil, "a scene entry has no matrix")
    }

    /// K on a matrix entry's title card re-runs its scene; the entry keeps its matrix.
    @Test func theKernelKeyKeepsAnEntrysMatrix() throws {
        var p = try Self.presenter()
        p.handle(.char("}"), now: 1)
        p.handle(.char("K"), now: 2)
        p.handle(.char("{"), now: 3)
        p.handle(.char("}"), now: 4)
        #expect(p.matrix != nil, "coming back to the entry shows its matrix")
    }
}
