// Golden text comparison shared by the test targets. Expected text lives either in the test (a
// multi-line literal) or in `Golden/<name>.txt` beside the test file, re-recorded with
// RMPVIZ_RECORD=1.
import Foundation
import Screen
import Testing

/// A line-by-line account of how `actual` differs from `expected`: each differing line shown
/// as `-` (expected) and `+` (actual) with its line number; "" when equal.
public func lineDiff(expected: String, actual: String) -> String {
    guard expected != actual else { return "" }
    let want = expected.split(separator: "\n", omittingEmptySubsequences: false)
    let got = actual.split(separator: "\n", omittingEmptySubsequences: false)
    var out: [String] = []
    for i in 0..<max(want.count, got.count) {
        let w = i < want.count ? String(want[i]) : nil
        let g = i < got.count ? String(got[i]) : nil
        guard w != g else { continue }
        let number = String(i + 1).padding(toLength: 4, withPad: " ", startingAt: 0)
        out.append("\(number)- \(w.map { "|\($0)|" } ?? "(no line)")")
        out.append("\(number)+ \(g.map { "|\($0)|" } ?? "(no line)")")
    }
    if out.isEmpty { out.append("(texts differ only in invisible characters)") }
    return out.joined(separator: "\n")
}

/// Expects `actual` to equal `expected`, reporting a line diff (with `|` marking line ends) when not.
public func expectText(
    _ actual: String, _ expected: String, sourceLocation: SourceLocation = #_sourceLocation
) {
    let diff = lineDiff(expected: expected, actual: actual)
    #expect(diff.isEmpty, "text differs:\n\(diff)\n--- actual:\n\(actual)", sourceLocation: sourceLocation)
}

/// Expects a grid's text form to equal `expected`.
public func expectGrid(_ grid: Grid, _ expected: String, sourceLocation: SourceLocation = #_sourceLocation) {
    expectText(grid.text, expected, sourceLocation: sourceLocation)
}

/// Compares `actual` with `Golden/<name>.txt` in the folder of the calling test file; with
/// RMPVIZ_RECORD=1 in the environment, writes the file instead and FAILS the test, so a blanket
/// re-record is never green: read the diff, then run again without RMPVIZ_RECORD.
public func expectGolden(
    _ actual: String, named name: String, filePath: String = #filePath,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    let folder = URL(fileURLWithPath: filePath).deletingLastPathComponent().appendingPathComponent("Golden")
    let file = folder.appendingPathComponent("\(name).txt")
    if ProcessInfo.processInfo.environment["RMPVIZ_RECORD"] == "1" {
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data((actual + "\n").utf8).write(to: file)
            Issue.record("recorded \(name).txt: a recording run always fails; check the diff and run again without RMPVIZ_RECORD",
                         sourceLocation: sourceLocation)
        } catch {
            Issue.record("could not record \(file.path): \(error)", sourceLocation: sourceLocation)
        }
        return
    }
    guard let data = FileManager.default.contents(atPath: file.path) else {
        Issue.record("no golden file \(file.path); run with RMPVIZ_RECORD=1 to create it", sourceLocation: sourceLocation)
        return
    }
    var expected = String(decoding: data, as: UTF8.self)
    if expected.hasSuffix("\n") { expected.removeLast() }
    let diff = lineDiff(expected: expected, actual: actual)
    #expect(diff.isEmpty, "\(name).txt differs (re-record with RMPVIZ_RECORD=1):\n\(diff)", sourceLocation: sourceLocation)
}
