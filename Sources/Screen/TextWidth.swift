

// Column widths and the safety filter for every string that reaches a grid. Text from scene files
// passes through here, so nothing raw (escape sequences, bidi overrides, lone combining marks)
// can reach the terminal.

/// One visible character as it occupies the grid: sanitised text and its width in columns (1 or 2).
public struct Glyph: Hashable, Sendable {
    public let text: String
    public let width: Int
    /// The text as a cell holds it.
    let packed: PackedUTF8

    public init(text: String, width: Int) {
        self.text = text
        self.width = width
        packed = PackedUTF8(text)
    }

    init(packed: PackedUTF8, width: Int) {
        self.text = packed.string
        self.width = width
        self.packed = packed
    }

    /// Shown instead of control characters.
    public static let replacement = Glyph(text: "\u{FFFD}", width: 1)
    public static let space = Glyph(text: " ", width: 1)
    /// Shown for a wide character that does not fit.
    static let question = Glyph(text: "?", width: 1)
    /// The printable ASCII glyphs, space to `~`, indexed by byte - 0x20.
    static let ascii: [Glyph] = (0x20...0x7E).map { Glyph(text: String(UnicodeScalar(UInt8($0))), width: 1) }
}

/// Terminal column widths, computed in Swift because Glibc's `wcwidth` is hidden from Swift.
public enum TextWidth {
    /// Most combining marks a terminal cell carries (ncurses stores the base plus four).
    static let maxCombining = 4

