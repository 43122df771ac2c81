import MemoryModel

/// The checks a whole file gets before its lines are read; shared by scenes and decks.
func fileProblem(_ bytes: [UInt8], path: String) -> Diagnostic? {
    let start = SourceLocation(line: 1, column: 1)
    if bytes.isEmpty { return Diagnostic(path: path, location: start, message: "the file is empty") }
    if bytes.count > SceneLimits.fileBytes {
        return Diagnostic(path: path, location: start,
                          message: "the file is larger than the limit of 1 MiB (1,048,576 bytes); it has \(bytes.count) bytes")
    }
    if let bad = firstInvalidUTF8(bytes) {
        return Diagnostic(path: path, location: location(ofByte: bad, in: bytes),
                          message: "the file is not UTF-8 text: byte \(hex(Int(bytes[bad]))) at offset \(bad) is invalid")
    }
    return nil
}

/// The checks that need the whole file: required statements, the layout as a whole, and whether
/// every operation can run under every config the scene will be run with.
extension SceneParser {
    mutating func finish() -> Result<Scene, Diagnostics> {
        let start = SourceLocation(line: 1, column: 1)
        if title == nil {
            sink.error("missing 'title': a scene needs a line like title \"What goes wrong\"", at: start)
        }
        if steps.isEmpty {
            sink.error("the scene has no steps: add a line like step \"KVM maps the page\"", at: start)
        }
        let layout = Layout(pages: pages, pfns: pfns ?? Layout.defaultPFNs)
        checkFrames(layout)
        checkOverlaps()
        checkOperations()
        guard sink.isEmpty, let title else { return .failure(Diagnostics(sink.sorted())) }
        return .success(Scene(path: sink.path, title: title, source: source, about: about, config: config,
                              layout: layout, steps: steps, expectations: expectations, variants: variants))
    }

    /// Every backed page takes a frame from the pool before the first step.
    private mutating func checkFrames(_ layout: Layout) {
        let pool = layout.pfns.upperBound - layout.pfns.lowerBound + 1
        guard layout.framesNeeded > pool else { return }
        var needed = 0
        var culprit = 0
        for (i, page) in pages.enumerated() where page.backing != .unbacked {
            needed += page.count
            if needed > pool { culprit = i; break }
        }
        let location = pfnsLocation ?? pageSites[culprit].gfn
        let pfnsText = pfnsLocation == nil ? "the default pfn pool" : "the pfn pool"
        sink.error("the pages need \(layout.framesNeeded) frames but \(pfnsText) \(hexRange(layout.pfns)) has only "
                   + "\(pool)", at: location,
                   hint: "declare a larger pool with 'pfns', or make some pages 'unbacked'")
    }

    /// Sorting by first gfn finds every overlap by comparing neighbours, without expanding ranges.
    private mutating func checkOverlaps() {
        let order = pages.indices.sorted { pages[$0].firstGFN < pages[$1].firstGFN }
        var reach: Int?
        for i in order {
            guard !sink.isFull else { return }
            if let r = reach, pages[i].firstGFN <= pages[r].gfns.upperBound {
                let (earlier, later) = r < i ? (r, i) : (i, r)
                sink.error("gfn range \(hexRange(pages[later].gfns)) of page '\(pages[later].name)' overlaps page "
                           + "'\(pages[earlier].name)' (\(hexRange(pages[earlier].gfns)), line "
                           + "\(pageSites[earlier].gfn.line))", at: pageSites[later].gfn)
            }
            if reach.map({ pages[i].gfns.upperBound > pages[$0].gfns.upperBound }) ?? true { reach = i }
        }
    }

    /// An operation the model cannot do under a config (e.g. `kvm exit` without UPM) is a scene error,
    /// not a surprise at run time: checked against each config the scene runs with.
    private mutating func checkOperations() {
        let probe = Scene(path: sink.path, title: "", config: config, layout: Layout(pages: []), steps: steps,
                          variants: variants)
        for d in probe.operationProblems() { sink.error(d.message, at: d.location, hint: d.hint) }
    }
}
