/// A 24-bit colour, as themes write it (`#rrggbb`).
public struct RGB: Hashable, Sendable {
    public var r, g, b: UInt8
    public init(_ r: UInt8, _ g: UInt8, _ b: UInt8) {
        self.r = r
        self.g = g
        self.b = b
    }

    public var hex: String {
        "#" + [r, g, b].map { v in (v < 16 ? "0" : "") + String(v, radix: 16) }.joined()
    }

    /// The nearest colour of the xterm-256 palette (the 6×6×6 cube or the grey ramp).
    public var xterm256: UInt8 {
        let levels = [0, 95, 135, 175, 215, 255]
        func nearestLevel(_ v: UInt8) -> Int {
            levels.indices.min { abs(levels[$0] - Int(v)) < abs(levels[$1] - Int(v)) } ?? 0
        }
        let (ri, gi, bi) = (nearestLevel(r), nearestLevel(g), nearestLevel(b))
        let cube = (levels[ri], levels[gi], levels[bi])
        let grey = min(23, max(0, (Int(r) + Int(g) + Int(b)) / 3 - 3) / 10)
        let greyValue = 8 + grey * 10
        func distance(_ c: (Int, Int, Int)) -> Int {
            let d = (c.0 - Int(r), c.1 - Int(g), c.2 - Int(b))
            return d.0 * d.0 + d.1 * d.1 + d.2 * d.2
        }
        if distance((greyValue, greyValue, greyValue)) < distance(cube) { return UInt8(232 + grey) }
        return UInt8(16 + 36 * ri + 6 * gi + bi)
    }

    /// The nearest of the eight basic terminal colours (black, red, green, yellow, blue, magenta, cyan, white).
    public var basic8: UInt8 {
        let bright = (Int(r) + Int(g) + Int(b)) / 3
        let on = [r, g, b].map { Int($0) > max(64, bright - 30) }
        let index = (on[0] ? 1 : 0) | (on[1] ? 2 : 0) | (on[2] ? 4 : 0)
        return UInt8(index == 0 && bright > 100 ? 7 : index)
    }
}

/// Colours for every style role. The roles' attributes (bold, reverse…) carry the meaning; a theme
/// only colours it, so a monochrome terminal loses nothing.
public struct Theme: Hashable, Sendable {
    /// One role's colours; nil is the theme's default foreground or background.
    public struct Colors: Hashable, Sendable {
        public var fg: RGB?
        public var bg: RGB?
        public init(fg: RGB? = nil, bg: RGB? = nil) {
            self.fg = fg
            self.bg = bg
        }
    }

    public var name: String
    public var foreground: RGB
    public var background: RGB
    public var roles: [Style.Role: Colors]

    public init(name: String, foreground: RGB, background: RGB, roles: [Style.Role: Colors] = [:]) {
        self.name = name
        self.foreground = foreground
        self.background = background
        self.roles = roles
    }

    /// The colours a cell of this style is drawn in, with reverse applied, for exports.
    public func resolved(_ style: Style) -> (fg: RGB, bg: RGB) {
        let c = roles[style.role] ?? Colors()
        let fg = c.fg ?? foreground, bg = c.bg ?? background
        return style.attributes.contains(.reverse) ? (bg, fg) : (fg, bg)
    }

    /// An error in a theme file: where it is (the line, and the column and length of the word that is
    /// wrong, in characters from 1; for a missing word, just past the line's last one) and what is wrong.
    public struct ParseError: Error, Hashable, Sendable {
        public var line: Int
        public var column: Int
        public var length: Int
        public var message: String

        public init(line: Int, column: Int = 1, length: Int = 1, message: String) {
            self.line = line
            self.column = column
            self.length = length
            self.message = message
        }
    }

    /// Every error in a theme file, in file order.
    public struct ParseErrors: Error, Hashable, Sendable, RandomAccessCollection {
        public var all: [ParseError]
        public init(_ all: [ParseError]) { self.all = all }
        public var startIndex: Int { all.startIndex }
        public var endIndex: Int { all.endIndex }
        public subscript(position: Int) -> ParseError { all[position] }
    }

    /// Reads the theme format (documented in docs/themes.md): `name`, `foreground`, `background`
    /// lines, then `ROLE FG BG` lines with colours `#rrggbb` or `default`; `#` after a space starts a
    /// comment. On failure, the first error; `parseAll` gives every one.
    public static func parse(_ text: String) -> Result<Theme, ParseError> {
        parseAll(text).mapError { $0.all[0] }
    }