    /// True for C0 and C1 controls and DEL: never written to the terminal.
    public static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }

    /// Columns a scalar occupies on its own: 0 (combining, format), 1, or 2 (East Asian wide, emoji).
    public static func width(of scalar: Unicode.Scalar) -> Int {
        let value = scalar.value
        if value >= 0x20 && value < 0x7F { return 1 }
        if isControl(scalar) { return 1 }  // shown as U+FFFD
        if value == 0x00AD { return 1 }  // soft hyphen: terminals show it
        if isCommonSymbol(value) { return 1 }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format, .lineSeparator, .paragraphSeparator:
            return 0
        default:
            break
        }
        if (0x1160...0x11FF).contains(value) || value == 0x200B { return 0 }  // Hangul medial jamo, ZWSP
        if value < 0x1100 { return 1 }
        if isWide(value) || scalar.properties.isEmojiPresentation { return 2 }
        return 1
    }

    /// Arrows, box drawing, blocks and geometric shapes, "…" and "·": what every frame is drawn
    /// with. All single-width spacing characters, answered without a Unicode property lookup.
    static func isCommonSymbol(_ value: UInt32) -> Bool {
        (0x2190...0x21FF).contains(value) || (0x2500...0x25FF).contains(value) || value == 0x2026 || value == 0x00B7
    }

    /// East Asian Wide and Fullwidth blocks (Unicode 15, condensed), first and last scalar. Pairs,
    /// not `ClosedRange`s: the range type's metadata would be made, with a search of every
    /// protocol conformance in the binary, before the first frame.
    private static let wideRanges: [(UInt32, UInt32)] = [
        (0x1100, 0x115F), (0x2329, 0x232A), (0x2E80, 0x303E), (0x3041, 0x33FF),
        (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xA000, 0xA4CF), (0xA960, 0xA97F),
        (0xAC00, 0xD7A3), (0xF900, 0xFAFF), (0xFE10, 0xFE19), (0xFE30, 0xFE6F),
        (0xFF00, 0xFF60), (0xFFE0, 0xFFE6), (0x16FE0, 0x16FE4), (0x17000, 0x18CFF),
        (0x1B000, 0x1B2FF), (0x1F200, 0x1F2FF), (0x1F300, 0x1F64F), (0x1F900, 0x1F9FF),
        (0x20000, 0x2FFFD), (0x30000, 0x3FFFD),
    ]

    private static func isWide(_ value: UInt32) -> Bool {
        var low = 0
        var high = wideRanges.count - 1
        while low <= high {
            let mid = (low + high) / 2
            let (first, last) = wideRanges[mid]
            if value < first {
                high = mid - 1
            } else if value > last {
                low = mid + 1
            } else {
                return true
            }
        }
        return false
    }

    /// The safe form of one grapheme, or nil when it occupies no column (a lone combining mark,
    /// a format character). Controls become U+FFFD; extra scalars of emoji sequences are dropped so
    /// that the cell holds one spacing character plus a few combining marks, as terminals expect.
    public static func glyph(for character: Character) -> Glyph? {
        if let ascii = character.asciiValue {
            return ascii >= 0x20 && ascii < 0x7F ? Glyph(text: String(character), width: 1) : .replacement
        }
        let scalars = character.unicodeScalars
        guard let base = scalars.first else { return nil }
        if scalars.count == 1, isCommonSymbol(base.value) { return Glyph(text: String(character), width: 1) }
        if scalars.contains(where: isControl) { return .replacement }
        let baseWidth = width(of: base)
        guard baseWidth > 0 else { return nil }
        if scalars.count == 1 { return Glyph(text: String(character), width: baseWidth) }
        var text = String(base)
        var marks = 0
        for scalar in scalars.dropFirst() where marks < maxCombining {
            switch scalar.properties.generalCategory {
            case .nonspacingMark, .enclosingMark, .spacingMark:
                text.unicodeScalars.append(scalar)
                marks += 1
            default:
                continue
            }
        }
        return Glyph(text: text, width: baseWidth)
    }

    /// The glyph of a common symbol (an arrow, a box line, "…", "·") at `i`, and its length in
    /// bytes, when what follows cannot join it (the end, or an ASCII byte): the one-scalar
    /// characters frames draw most, without forming a Character.
    @inline(__always)
    static func symbol(_ bytes: UnsafeBufferPointer<UInt8>, at i: Int) -> (Glyph, Int)? {
        let n = bytes.count
        let lead = bytes[i]
        if lead == 0xE2, i + 2 < n, i + 3 == n || bytes[i + 3] < 0x80 {
            let b1 = bytes[i + 1], b2 = bytes[i + 2]
            let value = UInt32(lead & 0x0F) << 12 | UInt32(b1 & 0x3F) << 6 | UInt32(b2 & 0x3F)
            guard isCommonSymbol(value) else { return nil }
            let packed = PackedUTF8(low: UInt64(lead) | UInt64(b1) << 8 | UInt64(b2) << 16, high: 0)
            return (Glyph(packed: packed, width: 1), 3)
        }
        if lead == 0xC2, i + 1 < n, bytes[i + 1] == 0xB7, i + 2 == n || bytes[i + 2] < 0x80 {
            return (middleDot, 2)
        }
        return nil
    }

    private static let middleDot = Glyph(text: "·", width: 1)

    /// `text`'s glyph when it is exactly one common symbol.
    static func symbolGlyph(_ text: String) -> Glyph? {
        text.utf8.withContiguousStorageIfAvailable { bytes in
            guard bytes.count == 2 || bytes.count == 3, let (glyph, length) = symbol(bytes, at: 0), length == bytes.count else { return nil }
            return glyph
        } ?? nil
    }

    /// True when every byte is printable ASCII (space to `~`): one column a byte, nothing to
    /// sanitise. Most of what a frame draws is, and this answers it without forming a Character.
    @inline(__always)
    static func isPrintableASCII(_ string: String) -> Bool {
        // One compare a byte: 0x20...0x7E is exactly the bytes b with b - 0x20 < 0x5F.
        string.utf8.withContiguousStorageIfAvailable { $0.allSatisfy { $0 &- 0x20 < 0x5F } }
            ?? string.utf8.allSatisfy { $0 &- 0x20 < 0x5F }
    }

    /// The safe glyphs of a string, in order.
    public static func glyphs(_ string: String) -> [Glyph] {
        if isPrintableASCII(string) { return string.utf8.map { Glyph.ascii[Int($0 &- 0x20)] } }
        var result: [Glyph] = []
        forEachGlyph(in: string) { result.append($0); return true }
        return result
    }

    /// Columns `string` occupies once sanitised.
    public static func width(of string: String) -> Int {
        if isPrintableASCII(string) { return string.utf8.count }
        var total = 0
        forEachGlyph(in: string) { total += $0.width; return true }
        return total
    }

    /// Calls `body` with the safe glyphs of `string` in order, until it returns false. Most text
    /// is ASCII with a symbol here and there ("▶ action 3/12 · …"): a printable ASCII byte
    /// followed by another ASCII byte is a character of its own (grapheme rules never join two
    /// ASCII characters, CR LF aside), so only the stretches around other bytes are cut into
    /// characters, the costly way.
    public static func forEachGlyph(in string: String, _ body: (Glyph) -> Bool) {
        let done: Void? = string.utf8.withContiguousStorageIfAvailable { bytes in
            let n = bytes.count
            var i = 0
            while i < n {
                let byte = bytes[i]
                if byte &- 0x20 < 0x5F && (i + 1 == n || bytes[i + 1] < 0x80) {
                    guard body(Glyph.ascii[Int(byte &- 0x20)]) else { return }
                    i += 1
                    continue
                }
                if let (glyph, length) = symbol(bytes, at: i) {
                    guard body(glyph) else { return }
                    i += length
                    continue
                }
                // The stretch ends where two ASCII bytes meet, a boundary between characters.
                var end = i + 1
                while end < n && !(bytes[end - 1] < 0x80 && bytes[end] < 0x80 && !(bytes[end - 1] == 0x0D && bytes[end] == 0x0A)) {
                    end += 1
                }
                for character in String(decoding: UnsafeBufferPointer(rebasing: bytes[i..<end]), as: UTF8.self) {
                    guard let glyph = glyph(for: character) else { continue }
                    guard body(glyph) else { return }
                }
                i = end
            }
        }
        guard done == nil else { return }
        for character in string {
            guard let glyph = glyph(for: character) else { continue }
            guard body(glyph) else { return }
        }
    }

    /// `string` cut to at most `width` columns; with `ellipsis`, a cut string ends in "…".
    public static func truncate(_ string: String, to width: Int, ellipsis: Bool = true) -> String {
        guard width > 0 else { return "" }
        if isPrintableASCII(string) {
            let count = string.utf8.count
            if count <= width { return string }
            let kept = String(decoding: string.utf8.prefix(ellipsis ? width - 1 : width), as: UTF8.self)
            return ellipsis ? kept + "…" : kept
        }
        let glyphs = glyphs(string)
        let total = glyphs.reduce(0) { $0 + $1.width }
        if total <= width { return glyphs.map(\.text).joined() }
        let budget = ellipsis ? width - 1 : width
        var result = ""
        var used = 0
        for glyph in glyphs {
            if used + glyph.width > budget { break }
            result += glyph.text
            used += glyph.width
        }
        return ellipsis ? result + "…" : result
    }
}

