import MemoryModel
import Testing
@testable import SceneLanguage

@Test(arguments: Samples.all)
func roundTrip(text: String) throws {
    let scene = try parsed(text)
    let written = formatScene(scene)
    let again = try parsed(written, path: "t.scene")
    #expect(again.withoutLocations == scene.withoutLocations)
    #expect(formatScene(again) == written)
}

@Test func writerSpellsOperationsWithoutText() throws {
    let scene = try parsed(Samples.noUPM)
    var stripped = scene
    for s in stripped.steps.indices {
        for o in stripped.steps[s].operations.indices { stripped.steps[s].operations[o].text = "" }
    }
    let again = try parsed(formatScene(stripped))
    #expect(again.steps.map { $0.operations.map(\.operation) } == scene.steps.map { $0.operations.map(\.operation) })
    #expect(formatOperation(scene.steps[2].operations[0].operation, layout: scene.layout) == "host map data[0..1] via=pin")
    #expect(formatOperation(.vmmAccess(.guest(page: 0, indices: 0...7), write: false), layout: scene.layout) == "vmm read data")
}

@Test func writerEscapesStrings() {
    #expect(escapedString("a\"b\\c\nd\te\u{1B}") == #""a\"b\\c\nd\te""#)
}

@Test func deckParses() throws {
    let text = """
        # a talk
        title "SNP and private memory: what can go wrong"
        scene no-upm-host-write.scene
        scene ../more/ghcb-upm.scene variant=keep   # the first ending
        scene "with space.scene" variant=discard
        """
    guard case .success(let deck) = parseDeck(text, path: "talk.deck") else {
        Issue.record("deck refused")
        return
    }
    #expect(deck.title == "SNP and private memory: what can go wrong")
    #expect(deck.entries.map(\.reference) == ["no-upm-host-write.scene", "../more/ghcb-upm.scene", "with space.scene"])
    #expect(deck.entries.map(\.variant) == [nil, "keep", "discard"])
    #expect(deck.entries[1].location == SourceLocation(line: 4, column: 7, length: 22))
}

@Test(arguments: [
    ("scene a.scene\nscnee b.scene", 2, 1, "unknown deck statement 'scnee'; did you mean 'scene'?"),
    ("scene a.scene varaint=x", 1, 15, "unknown option 'varaint'; did you mean 'variant'?"),
    ("title \"a\"\ntitle \"b\"\nscene a.scene", 2, 1, "'title' given twice"),
    ("title \"a\"", 1, 1, "the deck lists no scenes"),
    ("scene", 1, 6, "'scene' needs a scene file"),
    ("scene a.scene b.scene", 1, 15, "unexpected 'b.scene'"),
    ("scene a.scene variant=9x", 1, 23, "invalid variant name '9x'"),
    ("title \"a\u{1B}\"\nscene a.scene", 1, 9, "control character U+001B"),
])
func deckErrors(text: String, line: Int, column: Int, words: String) throws {
    guard case .failure(let d) = parseDeck(text, path: "talk.deck") else {
        Issue.record("deck accepted")
        return
    }
    #expect(d.count == 1)
    let first = try #require(d.first)
    #expect(first.message.contains(words), "\(first.message)")
    #expect(first.location.line == line)
    #expect(first.location.column == column)
}

@Test func emptyDeckIsOneError() {
    guard case .failure(let d) = parseDeck(bytes: [], path: "x.deck") else {
        Issue.record("accepted")
        return
    }
    #expect(d.map(\.message) == ["the file is empty"])
}
