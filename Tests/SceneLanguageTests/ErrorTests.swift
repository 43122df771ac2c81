import MemoryModel
import Testing
@testable import SceneLanguage

/// One scene with one error: where it must be reported and words its message must hold.
struct ErrorCase: Sendable, CustomTestStringConvertible {
    var name: String
    var lines: [String]
    var line: Int
    var column: Int
    var words: [String]
    var hint: String? = nil
    var testDescription: String { name }
    var text: String { lines.joined(separator: "\n") }
}

func diagnostics(_ text: String) -> [Diagnostic] {
    switch parseScene(text, path: "t.scene") {
    case .success: return []
    case .failure(let d): return Array(d)
    }
}

private let head = ["title \"t\"", "page a gfn=0x10 shared", "page buf gfn=0x20..0x23 private", "page ghcb gfn=0x30"]
private let oneStep = ["step \"s\"", "  kvm resume"]

let errorCases: [ErrorCase] = [
    ErrorCase(name: "unknown statement", lines: ["title \"t\"", "pagee a gfn=1"] + oneStep, line: 2, column: 1,
              words: ["unknown statement 'pagee'", "did you mean 'page'?"]),
    ErrorCase(name: "unknown actor", lines: head + ["step \"s\"", "  kmv resume"], line: 6, column: 3,
              words: ["unknown actor 'kmv'", "did you mean 'kvm'?"]),
    ErrorCase(name: "unknown verb", lines: head + ["step \"s\"", "  kvm mapp a"], line: 6, column: 7,
              words: ["unknown verb 'mapp' for 'kvm'", "did you mean 'map'?"]),
    ErrorCase(name: "verb of another actor", lines: head + ["step \"s\"", "  guest map a"], line: 6, column: 9,
              words: ["unknown verb 'map' for 'guest'"], hint: "verbs of guest: psc, pvalidate, read, write"),
    ErrorCase(name: "unknown option", lines: head + ["step \"s\"", "  kvm map a vai=pin"], line: 6, column: 13,
              words: ["unknown option 'vai'", "did you mean 'via'?"]),
    ErrorCase(name: "unknown via", lines: head + ["step \"s\"", "  host map a via=pinn"], line: 6, column: 18,
              words: ["unknown via 'pinn'", "did you mean 'pin'?"], hint: "valid values: kmap, pin, page_address, uaccess"),
    ErrorCase(name: "option on a statement without options", lines: head + ["step \"s\"", "  say \"x\" at=1"],
              line: 6, column: 11, words: ["unknown option 'at'", "takes no options"]),
    ErrorCase(name: "wrong option on a step", lines: head + ["step \"s\" at=1", "  kvm resume"],
              line: 5, column: 10, words: ["unknown option 'at'", "'step' takes lane="]),
    ErrorCase(name: "lane that is not a name", lines: head + ["step \"s\" lane=2nd", "  kvm resume"],
              line: 5, column: 15, words: ["invalid lane name '2nd'", "starts with a letter"]),
    ErrorCase(name: "lane given as a string", lines: head + ["step \"s\" lane=\"kvm\"", "  kvm resume"],
              line: 5, column: 15, words: ["lane= takes a name"]),
    ErrorCase(name: "at= on a quantified expectation", lines: head + oneStep + ["expect always host-panic at=1"],
              line: 7, column: 26, words: ["at= does not go with 'expect always'"]),
    ErrorCase(name: "no with a quantifier", lines: head + oneStep + ["expect no sometimes oops"],
              line: 7, column: 1, words: ["'expect no' does not combine with 'sometimes'"]),
    ErrorCase(name: "unknown outcome after a quantifier", lines: head + oneStep + ["expect never hostpanic"],
              line: 7, column: 14, words: ["unknown outcome 'hostpanic'", "did you mean 'host-panic'?"]),
    ErrorCase(name: "vmm refuse without UPM", lines: ["title \"t\"", "config kernel v5", "page a gfn=1", "step \"s\"", "  vmm refuse a"],
              line: 5, column: 3, words: ["'vmm refuse'", "needs 'upm on'", "kernel v5 has 'upm off'"]),
    ErrorCase(name: "unknown kernel", lines: ["title \"t\"", "config kernel mainlin"] + oneStep, line: 2, column: 15,
              words: ["invalid value 'mainlin' for 'kernel'", "did you mean 'mainline'?"]),
    ErrorCase(name: "unknown new setting value", lines: ["title \"t\"", "config gmem-alloc lazzy"] + oneStep, line: 2, column: 19,
              words: ["did you mean 'lazy'?"]),
    ErrorCase(name: "misspelt new key", lines: ["title \"t\"", "config kvm-mapp pin"] + oneStep, line: 2, column: 8,
              words: ["did you mean 'kvm-map'?"]),
    ErrorCase(name: "unknown config key", lines: ["title \"t\"", "config upn off"] + oneStep, line: 2, column: 8,
              words: ["unknown config key 'upn'", "did you mean 'upm'?"]),
    ErrorCase(name: "bad config value", lines: ["title \"t\"", "config upm maybe"] + oneStep, line: 2, column: 12,
              words: ["invalid value 'maybe' for 'upm'"], hint: "valid values: on, off"),
    ErrorCase(name: "close config value", lines: ["title \"t\"", "config allocator lowset"] + oneStep, line: 2, column: 18,
              words: ["invalid value 'lowset' for 'allocator'", "did you mean 'lowest'?"], hint: "valid values: lifo, lowest"),
    ErrorCase(name: "asid out of range", lines: ["title \"t\"", "config asid 1024"] + oneStep, line: 2, column: 13,
              words: ["invalid value '1024' for 'asid'"], hint: "asid is a number from 1 to 1023"),
    ErrorCase(name: "unknown outcome", lines: head + oneStep + ["expect host-panik"], line: 7, column: 8,
              words: ["unknown outcome 'host-panik'", "did you mean 'host-panic'?"]),
    ErrorCase(name: "unknown page", lines: head + ["step \"s\"", "  kvm map ghbc via=kmap"], line: 6, column: 11,
              words: ["unknown page 'ghbc'", "did you mean 'ghcb'?"]),
    ErrorCase(name: "unknown page in expect", lines: head + oneStep + ["expect host-panic bufs"], line: 7, column: 19,
              words: ["unknown page 'bufs'", "did you mean 'buf'?"]),
    ErrorCase(name: "operation outside a step", lines: head + ["kvm map a"] + oneStep, line: 5, column: 1,
              words: ["operation outside a step"]),
    ErrorCase(name: "operation after expectations", lines: head + oneStep + ["expect oops", "kvm resume"], line: 8,
              column: 1, words: ["operation outside a step"]),
    ErrorCase(name: "set outside a variant", lines: head + oneStep + ["set upm off"], line: 7, column: 1,
              words: ["'set' outside a variant"]),
    ErrorCase(name: "say outside a step", lines: head + ["say \"hello\""] + oneStep, line: 5, column: 1,
              words: ["'say' outside a step"]),
    ErrorCase(name: "note outside a step", lines: head + oneStep + ["variant v \"V\"", "  note \"x\""], line: 8, column: 3,
              words: ["'note' outside a step"]),
    ErrorCase(name: "header after steps", lines: head + oneStep + ["page b gfn=0x40"], line: 7, column: 1,
              words: ["'page' must come before the first step"]),
    ErrorCase(name: "config after steps", lines: head + oneStep + ["config upm off"], line: 7, column: 1,
              words: ["'config' must come before the first step"]),
    ErrorCase(name: "step after expectations", lines: head + oneStep + ["expect oops", "step \"late\""], line: 8,
              column: 1, words: ["'step' must come before the expectations and variants"]),
    ErrorCase(name: "expect before steps", lines: head + ["expect oops"] + oneStep, line: 5, column: 1,
              words: ["'expect' must come after the steps"]),
    ErrorCase(name: "variant before steps", lines: head + ["variant v \"V\""] + oneStep, line: 5, column: 1,
              words: ["'variant' must come after the steps"]),
    ErrorCase(name: "pfns twice", lines: ["title \"t\"", "pfns 0x100..0x1ff", "  pfns 0x100..0x1ff"] + oneStep,
              line: 3, column: 3, words: ["'pfns' given twice", "line 2"]),
    ErrorCase(name: "title twice", lines: ["title \"t\"", "title \"u\""] + oneStep, line: 2, column: 1,
              words: ["'title' given twice", "line 1"]),
    ErrorCase(name: "duplicate page", lines: head + ["page buf gfn=0x50"] + oneStep, line: 5, column: 6,
              words: ["duplicate page 'buf'", "line 3"]),
    ErrorCase(name: "duplicate variant", lines: head + oneStep + ["variant v \"V\"", "variant v \"W\""], line: 8,
              column: 9, words: ["duplicate variant 'v'", "line 7"]),
    ErrorCase(name: "overlapping gfn ranges", lines: head + ["page b gfn=0x22..0x2f"] + oneStep, line: 5, column: 8,
              words: ["0x22..0x2f", "page 'b' overlaps page 'buf'", "0x20..0x23"]),
    ErrorCase(name: "overlap with a later page declared lower", lines: ["title \"t\"", "page hi gfn=0x15",
              "page lo gfn=0x10..0x1f"] + oneStep, line: 3, column: 9, words: ["page 'lo' overlaps page 'hi'"]),
    ErrorCase(name: "more frames than the pool", lines: ["title \"t\"", "pfns 0x100..0x101", "page a gfn=0x10..0x12 private"]
              + oneStep, line: 2, column: 1, words: ["need 3 frames", "has only 2"]),
    ErrorCase(name: "more frames than the default pool", lines: ["title \"t\"", "page a gfn=0x10..0x4f shared",
              "page b gfn=0x50"] + oneStep, line: 3, column: 8, words: ["need 65 frames", "default pfn pool", "has only 64"]),
    ErrorCase(name: "at past the last step", lines: head + oneStep + ["expect oops at=2"], line: 7, column: 16,
              words: ["at=2", "past the last step", "has 1"]),
    ErrorCase(name: "at below one", lines: head + oneStep + ["expect oops at=0"], line: 7, column: 16,
              words: ["counted from 1"]),
    ErrorCase(name: "at with expect no", lines: head + oneStep + ["expect no oops at=1"], line: 7, column: 16,
              words: ["unknown option 'at'"]),
    ErrorCase(name: "unterminated string", lines: ["title \"t"] + oneStep, line: 1, column: 7, words: ["unterminated string"]),
    ErrorCase(name: "bad escape", lines: ["title \"a\\qb\""] + oneStep, line: 1, column: 9,
              words: ["bad escape '\\q'", "\\n"]),
    ErrorCase(name: "control character", lines: ["title \"a\u{01}b\""] + oneStep, line: 1, column: 9,
              words: ["control character U+0001"]),
    ErrorCase(name: "escape character", lines: ["title \"é\u{1B}[2J\""] + oneStep, line: 1, column: 9,
              words: ["control character U+001B"]),
    ErrorCase(name: "C1 control character", lines: ["title \"t\"", "step \"a\u{85}\"", "  kvm resume"], line: 2, column: 8,
              words: ["control character U+0085"]),
    ErrorCase(name: "delete character", lines: ["title \"t\"", "step \"s\"", "  say \"\u{7F}\""], line: 3, column: 8,
              words: ["control character U+007F"]),
    ErrorCase(name: "unexpected character", lines: ["title \"t\"", "page a, gfn=1"] + oneStep, line: 2, column: 7,
              words: ["unexpected character ','"]),
    ErrorCase(name: "missing title", lines: ["# nothing", "page a gfn=1"] + oneStep, line: 1, column: 1,
              words: ["missing 'title'"]),
    ErrorCase(name: "no steps", lines: head, line: 1, column: 1, words: ["no steps"]),
    ErrorCase(name: "index out of range", lines: head + ["step \"s\"", "  kvm map buf[4]"], line: 6, column: 15,
              words: ["index 4 is out of the range of page 'buf'", "0..3"]),
    ErrorCase(name: "index range out of range", lines: head + ["step \"s\"", "  guest psc buf[2..9] shared"], line: 6,
              column: 17, words: ["index 9 is out of the range"]),
    ErrorCase(name: "index range backwards", lines: head + ["step \"s\"", "  kvm map buf[3..1]"], line: 6, column: 15,
              words: ["range '3..1' is empty"]),
    ErrorCase(name: "gfn range backwards", lines: ["title \"t\"", "page a gfn=0x20..0x10"] + oneStep, line: 2, column: 12,
              words: ["range '0x20..0x10' is empty"]),
    ErrorCase(name: "name too long", lines: ["title \"t\"", "page " + String(repeating: "n", count: 33) + " gfn=1"]
              + oneStep, line: 2, column: 6, words: ["longer than the limit of 32 characters"]),
    ErrorCase(name: "number too large", lines: ["title \"t\"", "page a gfn=99999999999999999999999"] + oneStep,
              line: 2, column: 12, words: ["number '99999999999999999999999' is too large"]),
    ErrorCase(name: "gfn too large", lines: ["title \"t\"", "page a gfn=0x10000000000"] + oneStep, line: 2, column: 12,
              words: ["too large for a gfn", "0xffffffffff"]),
    ErrorCase(name: "too many pages", lines: ["title \"t\"", "page a gfn=0..0x100000 unbacked"] + oneStep, line: 2,
              column: 8, words: ["more than 1,048,576 pages (the limit)"]),
    ErrorCase(name: "pool over the limit", lines: ["title \"t\"", "pfns 0..0x100000"] + oneStep, line: 2, column: 6,
              words: ["over the limit of 1,048,576 frames"]),
    ErrorCase(name: "operation impossible under the config", lines: head + ["config upm off", "step \"s\"", "  kvm exit a"],
              line: 7, column: 3, words: ["'kvm exit'", "needs 'upm on'"]),
    ErrorCase(name: "operation impossible in a variant", lines: head + ["step \"s\"", "  vmm convert a private",
              "variant ok \"OK\"", "variant old \"Old\"", "  set upm off"], line: 6, column: 3,
              words: ["in variant 'old':", "'vmm convert' needs 'upm on'"]),
    ErrorCase(name: "kernel object as a guest page", lines: head + ["step \"s\"", "  host alloc k", "  kvm map k"],
              line: 7, column: 11, words: ["'k' is a kernel object", "'kvm map' needs a guest page"]),
    ErrorCase(name: "guest page as a kernel object", lines: head + ["step \"s\"", "  host alloc ghcb"], line: 6, column: 14,
              words: ["'ghcb' is a guest page", "needs a new name"]),
    ErrorCase(name: "kernel object allocated twice", lines: head + ["step \"s\"", "  host alloc k", "  host alloc k"],
              line: 7, column: 14, words: ["'k' is already allocated (line 6)"]),
    ErrorCase(name: "unknown set key", lines: head + oneStep + ["variant v \"V\"", "  set kmap-gaurd on"], line: 8,
              column: 7, words: ["unknown config key 'kmap-gaurd'", "did you mean 'kmap-guard'?"]),
    ErrorCase(name: "bad set value", lines: head + oneStep + ["variant v \"V\"", "  set rmpupdate fial"], line: 8,
              column: 17, words: ["invalid value 'fial' for 'rmpupdate'", "did you mean 'fail'?"], hint: "valid values: ok, fail"),
    ErrorCase(name: "missing kind", lines: head + ["step \"s\"", "  guest psc a"], line: 6, column: 14,
              words: ["'guest psc' needs 'private' or 'shared'"]),
    ErrorCase(name: "wrong kind", lines: head + ["step \"s\"", "  kvm rmpupdate a prvate"], line: 6, column: 19,
              words: ["needs 'private' or 'shared'", "did you mean 'private'?"]),
    ErrorCase(name: "extra argument", lines: head + ["step \"s\"", "  kvm resume a"], line: 6, column: 14,
              words: ["unexpected 'a' after 'kvm resume'"]),
    ErrorCase(name: "missing page", lines: head + ["step \"s\"", "  kvm unmap"], line: 6, column: 12,
              words: ["'kvm unmap' needs a page"]),
    ErrorCase(name: "unknown page state", lines: ["title \"t\"", "page a gfn=1 privat"] + oneStep, line: 2, column: 14,
              words: ["unknown page state 'privat'", "did you mean 'private'?"], hint: "valid states: shared, private, unbacked"),
    ErrorCase(name: "missing gfn", lines: ["title \"t\"", "page a shared"] + oneStep, line: 2, column: 6,
              words: ["page 'a' needs gfn=GFN"]),
]