    /// As `parse`, with every error of the file (each line is checked; a bad line sets nothing).
    public static func parseAll(_ text: String) -> Result<Theme, ParseErrors> {
        var theme = Theme(name: "unnamed", foreground: RGB(208, 208, 208), background: RGB(28, 28, 28))
        var errors: [ParseError] = []
        for (n, raw) in lines(of: text).enumerated() {
            let words = Array(Self.words(of: raw).prefix { !$0.text.hasPrefix("#") || color($0.text) != nil })
            guard let key = words.first?.text else { continue }
            func fail(_ m: String, at w: Word) { errors.append(ParseError(line: n + 1, column: w.column, length: w.length, message: m)) }
            /// The word after the last one: where a missing value belongs.
            let end = Word(text: "", column: words[words.count - 1].column + words[words.count - 1].length, length: 1)
            /// Exactly `count` words, or an error at the first extra one or where the missing one goes.
            func count(_ count: Int, _ usage: String) -> Bool {
                if words.count < count { fail("expected: \(usage)", at: end); return false }
                if words.count > count { fail("expected: \(usage); found \(shown(words[count].text)) after it", at: words[count]); return false }
                return true
            }
            switch key {
            case "name":
                guard count(2, "name NAME") else { continue }
                theme.name = words[1].text
            case "foreground", "background":
                guard count(2, "\(key) #rrggbb") else { continue }
                guard let c = color(words[1].text) else {
                    fail("expected: \(key) #rrggbb; found \(shown(words[1].text))", at: words[1])
                    continue
                }
                if key == "foreground" { theme.foreground = c } else { theme.background = c }
            default:
                guard let role = Style.Role(name: key) else {
                    let names = Style.Role.allCases.map(\.name).joined(separator: ", ")
                    fail("unknown role \(shown(key)); roles: \(names)", at: words[0])
                    continue
                }
                guard count(3, "\(key) FOREGROUND BACKGROUND") else { continue }
                var ok = true
                var colors = Colors()
                for (i, w) in words[1...2].enumerated() where w.text != "default" {
                    guard let c = color(w.text) else {
                        fail("colours are #rrggbb or default; found \(shown(w.text))", at: w)
                        ok = false
                        continue
                    }
                    if i == 0 { colors.fg = c } else { colors.bg = c }
                }
                if ok { theme.roles[role] = colors }
            }
        }
        return errors.isEmpty ? .success(theme) : .failure(ParseErrors(errors))
    }

    /// A word of a theme line and where it starts, in characters from 1.
    struct Word {
        var text: String
        var column: Int
        var length: Int
    }

    /// The lines of a theme file, split at each "\n" byte. A theme is read before the first frame,
    /// and cutting the text into characters to find them cost more than the rest of the start.
    static func lines(of text: String) -> [Substring] {
        var out: [Substring] = []
        let utf8 = text.utf8
        var start = utf8.startIndex
        var i = start
        while i != utf8.endIndex {
            let next = utf8.index(after: i)
            if utf8[i] == 0x0A {
                out.append(text[start..<i])
                start = next
            }
            i = next
        }
        out.append(text[start...])
        return out
    }

    /// The words of a line, split at spaces as word wrap splits them; columns count characters
    /// from 1 (in an ASCII line, bytes: the same, found without cutting it into characters).
    static func words(of line: Substring) -> [Word] {
        let text = String(line)
        let ascii = text.utf8.allSatisfy { $0 < 0x80 }
        return TextBox.words(text).map { word in
            let start = ascii ? text.utf8.distance(from: text.startIndex, to: word.startIndex)
                : text.distance(from: text.startIndex, to: word.startIndex)
            return Word(text: String(word), column: start + 1, length: ascii ? word.utf8.count : word.count)
        }
    }

    /// A word quoted in a message, cut short.
    private static func shown(_ word: String) -> String {
        word.count > 40 ? "'\(word.prefix(40))…'" : "'\(word)'"
    }

    static func color(_ s: String) -> RGB? {
        let digits = s.utf8.dropFirst()
        guard s.utf8.count == 7, s.utf8.first == 0x23,
              digits.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x66) }),
              let v = UInt32(s.dropFirst(), radix: 16) else { return nil }
        return RGB(UInt8(v >> 16 & 0xff), UInt8(v >> 8 & 0xff), UInt8(v & 0xff))
    }
}
