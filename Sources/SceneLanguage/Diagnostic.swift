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

    /// `path:line:col: error: message`, the source line (made safe to print, cut to a window around
    /// the error) and a caret under the span.
    public func rendered(source: String) -> String {
        var out = "\(Diagnostic.printable(path)):\(location.line):\(location.column): error: \(Diagnostic.printable(message))"
        if let line = Diagnostic.line(location.line, of: source) {
            let chars = Array(Diagnostic.printable(line))
            let column = max(0, location.column - 1)
            let start = chars.count <= Diagnostic.window ? 0 : max(0, min(column - Diagnostic.window / 3, chars.count - Diagnostic.window))
            let end = min(chars.count, start + Diagnostic.window)
            let prefix = start > 0 ? "…" : ""
            out += "\n" + prefix + String(chars[start..<end]) + (end < chars.count ? "…" : "")
            let pad = String(repeating: " ", count: max(0, column - start + prefix.count))
            let span = max(1, min(location.length, Diagnostic.window - (column - start)))
            out += "\n" + pad + "^" + String(repeating: "~", count: span - 1)
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
    public func rendered(source: String) -> String {
        all.map { $0.rendered(source: source) }.joined(separator: "\n")
    }
}
