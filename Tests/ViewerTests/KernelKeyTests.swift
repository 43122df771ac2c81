import MemoryModel
import Screen
import Testing
import TestSupport
import Viewer

/// The kernel key (K): the same steps re-run under the next kernel, in the viewer and in `present`.
@Suite struct KernelKeyTests {
    /// A scene that needs UPM and names no `upm` setting: kernel v5 (upm off) cannot run it.
    static let needsUPM = """
        title "Needs UPM"
        config kernel thread
        config discard-on-convert on
        pfns 0x100..0x10f
        page ghcb gfn=0x10 shared
        step "KVM maps the GHCB"
          kvm map ghcb
        step "Convert"
          guest psc ghcb private
          kvm exit ghcb
          vmm convert ghcb private
        step "KVM writes the GHCB"
          kvm write ghcb
        """

    @Test func aKernelThatCannotRunTheSceneIsSkippedWithItsReason() throws {
        var s = try Fixture.state(text: Self.needsUPM)
        s.jump(to: s.trace.actionCount - 1)
        let last = s.index
        #expect(s.trace.config.kernel == .thread)
        s.handle(.char("K"))
        #expect(s.trace.config.kernel == .mainline, "v5 has upm off: skipped")
        let message = try #require(s.message)
        #expect(message.contains("skipped v5: line 10:") && message.contains("needs 'upm on'"), "\(message)")
        #expect(s.step == 2)
        #expect(s.index <= last)
    }

    /// The same steps end differently: thread's bare kmap is a use-after-free of the freed frame,
    /// mainline's pin keeps the frame as an orphan, and the write is lost.
    @Test func theSameStepsEndDifferentlyUnderTheNextKernel() throws {
        var s = try Fixture.state(text: Self.needsUPM)
        #expect(s.trace.ending.description == "use-after-free")
        s.handle(.char("K"))
        #expect(s.trace.ending.description == "lost-write")
        #expect(s.trace.config.kvmMap == .pin)
    }

    @Test func theKeyIsInTheHelpAndTheFooter() throws {
        var s = try Fixture.state("ghcb-upm", width: 160, height: 45)
        #expect(s.render().text.contains("K kernel"), "the footer names the key at 160 columns")
        s.handle(.char("?"))
        let help = s.render().lines.first { $0.contains("re-run under the next kernel") }
        #expect(help?.contains("K") == true, "the help screen lists K")
    }
}
