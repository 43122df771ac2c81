import MemoryModel

/// Parses a deck (scene-format.md, Decks): `title STRING` at most once, then `scene PATH [variant=NAME] [compare=SIDE]`
/// and `explore PATH [variant=NAME] [over=KEY,…]` lines. Paths are kept as written; finding the files is the executable's work.
public func parseDeck(_ text: String, path: String) -> Result<Deck, Diagnostics> {
    parseDeck(bytes: Array(text.utf8), path: path)
}

/// As `parseDeck(_:path:)`, for a file's raw bytes.
public func parseDeck(bytes: [UInt8], path: String) -> Result<Deck, Diagnostics> {
    if let problem = fileProblem(bytes, path: path) { return .failure(Diagnostics([problem])) }
    var parser = DeckParser(lexer: Lexer(bytes: bytes, pathWords: true), sink: DiagnosticSink(path: path))
    return parser.parse()
}

/// One deck parse: a title and the entries so far.
private struct DeckParser {
    let lexer: Lexer
    var sink: DiagnosticSink
    var title: String?
    var titleLine = 0
    var entries: [Deck.Entry] = []
    /// A deck whose only `scene` line is wrong has that error, not also "no scenes".
    var sawScene = false

    mutating func parse() -> Result<Deck, Diagnostics> {
        for line in lexer.lines(sink: &sink) {
            if sink.isFull { break }
            let (tokens, ok) = lexer.tokens(of: line, sink: &sink)
            if tokens.first?.text == "scene" || tokens.first?.text == "explore" { sawScene = true }
            guard ok, let first = tokens.first else { continue }
            guard first.kind == .word, ["title", "scene", "explore"].contains(first.text) else {
                let word = first.kind == .string ? "a string" : quoted(first.source)
                sink.error("unknown deck statement \(word)" + Suggest.didYouMean(first.text, in: ["title", "scene", "explore"])
                           + "; a deck has 'title', 'scene' and 'explore' lines", at: first.location(line: line.number))
                continue
            }
            if first.text == "title" { titleLine(tokens, line: line.number) } else { scene(tokens, line: line.number) }
        }
        if !sawScene {
            sink.error("the deck lists no scenes: add a line like scene ghcb-upm.scene",
                       at: SourceLocation(line: 1, column: 1))
        }
        guard sink.isEmpty else { return .failure(Diagnostics(sink.sorted())) }
        return .success(Deck(path: sink.path, title: title, entries: entries))
    }

    private mutating func titleLine(_ tokens: [Token], line: Int) {
        if title != nil {
            sink.error("'title' given twice (first at line \(titleLine))", at: tokens[0].location(line: line))
            return
        }
        guard let arg = single(tokens, line: line, needs: "a string in double quotes") else { return }
        guard arg.kind == .string else {
            sink.error("'title' needs a string in double quotes, found \(quoted(arg.source))", at: arg.location(line: line))
            return
        }
        title = arg.text
        titleLine = line
    }

    private mutating func scene(_ tokens: [Token], line: Int) {
        var variant: String?
        var compare: (String, SourceLocation)?
        let isExplore = tokens[0].text == "explore"
        var over: [SettingKey]? = isExplore ? [] : nil
        var ok = true
        let allowed = isExplore ? ["variant", "over"] : ["variant", "compare"]
        for t in tokens.dropFirst() where t.kind == .option {
            if !allowed.contains(t.text) {
                sink.error("unknown option \(quoted(t.text))" + Suggest.didYouMean(t.text, in: allowed)
                           + ": '\(tokens[0].text)' takes " + allowed.map { "\($0)=" }.joined(separator: ", "),
                           at: SourceLocation(line: line, column: t.column, length: max(1, t.text.count)))
                ok = false
            } else if t.text == "over" {
                let names = SettingKey.allCases.filter { !$0.values.isEmpty }.map(\.rawValue)
                var keys: [SettingKey] = []
                for word in t.value.split(separator: ",", omittingEmptySubsequences: false).map(String.init) {
                    guard let key = SettingKey(rawValue: word), !key.values.isEmpty, !keys.contains(key) else {
                        sink.error("over= takes settings with a list of values, each once; \(quoted(word)) is not one"
                                   + Suggest.didYouMean(word, in: names), at: t.valueLocation(line: line))
                        ok = false
                        break
                    }
                    keys.append(key)
                }
                over = keys
            } else if t.text == "compare" {
                if compare != nil || t.value.isEmpty {
                    sink.error(t.value.isEmpty ? "compare= needs a variant's name or KEY=VALUE settings" : "option 'compare' given twice",
                               at: t.valueLocation(line: line))
                    ok = false
                } else {
                    compare = (t.value, t.valueLocation(line: line))
                }
            } else if variant != nil {
                sink.error("option 'variant' given twice", at: t.location(line: line))
                ok = false
            } else if let problem = nameProblem(t.value, what: "variant name") {
                sink.error(problem, at: t.valueLocation(line: line))
                ok = false
            } else {
                variant = t.value
            }
        }
        guard let arg = single(tokens, line: line, needs: "a scene file or a built-in scene name"), ok else { return }
        guard !arg.text.isEmpty else {
            sink.error("'scene' needs a file name, found an empty string", at: arg.location(line: line))
            return
        }
        entries.append(Deck.Entry(reference: arg.text, variant: variant, explore: over, compare: compare?.0,
                                  location: arg.location(line: line), compareLocation: compare?.1))
    }

    private mutating func single(_ tokens: [Token], line: Int, needs: String) -> Token? {
        let args = tokens.dropFirst().filter { $0.kind != .option }
        guard let arg = args.first else {
            let last = tokens[tokens.count - 1]
            sink.error("'\(tokens[0].text)' needs \(needs)", at: SourceLocation(line: line, column: last.column + last.length))
            return nil
        }
        if args.count > 1 {
            sink.error("unexpected \(quoted(args[1].source))", at: args[1].location(line: line))
            return nil
        }
        return arg
    }
}
