// Issue 9, "the command line, like git and rustc", with the real binary: did-you-mean for commands
// and scene names, a deck refused where one scene is needed, diagnostics coloured on a terminal and
// closed by a count, one error for a misspelt option, every theme error at once, `export -o DIR`
// making its folder, the `check --fit` summary, exit 69 without a terminal, and the help text.
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A scene of `lines` after a valid header.
private func scene(_ lines: [String]) -> String {
    (["title \"t\"", "pfns 0x100..0x10f"] + lines).joined(separator: "\n") + "\n"
}

/// Runs the binary with standard error on a new pseudo-terminal (standard output a pipe, standard
/// input /dev/null), so it sees a terminal exactly where diagnostics go. `NO_COLOR` is removed
/// unless `noColor` is given. Returns the status and what reached the terminal, `\r\n` made `\n`.
private func runWithTerminalStderr(_ arguments: [String], noColor: String? = nil) throws -> (status: Int32, err: String) {
    // posix_openpt and friends are not in Swift's Glibc module: Linux's own ioctls do the same
    // (TIOCSPTLCK unlocks the new terminal, TIOCGPTN gives its number; asm-generic values).
    let master = open("/dev/ptmx", O_RDWR | O_NOCTTY)
    try #require(master >= 0, "no pseudo-terminal")
    defer { close(master) }
    var unlock: Int32 = 0
    var number: UInt32 = 0
    try #require(ioctl(master, 0x4004_5431, &unlock) == 0 && ioctl(master, 0x8004_5430, &number) == 0)
    let slave = open("/dev/pts/\(number)", O_RDWR | O_NOCTTY)
    try #require(slave >= 0)

    let process = Process()
    process.executableURL = BinaryRunner.binary
    process.arguments = arguments
    process.currentDirectoryURL = BinaryRunner.packageRoot
    var env = ProcessInfo.processInfo.environment
    env["NO_COLOR"] = noColor
    env["TERM"] = "xterm-256color"
    env["LANG"] = "C.UTF-8"
    env["LC_ALL"] = "C.UTF-8"
    process.environment = env
    let out = Pipe()
    process.standardOutput = out
    process.standardError = FileHandle(fileDescriptor: slave, closeOnDealloc: false)
    process.standardInput = FileHandle.nullDevice
    try process.run()
    close(slave)
    _ = out.fileHandleForReading.readDataToEndOfFile()

    // Read until the child's end of the terminal is closed (EIO on Linux).
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 4096)
    while true {
        let n = chunk.withUnsafeMutableBytes { read(master, $0.baseAddress, $0.count) }
        if n > 0 { bytes += chunk[0..<n]; continue }
        if n < 0, errno == EINTR { continue }
        break
    }
    process.waitUntilExit()
    let text = String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n")
    return (process.terminationStatus, text)
}

@Suite("issue 9: the command line, like git and rustc")
struct CommandLinePolishTests {
    // MARK: 1. did you mean

    @Test("a misspelt command is suggested, not opened as a scene", arguments: [["chek", "ghcb-upm"], ["chek"], ["lst"]])
    func misspeltCommand(_ arguments: [String]) throws {
        let r = try BinaryRunner.run(arguments)
        expectStatus(r, 64)
        let expected = arguments[0] == "lst" ? "'list'" : "'check'"
        #expect(r.err == "rmpviz: unknown command '\(arguments[0])'; did you mean \(expected)?\n", r.summary)
        #expect(r.out.isEmpty)
    }

    @Test("a misspelt built-in scene is suggested, by check and by the viewer")
    func misspeltScene() throws {
        for arguments in [["check", "ghcb-upn"], ["ghcb-upn"], ["run", "ghcb-upn.scene"]] {
            let r = try BinaryRunner.run(arguments)
            expectStatus(r, 66)
            #expect(r.err.contains("ghcb-upn") && r.err.contains("no built-in scene of that name; did you mean 'ghcb-upm'?"), r.summary)
        }
        // A deck that names a misspelt scene gets the same suggestion at its line.
        let tmp = try TempFolder()
        defer { tmp.remove() }
        let deck = try tmp.write("my.deck", "title \"d\"\nscene ghcb-upn\n")
        let d = try BinaryRunner.run(["check", deck])
        expectStatus(d, 65)
        #expect(d.err.contains("my.deck:2:7: error: scene 'ghcb-upn' not found") && d.err.contains("did you mean 'ghcb-upm'?"), d.summary)
    }

