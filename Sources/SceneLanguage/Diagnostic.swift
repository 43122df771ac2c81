/// One error found in a scene or deck, in the form compilers use.
public struct Diagnostic: Sendable, Hashable, Error {
    public var path: String
    public var location: SourceLocation
    public var message: String
    /// Printed after the caret line, e.g. the valid values of a setting.
    public var hint: String?

    public init(path: String, location: SourceLocation, message: String, hint: String? = nil) {
        self.path = path
        self.location = location
        self.message = message
        self.hint = hint
    }

    /// Source lines are shown in a window this wide around the error, so a 1 MiB line prints short.
    static let window = 160

    /// The escape sequences of a coloured diagnostic, as clang and rustc use them: the location and
    /// message bold, `error:` bold red, the caret bold green.
    enum Paint {
        static let bold = "\u{1B}[1m", red = "\u{1B}[1;31m", green = "\u{1B}[1;32m", reset = "\u{1B}[0m"
    }

    /// `path:line:col: error: message`, the source line (made safe to print, cut to a window around
    /// the error) and a caret under the span. `color` adds the terminal colours of a compiler's
    /// diagnostics (for a standard error that is a terminal); every quoted part is made safe either way.
    public func rendered(source: String, color: Bool = false) -> String {
        let (bold, red, green, reset) = color ? (Paint.bold, Paint.red, Paint.green, Paint.reset) : ("", "", "", "")
        var out = "\(bold)\(Diagnostic.printable(path)):\(location.line):\(location.column): \(reset)"
            + "\(red)error:\(reset) \(bold)\(Diagnostic.printable(message))\(reset)"
        if let line = Diagnostic.line(location.line, of: source) {
            let chars = Array(Diagnostic.printable(line))
            let column = max(0, location.column - 1)
            let start = chars.count <= Diagnostic.window ? 0 : max(0, min(column - Diagnostic.window / 3, chars.count - Diagnostic.window))
            let end = min(chars.count, start + Diagnostic.window)
            let prefix = start > 0 ? "…" : ""
            out += "\n" + prefix + String(chars[start..<end]) + (end < chars.count ? "…" : "")
            let pad = String(repeating: " ", count: max(0, column - start + prefix.count))
            let span = max(1, min(location.length, Diagnostic.window - (column - start)))
            out += "\n" + pad + green + "^" + String(repeating: "~", count: span - 1) + reset
        }
        if let hint { out += "\n" + Diagnostic.printable(hint) }
        return out
    }

    /// Line `n` (1-based) of `source`, without splitting the whole file (bytes, so `\r\n` counts too).
    static func line(_ n: Int, of source: String) -> String? {
        guard n >= 1 else { return nil }
        let bytes = source.utf8
        var current = 1
        var start = bytes.startIndex
        var i = bytes.startIndex
        while i < bytes.endIndex {
            if bytes[i] == 10 {
                if current == n { break }
                current += 1
                start = bytes.index(after: i)
            }
            i = bytes.index(after: i)
        }
        guard current == n else { return nil }
        var text = String(decoding: bytes[start..<i], as: UTF8.self)
        if text.hasSuffix("\r") { text.removeLast() }
        return text
    }

    /// Replaces control characters, so a scene can never send an escape sequence to a terminal.
    public static func printable(_ text: String) -> String {
        var s = ""
        s.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for u in text.unicodeScalars {
            switch u.value {
            case 0x09: s.unicodeScalars.append(" ")
            case 0x00...0x1f, 0x7f...0x9f: s.unicodeScalars.append("\u{FFFD}")
            default: s.unicodeScalars.append(u)
            }
        }
        return s
    }
}

/// Every error found in one file, in file order: the failure of `parseScene` and `parseDeck`.
/// A collection of `Diagnostic`s (an array cannot be a `Result`'s failure, which must be an `Error`).
public struct Diagnostics: Error, Sendable, Hashable, RandomAccessCollection {
    public var all: [Diagnostic]
    public init(_ all: [Diagnostic]) { self.all = all }

    public var startIndex: Int { all.startIndex }
    public var endIndex: Int { all.endIndex }
    public subscript(position: Int) -> Diagnostic { all[position] }

    /// Every diagnostic rendered against the file's text, one after another.
    public func rendered(source: String, color: Bool = false) -> String {
        all.map { $0.rendered(source: source, color: color) }.joined(separator: "\n")
    }

    /// True when the parser stopped at the limit of errors it reports, so the file may hold more.
    public var stoppedAtLimit: Bool { all.count >= SceneLimits.errors }

    /// The line that closes a list of diagnostics, as compilers end theirs: `1 error`, `3 errors`,
    /// and `(stopped after 20)` when a parse hit the limit and the file may hold more.
    public static func countLine(_ count: Int, stopped: Bool) -> String {
        "\(count) error\(count == 1 ? "" : "s")" + (stopped ? " (stopped after \(SceneLimits.errors))" : "")
    }
}
