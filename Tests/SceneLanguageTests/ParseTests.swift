import MemoryModel
import Testing
@testable import SceneLanguage

func parsed(_ text: String, path: String = "t.scene") throws -> Scene {
    switch parseScene(text, path: path) {
    case .success(let scene): return scene
    case .failure(let d):
        Issue.record(Comment(rawValue: d.rendered(source: text)))
        throw d
    }
}

@Test func specExampleParses() throws {
    let scene = try parsed(Samples.ghcb)
    #expect(scene.title == "GHCB converted to private: double allocation or host panic")
    #expect(scene.source == "LKML, 2022-09-14, Marc Orr, Re: [PATCH Part2 v5 39/45]")
    #expect(scene.about == ["A malicious guest converts its GHCB page while KVM has it mapped."])
    #expect(scene.config.map(\.key) == [.upm])
    #expect(scene.layout == Layout(pages: [
        PageDeclaration(name: "ghcb", firstGFN: 0x10, count: 1, backing: .shared, label: "GHCB"),
        PageDeclaration(name: "buf", firstGFN: 0x20, count: 4, backing: .private),
    ], pfns: 0x100...0x10f))
    #expect(scene.steps.map(\.title) == ["KVM maps the GHCB", "The guest converts the GHCB to private",
                                         "KVM exits to the VMM", "The VMM converts the page", "KVM completes the request"])
    let ghcb = PageTarget.guest(page: 0, indices: 0...0)
    #expect(scene.steps.flatMap { $0.operations.map(\.operation) } == [
        .map(.kvm, ghcb, .kmap), .guestPSC(ghcb, .private), .kvmExit(ghcb), .vmmConvert(ghcb, .private),
        .kernelAccess(.kvm, ghcb, write: true), .kvmResume,
    ])
    #expect(scene.steps[0].say == ["KVM has the GHCB page mapped in. The GHCB is always assumed shared."])
    #expect(scene.steps[0].notes == ["Point at the direct map pane: the kmap is tracked there."])
    #expect(scene.steps[0].operations[0].text == "kvm map ghcb via=kmap")
    #expect(scene.steps[0].operations[0].location == SourceLocation(line: 13, column: 3, length: 21))
    #expect(scene.expectations.map(\.outcome) == [.guestVC])
    #expect(scene.expectations[0].negated)
    #expect(scene.variants.map(\.name) == ["keep", "discard"])
    #expect(scene.variants[0].expectations.map(\.outcome) == [.doubleAllocation, .hostPanic])
    #expect(scene.variants[0].expectations[0].page == ghcb)
    #expect(scene.variants[0].expectations[0].pageText == "ghcb")
    #expect(scene.variants[1].settings.map(\.key) == [.discardOnConvert])
    #expect(scene.config(for: scene.variants[1]).discardOnConvert)
    #expect(!scene.config(for: scene.variants[0]).discardOnConvert)
}

@Test func secondSampleParses() throws {
    let scene = try parsed(Samples.noUPM)
    #expect(scene.about[1] == "Second, with a \"quote\" and a tab:\tand a line\nbreak.")
    #expect(scene.baseConfig.upm == false)
    #expect(scene.baseConfig.asid == 0x20)
    #expect(scene.layout.pfns == 0x200...0x2ff)
    #expect(scene.layout.pages[0].gfns == 0x40...0x47)
    #expect(scene.layout.pages[1].backing == .unbacked)
    let data = { (r: ClosedRange<Int>) in PageTarget.guest(page: 0, indices: r) }
    let spare = PageTarget.guest(page: 1, indices: 0...0)
    let scratch = PageTarget.kernel(name: "scratch")
    #expect(scene.steps.flatMap { $0.operations.map(\.operation) } == [
        .hostAlloc("scratch"), .map(.host, scratch, .pageAddress), .kernelAccess(.host, scratch, write: true),
        .guestPSC(data(2...2), .shared), .guestPValidate(data(2...3), on: false), .kvmRMPUpdate(data(2...2), .shared),
        .kvmResume,
        .map(.host, data(0...1), .pin), .kernelAccess(.host, data(0...0), write: true), .unmap(.host, data(0...1)),
        .vmmAccess(data(0...7), write: false), .vmmAccess(spare, write: true),
        .guestAccess(data(7...7), write: false, cbit: .private), .guestAccess(spare, write: true, cbit: nil),
        .kvmFaultIn(spare), .map(.kvm, data(4...4), .uaccess), .kernelAccess(.kvm, data(4...4), write: false),
        .unmap(.kvm, data(4...4)),
    ])
    #expect(scene.steps[1].operations[1].text == "guest pvalidate data[2..3] off")
    let e = scene.expectations
    #expect(e[0] == Expectation(negated: false, outcome: .hostPanic, page: data(0...0), pageText: "data[0]", atStep: 3,
                                location: e[0].location))
    #expect(e[2].page == scratch)
}