    @Test("a word far from every name gets no suggestion; a file of a command-like name is opened")
    func noSuggestion() throws {
        let far = try BinaryRunner.run(["check", "zzzzzz"])
        expectStatus(far, 66)
        #expect(!far.err.contains("did you mean") && far.err.contains("see 'rmpviz list'"), far.summary)

        // `chek` is a file here: the viewer opens it (and, without a terminal, exits 69), no suggestion.
        let tmp = try TempFolder()
        defer { tmp.remove() }
        try tmp.write("chek", try sceneFile("upm-basics.scene"))
        let r = try BinaryRunner.run(["chek"], in: tmp.url)
        expectStatus(r, 69)
        #expect(!r.err.contains("unknown command"), r.summary)
    }

    // MARK: 2. a deck where one scene is needed

    @Test("a deck given to the viewer, run or explore points at present", arguments: [[], ["run"], ["explore"]])
    func deckPointsAtPresent(_ command: [String]) throws {
        let r = try BinaryRunner.run(command + ["talk"])
        expectStatus(r, 64)
        #expect(r.err.contains("talk is a deck") && r.err.contains("use 'rmpviz present talk' instead"), r.summary)
        #expect(r.err.contains("name one of its scenes: ") && r.err.contains("ghcb-upm"), r.summary)
        #expect(r.out.isEmpty)
    }

    @Test("a deck of one scene is refused too, not run as that scene")
    func oneSceneDeck() throws {
        let tmp = try TempFolder()
        defer { tmp.remove() }
        try tmp.write("a.scene", try sceneFile("upm-basics.scene"))
        let deck = try tmp.write("one.deck", "title \"one\"\nscene a.scene\n")
        let r = try BinaryRunner.run(["run", deck])
        expectStatus(r, 64)
        #expect(r.err.contains("use 'rmpviz present \(deck)' instead") && r.err.contains(tmp.path("a.scene")), r.summary)
        #expect(r.out.isEmpty)
    }

    // MARK: 3. diagnostics: colour on a terminal, a count line

    static let threeErrors = scene(["page p gfn=0x10", "step \"s\"", "  kvm mapp p", "  guest psc p privat", "  host frob"])

    @Test("plain diagnostics end with a count line and carry no escape sequence")
    func countLine() throws {
        let tmp = try TempFolder()
        defer { tmp.remove() }
        let three = try tmp.write("three.scene", Self.threeErrors)
        let r = try BinaryRunner.run(["check", three])
        expectStatus(r, 65)
        #expect(r.err.hasSuffix("\n3 errors\n"), r.summary)
        #expect(r.err.components(separatedBy: ": error: ").count - 1 == 3, r.summary)
        #expect(!r.err.contains("\u{1B}"), r.summary)

        let one = try tmp.write("one.scene", scene(["page p gfn=0x10", "step \"s\"", "  kvm mapp p"]))
        let r1 = try BinaryRunner.run(["run", one])
        expectStatus(r1, 65)
        #expect(r1.err.hasSuffix("\nverbs of kvm: map, unmap, read, write, exit, fault-in, rmpupdate, resume\n1 error\n"), r1.summary)

        let many = try tmp.write("many.scene", scene(["page p gfn=0x10", "step \"s\""] + (1...30).map { "  kvm mapp p\($0)" }))
        let r2 = try BinaryRunner.run(["check", many])
        expectStatus(r2, 65)
        #expect(r2.err.hasSuffix("\n20 errors (stopped after 20)\n"), r2.summary)
    }

