// For terminals without a UTF-8 locale: there ncurses shows box-drawing and other non-ASCII
// characters as blanks, so the grid is mapped to ASCII before drawing.

/// ASCII stand-ins for the symbols the widgets and the viewer use.
public enum AsciiFallback {
    private static let table: [Unicode.Scalar: String] = [
        "←": "<", "→": ">", "↑": "^", "↓": "v", "↔": "-", "⇐": "<", "⇒": ">", "↵": "<",
        "▲": "^", "▼": "v", "◀": "<", "▶": ">", "◄": "<", "►": ">", "△": "^", "▽": "v",
        "…": "~", "•": "*", "·": ".", "●": "*", "○": "o", "◆": "*", "◇": "o", "■": "#", "□": "o",
        "✓": "+", "✔": "+", "✗": "x", "✘": "x", "×": "x", "—": "-", "–": "-", "‐": "-",
        "‘": "'", "’": "'", "“": "\"", "”": "\"", "«": "<", "»": ">", "≤": "<", "≥": ">",
        "≠": "#", "±": "+", "°": "o", "\u{00A0}": " ", "\u{FFFD}": "?",
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