@Test(arguments: errorCases)
func reportsError(_ c: ErrorCase) throws {
    let found = diagnostics(c.text)
    #expect(found.count == 1, "expected one error, got: \(found.map(\.message))")
    let d = try #require(found.first)
    for word in c.words {
        #expect(d.message.contains(word), "'\(d.message)' lacks '\(word)'")
    }
    #expect(d.location.line == c.line)
    #expect(d.location.column == c.column)
    if let hint = c.hint { #expect(d.hint == hint) }
    #expect(d.path == "t.scene")
}

@Test func rendersLikeACompiler() throws {
    let text = (head + ["step \"s\"", "  kvm map ghbc via=kmap"]).joined(separator: "\n")
    let d = try #require(diagnostics(text).first)
    #expect(d.rendered(source: text) == """
        t.scene:6:11: error: unknown page 'ghbc'; did you mean 'ghcb'?
          kvm map ghbc via=kmap
                  ^~~~
        """)
}

@Test func rendersAHintAfterTheCaret() throws {
    let text = "title \"t\"\nconfig upm maybe\nstep \"s\"\n  kvm resume"
    let d = try #require(diagnostics(text).first)
    #expect(d.rendered(source: text) == """
        t.scene:2:12: error: invalid value 'maybe' for 'upm'
        config upm maybe
                   ^~~~~
        valid values: on, off
        """)
}

@Test func columnsCountCharactersNotBytes() throws {
    let text = "title \"é\" # ü\nstep \"ça\" kvm\n  kvm resume"
    let d = try #require(diagnostics(text).first)
    #expect(d.location == SourceLocation(line: 2, column: 11, length: 3))
    #expect(d.rendered(source: text).hasSuffix("step \"ça\" kvm\n          ^~~"))
}

@Test func stopsAtTwentyErrors() {
    let bad = (1...30).map { "  kvm mapp a\($0)" }
    let found = diagnostics((head + ["step \"s\""] + bad).joined(separator: "\n"))
    #expect(found.count == 20)
    #expect(found.map(\.location.line) == Array(6...25))
}

@Test func reportsEveryErrorInFileOrder() {
    let text = (["config upm off", "page a gfn=1", "page a gfn=2", "step \"s\"", "  kvm exit a", "  kvm mapp a"])
        .joined(separator: "\n")
    let found = diagnostics(text)
    #expect(found.map(\.location.line) == [1, 3, 5, 6])
    #expect(found[0].message.contains("missing 'title'"))
    #expect(found[2].message.contains("needs 'upm on'"))
}

@Test func lineTooLong() throws {
    let text = "title \"t\"\n# " + String(repeating: "x", count: 4_095) + "\nstep \"s\"\n  kvm resume"
    let d = try #require(diagnostics(text).first)
    #expect(d.message.contains("limit of 4,096 bytes"))
    #expect(d.location.line == 2)
}

@Test func fileTooLarge() throws {
    let line = "# " + String(repeating: "x", count: 1_000) + "\n"
    let text = "title \"t\"\nstep \"s\"\n" + String(repeating: line, count: 1_100)
    let found = diagnostics(text)
    #expect(found.count == 1)
    #expect(found.first?.message.contains("limit of 1 MiB") == true)
}

@Test func tooManySteps() throws {
    let text = "title \"t\"\n" + String(repeating: "step \"s\"\n", count: 10_001)
    let found = diagnostics(text)
    #expect(found.count == 1)
    #expect(found.first?.message.contains("more than 10,000 steps (the limit)") == true)
    #expect(found.first?.location.line == 10_002)
}

@Test(arguments: [
    ([UInt8](), "the file is empty", 1, 1),
    (Array("title \"t\"\nstep \"".utf8) + [0xFF, 0x22], "not UTF-8", 2, 7),
    (Array("title \"".utf8) + [0xC3, 0x28], "not UTF-8", 1, 8),
    (Array("title \"t\"\n".utf8) + [0xED, 0xA0, 0x80], "not UTF-8", 2, 1),
])
func refusesBadFiles(bytes: [UInt8], words: String, line: Int, column: Int) {
    guard case .failure(let d) = parseScene(bytes: bytes, path: "b.scene") else {
        Issue.record("accepted a bad file")
        return
    }
    #expect(d.count == 1)
    #expect(d.first?.message.contains(words) == true)
    #expect(d.first?.location.line == line)
    #expect(d.first?.location.column == column)
}

@Test func didYouMeanOnlyForCloseNames() throws {
    let text = (head + ["step \"s\"", "  kvm map zzzzzz"]).joined(separator: "\n")
    let d = try #require(diagnostics(text).first)
    #expect(d.message == "unknown page 'zzzzzz'")
}

@Test func brokenDeclarationDoesNotCascade() {
    let text = ["title \"t\"", "page a gfn=zz", "step \"bad \\q\"", "  kvm map a", "  say \"x\""].joined(separator: "\n")
    let found = diagnostics(text)
    #expect(found.map(\.location.line) == [2, 3])
}