    @Test("a deck and its scenes' errors are counted together")
    func deckCount() throws {
        let tmp = try TempFolder()
        defer { tmp.remove() }
        try tmp.write("bad.scene", Self.threeErrors)
        let deck = try tmp.write("d.deck", "title \"d\"\nscene bad.scene\nscene nowhere.scene\n")
        let r = try BinaryRunner.run(["check", deck])
        expectStatus(r, 65)
        #expect(r.err.hasSuffix("\n4 errors\n"), r.summary)
    }

    @Test("on a terminal, error: is bold red and the caret green; NO_COLOR turns it off")
    func colouredOnATerminal() throws {
        let tmp = try TempFolder()
        defer { tmp.remove() }
        let path = try tmp.write("one.scene", scene(["page p gfn=0x10", "step \"s\"", "  kvm mapp p"]))
        let r = try runWithTerminalStderr(["check", path])
        #expect(r.status == 65, "\(r.err)")
        #expect(r.err.contains("\u{1B}[1;31merror:\u{1B}[0m"), "no bold red error: \(r.err.debugDescription)")
        #expect(r.err.contains("\n      \u{1B}[1;32m^~~~\u{1B}[0m\n"), "no green caret under 'mapp': \(r.err.debugDescription)")
        #expect(r.err.contains("\u{1B}[1m\(path):5:7: \u{1B}[0m"), "the location is not bold: \(r.err.debugDescription)")
        #expect(r.err.hasSuffix("1 error\n"), "\(r.err.debugDescription)")

        let plain = try runWithTerminalStderr(["check", path], noColor: "1")
        #expect(plain.status == 65)
        #expect(!plain.err.contains("\u{1B}"), "colour with NO_COLOR set: \(plain.err.debugDescription)")
        #expect(plain.err.contains("\(path):5:7: error: unknown verb 'mapp'"), "\(plain.err)")
        // A theme error is a diagnostic too.
        let theme = try tmp.write("bad.theme", "name x\ntitle red default\n")
        let t = try runWithTerminalStderr(["export", "upm-basics", "--theme", theme])
        #expect(t.status == 65)
        #expect(t.err.contains("\u{1B}[1;31merror:\u{1B}[0m"), "\(t.err.debugDescription)")
    }

    // MARK: 4. a misspelt option: one error, not a cascade

    @Test("a misspelt option of a page declaration is the only error", arguments: [
        ("page ghcb gfn=0x10 shared lable=\"GHCB\"", "unknown option 'lable'; did you mean 'label'?"),
        ("page ghcb gfnn=0x10", "unknown option 'gfnn'; did you mean 'gfn'?"),
        ("page ghcb gfn=0x10 gfn=0x11", "option 'gfn' given twice"),
    ])
    func pageOptionTypo(_ declaration: String, _ message: String) throws {
        let tmp = try TempFolder()
        defer { tmp.remove() }
        let path = try tmp.write("typo.scene", scene([
            declaration,
            "step \"KVM maps the GHCB\"", "  kvm map ghcb via=kmap",
            "step \"The guest converts it\"", "  guest psc ghcb private", "  kvm exit ghcb", "  vmm convert ghcb private",
            "step \"KVM writes\"", "  kvm write ghcb",
            "expect no double-allocation ghcb",
        ]))
        let r = try BinaryRunner.run(["check", path])
        expectStatus(r, 65)
        #expect(r.err.contains("typo.scene:3:") && r.err.contains(message), r.summary)
        #expect(!r.err.contains("unknown page") && !r.err.contains("needs gfn"), r.summary)
        #expect(r.err.hasSuffix("\n1 error\n"), r.summary)
    }

    @Test("a misspelt option of an operation or a header statement is the only error")
    func otherOptionTypos() throws {
        let tmp = try TempFolder()
        defer { tmp.remove() }
        // The kernel object `buf` is still allocated, the title still given, the setting still made.
        let path = try tmp.write("typo.scene", """
            title "t" subtitle="x"
            config upm off x=1
            pfns 0x100..0x10f
            page p gfn=0x10
            step "s" lan=a
              host alloc buf lable=x
              host write buf
              kvm map p vai=kmap
              kvm rmpupdate p private
            """)
        let r = try BinaryRunner.run(["check", path])
        expectStatus(r, 65)
        for (line, word) in [(1, "subtitle"), (2, "x"), (5, "lan"), (6, "lable"), (8, "vai")] {
            #expect(r.err.contains("typo.scene:\(line):") && r.err.contains("unknown option '\(word)'"), "line \(line): \(r.summary)")
        }
        #expect(!r.err.contains("unknown page") && !r.err.contains("missing 'title'") && !r.err.contains("needs 'upm"), r.summary)
        #expect(r.err.hasSuffix("\n5 errors\n"), r.summary)
    }

