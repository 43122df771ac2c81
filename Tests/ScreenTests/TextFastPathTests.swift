@testable import Screen
import TestSupport
import Testing

/// The fast paths over mixed text (ASCII with a symbol here and there) must give what the slow,
/// character-by-character definitions give, on text built to find their edges: combining marks
/// after ASCII letters and spaces, CR LF, controls, a prepended mark, emoji sequences.
@Suite struct TextFastPathTests {
    static let pieces = [
        "a", "b", "Z", " ", "  ", "e\u{301}", " \u{301}", "\u{301}", "\r\n", "\r", "\n", "\t", "\u{1B}[2J",
        "\u{0600}1", "漢", "🙂", "👨\u{200D}👩", "▶", "·", "…", "\u{200B}", "x\u{20D0}\u{20D1}", "\u{7F}", "\u{85}", "─\u{301}", "·\u{308}", "┐", "↵",
    ]

    static func randomTexts(count: Int) -> [String] {
        var random = SeededRandom(state: 7)
        return (0..<count).map { _ in
            (0..<Int.random(in: 0...12, using: &random)).map { _ in pieces.randomElement(using: &random) ?? "" }.joined()
        }
    }

    @Test func glyphsAreThoseOfEachCharacter() {
        for text in Self.randomTexts(count: 3000) {
            let slow = text.compactMap(TextWidth.glyph(for:))
            #expect(TextWidth.glyphs(text) == slow, "\(text.unicodeScalars.map { String($0.value, radix: 16) })")
            #expect(TextWidth.width(of: text) == slow.reduce(0) { $0 + $1.width })
        }
    }

    @Test func stoppingEarlyStops() {
        var seen: [String] = []
        TextWidth.forEachGlyph(in: "ab▶cd") { seen.append($0.text); return seen.count < 3 }
        #expect(seen == ["a", "b", "▶"])
    }

    @Test func wordsAreThoseOfSplittingAtSpaceCharacters() {
        for text in Self.randomTexts(count: 3000) {
            #expect(TextBox.words(text) == text.split(separator: " "), "\(text.unicodeScalars.map { String($0.value, radix: 16) })")
        }
        // A space that a combining mark joins is not a separator.
        #expect(TextBox.words("a \u{301}b c") == ["a \u{301}b", "c"])
    }

    @Test func putPlacesWhatTheCharactersGive() {
        for text in Self.randomTexts(count: 500) {
            var grid = Grid(width: 40, height: 1)
            let used = grid.put(text, x: 0, y: 0)
            let glyphs = text.compactMap(TextWidth.glyph(for:))
            var expected = ""
            var column = 0
            for g in glyphs {
                if column + g.width > 40 { expected += column < 40 ? "?" : ""; column += column < 40 ? 1 : 0; break }
                expected += g.text
                column += g.width
            }
            #expect(used == column)
            #expect(grid.rowText(0) == String(expected.reversed().drop(while: { $0 == " " }).reversed()))
        }
    }
}
