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

    /// `path:line:col: error: message`, the source line (made safe to print) and a caret under the span.
    public func rendered(source: String) -> String {
        var out = "\(path):\(location.line):\(location.column): error: \(message)"
        let lines = source.split(separator: "\n", omittingEmptySubsequences: false)
        if location.line >= 1, location.line <= lines.count {
            let line = Diagnostic.printable(String(lines[location.line - 1]))
            out += "\n" + line
            let pad = String(repeating: " ", count: max(0, location.column - 1))
            out += "\n" + pad + "^" + String(repeating: "~", count: max(0, location.length - 1))
        }
        if let hint { out += "\n" + Diagnostic.printable(hint) }
        return out
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
