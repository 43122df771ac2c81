import MemoryModel

/// Whether a page argument may name a kernel object from `host alloc`.
enum KernelUse {
    case forbidden, allowed
}

private let kinds = MemoryKind.allCases.map(\.rawValue)

extension SceneParser {
    /// `ACTOR VERB ARGS…` inside a step, with its normalised text.
    mutating func operationLine(_ tokens: [Token], line: Int) -> OperationLine? {
        guard let op = operation(tokens, line: line) else { return nil }
        let first = tokens[0], last = tokens[tokens.count - 1]
        let location = SourceLocation(line: line, column: first.column,
                                      length: max(1, last.column + last.length - first.column))
        return OperationLine(operation: op, text: tokens.map(\.source).joined(separator: " "), location: location)
    }

    private mutating func operation(_ tokens: [Token], line: Int) -> Operation? {
        guard let actor = Actor(rawValue: tokens[0].text) else { return nil }
        let verbs = VerbSpec.words(of: actor)
        let args = Array(tokens.dropFirst().filter { $0.kind != .option })
        guard let verbToken = args.first else {
            sink.error("'\(actor.rawValue)' needs a verb", at: endOf(tokens, line: line),
                       hint: "verbs of \(actor.rawValue): " + verbs.joined(separator: ", "))
            return nil
        }
        let verb = verbToken.text
        guard verbToken.kind == .word, let spec = VerbSpec.named(actor, verb) else {
            sink.error("unknown verb \(quoted(verb)) for '\(actor.rawValue)'" + Suggest.didYouMean(verb, in: verbs),
                       at: verbToken.location(line: line),
                       hint: "verbs of \(actor.rawValue): " + verbs.joined(separator: ", "))
            return nil
        }
        guard let options = options(tokens, allowed: spec.shape == .pageVia ? ["via"] : [], line: line) else { return nil }
        var shape = OperandReader(tokens: tokens, args: Array(args.dropFirst()), line: line)
        var operands = Operands()
        switch spec.shape {
        case .nothing:
            return shape.done(&sink) ? spec.make(operands) : nil
        case .name:
            guard let nameToken = shape.required(&sink, needs: "a name for the kernel object"), shape.done(&sink),
                  case .hostAlloc(let name)? = hostAlloc(nameToken, line: line) else { return nil }
            operands.name = name
            return spec.make(operands)
        default:
            break
        }
        guard let pageToken = shape.required(&sink, needs: "a page") else { return nil }
        operands.target = pageArgument(pageToken, line: line, kernel: actor == .host ? .allowed : .forbidden,
                                       statement: "\(actor.rawValue) \(verb)")
        switch spec.shape {
        case .pageKind:
            guard let word = shape.choice(&sink, kinds, needs: "'private' or 'shared'") else { return nil }
            operands.kind = MemoryKind(rawValue: word)
        case .pageOnOff:
            guard let word = shape.choice(&sink, ["on", "off"], needs: "'on' or 'off'") else { return nil }
            operands.on = word == "on"
        case .pageOptionalCBit:
            guard let cbit = shape.optionalChoice(&sink, kinds) else { return nil }
            operands.kind = cbit.flatMap { MemoryKind(rawValue: $0) }
        case .pageVia:
            if let v = options["via"] {
                let names = Via.allCases.map(\.rawValue)
                guard !v.valueIsString, let parsed = Via(rawValue: v.value) else {
                    sink.error("unknown via \(quoted(v.value))" + Suggest.didYouMean(v.value, in: names),
                               at: v.valueLocation(line: line), hint: "valid values: " + names.joined(separator: ", "))
                    return nil
                }
                operands.via = parsed
            }
        case .page, .nothing, .name:
            break
        }
        guard shape.done(&sink) else { return nil }
        return spec.make(operands)
    }

    private mutating func hostAlloc(_ t: Token, line: Int) -> Operation? {
        let name = t.text
        if t.kind == .word, pageIndex[name] != nil || brokenPages.contains(name) {
            sink.error("'\(name)' is a guest page; 'host alloc' needs a new name for a kernel object",
                       at: t.location(line: line))
            return nil
        }
        if let problem = nameProblem(name, what: "kernel object name") {
            sink.error(t.kind == .string ? "'host alloc' needs a name, not a string" : problem, at: t.location(line: line))
            return nil
        }
        if let first = kernelObjects[name] {
            sink.error("kernel object '\(name)' is already allocated (line \(first))", at: t.location(line: line))
            return nil
        }
        kernelObjects[name] = line
        return .hostAlloc(name)
    }

