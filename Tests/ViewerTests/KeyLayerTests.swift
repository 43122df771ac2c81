import Screen
import Testing
import TestSupport
import Viewer

/// The presenter's key map laid over the viewer's: dispatch, help and footer read the layers.
@Suite struct KeyLayerTests {
    @Test func thePresentersHelpListsItsKeysAndWhatPgDnDoesThere() throws {
        var p = try Talk.presenter()
        p.handle(.pageDown, now: 0)
        p.handle(.char("?"), now: 0)
        let text = p.render(now: 0).text
        for b in PresenterKeyMap.bindings { #expect(text.contains(b.help), "help lists '\(b.help)'") }
        let pgdn = try #require(text.components(separatedBy: "\n").first { $0.contains("PgDn") })
        #expect(pgdn.contains("next action (a remote's PgDn)"), "PgDn is the presenter's next action: \(pgdn)")
        #expect(!text.contains("PgDn ]"), "the viewer's 'PgDn ] next step' loses PgDn under the layer")
        #expect(text.contains("] ") && text.contains("next step"), "] still means next step")
    }

    @Test func theLayerTakesKeysFromTheViewersBindings() {
        let legend = KeyMap.legend(under: PresenterKeyMap.legend)
        let step = legend.first { $0.help == "next step" }
        #expect(step?.keys == [.char("]")], "PgDn went to the presenter's layer")
        #expect(step?.footer == nil, "a footer label naming a key the layer took is dropped")
        #expect(legend.prefix(PresenterKeyMap.bindings.count).map(\.help) == PresenterKeyMap.bindings.map(\.help))
        #expect(KeyMap.legend(under: []).count == KeyMap.bindings.count)
    }

    @Test(arguments: [80, 100, 120, 160])
    func theFooterKeepsHelpToTheLast(width: Int) throws {
        let s = try Fixture.state("ghcb-upm", width: width, height: 30)
        let footer = try #require(s.render().text.components(separatedBy: "\n").last)
        #expect(footer.contains("? help"), "at \(width) columns: \(footer)")
        if width >= 120 { #expect(footer.contains("→ next")) }
    }

    @Test func f1OpensHelpAndOHidesTheBanner() throws {
        var s = try Fixture.state("ghcb-upm", width: 160, height: 45)
        s.handle(.function(1))
        #expect(s.mode == .help(scroll: 0))
        s.handle(.escape)
        while s.trace.ending.raised?.outcome.fault == nil { s.handle(.char("v")) }
        s.handle(.char("G"))
        #expect(s.render().text.contains("Kernel panic"))
        s.handle(.char("o"))
        #expect(!s.render().text.contains("Kernel panic"), "o hides the oops")
        s.handle(.char("o"))
        #expect(s.render().text.contains("Kernel panic"), "and shows it again")
        s.handle(.escape)
        #expect(!s.render().text.contains("Kernel panic"), "Esc over the banner hides it")
        s.handle(.left)
        s.handle(.right)
        #expect(s.render().text.contains("Kernel panic"), "coming back to the last action shows it again")
    }

    @Test func theSceneListJumpsToSceneN() throws {
        var p = try Talk.presenter()
        p.handle(.char("S"), now: 0)
        #expect(p.showSceneList)
        #expect(p.render(now: 0).text.contains("1  "))
        p.handle(.char("3"), now: 0)
        p.handle(.enter, now: 0)
        #expect(!p.showSceneList && p.current == 2 && p.onCard)
        p.handle(.char("S"), now: 0)
        p.handle(.char("9"), now: 0)
        p.handle(.char("9"), now: 0)
        p.handle(.enter, now: 0)
        #expect(p.current == 2, "no scene 99: nothing moves")
    }
}

/// The narration's measure follows the step, the variant and the width: a state that got somewhere
/// by keys lays out like one opened there.
@Test(arguments: [(100, 30), (120, 35), (80, 23)])
func theLayoutFollowsTheStepAndTheSize(width: Int, height: Int) throws {
    var moved = try Fixture.state("ghcb-upm", width: 160, height: 45)
    moved.handle(.char("v"))
    moved.handle(.char("G"))
    moved.handle(.resize(width: width, height: height))
    var fresh = try Fixture.state("ghcb-upm", variant: 1, width: width, height: height)
    fresh.jump(to: fresh.trace.actionCount - 1)
    #expect(moved.layout.narration == fresh.layout.narration, "at \(width)×\(height)")
    #expect(moved.render().text == fresh.render().text)
    // Each step of the run lays out as its own measure says, whichever way it was reached.
    var back = fresh
    back.handle(.char("g"))
    var first = try Fixture.state("ghcb-upm", variant: 1, width: width, height: height)
    first.jump(to: 0)
    #expect(back.layout.narration == first.layout.narration)
}
