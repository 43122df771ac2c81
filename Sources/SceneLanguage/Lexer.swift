/// One lexical token of a line. Columns and lengths count characters, as `SourceLocation` does.
struct Token {
    enum Kind { case word, string, option }
    var kind: Kind
    /// A word's text, a string's decoded contents, or an option's key.
    var text: String
    /// An option's value, decoded when it was written as a string.
    var value = ""
    var valueIsString = false
    /// The token as written, for `OperationLine.text`.
    var source: String
    var column: Int
    var length: Int
    var valueColumn = 0
    var valueLength = 0

    func location(line: Int) -> SourceLocation { SourceLocation(line: line, column: column, length: max(1, length)) }
    func valueLocation(line: Int) -> SourceLocation {
        SourceLocation(line: line, column: valueColumn, length: max(1, valueLength))
    }
}

/// A line of source: its number and its byte range in the file.
struct SourceLine {
    var number: Int
    var start: Int
    var end: Int
}

/// Splits a file into lines and lines into tokens, on UTF-8 bytes: a 1 MiB scene must parse fast.
struct Lexer {
    let bytes: [UInt8]
    /// Decks name files: their words may also hold `/` and other printable characters.
    let pathWords: Bool

    /// Every line, with the line-length limit checked; an over-long line is reported and left out.
    func lines(sink: inout DiagnosticSink) -> [SourceLine] {
        var result: [SourceLine] = []
        var start = 0
        var number = 1
        var i = 0
        while i <= bytes.count {
            if i == bytes.count || bytes[i] == UInt8(ascii: "\n") {
                var end = i
                if end > start, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
                if end - start > SceneLimits.lineBytes {
                    sink.error("line is longer than the limit of 4,096 bytes (it has \(end - start))",
                               at: SourceLocation(line: number, column: 1))
                } else {
                    result.append(SourceLine(number: number, start: start, end: end))
                }
                number += 1
                start = i + 1
            }
            i += 1
        }
        return result
    }

