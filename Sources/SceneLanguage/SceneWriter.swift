import MemoryModel

/// Writes a scene as text that parses back to the same scene (locations aside): for round-trip
/// tests, and for tools that generate scenes.
public func formatScene(_ scene: Scene) -> String {
    var out: [String] = []
    out.append("title " + escapedString(scene.title))
    if let source = scene.source { out.append("source " + escapedString(source)) }
    for paragraph in scene.about { out.append("about " + escapedString(paragraph)) }
    for setting in scene.config { out.append("config \(setting.key.rawValue) \(setting.value)") }
    out.append("pfns \(hex(scene.layout.pfns.lowerBound))..\(hex(scene.layout.pfns.upperBound))")
    for page in scene.layout.pages {
        var line = "page \(page.name) gfn=\(hexRange(page.gfns)) \(page.backing.rawValue)"
        if let label = page.label { line += " label=" + escapedString(label) }
        out.append(line)
    }
    for step in scene.steps {
        out.append("")
        out.append("step " + escapedString(step.title) + (step.lane == Step.defaultLane ? "" : " lane=\(step.lane)"))
        for op in step.operations {
            // The text is what the author wrote; it reads back to the same operation and the same text.
            out.append("  " + (op.text.isEmpty ? formatOperation(op.operation, layout: scene.layout) : op.text))
        }
        for s in step.say { out.append("  say " + escapedString(s)) }
        for n in step.notes { out.append("  note " + escapedString(n)) }
    }
    if !scene.expectations.isEmpty { out.append("") }
    for e in scene.expectations { out.append(formatExpectation(e, layout: scene.layout)) }
    for v in scene.variants {
        out.append("")
        out.append("variant \(v.name) " + escapedString(v.title))
        for s in v.settings { out.append("  set \(s.key.rawValue) \(s.value)") }
        for e in v.expectations { out.append("  " + formatExpectation(e, layout: scene.layout)) }
    }
    return out.joined(separator: "\n") + "\n"
}

/// An operation in its canonical spelling, e.g. "kvm map ghcb via=kmap" or "guest psc buf[1..2] private".
public func formatOperation(_ op: Operation, layout: Layout) -> String {
    var words = ["\(op.actor.rawValue) \(op.verb)"]
    if case .hostAlloc(let name) = op {
        words.append(name)
    } else if let target = op.target {
        words.append(formatPageTarget(target, layout: layout))
    }
    if let word = op.argumentWord { words.append(word) }
    if case .map(_, _, let via?) = op { words.append("via=\(via.rawValue)") }
    return words.joined(separator: " ")
}

/// `NAME` for a whole declaration, `NAME[i]` or `NAME[i..j]` for part of it.
public func formatPageTarget(_ target: PageTarget, layout: Layout) -> String {
    switch target {
    case .kernel(let name): return name
    case .guest(let index, let indices):
        guard layout.pages.indices.contains(index) else { return "page#\(index)" }
        let page = layout.pages[index]
        if indices.lowerBound == 0, indices.upperBound == page.count - 1 { return page.name }
        if indices.lowerBound == indices.upperBound { return "\(page.name)[\(indices.lowerBound)]" }
        return "\(page.name)[\(indices.lowerBound)..\(indices.upperBound)]"
    }
}

private func formatExpectation(_ e: Expectation, layout: Layout) -> String {
    var line = "expect " + (e.negated ? "no " : "") + (e.quantifier.map { $0.rawValue + " " } ?? "") + e.outcome.rawValue
    if let page = e.page { line += " " + (e.pageText ?? formatPageTarget(page, layout: layout)) }
    if let at = e.atStep { line += " at=\(at)" }
    return line
}

/// A string literal with the language's escapes; control characters cannot be written, so they are dropped.
public func escapedString(_ text: String) -> String {
    var out = "\""
    for u in text.unicodeScalars {
        switch u {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\t": out += "\\t"
        default:
            if u.value < 0x20 || (0x7f...0x9f).contains(u.value) { continue }
            out.unicodeScalars.append(u)
        }
    }
    return out + "\""
}

extension Scene {
    /// The scene with every source location zeroed, so two scenes can be compared by content alone.
    public var withoutLocations: Scene {
        let zero = SourceLocation(line: 0, column: 0, length: 0)
        var s = self
        s.config = config.map { Setting(key: $0.key, value: $0.value, location: zero) }
        s.steps = steps.map { step in
            var step = step
            step.location = zero
            step.operations = step.operations.map { OperationLine(operation: $0.operation, text: $0.text, location: zero) }
            return step
        }
        func strip(_ e: [Expectation]) -> [Expectation] {
            e.map { var e = $0; e.location = zero; return e }
        }
        s.expectations = strip(expectations)
        s.variants = variants.map { v in
            var v = v
            v.location = zero
            v.settings = v.settings.map { Setting(key: $0.key, value: $0.value, location: zero) }
            v.expectations = strip(v.expectations)
            return v
        }
        return s
    }
}
