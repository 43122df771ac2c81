// The FIGlet font of title cards and the colour themes, from the files built into the binary.
import BuiltinAssets
@testable import Screen
import TestSupport
import Testing

@Suite struct FigletFontTests {
    static func font(sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> FigletFont {
        try #require(FigletFont(BuiltinAssets.titleFont), "assets/fonts/small.flf does not parse", sourceLocation: sourceLocation)
    }

    @Test func parsesTheBuiltinSmallFont() throws {
        let font = try Self.font()
        // The header of small.flf: "flf2a$ 5 4 13 15 10 0 …": five rows a character.
        #expect(font.height == 5)
    }

    @Test func refusesWhatIsNotAFont() {
        #expect(FigletFont("") == nil)
        #expect(FigletFont("hello\nworld\n") == nil)
        // A valid header but no glyphs.
        #expect(FigletFont("flf2a$ 5 4 13 15 0 0\n") == nil)
    }

    @Test func rendersALetterWithTheFontsHeight() throws {
        let font = try Self.font()
        let rows = font.render("A")
        #expect(rows.count == font.height)
        #expect(rows.contains { $0.contains { $0 != " " } }, "'A' drew nothing: \(rows)")
        // End marks ('@') and hardblanks ('$') never reach the screen.
        for row in rows {
            #expect(!row.contains("@"), "end mark left in \(rows)")
            #expect(!row.contains("$"), "hardblank left in \(rows)")
        }
        // Each character draws differently.
        #expect(font.render("A") != font.render("B"))
    }

    @Test func kerningMovesLettersTogether() throws {
        let font = try Self.font()
        let one = font.width(of: "I")
        #expect(one > 0)
        #expect(font.width(of: "II") < 2 * one, "no kerning: 'II' is \(font.width(of: "II")) wide, 'I' is \(one)")
        // Kerning never lets letters overlap into one: two I are wider than one.
        #expect(font.width(of: "II") > one)
        // All rows of a rendered word keep the same glyph order: the two I are still both visible.
        let rows = font.render("II")
        #expect(rows.count == font.height)
    }

    /// A space is a glyph of hardblanks: it must keep words apart, not be kerned away.
    @Test func aSpaceKeepsWordsApart() throws {
        let font = try Self.font()
        #expect(font.width(of: " ") > 0)
        #expect(font.width(of: "I I") > font.width(of: "II"),
                "the space between words vanished: 'I I' renders as\n\(font.render("I I").joined(separator: "\n"))")
        #expect(font.render("UPM basics") != font.render("UPMbasics"))
    }

