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

    /// An error in a theme file: the line and what is wrong.
    public struct ParseError: Error, Hashable, Sendable {
        public var line: Int
        public var message: String
    }

    /// Reads the theme format (documented in docs/themes.md): `name`, `foreground`, `background`
    /// lines, then `ROLE FG BG` lines with colours `#rrggbb` or `default`; `#` after a space starts a comment.
    public static func parse(_ text: String) -> Result<Theme, ParseError> {
        var theme = Theme(name: "unnamed", foreground: RGB(208, 208, 208), background: RGB(28, 28, 28))
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.split(separator: " ", omittingEmptySubsequences: true).prefix { !$0.hasPrefix("#") || isColor($0) }
            let words = line.map(String.init)
            guard let key = words.first else { continue }
            func fail(_ m: String) -> Result<Theme, ParseError> { .failure(ParseError(line: n + 1, message: m)) }
            switch key {
            case "name":
                guard words.count == 2 else { return fail("expected: name NAME") }
                theme.name = words[1]
            case "foreground", "background":
                guard words.count == 2, let c = color(words[1]) else { return fail("expected: \(key) #rrggbb") }
                if key == "foreground" { theme.foreground = c } else { theme.background = c }
            default:
                guard let role = Style.Role(name: key) else {
                    let names = Style.Role.allCases.map(\.name).joined(separator: ", ")
                    return fail("unknown role '\(key)'; roles: \(names)")
                }
                guard words.count == 3 else { return fail("expected: \(key) FOREGROUND BACKGROUND") }
                let fg = words[1] == "default" ? Optional<RGB>.none : color(words[1])
                let bg = words[2] == "default" ? Optional<RGB>.none : color(words[2])
                guard words[1] == "default" || fg != nil, words[2] == "default" || bg != nil else {
                    return fail("colours are #rrggbb or default")
                }
                theme.roles[role] = Colors(fg: fg, bg: bg)
            }
        }
        return .success(theme)
    }

    private static func isColor(_ s: Substring) -> Bool { color(String(s)) != nil }

    static func color(_ s: String) -> RGB? {
        guard s.count == 7, s.hasPrefix("#"), let v = UInt32(s.dropFirst(), radix: 16) else { return nil }
        return RGB(UInt8(v >> 16 & 0xff), UInt8(v >> 8 & 0xff), UInt8(v & 0xff))
    }
}