    /// `NAME`, `NAME[i]` or `NAME[i..j]`, resolved against the pages and kernel objects declared so far.
    mutating func pageArgument(_ t: Token, line: Int, kernel: KernelUse, statement: String) -> PageTarget? {
        guard t.kind == .word else {
            sink.error("expected a page, found \(t.kind == .string ? "a string" : quoted(t.source))",
                       at: t.location(line: line))
            return nil
        }
        let text = t.text
        let bytes = Array(text.utf8)
        let open = bytes.firstIndex(of: UInt8(ascii: "["))
        let name = String(decoding: bytes[..<(open ?? bytes.count)], as: UTF8.self)
        let nameLocation = SourceLocation(line: line, column: t.column, length: max(1, name.count))
        if kernelObjects[name] != nil {
            guard kernel == .allowed else {
                sink.error("'\(name)' is a kernel object from 'host alloc'; '\(statement)' needs a guest page",
                           at: nameLocation)
                return nil
            }
            guard open == nil else {
                sink.error("kernel object '\(name)' is a single frame: it takes no index", at: t.location(line: line))
                return nil
            }
            return .kernel(name: name)
        }
        guard let index = pageIndex[name] else {
            if brokenPages.contains(name) { return nil }
            var candidates = pages.map(\.name)
            if kernel == .allowed { candidates += kernelObjects.keys.sorted() }
            sink.error("unknown page \(quoted(name))" + Suggest.didYouMean(name, in: candidates), at: nameLocation)
            return nil
        }
        let count = pages[index].count
        guard let open else { return .guest(page: index, indices: 0...(count - 1)) }
        let innerStart = open + 1
        guard bytes.count > innerStart, bytes[bytes.count - 1] == UInt8(ascii: "]") else {
            sink.error("malformed page argument \(quoted(text)): write NAME, NAME[i] or NAME[i..j]",
                       at: t.location(line: line))
            return nil
        }
        let inner = String(decoding: bytes[innerStart..<(bytes.count - 1)], as: UTF8.self)
        let innerLocation = SourceLocation(line: line, column: t.column + innerStart, length: max(1, inner.count))
        switch parseRange(inner, what: "an index") {
        case .invalid(let message):
            sink.error(message, at: innerLocation)
            return nil
        case .range(let r):
            guard r.upperBound < count else {
                sink.error("index \(r.upperBound) is out of the range of page '\(name)', which has \(count) "
                           + (count == 1 ? "page (index 0)" : "pages (0..\(count - 1))"), at: innerLocation)
                return nil
            }
            return .guest(page: index, indices: r)
        }
    }
}

/// Reads an operation's arguments after the verb, one by one, reporting what is missing or extra.
private struct OperandReader {
    let tokens: [Token]
    let args: [Token]
    let line: Int
    var next = 0

    init(tokens: [Token], args: [Token], line: Int) {
        self.tokens = tokens
        self.args = args
        self.line = line
    }

    private var statement: String { tokens.prefix(2).map(\.text).joined(separator: " ") }

    private var end: SourceLocation {
        let last = tokens[tokens.count - 1]
        return SourceLocation(line: line, column: last.column + last.length)
    }

    mutating func required(_ sink: inout DiagnosticSink, needs: String) -> Token? {
        guard next < args.count else {
            sink.error("'\(statement)' needs \(needs)", at: end)
            return nil
        }
        next += 1
        return args[next - 1]
    }

    mutating func choice(_ sink: inout DiagnosticSink, _ words: [String], needs: String) -> String? {
        guard let t = required(&sink, needs: needs) else { return nil }
        guard t.kind == .word, words.contains(t.text) else {
            sink.error("'\(statement)' needs \(needs), found \(quoted(t.source))" + Suggest.didYouMean(t.text, in: words),
                       at: t.location(line: line))
            return nil
        }
        return t.text
    }

    /// An optional trailing word: `.some(nil)` when absent, `nil` when present and wrong.
    mutating func optionalChoice(_ sink: inout DiagnosticSink, _ words: [String]) -> String?? {
        guard next < args.count else { return .some(nil) }
        let alternatives = words.map { "'\($0)'" }.joined(separator: " or ")
        return choice(&sink, words, needs: alternatives).map { .some($0) }
    }

    /// True when every argument was used; else the first extra one is reported.
    mutating func done(_ sink: inout DiagnosticSink) -> Bool {
        guard next < args.count else { return true }
        sink.error("unexpected \(quoted(args[next].source)) after '\(statement)'", at: args[next].location(line: line))
        return false
    }
}
