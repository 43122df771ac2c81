import MemoryModel
/// The limits of the language (scene-format.md, Errors): past one, the error names it.
public enum SceneLimits {
    public static let fileBytes = 1_048_576
    public static let lineBytes = 4_096
    public static let steps = 10_000
    /// Both the total number of declared pages and the size of the pfn pool.
    public static let pagesAndFrames = 1_048_576
    public static let nameLength = 32
    /// Errors reported at once; past this the parser stops.
    public static let errors = 20
    /// gfns and pfns are frame numbers of 52-bit physical addresses.
    public static let frameNumber = (1 << 40) - 1
}

/// Collects diagnostics up to the limit, so a badly broken file gives a readable list, not thousands.
struct DiagnosticSink {
    let path: String
    private(set) var diagnostics: [Diagnostic] = []

    init(path: String) { self.path = path }

    var isFull: Bool { diagnostics.count >= SceneLimits.errors }
    var isEmpty: Bool { diagnostics.isEmpty }

    mutating func error(_ message: String, at location: SourceLocation, hint: String? = nil) {
        guard !isFull else { return }
        diagnostics.append(Diagnostic(path: path, location: location, message: message, hint: hint))
    }

    /// Errors come from several passes; the reader wants them in file order.
    func sorted() -> [Diagnostic] {
        diagnostics.enumerated().sorted { a, b in
            let (la, lb) = (a.element.location, b.element.location)
            if la.line != lb.line { return la.line < lb.line }
            if la.column != lb.column { return la.column < lb.column }
            return a.offset < b.offset
        }.map(\.element)
    }
}

/// "Did you mean" for misspelt names: the nearest candidate by edit distance, if it is close enough.
public enum Suggest {
    /// Optimal string alignment distance (Levenshtein plus swaps of neighbours, the commonest typo).
    static func distance(_ a: [UInt8], _ b: [UInt8]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var before = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var best = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    best = min(best, before[j - 2] + 1)
                }
                current[j] = best
            }
            (before, previous, current) = (previous, current, before)
        }
        return previous[b.count]
    }

    /// The closest candidate within a third of the word's length (at least one edit); ties go to the first.
    static func nearest(_ word: String, in candidates: some Sequence<String>) -> String? {
        let w = Array(word.utf8)
        guard !w.isEmpty, w.count <= 64 else { return nil }
        let allowed = max(1, w.count / 3)
        var best: (name: String, distance: Int)?
        for candidate in candidates {
            let c = Array(candidate.utf8)
            guard abs(c.count - w.count) <= allowed, c != w else { continue }
            let d = distance(w, c)
            if d <= allowed, d < (best?.distance ?? Int.max) { best = (candidate, d) }
        }
        return best?.name
    }

    /// "; did you mean 'x'?" or nothing.
    public static func didYouMean(_ word: String, in candidates: some Sequence<String>) -> String {
        guard let near = nearest(word, in: candidates) else { return "" }
        return "; did you mean '\(near)'?"
    }
}

/// Shortens and cleans text quoted in a message, so an error never floods or escapes the terminal.
func quoted(_ text: String) -> String {
    let clean = Diagnostic.printable(text)
    guard clean.count > 40 else { return "'\(clean)'" }
    return "'\(clean.prefix(40))…'"
}

/// A number or a range as the language writes them.
enum NumberParse: Equatable {
    case value(Int)
    case tooLarge
    case notANumber
}

/// Decimal or `0x` hexadecimal, digits only: no sign, no spaces, overflow reported, never trapped.
func parseNumber(_ bytes: ArraySlice<UInt8>) -> NumberParse {
    var digits = bytes
    var radix = 10
    if digits.count > 2, digits[digits.startIndex] == UInt8(ascii: "0"),
       digits[digits.startIndex + 1] == UInt8(ascii: "x") || digits[digits.startIndex + 1] == UInt8(ascii: "X") {
        radix = 16
        digits = digits.dropFirst(2)
    }
    guard !digits.isEmpty else { return .notANumber }
    var result = 0
    var overflow = false
    for b in digits {
        let d: Int
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): d = Int(b - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f") where radix == 16: d = Int(b - UInt8(ascii: "a")) + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F") where radix == 16: d = Int(b - UInt8(ascii: "A")) + 10
        default: return .notANumber
        }
        let (m, o1) = result.multipliedReportingOverflow(by: radix)
        let (s, o2) = m.addingReportingOverflow(d)
        if o1 || o2 { overflow = true } else { result = s }
    }
    return overflow ? .tooLarge : .value(result)
}

/// `A` or `A..B`; a single number is the range of one.
enum RangeParse: Equatable {
    case range(ClosedRange<Int>)
    /// A message for the user.
    case invalid(String)
}

func parseRange(_ text: String, what: String) -> RangeParse {
    let bytes = Array(text.utf8)
    var split: Int?
    var i = 0
    while i + 1 < bytes.count {
        if bytes[i] == UInt8(ascii: "."), bytes[i + 1] == UInt8(ascii: ".") { split = i; break }
        i += 1
    }
    let parts = split.map { [bytes[..<$0], bytes[($0 + 2)...]] } ?? [bytes[...]]
    var ends: [Int] = []
    for part in parts {
        switch parseNumber(part) {
        case .value(let v): ends.append(v)
        case .tooLarge: return .invalid("number \(quoted(String(decoding: part, as: UTF8.self))) is too large")
        case .notANumber:
            return .invalid("expected \(what) (a number like 16 or 0x10, or a range A..B), found \(quoted(text))")
        }
    }
    guard let low = ends.first, let high = ends.last else { return .invalid("expected \(what)") }
    guard low <= high else {
        return .invalid("range \(quoted(text)) is empty: its first number must not be greater than its last")
    }
    return .range(low...high)
}

/// Why `text` is not a valid name, or nil: a letter, then letters, digits, `_` or `-`, at most 32.
func nameProblem(_ text: String, what: String) -> String? {
    let bytes = Array(text.utf8)
    guard let first = bytes.first, isLetter(first) else {
        return "invalid \(what) \(quoted(text)): a name starts with a letter"
    }
    for b in bytes where !(isLetter(b) || isDigit(b) || b == UInt8(ascii: "_") || b == UInt8(ascii: "-")) {
        return "invalid \(what) \(quoted(text)): a name holds only letters, digits, '_' and '-'"
    }
    if bytes.count > SceneLimits.nameLength {
        return "\(what) \(quoted(text)) is longer than the limit of \(SceneLimits.nameLength) characters"
    }
    return nil
}

func isLetter(_ b: UInt8) -> Bool {
    (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(b) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(b)
}

func isDigit(_ b: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b) }

/// Numbers in messages are written the way scenes write them.

func hexRange(_ r: ClosedRange<Int>) -> String {
    r.lowerBound == r.upperBound ? hex(r.lowerBound) : "\(hex(r.lowerBound))..\(hex(r.upperBound))"
}
