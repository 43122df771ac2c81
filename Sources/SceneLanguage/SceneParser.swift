import MemoryModel

/// Parses and checks a scene (scene-format.md): a `Scene`, or every error found, up to 20, in file order.
public func parseScene(_ text: String, path: String) -> Result<Scene, Diagnostics> {
    let bytes = Array(text.utf8)
    if let problem = fileProblem(bytes, path: path) { return .failure(Diagnostics([problem])) }
    var parser = SceneParser(bytes: bytes, path: path)
    return parser.parse()
}

/// As `parseScene(_:path:)`, for a file's raw bytes: a file that is empty, too large or not UTF-8
/// gets one clear error.
public func parseScene(bytes: [UInt8], path: String) -> Result<Scene, Diagnostics> {
    if let problem = fileProblem(bytes, path: path) { return .failure(Diagnostics([problem])) }
    var parser = SceneParser(bytes: bytes, path: path)
    return parser.parse()
}

/// The statements that open a scene, before the first step.
private let headerKeywords: Set<String> = ["title", "source", "about", "config", "pfns", "page"]
/// Every statement keyword and actor, for "did you mean".
let statementWords = ["title", "source", "about", "config", "pfns", "page", "step", "say", "note", "expect",
                      "variant", "set"] + Actor.allCases.map(\.rawValue)

/// A declared page's places in the source, for errors found after the whole file is read.
struct PageSite {
    var name: SourceLocation
    var gfn: SourceLocation
}

/// The state of one parse: what has been declared so far and where the file is in its order of sections.
struct SceneParser {
    enum Phase { case header, steps, tail }

    let lexer: Lexer
    var sink: DiagnosticSink
    var phase = Phase.header
    var title: String?
    var titleLine = 0
    var source: String?
    var sourceLine = 0
    var about: [String] = []
    var config: [Setting] = []
    var pfns: ClosedRange<Int>?
    var pfnsLocation: SourceLocation?
    var pages: [PageDeclaration] = []
    var pageSites: [PageSite] = []
    var pageIndex: [String: Int] = [:]
    /// Pages whose declaration had an error: a later use stays silent instead of adding "unknown page".
    var brokenPages: Set<String> = []
    var totalPages = 0
    /// `host alloc NAME` objects, with the line that allocated them.
    var kernelObjects: [String: Int] = [:]
    var steps: [Step] = []
    var expectations: [Expectation] = []
    var variants: [Variant] = []
    var variantLines: [String: Int] = [:]

    init(bytes: [UInt8], path: String) {
        lexer = Lexer(bytes: bytes, pathWords: false)
        sink = DiagnosticSink(path: path)
    }

    mutating func parse() -> Result<Scene, Diagnostics> {
        for line in lexer.lines(sink: &sink) {
            if sink.isFull { break }
            let (tokens, ok) = lexer.tokens(of: line, sink: &sink)
            guard let first = tokens.first else { continue }
            if ok {
                statement(tokens, line: line.number)
            } else if first.kind == .word, ["step", "variant", "title"].contains(first.text) {
                // Keep the file's structure, so the lines that follow are not also reported as out of place.
                recoverSection(tokens, line: line.number)
            }
        }
        return finish()
    }

    private mutating func recoverSection(_ tokens: [Token], line: Int) {
        let location = tokens[0].location(line: line)
        if tokens[0].text == "title", title == nil {
            title = ""
            titleLine = line
        } else if tokens[0].text == "step", phase != .tail {
            phase = .steps
            steps.append(Step(title: "", location: location))
        } else if tokens[0].text == "variant", phase != .header {
            phase = .tail
            variants.append(Variant(name: tokens.count > 1 ? tokens[1].text : "", title: "", location: location))
        }
    }

