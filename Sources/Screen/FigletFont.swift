/// A FIGlet font (`.flf`, format flf2a): big letters for title cards, drawn with ordinary characters.
public struct FigletFont: Sendable {
    public let height: Int
    /// Stands for the font's hardblank until rendering ends: kerning must not squeeze it away.
    static let hardblank: Character = "\u{1}"
    /// Rows of each printable ASCII character (32…126), hardblanks already turned into spaces.
    private let glyphs: [Character: [String]]

    /// Reads the font; nil when the text is not an flf2a font.
    public init?(_ text: String) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.hasSuffix("\r") ? String($0.dropLast()) : String($0)
        }
        guard let header = lines.first, header.hasPrefix("flf2a"), header.count > 5 else { return nil }
        let hardblank = header[header.index(header.startIndex, offsetBy: 5)]
        let fields = header.split(separator: " ")
        guard fields.count >= 6, let height = Int(fields[1]), let comments = Int(fields[5]), height > 0 else { return nil }
        self.height = height
        var glyphs: [Character: [String]] = [:]
        var at = 1 + comments
        for code in 32...126 {
            guard at + height <= lines.count, let scalar = Unicode.Scalar(code) else { break }
            glyphs[Character(scalar)] = lines[at..<(at + height)].map { row in
                // Each row ends with one or two end marks (usually '@'); the last character is the mark.
                var r = row
                if let mark = r.last {
                    while r.last == mark { r.removeLast() }
                }
                // Hardblanks are ink while kerning (a space must keep its width) and print as blanks.
                return String(r.map { $0 == hardblank ? FigletFont.hardblank : $0 })
            }
            at += height
        }
        guard glyphs.count == 95 else { return nil }
        self.glyphs = glyphs
    }

    /// The text in big letters, characters kerned (moved together until they touch). A character
    /// the font lacks (anything but printable ASCII) is drawn as '?', so nothing draws blank.
    public func render(_ text: String) -> [String] {
        var rows = Array(repeating: "", count: height)
        for ch in text {
            guard let glyph = glyphs[ch] ?? glyphs["?"] else { continue }
            let width = glyph.map(\.count).max() ?? 0
            let padded = glyph.map { $0 + String(repeating: " ", count: width - $0.count) }
            // Kerning: the overlap is the smallest gap between a row's end and the glyph row's start.
            var overlap = Int.max
            for (r, g) in zip(rows, padded) {
                let trailing = r.reversed().prefix { $0 == " " }.count
                let leading = g.prefix { $0 == " " }.count
                overlap = min(overlap, trailing + leading)
            }
            if overlap == Int.max { overlap = 0 }
            for i in rows.indices {
                var r = Array(rows[i])
                let g = Array(padded[i])
                let cut = min(overlap, r.count)
                // Within the overlap only blanks meet blanks, except where one side has ink.
                let start = r.count - cut
                for k in 0..<cut where k < g.count && g[k] != " " { r[start + k] = g[k] }
                rows[i] = String(r) + String(g.dropFirst(min(cut, g.count)))
            }
        }
        return rows.map { String($0.map { $0 == FigletFont.hardblank ? " " : $0 }) }
    }

    /// The width of `text` once rendered.
    public func width(of text: String) -> Int { render(text).map(\.count).max() ?? 0 }

    /// Words wrapped so that each rendered line fits `width` columns; nil if a word alone is too wide.
    public func wrap(_ text: String, width: Int) -> [[String]]? {
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ") {
            let candidate = current.isEmpty ? String(word) : current + " " + word
            if self.width(of: candidate) <= width {
                current = candidate
            } else {
                guard self.width(of: String(word)) <= width else { return nil }
                if !current.isEmpty { lines.append(current) }
                current = String(word)
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines.map { render($0) }
    }
}