// For terminals without a UTF-8 locale: there ncurses shows box-drawing and other non-ASCII
// characters as blanks, so the grid is mapped to ASCII before drawing.

/// ASCII stand-ins for the symbols the widgets and the viewer use.
public enum AsciiFallback {
    private static let table: [Unicode.Scalar: String] = [
        "←": "<", "→": ">", "↑": "^", "↓": "v", "↔": "-", "⇄": "|", "⇐": "<", "⇒": ">", "↵": "<",
        "▲": "^", "▼": "v", "◀": "<", "▶": ">", "◄": "<", "►": ">", "△": "^", "▽": "v",
        "…": "~", "•": "*", "·": ".", "●": "*", "○": "o", "◆": "*", "◇": "o", "■": "#", "□": "o",
        "✓": "+", "✔": "+", "✗": "x", "✘": "x", "×": "x", "—": "-", "–": "-", "‐": "-",
        "‘": "'", "’": "'", "“": "\"", "”": "\"", "«": "<", "»": ">", "≤": "<", "≥": ">",
        "≠": "!", "±": "+", "°": "o", "\u{00A0}": " ", "\u{FFFD}": "?",
        "░": ".", "▒": ":", "▓": "#", "█": "#",
    ]

    /// The ASCII stand-in for one cell's text ("?" when there is none).
    public static func map(_ text: String) -> String {
        guard let scalar = text.unicodeScalars.first, !text.isEmpty else { return text }
        if scalar.isASCII { return text }
        if let mapped = table[scalar] { return mapped }
        let value = scalar.value
        switch value {
        case 0x2500...0x257F: return boxCharacter(value)
        case 0x2580...0x259F: return "#"
        default: return "?"
        }
    }

    private static func boxCharacter(_ value: UInt32) -> String {
        switch value {
        case 0x2500, 0x2501, 0x2504, 0x2505, 0x2508, 0x2509, 0x254C, 0x254D, 0x2550,
             0x2574, 0x2576, 0x2578, 0x257A, 0x257C, 0x257E:
            return "-"
        case 0x2502, 0x2503, 0x2506, 0x2507, 0x250A, 0x250B, 0x254E, 0x254F, 0x2551,
             0x2575, 0x2577, 0x2579, 0x257B, 0x257D, 0x257F:
            return "|"
        case 0x2571: return "/"
        case 0x2572: return "\\"
        case 0x2573: return "X"
        default: return "+"
        }
    }
}

extension Grid {
    /// The same grid with every non-ASCII character replaced by an ASCII stand-in; a wide
    /// character becomes "?" and a blank.
    public func asciiFallback() -> Grid {
        var copy = self
        for y in 0..<height {
            for x in 0..<width {
                let cell = self[x, y]
                guard !cell.isContinuation, !(cell.text.unicodeScalars.first?.isASCII ?? true) else { continue }
                copy[x, y] = Cell(AsciiFallback.map(cell.text), style: cell.style)
            }
        }
        return copy
    }
}
