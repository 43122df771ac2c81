// Word wrapping by terminal columns (not characters), so wide text and combining marks wrap where
// they will appear.

/// Text for one cell, row or paragraph, with an optional style (nil inherits the surrounding one).
public struct CellText: Hashable, Sendable, ExpressibleByStringLiteral {
    public var text: String
    public var style: Style?

    public init(_ text: String, style: Style? = nil) {
        self.text = text
        self.style = style
    }

    public init(stringLiteral value: String) {
        self.init(value)
    }
}

/// Paragraphs word-wrapped into a rect; what does not fit is cut and marked with "…".
public struct TextBox: Sendable {
    public var paragraphs: [CellText]
    public var style: Style
    /// An empty line between paragraphs.
    public var paragraphSpacing: Bool

    public init(paragraphs: [CellText], style: Style = .normal, paragraphSpacing: Bool = false) {
        self.paragraphs = paragraphs
        self.style = style
        self.paragraphSpacing = paragraphSpacing
    }

    /// One paragraph per line of `text`.
    public init(_ text: String, style: Style = .normal) {
        self.init(paragraphs: text.split(separator: "\n", omittingEmptySubsequences: false).map { CellText(String($0)) },
                  style: style)
    }

    /// `text` broken into lines of at most `width` columns: at spaces where possible, inside
    /// words longer than a line otherwise. Runs of spaces collapse; an empty text is one empty line.
    /// A line break (`\n` in a scene string) starts a new line; a tab becomes four spaces that do
    /// not collapse. Neither control character reaches the grid.
    public static func wrap(_ text: String, width: Int) -> [String] {
        guard width > 0 else { return [] }
        if text.utf8.contains(0x0A) || text.utf8.contains(0x09) {
            let expanded = text.replacingTabs()
            return expanded.split(separator: "\n", omittingEmptySubsequences: false).flatMap { wrapLine(String($0), width: width) }
        }
        return wrapLine(text, width: width)
    }

    private static func wrapLine(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var line = ""
        var used = 0
        for word in words(text) {
            var word = String(word)
            var wordWidth = TextWidth.width(of: word)
            if used > 0 && used + 1 + wordWidth <= width {
                line += " " + word
                used += 1 + wordWidth
                continue
            }
            if used > 0 {
                lines.append(line)
                line = ""
                used = 0
            }
            while wordWidth > width {
                let head = TextWidth.truncate(word, to: width, ellipsis: false)
                let headWidth = TextWidth.width(of: head)
                // A wide character in a one-column box can never fit: show it as "?".
                guard headWidth > 0 else {
                    lines.append("?")
                    word = String(word.dropFirst())
                    wordWidth = TextWidth.width(of: word)
                    continue
                }
                lines.append(head)
                word = String(word.dropFirst(head.count))
                wordWidth -= headWidth
            }
            line = word
            used = wordWidth
        }
        if used > 0 || lines.isEmpty { lines.append(line) }
        return lines
    }

    /// The words of `text`: what `split(separator: " ")` gives, without cutting the whole text into
    /// characters. A space byte is a separator unless a combining mark after it makes it part of
    /// another character, which only text after it that is not ASCII can do.
    static func words(_ text: String) -> [Substring] {
        let utf8 = text.utf8
        var words: [Substring] = []
        var start = utf8.startIndex
        var i = start
        while i != utf8.endIndex {
            let next = utf8.index(after: i)
            if utf8[i] == 0x20, next == utf8.endIndex || utf8[next] < 0x80 || text[i...].first == " " {
                if start != i { words.append(text[start..<i]) }
                start = next
            }
            i = next
        }
        if start != utf8.endIndex { words.append(text[start...]) }
        return words
    }

    /// Lines with their styles, as they would be drawn in a box `width` columns wide; with `limit`,
    /// at most about that many (a summary of 4,096 pages is not wrapped past what a box shows).
    public func layout(width: Int, limit: Int = .max) -> [CellText] {
        var result: [CellText] = []
        for (i, paragraph) in paragraphs.enumerated() {
            guard result.count < limit else { break }
            if paragraphSpacing && i > 0 { result.append(CellText("")) }
            var text = paragraph.text
            // A shown line holds at most `width` characters and a space: four times that many
            // characters a line (the slack covers zero-width marks) reach past every line shown.
            let room = limit - result.count
            if room < Int.max / 8 / max(1, width + 1), text.utf8.count > 4 * (width + 1) * (room + 1) {
                text = String(text.prefix(4 * (width + 1) * (room + 1)))
            }
            for line in TextBox.wrap(text, width: width).prefix(max(0, room)) {
                result.append(CellText(line, style: paragraph.style))
            }
        }
        return result
    }

    /// Draws into `rect` and returns the lines used. When lines are left over, the last row
    /// shown ends in "…".
    @discardableResult
    public func draw(in rect: Rect, on grid: inout Grid) -> Int {
        guard rect.width > 0, rect.height > 0 else { return 0 }
        // One line more than fits, to know whether to end the last with "…".
        let lines = layout(width: rect.width, limit: rect.height + 1)
        let shown = min(lines.count, rect.height)
        for i in 0..<shown {
            var text = lines[i].text
            if i == shown - 1 && shown < lines.count {
                text = TextWidth.truncate(text, to: rect.width - 1, ellipsis: false) + "…"
            }
            grid.put(text, x: rect.x, y: rect.y + i, style: lines[i].style ?? style, clip: rect.width)
        }
        return shown
    }
}

extension String {
    /// Tabs as four no-break spaces: they keep their width where spaces would collapse.
    func replacingTabs() -> String {
        var out = ""
        for c in self { if c == "\t" { out += String(repeating: "\u{00A0}", count: 4) } else { out.append(c) } }
        return out
    }
}