    private func isWordByte(_ b: UInt8) -> Bool {
        if isLetter(b) || isDigit(b) { return true }
        switch b {
        case UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "["), UInt8(ascii: "]"),
             UInt8(ascii: "="):
            return true
        default:
            return pathWords && b > 0x20 && b != 0x7f && b != UInt8(ascii: "#") && b != UInt8(ascii: "\"")
                && !(b == 0xC2) // U+0080–U+009F start with 0xC2; such a path is refused below
        }
    }

    private static func isContinuation(_ b: UInt8) -> Bool { b & 0xC0 == 0x80 }

    /// The tokens of one line, and false when it holds a lexical error (reported to `sink`; the bad token is left out).
    func tokens(of line: SourceLine, sink: inout DiagnosticSink) -> ([Token], Bool) {
        var tokens: [Token] = []
        var ok = true
        var i = line.start
        var col = 1
        let end = line.end
        while i < end {
            let b = bytes[i]
            if b == UInt8(ascii: " ") || b == UInt8(ascii: "\t") || b == UInt8(ascii: "\r") {
                i += 1
                col += 1
                continue
            }
            // Some editors start a UTF-8 file with a byte-order mark: three bytes, one character.
            if i == 0, b == 0xEF, i + 2 < end, bytes[i + 1] == 0xBB, bytes[i + 2] == 0xBF {
                i += 3
                col += 1
                continue
            }
            if b == UInt8(ascii: "#") { break }
            if b == UInt8(ascii: "\"") {
                let start = i, startCol = col
                let s = string(at: &i, col: &col, end: end, line: line.number, sink: &sink)
                if let s {
                    tokens.append(Token(kind: .string, text: s, source: text(start, i), column: startCol,
                                        length: col - startCol))
                } else {
                    ok = false
                }
                continue
            }
            if isWordByte(b) {
                let start = i, startCol = col
                var eq: Int?
                while i < end, isWordByte(bytes[i]) {
                    if eq == nil, bytes[i] == UInt8(ascii: "=") { eq = i }
                    if !Lexer.isContinuation(bytes[i]) { col += 1 }
                    i += 1
                }
                guard let eq else {
                    tokens.append(Token(kind: .word, text: text(start, i), source: text(start, i), column: startCol,
                                        length: col - startCol))
                    continue
                }
                let keyLength = eq - start
                var token = Token(kind: .option, text: text(start, eq), source: "", column: startCol,
                                  length: 0, valueColumn: startCol + keyLength + 1)
                if keyLength == 0 {
                    sink.error("expected an option name before '='", at: SourceLocation(line: line.number, column: startCol))
                    ok = false
                }
                if eq == i - 1, i < end, bytes[i] == UInt8(ascii: "\"") {
                    let valueCol = col
                    if let s = string(at: &i, col: &col, end: end, line: line.number, sink: &sink) {
                        token.value = s
                        token.valueIsString = true
                    } else {
                        ok = false
                    }
                    token.valueLength = col - valueCol
                } else {
                    token.value = text(eq + 1, i)
                    token.valueLength = col - token.valueColumn
                }
                token.source = text(start, i)
                token.length = col - startCol
                tokens.append(token)
                continue
            }
            // Anything else: name the character, cleaned, and skip all of its bytes.
            var j = i + 1
            while j < end, Lexer.isContinuation(bytes[j]) { j += 1 }
            let character = text(i, j)
            let shown = b < 0x20 || b == 0x7f || b == 0xC2 ? "U+" + hex4(character) : "'\(Diagnostic.printable(character))'"
            sink.error("unexpected character \(shown)", at: SourceLocation(line: line.number, column: col))
            ok = false
            i = j
            col += 1
        }
        return (tokens, ok)
    }

    private func text(_ from: Int, _ to: Int) -> String { String(decoding: bytes[from..<to], as: UTF8.self) }

    private func hex4(_ character: String) -> String {
        let value = character.unicodeScalars.first?.value ?? 0
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    /// Reads a string starting at the quote at `i`; reports every bad escape and control character.
    private func string(at i: inout Int, col: inout Int, end: Int, line: Int, sink: inout DiagnosticSink) -> String? {
        let openCol = col
        var out: [UInt8] = []
        var ok = true
        i += 1
        col += 1
        while i < end {
            let b = bytes[i]
            if b == UInt8(ascii: "\"") {
                i += 1
                col += 1
                return ok ? String(decoding: out, as: UTF8.self) : nil
            }
            if b == UInt8(ascii: "\\") {
                guard i + 1 < end else { break }
                switch bytes[i + 1] {
                case UInt8(ascii: "\""): out.append(UInt8(ascii: "\""))
                case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\"))
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "t"): out.append(0x09)
                default:
                    var j = i + 2
                    while j < end, Lexer.isContinuation(bytes[j]) { j += 1 }
                    sink.error("bad escape \(quoted(text(i, j))) in a string; the escapes are \\\" \\\\ \\n \\t",
                               at: SourceLocation(line: line, column: col, length: 2))
                    ok = false
                    i = j
                    col += 2
                    continue
                }
                i += 2
                col += 2
                continue
            }
            let isC1 = b == 0xC2 && i + 1 < end && (0x80...0x9F).contains(bytes[i + 1])
            if (b < 0x20 && b != 0x09) || b == 0x7f || isC1 {
                let width = isC1 ? 2 : 1
                sink.error("control character U+\(hex4(text(i, i + width))) in a string: a scene cannot send "
                           + "terminal control codes", at: SourceLocation(line: line, column: col))
                ok = false
                i += width
                col += 1
                continue
            }
            out.append(b)
            if !Lexer.isContinuation(b) { col += 1 }
            i += 1
        }
        sink.error("unterminated string: a string must end with '\"' on the same line",
                   at: SourceLocation(line: line, column: openCol, length: max(1, col - openCol)))
        return nil
    }
}

/// Finds the first byte that breaks UTF-8, so a binary or Latin-1 file gets one exact error.
func firstInvalidUTF8(_ bytes: [UInt8]) -> Int? {
    var i = 0
    while i < bytes.count {
        let b = bytes[i]
        let need: Int
        var low: UInt8 = 0x80, high: UInt8 = 0xBF
        switch b {
        case 0x00...0x7F: i += 1; continue
        case 0xC2...0xDF: need = 1
        case 0xE0: need = 2; low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: need = 2
        case 0xED: need = 2; high = 0x9F
        case 0xF0: need = 3; low = 0x90
        case 0xF1...0xF3: need = 3
        case 0xF4: need = 3; high = 0x8F
        default: return i
        }
        guard i + need < bytes.count else { return i }
        for k in 1...need {
            let c = bytes[i + k]
            let (lo, hi): (UInt8, UInt8) = k == 1 ? (low, high) : (0x80, 0xBF)
            guard (lo...hi).contains(c) else { return i }
        }
        i += need + 1
    }
    return nil
}

/// Line and column (in characters) of a byte offset, for errors found before lexing.
func location(ofByte offset: Int, in bytes: [UInt8]) -> SourceLocation {
    var line = 1, col = 1
    for b in bytes[..<min(offset, bytes.count)] {
        if b == UInt8(ascii: "\n") { line += 1; col = 1 } else if b & 0xC0 != 0x80 { col += 1 }
    }
    return SourceLocation(line: line, column: col)
}
