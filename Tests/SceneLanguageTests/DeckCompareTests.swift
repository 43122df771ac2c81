// `scene PATH [variant=NAME] compare=SIDE` deck entries (issue 11): the side is kept as written
// (it is read against the scene once the scene is loaded), with where its value is.
import MemoryModel
import Testing
@testable import SceneLanguage

@Suite struct DeckCompareTests {
    @Test func compareIsKeptAsWrittenWithItsLocation() throws {
        let text = """
            title "t"
            scene ghcb-upm.scene variant=discard compare=mainline
            scene ghcb-upm.scene compare=kernel=mainline,allocator=lowest variant=keep
            scene ghcb-upm.scene variant=keep
            explore ghcb-race.scene over=kernel
            """
        guard case .success(let deck) = parseDeck(text, path: "talk.deck") else {
            Issue.record("deck refused")
            return
        }
        #expect(deck.entries.map(\.compare) == ["mainline", "kernel=mainline,allocator=lowest", nil, nil])
        #expect(deck.entries.map(\.variant) == ["discard", "keep", "keep", nil])
        // The value's place: line 2, column 46 ("scene " 6 + "ghcb-upm.scene " 15 + "variant=discard " 16 + "compare=" 8).
        let first = try #require(deck.entries[0].compareLocation)
        #expect(first.line == 2 && first.column == 46, "\(first)")
        #expect(first.length == "mainline".count)
        let second = try #require(deck.entries[1].compareLocation)
        #expect(second.line == 3 && second.column == 30, "\(second)")
        #expect(second.length == "kernel=mainline,allocator=lowest".count)
        #expect(deck.entries[2].compareLocation == nil && deck.entries[3].compareLocation == nil)
        // The scene's own location is unchanged by compare=.
        #expect(deck.entries[0].location == SourceLocation(line: 2, column: 7, length: 14))
    }

    @Test(arguments: [
        // explore takes variant= and over=, not compare=: the message lists what it takes.
        ("explore ghcb-race.scene compare=keep", 1, 25, ["unknown option 'compare'", "'explore' takes variant=, over="]),
        ("explore ghcb-race.scene compair=keep", 1, 25, ["unknown option 'compair'", "'explore' takes variant=, over="]),
        ("scene ghcb-upm.scene compair=keep", 1, 22, ["unknown option 'compair'; did you mean 'compare'?", "'scene' takes variant=, compare="]),
        ("scene a.scene compare=keep compare=discard", 1, 36, ["option 'compare' given twice"]),
        ("scene a.scene compare=", 1, 23, ["compare= needs a variant's name or KEY=VALUE settings"]),
        ("title \"t\"\nscene a.scene\nscene b.scene variant=keep compare=", 3, 36, ["compare= needs a variant's name or KEY=VALUE settings"]),
    ])
    func compareErrors(text: String, line: Int, column: Int, words: [String]) throws {
        guard case .failure(let d) = parseDeck(text, path: "talk.deck") else {
            Issue.record("deck accepted: \(text)")
            return
        }
        #expect(d.count == 1, "\(d.map(\.message))")
        let first = try #require(d.first)
        for w in words { #expect(first.message.contains(w), "'\(first.message)' lacks '\(w)'") }
        #expect(first.location.line == line, "\(first.location)")
        #expect(first.location.column == column, "\(first.location)")
    }

    /// A refused entry is left out whole: the deck is refused, not presented without the comparison.
    @Test func aBadCompareRefusesTheDeck() {
        let text = "scene a.scene compare=keep\nscene a.scene compare=keep compare=keep\n"
        guard case .failure(let d) = parseDeck(text, path: "talk.deck") else {
            Issue.record("deck accepted")
            return
        }
        #expect(d.map(\.location.line) == [2])
    }
}