@Test(arguments: [
    ("guest read a shared", Operation.guestAccess(.guest(page: 0, indices: 0...0), write: false, cbit: .shared)),
    ("vmm alloc b[1] private", .vmmAlloc(.guest(page: 1, indices: 1...1), .private)),
    ("vmm discard b[0..1] shared", .vmmDiscard(.guest(page: 1, indices: 0...1), .shared)),
    ("vmm set-attr b private", .vmmSetAttr(.guest(page: 1, indices: 0...2), .private)),
    ("guest pvalidate b[0x2] on", .guestPValidate(.guest(page: 1, indices: 2...2), on: true)),
    ("host map a", .map(.host, .guest(page: 0, indices: 0...0), nil)),  // the run picks the default
    ("host read a", .kernelAccess(.host, .guest(page: 0, indices: 0...0), write: false)),
    ("kvm   unmap\ta   # gone", .unmap(.kvm, .guest(page: 0, indices: 0...0))),
])
func operationGrammar(text: String, expected: Operation) throws {
    let scene = try parsed("title \"t\"\npage a gfn=1\npage b gfn=0x10..0x12\nstep \"s\"\n  \(text)")
    let line = try #require(scene.steps.first?.operations.first)
    #expect(line.operation == expected)
    #expect(!line.text.contains("  ") && !line.text.contains("\t") && !line.text.contains("#"))
}

@Test func stringEscapes() throws {
    let scene = try parsed(#"title "a\"b\\c\nd\te""# + "\nstep \"s\"\n  say \"é 😀\"")
    #expect(scene.title == "a\"b\\c\nd\te")
    #expect(scene.title.contains("\n"))
    #expect(scene.steps[0].say == ["é 😀"])
}

@Test func stepsRunUntilTheNextSection() throws {
    let scene = try parsed("""
        title "t"
        page a gfn=1
        step "one"
          kvm map a
          say "x"
        step "two"
          kvm unmap a
          note "n"
        expect oops at=2
        expect no efault a
        variant v "V"
          set kmap-guard on
          set asid 7
          expect guard-flip
        variant w "W"
        """)
    #expect(scene.steps.map { $0.operations.count } == [1, 1])
    #expect(scene.steps[1].notes == ["n"])
    #expect(scene.expectations.count == 2)
    #expect(scene.expectations[0].atStep == 2)
    #expect(scene.variants[0].settings.map(\.value) == ["on", "7"])
    #expect(scene.config(for: scene.variants[0]).asid == 7)
    #expect(scene.variants[1].expectations.isEmpty)
}

@Test func largeRangesAreCheckedWithoutExpanding() throws {
    let text = """
        title "big"
        pfns 0..0xfffff
        page a gfn=0x100000..0x13ffff private
        page b gfn=0x140000..0x17ffff unbacked
        page c gfn=0..0x3ffff
        step "s"
          kvm map a[262143]
        """
    let scene = try parsed(text)
    #expect(scene.layout.framesNeeded == 0x80000)
    #expect(scene.steps[0].operations[0].operation == .map(.kvm, .guest(page: 0, indices: 262_143...262_143), nil))
}

@Test func parsesAFileNearTheSizeLimit() throws {
    var text = "title \"big\"\npfns 0..0xfffff\n"
    for p in 0..<1_000 { text += "page p\(p) gfn=\(hex(p * 1_000))..\(hex(p * 1_000 + 999)) unbacked\n" }
    for s in 0..<10_000 {
        text += "step \"step \(s)\"\n  kvm map p\(s % 1_000)[\(s % 1_000)] via=pin\n  guest psc p\(s % 997) private\n"
            + "  say \"step \(s)\"\n"
    }
    #expect(text.utf8.count > 900_000 && text.utf8.count <= SceneLimits.fileBytes)
    let scene = try parsed(text)
    #expect(scene.steps.count == 10_000)
    #expect(scene.layout.pages.count == 1_000)
    #expect(scene.steps[9_999].operations[1].operation == .guestPSC(.guest(page: 9_999 % 997, indices: 0...999), .private))
}
