import BuiltinScenes
import MemoryModel
import SceneLanguage
import Screen
import StepEngine
import Testing
import Viewer

/// The explore matrix in the terminal: moving, help from its key map, a witness opened in the
/// viewer and Esc back.
@Suite struct ExploreViewTests {
    static func state(width: Int = 120, height: Int = 35) throws -> ExploreState {
        let file = try #require(BuiltinScenes.named("ghcb-race"))
        guard case .success(let scene) = parseScene(bytes: file.bytes, path: "scenes/ghcb-race.scene") else {
            throw Failed()
        }
        let e = Exploration.run(scene, variant: 0, over: [.kernel, .discardOnConvert])
        return ExploreState(exploration: e, path: scene.path, width: width, height: height)
    }
    struct Failed: Error {}

    @Test func theMatrixShowsEveryRowAndCell() throws {
        let s = try Self.state()
        let lines = s.render().text.components(separatedBy: "\n")
        #expect(lines[0].contains("90 interleavings a row"))
        let header = try #require(lines.first { $0.hasPrefix("row  kernel") })
        #expect(header.contains("host-panic"), "the most severe outcome comes first: \(header)")
        let row1 = try #require(lines.first { $0.hasPrefix("1    thread    on") })
        #expect(row1.contains("sometimes (4/90)"), "\(row1)")
        #expect(lines.contains { $0.hasPrefix("3    v5") && $0.contains("invalid") })
        #expect(lines.contains { $0.contains("host-panic in 4 of 90 interleavings") }, "the selected cell in words")
    }

    @Test func theSelectedCellIsReverseVideoAndMoves() throws {
        var s = try Self.state()
        func selected(_ s: ExploreState) -> String {
            let g = s.render()
            var out = ""
            for y in 0..<g.height { for x in 0..<g.width where g[x, y].style.role == .selected { out += g[x, y].text } }
            return out
        }
        #expect(selected(s) == "sometimes (4/90)")
        s.handle(.down)
        #expect(s.row == 1 && selected(s) == "never")
        s.handle(.right)
        #expect(s.column == 1)
        s.handle(.char("G"))
        #expect(s.row == s.exploration.rows.count - 1)
        s.handle(.char("g"))
        #expect(s.row == 0)
        s.handle(.up)
        #expect(s.row == 0, "no row above the first")
    }

    @Test func enterOpensTheWitnessAndEscComesBack() throws {
        var s = try Self.state()
        s.handle(.enter)
        let w = try #require(s.witness)
        #expect(w.trace.config.kernel == .thread)
        #expect(w.trace.ending.description == "host-panic", "the witness of host-panic ends in it")
        #expect(s.render().text.contains("RMP table"))
        s.handle(.char("G"))
        #expect(s.witness?.index == w.trace.actionCount - 1, "keys step the witness")
        s.handle(.escape)
        #expect(s.witness == nil)
        #expect(s.render().text.contains("row  kernel"))
    }

    @Test func anInvalidRowOrANeverCellSaysWhyNothingOpens() throws {
        var s = try Self.state()
        s.handle(.down)
        s.handle(.enter)
        #expect(s.witness == nil)
        #expect(s.message?.contains("no interleaving of row 2 raises host-panic") == true)
        s.handle(.down)
        s.handle(.enter)
        #expect(s.witness == nil)
        #expect(s.message?.contains("row 3 is invalid") == true)
    }

    @Test func helpComesFromTheKeyMap() throws {
        var s = try Self.state()
        s.handle(.char("?"))
        let text = s.render().text
        for b in ExploreKeyMap.bindings { #expect(text.contains(b.help), "help lists '\(b.help)'") }
        s.handle(.escape)
        #expect(!s.showHelp)
        #expect(s.render().text.components(separatedBy: "\n").last?.contains("Enter witness") == true, "the footer")
        s.handle(.char("q"))
        #expect(s.quit)
    }
}
