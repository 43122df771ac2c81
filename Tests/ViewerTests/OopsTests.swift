import MemoryModel
import Testing
import TestSupport
import Viewer

/// memory-model.md, The oops: the kernel's lines per kernel, written out by hand from the spec,
/// and rmpviz's explanation kept apart from them.
@Suite struct OopsTests {
    static func outcome(_ kind: OutcomeKind, _ fault: FaultInfo) -> Outcome {
        Outcome(kind: kind, page: "ghcb", gfn: 0x10, frame: fault.frame, reason: "test", fault: fault)
    }

    @Test(arguments: [Kernel.thread, .v5])
    func a2022KernelPanicsOnANotPresentWrite(kernel: Kernel) {
        let fault = FaultInfo(kind: .notPresent, write: true, holder: .kvm, via: .kmap, frame: 0x101)
        let oops = KernelOops(Self.outcome(.hostPanic, fault), fault: fault, kernel: kernel, rmpGFN: 0x30, asid: 1)
        expectText(oops.kernelLines.joined(separator: "\n"), """
            BUG: unable to handle page fault for address: ffff888000101000
            #PF: supervisor write access in kernel mode
            #PF: error_code(0x0002) - not-present page
            PGD 1a01067 P4D 1a01067 PUD 1a02067 PMD 1a03067 PTE 0
            Oops: 0002 [#1] PREEMPT SMP NOPTI
            CR2: ffff888000101000
            Kernel panic - not syncing: Fatal exception
            """)
        #expect(oops.explanation.contains { $0.contains("kvm mapped ghcb (gfn 0x10) via kmap") })
        #expect(!oops.explanation.contains { $0.hasPrefix("Oops") || $0.hasPrefix("BUG") })
    }

    @Test func mainlinePrintsTheRMPEntryAndNoPanicLineForAnOops() {
        let fault = FaultInfo(kind: .rmpViolation, write: true, holder: .kvm, via: .pin, frame: 0x101)
        let oops = KernelOops(Self.outcome(.oops, fault), fault: fault, kernel: .mainline, rmpGFN: 0x30, asid: 1)
        // lo: Assigned (bit 0) | GPA 0x30000 (bits 12–50) | ASID 1 (bit 51).
        expectText(oops.kernelLines.joined(separator: "\n"), """
            BUG: unable to handle page fault for address: ffff888000101000
            #PF: supervisor write access in kernel mode
            #PF: error_code(0x80000003) - RMP violation
            PGD 1a01067 P4D 1a01067 PUD 1a02067 PMD 1a03067 PTE 8000000000101163
            SEV-SNP: PFN 0x101, RMP entry: [0x0008000000030001 - 0x0000000000000000]
            Oops: Oops: 0003 [#1] SMP NOPTI
            CR2: ffff888000101000
            """)
        #expect(oops.explanation.last?.contains("panic_on_oops=0") == true)
    }

    @Test func aReadSaysReadAndHasNoWriteBit() {
        let fault = FaultInfo(kind: .notPresent, write: false, holder: .host, via: .pageAddress, frame: 0x100)
        let oops = KernelOops(Self.outcome(.hostPanic, fault), fault: fault, kernel: .mainline, rmpGFN: nil, asid: 1)
        #expect(oops.kernelLines[1] == "#PF: supervisor read access in kernel mode")
        #expect(oops.kernelLines[2] == "#PF: error_code(0x0000) - not-present page")
        #expect(oops.kernelLines.contains("Oops: Oops: 0000 [#1] SMP NOPTI"))
        #expect(!oops.kernelLines.contains { $0.hasPrefix("SEV-SNP") }, "no RMP line for a not-present fault")
        #expect(oops.kernelLines.last == "Kernel panic - not syncing: Fatal exception")
    }

    /// In the viewer the explanation sits under its own heading, after the kernel's last line.
    @Test func theViewerSetsTheExplanationApart() throws {
        var s = try Fixture.state("ghcb-upm", width: 160, height: 45)
        let discard = try #require(s.traces.firstIndex { $0.ending.description == "host-panic" })
        while s.variant != discard { s.handle(.char("v")) }
        s.handle(.char("G"))
        let lines = s.render().lines
        let panic = try #require(lines.firstIndex { $0.contains("Kernel panic - not syncing: Fatal exception") })
        let heading = try #require(lines.firstIndex { $0.contains(KernelOops.explanationHeading) })
        #expect(heading > panic, "the explanation comes after the kernel's lines")
        #expect(lines.contains { $0.contains("Oops: 0002 [#1] PREEMPT SMP NOPTI") })
        #expect(!lines.contains { $0.contains("Oops: 0x") }, "no kernel prints 'Oops: 0x…'")
    }
}