    // MARK: 5. theme files: every error, with its column

    @Test("every error of a theme file, each at its column with a caret, exits 65")
    func themeErrors() throws {
        let tmp = try TempFolder()
        defer { tmp.remove() }
        let path = try tmp.write("bad.theme", "name mine\ntitle red default\nfrobnicate #ffffff default\nfatal   #ffffff blue\nbackground\n")
        let r = try BinaryRunner.run(["export", "upm-basics", "--format", "svg", "--theme", path])
        expectStatus(r, 65)
        #expect(r.out.isEmpty)
        #expect(r.err.contains("\(path):2:7: error: colours are #rrggbb or default; found 'red'\ntitle red default\n      ^~~\n"), r.summary)
        #expect(r.err.contains("\(path):3:1: error: unknown role 'frobnicate'"), r.summary)
        #expect(r.err.contains("\(path):4:17: error: colours are #rrggbb or default; found 'blue'\nfatal   #ffffff blue\n                ^~~~\n"), r.summary)
        #expect(r.err.contains("\(path):5:11: error: expected: background #rrggbb\nbackground\n          ^\n"), r.summary)
        #expect(r.err.hasSuffix("\n4 errors\n"), r.summary)
    }

    // MARK: 6. export -o DIR makes its folder

    @Test("svg -o DIR creates the folder when its parent exists", arguments: ["frames", "frames/"])
    func exportCreatesTheFolder(_ name: String) throws {
        let tmp = try TempFolder()
        defer { tmp.remove() }
        let r = try BinaryRunner.run(["export", "upm-basics", "--format", "svg", "--size", "80x24", "-o", tmp.path(name)])
        expectStatus(r, 0)
        let files = try FileManager.default.contentsOfDirectory(atPath: tmp.path("frames")).sorted()
        #expect(files.count == 16 && files.first == "action-0001.svg" && files.last == "action-0016.svg", "\(files)")
    }

    @Test("svg -o DIR whose parent is missing exits 73 and creates nothing")
    func exportMissingParent() throws {
        let tmp = try TempFolder()
        defer { tmp.remove() }
        let r = try BinaryRunner.run(["export", "upm-basics", "--format", "svg", "-o", tmp.path("no/frames")])
        expectStatus(r, 73)
        #expect(r.err.contains("does not exist"), r.summary)
        #expect(try FileManager.default.contentsOfDirectory(atPath: tmp.url.path).isEmpty)
    }