    private mutating func statement(_ allTokens: [Token], line: Int) {
        let keyword = allTokens[0]
        guard keyword.kind == .word else {
            let what = keyword.kind == .string ? "a string" : quoted(keyword.source)
            sink.error("expected a statement at the start of the line, found \(what)", at: keyword.location(line: line))
            return
        }
        let word = keyword.text
        if headerKeywords.contains(word), phase != .header {
            sink.error("'\(word)' must come before the first step", at: keyword.location(line: line))
            return
        }
        // A misspelt or repeated option is reported here, once, and the statement is read without it:
        // the page, setting, title or kernel object it declares still counts, so later lines that use
        // it raise no knock-on errors ("unknown page" on every use of a page whose `lable=` was wrong).
        let allowed = Self.allowedOptions(allTokens)
        let tokens = allowed.map { withoutBadOptions(allTokens, allowed: $0, line: line) } ?? allTokens
        let dropped = allTokens.filter { t in t.kind == .option && !tokens.contains { $0.column == t.column } }
        switch word {
        case "title": title(tokens, line: line)
        case "source": source(tokens, line: line)
        case "about":
            if let s = string(tokens, line: line) { about.append(s) }
        case "config":
            if let s = setting(tokens, line: line) { config.append(s) }
        case "pfns": pfnsStatement(tokens, line: line)
        case "page":
            // `gfnn=0x10`: the typo is the error; "needs gfn=" as well would say the same thing twice.
            let misspeltGFN = dropped.contains { Suggest.nearest($0.text, in: ["gfn", "label"]) == "gfn" }
            page(tokens, line: line, misspeltGFN: misspeltGFN)
        case "step": step(tokens, line: line)
        case "say", "note":
            guard phase == .steps, !steps.isEmpty else {
                sink.error("'\(word)' outside a step: narration belongs to the step above it",
                           at: keyword.location(line: line))
                return
            }
            guard let s = string(tokens, line: line) else { return }
            if word == "say" { steps[steps.count - 1].say.append(s) } else { steps[steps.count - 1].notes.append(s) }
        case "expect":
            guard phase != .header else {
                sink.error("'expect' must come after the steps", at: keyword.location(line: line))
                return
            }
            phase = .tail
            guard let e = expectation(tokens, line: line) else { return }
            if variants.isEmpty { expectations.append(e) } else { variants[variants.count - 1].expectations.append(e) }
        case "variant": variant(tokens, line: line)
        case "set":
            guard phase == .tail, !variants.isEmpty else {
                sink.error("'set' outside a variant: the scene's own settings are written 'config KEY VALUE'",
                           at: keyword.location(line: line))
                return
            }
            if let s = setting(tokens, line: line) { variants[variants.count - 1].settings.append(s) }
        default:
            if Actor(rawValue: word) != nil {
                guard phase == .steps, !steps.isEmpty else {
                    sink.error("operation outside a step: an operation belongs to a 'step'", at: keyword.location(line: line))
                    return
                }
                // With a bad option dropped the operation is still read, for what it declares (a
                // `host alloc` object) and its own errors; the file has an error, so it never runs.
                if let op = operationLine(tokens, line: line) { steps[steps.count - 1].operations.append(op) }
                return
            }
            let near = Suggest.nearest(word, in: statementWords)
            let kind = (near.map { Actor(rawValue: $0) != nil } ?? (phase == .steps)) ? "actor" : "statement"
            sink.error("unknown \(kind) \(quoted(word))" + (near.map { "; did you mean '\($0)'?" } ?? ""),
                       at: keyword.location(line: line))
        }
    }

    /// The options a statement takes, when they do not depend on its other words (nil: leave the
    /// statement to check its own, as `expect` does, or an actor's unknown verb).
    private static func allowedOptions(_ tokens: [Token]) -> [String]? {
        let word = tokens[0].text
        switch word {
        case "title", "source", "about", "config", "set", "pfns", "variant", "say", "note": return []
        case "page": return ["gfn", "label"]
        case "step": return ["lane"]
        default:
            guard let actor = Actor(rawValue: word),
                  let verb = tokens.dropFirst().first(where: { $0.kind != .option }), verb.kind == .word,
                  let spec = VerbSpec.named(actor, verb.text) else { return nil }
            return spec.shape == .pageVia ? ["via"] : []
        }
    }

    /// The statement without its unknown and repeated options, which are reported here.
    private mutating func withoutBadOptions(_ tokens: [Token], allowed: [String], line: Int) -> [Token] {
        guard options(tokens, allowed: allowed, line: line) == nil else { return tokens }
        var seen: Set<String> = []
        return tokens.enumerated().filter { i, t in
            i == 0 || t.kind != .option || (allowed.contains(t.text) && seen.insert(t.text).inserted)
        }.map(\.element)
    }

    // MARK: Header

    private mutating func title(_ tokens: [Token], line: Int) {
        if title != nil {
            sink.error("'title' given twice (first at line \(titleLine))", at: tokens[0].location(line: line))
            return
        }
        guard let s = string(tokens, line: line) else { return }
        title = s
        titleLine = line
    }

