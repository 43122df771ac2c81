import MemoryModel

/// Reading a statement's arguments: strings, positional words, options, ranges and settings, each
/// with the error a scene author needs when it is wrong.
extension SceneParser {
    /// A statement's single string argument; `allowing` names the options it may also take.
    mutating func string(_ tokens: [Token], line: Int, allowing: [String] = []) -> String? {
        guard options(tokens, allowed: allowing, line: line) != nil,
              let args = positional(tokens, count: 1, line: line, needs: "a string in double quotes")
        else { return nil }
        guard args[0].kind == .string else {
            sink.error("'\(tokens[0].text)' needs a string in double quotes, found \(quoted(args[0].source))",
                       at: args[0].location(line: line))
            return nil
        }
        return args[0].text
    }

    /// Exactly `count` arguments after the keyword, or an error naming what is missing or extra.
    mutating func positional(_ tokens: [Token], count: Int, line: Int, needs: String) -> [Token]? {
        let args = tokens.dropFirst().filter { $0.kind != .option }
        if args.count < count {
            sink.error("'\(tokens[0].text)' needs \(needs)", at: endOf(tokens, line: line))
            return nil
        }
        if args.count > count {
            sink.error("unexpected \(quoted(args[count].source))", at: args[count].location(line: line))
            return nil
        }
        return Array(args)
    }

    mutating func noOptions(_ tokens: [Token], line: Int) -> Bool {
        options(tokens, allowed: [], line: line) != nil
    }

    /// The options of a statement by key; unknown and repeated options are errors.
    mutating func options(_ tokens: [Token], allowed: [String], line: Int) -> [String: Token]? {
        var found: [String: Token] = [:]
        var ok = true
        for t in tokens.dropFirst() where t.kind == .option {
            let statement = tokens.prefix(tokens.count >= 2 && Actor(rawValue: tokens[0].text) != nil ? 2 : 1)
                .map(\.text).joined(separator: " ")
            if !allowed.contains(t.text) {
                let what = allowed.isEmpty ? "'\(statement)' takes no options"
                    : "'\(statement)' takes " + allowed.map { "\($0)=" }.joined(separator: ", ")
                sink.error("unknown option \(quoted(t.text))" + Suggest.didYouMean(t.text, in: allowed) + ": " + what,
                           at: SourceLocation(line: line, column: t.column, length: max(1, t.text.count)))
                ok = false
            } else if found[t.text] != nil {
                sink.error("option '\(t.text)' given twice", at: t.location(line: line))
                ok = false
            } else {
                found[t.text] = t
            }
        }
        return ok ? found : nil
    }

    /// Just past the last token: where a missing argument should have been.
    func endOf(_ tokens: [Token], line: Int) -> SourceLocation {
        let last = tokens[tokens.count - 1]
        return SourceLocation(line: line, column: last.column + last.length)
    }

    /// A gfn or pfn range, checked against the 52-bit limit of frame numbers.
    mutating func frameRange(_ t: Token, what: String, line: Int, value: Bool = false) -> ClosedRange<Int>? {
        let text = value ? t.value : t.text
        let location = value ? t.valueLocation(line: line) : t.location(line: line)
        guard t.kind != .string else {
            sink.error("expected \(what), found a string", at: location)
            return nil
        }
        switch parseRange(text, what: what) {
        case .invalid(let message):
            sink.error(message, at: location)
            return nil
        case .range(let r):
            guard r.upperBound <= SceneLimits.frameNumber else {
                sink.error("number \(hex(r.upperBound)) is too large for \(what): frame numbers go up to "
                           + hex(SceneLimits.frameNumber), at: location)
                return nil
            }
            return r
        }
    }

    /// `config KEY VALUE` and `set KEY VALUE`.
    mutating func setting(_ tokens: [Token], line: Int) -> Setting? {
        guard noOptions(tokens, line: line),
              let args = positional(tokens, count: 2, line: line, needs: "a key and a value, as in \(tokens[0].text) upm off")
        else { return nil }
        let (keyToken, valueToken) = (args[0], args[1])
        let keys = SettingKey.allCases.map(\.rawValue)
        guard keyToken.kind == .word, let key = SettingKey(rawValue: keyToken.text) else {
            sink.error("unknown config key \(quoted(keyToken.text))" + Suggest.didYouMean(keyToken.text, in: keys),
                       at: keyToken.location(line: line), hint: "keys: " + keys.joined(separator: ", "))
            return nil
        }
        var probe = Config()
        guard valueToken.kind == .word, probe.apply(key, valueToken.text) == nil else {
            let hint = key == .asid ? "asid is a number from \(SettingKey.asidRange.lowerBound) to "
                + "\(SettingKey.asidRange.upperBound)" : "valid values: " + key.values.joined(separator: ", ")
            sink.error("invalid value \(quoted(valueToken.text)) for '\(key.rawValue)'"
                       + Suggest.didYouMean(valueToken.text, in: key.values), at: valueToken.location(line: line), hint: hint)
            return nil
        }
        return Setting(key: key, value: valueToken.text, location: tokens[0].location(line: line))
    }
}