    @Test("a failed svg export takes away the folder it made")
    func exportFailureRemovesTheFolder() throws {
        let tmp = try TempFolder()
        defer { tmp.remove() }
        let r = try BinaryRunner.run(["export", "upm-basics", "--format", "svg", "--step", "99", "-o", tmp.path("frames")])
        expectStatus(r, 64)
        #expect(try FileManager.default.contentsOfDirectory(atPath: tmp.url.path).isEmpty)
        // A name ending in .svg is still one file.
        let one = try BinaryRunner.run(["export", "upm-basics", "--format", "svg", "-o", tmp.path("last.svg")])
        expectStatus(one, 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: tmp.url.path) == ["last.svg"])
    }

    // MARK: 7. check --fit: a summary

    /// `steps` steps of `actions` actions each, every frame too wide for 80×24.
    static func wideScene(steps: Int, actions: Int) -> String {
        var lines = ["page p gfn=0x10 shared label=\"a very long page label a very long page label a very long pa\""]
        for s in 1...steps {
            lines.append("step \"Step \(s): a title that goes on and on, far longer than any narrow terminal could ever show\"")
            for a in 0..<actions { lines.append(a % 2 == 0 ? "  guest write p" : "  guest read p") }
        }
        return scene(lines)
    }

    @Test("check --fit prints one line per step, not per frame, then the counts and the worst")
    func fitSummary() throws {
        let tmp = try TempFolder()
        defer { tmp.remove() }
        let path = try tmp.write("wide.scene", Self.wideScene(steps: 2, actions: 3))
        let r = try BinaryRunner.run(["check", "--fit", "80x24", path])
        expectStatus(r, 1)
        let steps = r.outLines.filter { $0.hasPrefix("fit  ") }
        #expect(steps.count == 2, "\(r.out)")
        #expect(steps.first?.contains("wide.scene - step 1 action 1: ") == true && steps.first?.hasSuffix("(and 2 more frames of step 1)") == true, "\(steps)")
        #expect(steps.last?.contains(" step 2 action 4: ") == true, "\(steps)")
        let summary = try #require(r.outLines.last)
        #expect(summary.hasPrefix("fit: 6 frames checked at 80x24, 6 with problems (in 2 steps); worst: \(path) - step "), "\(summary)")
        #expect(summary.range(of: #"action \d+, \d+ problems$"#, options: .regularExpression) != nil, "\(summary)")
    }

    @Test("check --fit shows the first ten steps and counts the rest")
    func fitFirstFew() throws {
        let tmp = try TempFolder()
        defer { tmp.remove() }
        let path = try tmp.write("long.scene", Self.wideScene(steps: 12, actions: 1))
        let r = try BinaryRunner.run(["check", "--fit", "80x24", path])
        expectStatus(r, 1)
        let steps = r.outLines.filter { $0.hasPrefix("fit  ") }
        #expect(steps.count == 11 && steps.last == "fit  … and 2 more steps with frames that do not fit", "\(r.out)")
        #expect(r.outLines.last?.hasPrefix("fit: 12 frames checked at 80x24, 12 with problems (in 12 steps); worst: ") == true, "\(r.out)")
    }

    // MARK: 8. no usable terminal

    @Test("no usable terminal exits 69, not 1", arguments: [["ghcb-upm"], ["present", "talk"], ["notes", "/nonexistent/notes.txt"]])
    func noTerminal(_ arguments: [String]) throws {
        let r = try BinaryRunner.run(arguments)
        expectStatus(r, 69)
        #expect(r.err.contains("terminal") && r.err.contains("rmpviz run"), r.summary)
    }

    // MARK: 9. help

    @Test("the root help lists every exit status")
    func rootHelpExitStatuses() throws {
        let r = try BinaryRunner.run(["--help"])
        expectStatus(r, 0)
        for code in ["0", "1", "64", "65", "66", "69", "73", "129", "130", "143"] {
            #expect(r.out.contains("\n  \(code) "), "exit status \(code) missing: \(r.out)")
        }
    }

    @Test("no help discussion is broken in the middle of a sentence",
          arguments: [[], ["view"], ["check"], ["run"], ["explore"], ["list"], ["present"], ["notes"], ["export"], ["bench"]])
    func helpNotHardWrapped(_ command: [String]) throws {
        // At a very wide terminal, the parser wraps nothing: every line is as written.
        let env = ["COLUMNS=1000"]
        let r = try BinaryRunner.run(["env"] + env + [BinaryRunner.binary.path] + command + ["--help"],
                                     executable: URL(fileURLWithPath: "/usr/bin/env"))
        expectStatus(r, 0)
        let text = r.out.components(separatedBy: "\nUSAGE:")[0]
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for (a, b) in zip(lines, lines.dropFirst()) {
            // A sentence cut in two: a line ending inside it, the next going on in lower case.
            let cut = a.last.map { $0.isLowercase || $0 == "," } == true
                && b.first.map { $0.isLowercase || $0 == "/" || $0 == "?" } == true
            #expect(!cut, "a sentence broken across lines in \(command) --help:\n\(a)\n\(b)")
        }
        if command == ["view"] {
            #expect(text.contains("Keys: → Space next action, ← previous, ] [ step, v variant, c compare, Tab table, Enter page history, / find, ? help, q quit."))
        }
    }
}