    private mutating func source(_ tokens: [Token], line: Int) {
        if source != nil {
            sink.error("'source' given twice (first at line \(sourceLine))", at: tokens[0].location(line: line))
            return
        }
        guard let s = string(tokens, line: line) else { return }
        source = s
        sourceLine = line
    }

    private mutating func pfnsStatement(_ tokens: [Token], line: Int) {
        if let first = pfnsLocation {
            sink.error("'pfns' given twice (first at line \(first.line))", at: tokens[0].location(line: line))
            return
        }
        guard noOptions(tokens, line: line), let args = positional(tokens, count: 1, line: line, needs: "a range of frames, as in 0x100..0x13f"),
              let range = frameRange(args[0], what: "a pfn range", line: line)
        else { return }
        if range.upperBound - range.lowerBound >= SceneLimits.pagesAndFrames {
            sink.error("the pfn pool \(hexRange(range)) is over the limit of 1,048,576 frames",
                       at: args[0].location(line: line))
            return
        }
        pfns = range
        pfnsLocation = tokens[0].location(line: line)
    }

    private mutating func page(_ tokens: [Token], line: Int, misspeltGFN: Bool = false) {
        guard let options = options(tokens, allowed: ["gfn", "label"], line: line) else { return }
        let args = tokens.dropFirst().filter { $0.kind != .option }
        guard let nameToken = args.first else {
            sink.error("'page' needs a name, as in page ghcb gfn=0x10", at: endOf(tokens, line: line))
            return
        }
        let name = nameToken.text
        if let problem = nameProblem(name, what: "page name") {
            sink.error(problem, at: nameToken.location(line: line))
            return
        }
        if let earlier = pageIndex[name] {
            sink.error("duplicate page '\(name)' (first declared at line \(pageSites[earlier].name.line))",
                       at: nameToken.location(line: line))
            return
        }
        var ok = true
        var backing = InitialBacking.shared
        for (i, t) in args.dropFirst().enumerated() {
            if i > 0 || t.kind != .word {
                sink.error("unexpected \(quoted(t.source)) in a page declaration", at: t.location(line: line))
                ok = false
            } else if let b = InitialBacking(rawValue: t.text) {
                backing = b
            } else {
                let states = InitialBacking.allCases.map(\.rawValue)
                sink.error("unknown page state \(quoted(t.text))" + Suggest.didYouMean(t.text, in: states),
                           at: t.location(line: line), hint: "valid states: " + states.joined(separator: ", "))
                ok = false
            }
        }
        var gfns: ClosedRange<Int>?
        if let g = options["gfn"] {
            gfns = g.valueIsString ? nil : frameRange(g, what: "a gfn", line: line, value: true)
            if g.valueIsString { sink.error("gfn takes a number or a range, not a string", at: g.valueLocation(line: line)) }
        } else if !misspeltGFN {
            sink.error("page '\(name)' needs gfn=GFN, as in gfn=0x10 or gfn=0x20..0x23", at: nameToken.location(line: line))
        }
        guard ok, let gfns, let gfnToken = options["gfn"] else {
            brokenPages.insert(name)
            return
        }
        let count = gfns.upperBound - gfns.lowerBound + 1
        if count > SceneLimits.pagesAndFrames - totalPages {
            sink.error("the scene declares more than 1,048,576 pages (the limit)", at: gfnToken.location(line: line))
            brokenPages.insert(name)
            return
        }
        totalPages += count
        pageIndex[name] = pages.count
        pages.append(PageDeclaration(name: name, firstGFN: gfns.lowerBound, count: count, backing: backing,
                                     label: options["label"]?.value))
        pageSites.append(PageSite(name: nameToken.location(line: line), gfn: gfnToken.location(line: line)))
    }

    // MARK: Steps, expectations, variants

    private mutating func step(_ tokens: [Token], line: Int) {
        guard phase != .tail else {
            sink.error("'step' must come before the expectations and variants", at: tokens[0].location(line: line))
            return
        }
        phase = .steps
        if steps.count == SceneLimits.steps {
            sink.error("more than 10,000 steps (the limit)", at: tokens[0].location(line: line))
        }
        let title = string(tokens, line: line, allowing: ["lane"]) ?? ""
        var step = Step(title: title, location: tokens[0].location(line: line))
        if let lane = tokens.first(where: { $0.kind == .option && $0.text == "lane" }) {
            if lane.valueIsString {
                sink.error("lane= takes a name, not a string", at: lane.valueLocation(line: line))
            } else if let problem = nameProblem(lane.value, what: "lane name") {
                sink.error(problem, at: lane.valueLocation(line: line))
            } else {
                step.lane = lane.value
            }
        }
        steps.append(step)
    }