    @Test func wrapSplitsLongTextIntoLinesThatFit() throws {
        let font = try Self.font()
        let text = "UPM basics there and back again"
        let width = font.width(of: "UPM basics") + 2
        #expect(font.width(of: text) > width, "the test text must be too wide for one line")
        let blocks = try #require(font.wrap(text, width: width))
        #expect(blocks.count >= 3, "expected several lines, got \(blocks.count)")
        for block in blocks {
            #expect(block.count == font.height)
            for row in block { #expect(row.count <= width, "a wrapped row is \(row.count) wide, more than \(width): '\(row)'") }
        }
        // Nothing is lost: the lines are the words, in order.
        let expected = ["UPM basics", "there and", "back again"]
        if blocks.count == 3 {
            for (block, line) in zip(blocks, expected) where font.width(of: line) <= width {
                #expect(block == font.render(line), "line '\(line)' is not where expected")
            }
        }
        // Text that fits stays on one line.
        #expect(font.wrap("UPM", width: 80)?.count == 1)
    }

    @Test func wrapGivesNilForAWordWiderThanTheWidth() throws {
        let font = try Self.font()
        let word = "Supercalifragilistic"
        #expect(font.width(of: word) > 30)
        #expect(font.wrap(word, width: 30) == nil)
        #expect(font.wrap("a " + word + " b", width: 30) == nil)
    }

    @Test func nonASCIIIsDrawnAsAQuestionMark() throws {
        let font = try Self.font()
        #expect(font.render("é") == font.render("?"))
        #expect(font.render("→") == font.render("?"))
        #expect(font.render("aé") == font.render("a?"))
        #expect(font.render("é") != font.render("e"))
    }
}

@Suite struct ThemeTests {
    static func parse(_ text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> Theme? {
        switch Theme.parse(text) {
        case .success(let t): return t
        case .failure(let e):
            Issue.record("line \(e.line): \(e.message)", sourceLocation: sourceLocation)
            return nil
        }
    }

    static func error(_ text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> Theme.ParseError? {
        switch Theme.parse(text) {
        case .success(let t):
            Issue.record("parsed as theme '\(t.name)', expected an error", sourceLocation: sourceLocation)
            return nil
        case .failure(let e): return e
        }
    }

    @Test func everyBuiltinThemeParsesWithItsName() throws {
        #expect(Set(BuiltinAssets.themes.keys) == ["dark", "light", "projector"])
        for name in BuiltinAssets.themes.keys.sorted() {
            let text = try #require(BuiltinAssets.theme(named: name))
            let theme = try #require(Self.parse(text), "theme \(name)")
            #expect(theme.name == name)
            #expect(theme.foreground != theme.background, "theme \(name): text in the background colour")
            #expect(!theme.roles.isEmpty, "theme \(name) colours no role")
        }
        #expect(BuiltinAssets.theme(named: "nope") == nil)
    }

    @Test func darkAndLightDiffer() throws {
        let darkText = try #require(BuiltinAssets.theme(named: "dark"))
        let lightText = try #require(BuiltinAssets.theme(named: "light"))
        let dark = try #require(Self.parse(darkText))
        let light = try #require(Self.parse(lightText))
        #expect(dark.background != light.background)
    }

    @Test func readsColoursRolesAndComments() throws {
        let theme = try #require(Self.parse("""
            # a comment
            name    mine   # trailing comment
            foreground #112233
            background #445566

            title   #ff0000 default
            fatal   default #00ff00
            """))
        #expect(theme.name == "mine")
        #expect(theme.foreground == RGB(0x11, 0x22, 0x33))
        #expect(theme.background == RGB(0x44, 0x55, 0x66))
        #expect(theme.roles[.title] == Theme.Colors(fg: RGB(255, 0, 0), bg: nil))
        #expect(theme.roles[.fatal] == Theme.Colors(fg: nil, bg: RGB(0, 255, 0)))
        #expect(theme.roles[.normal] == nil)
    }

    @Test func anUnknownRoleGivesItsLine() throws {
        let e = try #require(Self.error("name x\n\nfrobnicate #ffffff default\n"))
        #expect(e.line == 3)
        #expect(e.message.contains("unknown role 'frobnicate'"), "\(e.message)")
        #expect(e.message.contains("changed"), "the message lists the roles: \(e.message)")
    }

    @Test func aBadColourGivesItsLine() throws {
        let e = try #require(Self.error("name x\ntitle red default\n"))
        #expect(e.line == 2)
        #expect(e.message.contains("#rrggbb"), "\(e.message)")
        let e2 = try #require(Self.error("name x\nforeground #12345z\nbackground #000000\n"))
        #expect(e2.line == 2)
        let e3 = try #require(Self.error("name x\nbackground #000000\nfatal #ffffff #12\n"))
        #expect(e3.line == 3)
    }

    @Test func errorsPointAtTheirWordInCharacters() throws {
        let text = "name x\ntitle  red   default\né  #ffffff #000000\nfatal #+fffff default\ndim ré ré2"
        let all = try #require({ if case .failure(let e) = Theme.parseAll(text) { return e.all } else { return nil } }())
        #expect(all.map(\.line) == [2, 3, 4, 5, 5])
        // Two spaces before the colour: column 8; after "é" (two bytes, one character) column 1.
        #expect(all[0].column == 8 && all[0].length == 3)
        #expect(all[1].column == 1 && all[1].length == 1)
        // "#" and six characters that are not all hex digits (a sign here) are no colour but a
        // comment, so the line misses its colours, at column 6.
        #expect(all[2].column == 6)
        // After a word with "é", columns still count characters: "ré2" starts at column 8.
        #expect(all[3].column == 5 && all[4].column == 8 && all[4].length == 3)
        #expect(Theme.color("#0aF9e1") == RGB(0x0a, 0xf9, 0xe1))
        #expect(Theme.color("#0aF9e") == nil && Theme.color("0aF9e12") == nil && Theme.color("#+0aF9e") == nil)
    }

    @Test func missingValuesGiveTheLine() throws {
        let e = try #require(Self.error("name x\ntitle #ffffff\n"))
        #expect(e.line == 2)
        #expect(e.message.contains("title FOREGROUND BACKGROUND"), "\(e.message)")
        let e2 = try #require(Self.error("# theme\nname\n"))
        #expect(e2.line == 2)
        #expect(e2.message.contains("name NAME"), "\(e2.message)")
        let e3 = try #require(Self.error("name x\n\n\nforeground\n"))
        #expect(e3.line == 4)
        #expect(e3.message.contains("foreground #rrggbb"), "\(e3.message)")
    }

    @Test func xterm256PicksTheNearestPaletteColour() {
        #expect(RGB(255, 0, 0).xterm256 == 196)
        #expect(RGB(0, 0, 0).xterm256 == 16)
        #expect(RGB(255, 255, 255).xterm256 == 231)
        #expect(RGB(0, 0, 255).xterm256 == 21)
        #expect(RGB(0x87, 0xd7, 0xff).xterm256 == 117)
        for grey: UInt8 in [40, 100, 128, 200] {
            let c = RGB(grey, grey, grey).xterm256
            #expect((232...255).contains(c), "grey \(grey) → \(c), not on the grey ramp")
        }
        #expect(RGB(128, 128, 128).xterm256 == 244)
    }

    @Test func basic8PicksTheNearestBasicColour() {
        #expect(RGB(255, 0, 0).basic8 == 1)
        #expect(RGB(0, 255, 0).basic8 == 2)
        #expect(RGB(0, 0, 255).basic8 == 4)
        #expect(RGB(0, 0, 0).basic8 == 0)
        #expect(RGB(255, 255, 255).basic8 == 7)
        #expect(RGB(0xaf, 0, 0).basic8 == 1)
    }

    @Test func hexWritesTwoDigitsAColour() {
        #expect(RGB(0x0a, 0xff, 0x00).hex == "#0aff00")
    }

    @Test func resolvedSwapsColoursForReverse() {
        let fg = RGB(1, 2, 3), bg = RGB(4, 5, 6), a = RGB(200, 0, 0), b = RGB(0, 0, 200)
        let theme = Theme(name: "t", foreground: fg, background: bg,
                          roles: [.title: Theme.Colors(fg: a), .fatal: Theme.Colors(fg: a, bg: b)])
        let title = theme.resolved(Style(.title, attributes: [.bold]))
        #expect(title.fg == a && title.bg == bg)
        let reversedTitle = theme.resolved(Style(.title, attributes: [.reverse]))
        #expect(reversedTitle.fg == bg && reversedTitle.bg == a)
        // fatal is bold and reverse by default: its colours come out swapped.
        let fatal = theme.resolved(Style(.fatal))
        #expect(fatal.fg == b && fatal.bg == a)
        let normal = theme.resolved(Style(.normal, attributes: []))
        #expect(normal.fg == fg && normal.bg == bg)
        let normalReversed = theme.resolved(Style(.normal, attributes: [.reverse]))
        #expect(normalReversed.fg == bg && normalReversed.bg == fg)
    }
}