    private mutating func variant(_ tokens: [Token], line: Int) {
        guard phase != .header else {
            sink.error("'variant' must come after the steps", at: tokens[0].location(line: line))
            return
        }
        phase = .tail
        let location = tokens[0].location(line: line)
        guard noOptions(tokens, line: line),
              let args = positional(tokens, count: 2, line: line, needs: "a name and a title, as in variant keep \"…\"")
        else {
            variants.append(Variant(name: "", title: "", location: location))
            return
        }
        let name = args[0].text
        if args[0].kind != .word {
            sink.error("expected a variant name, found a string", at: args[0].location(line: line))
        } else if let problem = nameProblem(name, what: "variant name") {
            sink.error(problem, at: args[0].location(line: line))
        } else if let first = variantLines[name] {
            sink.error("duplicate variant '\(name)' (first declared at line \(first))", at: args[0].location(line: line))
        } else {
            variantLines[name] = line
        }
        if args[1].kind != .string {
            sink.error("expected the variant's title as a string, found \(quoted(args[1].source))",
                       at: args[1].location(line: line))
        }
        variants.append(Variant(name: name, title: args[1].text, location: location))
    }

    private mutating func expectation(_ tokens: [Token], line: Int) -> Expectation? {
        var args = tokens.dropFirst().filter { $0.kind != .option }
        let negated = args.first?.kind == .word && args.first?.text == "no"
        if negated { args.removeFirst() }
        let quantifier = args.first.flatMap { $0.kind == .word ? Quantifier(rawValue: $0.text) : nil }
        if quantifier != nil { args.removeFirst() }
        if negated, let q = quantifier {
            sink.error("'expect no' does not combine with '\(q.rawValue)'", at: tokens[0].location(line: line),
                       hint: "over every interleaving, 'expect never OUTCOME' says it is raised in none")
            return nil
        }
        if let q = quantifier, let at = tokens.first(where: { $0.kind == .option && $0.text == "at" }) {
            sink.error("at= does not go with 'expect \(q.rawValue)': a quantified expectation holds over whole interleavings",
                       at: SourceLocation(line: line, column: at.column, length: max(1, at.length)),
                       hint: "write 'expect \(q.rawValue) OUTCOME [PAGE]', or a plain 'expect OUTCOME at=N'")
            return nil
        }
        guard let options = options(tokens, allowed: negated || quantifier != nil ? [] : ["at"], line: line) else { return nil }
        guard let outcomeToken = args.first else {
            sink.error("'expect' needs an outcome, as in expect host-panic", at: endOf(tokens, line: line))
            return nil
        }
        let names = OutcomeKind.allCases.map(\.rawValue)
        guard outcomeToken.kind == .word, let outcome = OutcomeKind(rawValue: outcomeToken.text) else {
            sink.error("unknown outcome \(quoted(outcomeToken.text))" + Suggest.didYouMean(outcomeToken.text, in: names),
                       at: outcomeToken.location(line: line))
            return nil
        }
        if args.count > 2 {
            sink.error("unexpected \(quoted(args[2].source))", at: args[2].location(line: line))
            return nil
        }
        var page: PageTarget?
        if args.count == 2 {
            guard let target = pageArgument(args[1], line: line, kernel: .allowed, statement: "expect") else { return nil }
            page = target
        }
        var at: Int?
        if let a = options["at"] {
            guard case .value(let n) = parseNumber(Array(a.value.utf8)[...]), !a.valueIsString else {
                sink.error("at= takes a step number, found \(quoted(a.value))", at: a.valueLocation(line: line))
                return nil
            }
            guard n >= 1, n <= steps.count else {
                let why = n < 1 ? "steps are counted from 1" : "past the last step; the scene has \(steps.count)"
                sink.error("at=\(a.value) is \(why)", at: a.valueLocation(line: line))
                return nil
            }
            at = n
        }
        return Expectation(negated: negated, outcome: outcome, page: page, pageText: args.count == 2 ? args[1].text : nil,
                           atStep: at, quantifier: quantifier, location: tokens[0].location(line: line))
    }
}
