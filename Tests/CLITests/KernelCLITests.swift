// `--kernel` and `--set` on every command that runs a scene, through the real binary.
import Foundation
import Testing

/// A scene with no kernel line whose operations need UPM: any way of making `upm off` refuses it.
private let needsUPM = """
    title "needs UPM"
    pfns 0x100..0x10f
    page p gfn=0x10 shared
    step "convert"
      guest psc p private
      kvm exit p
      vmm convert p private
    """

/// The same steps on a kernel without UPM: `kvm rmpupdate` converts in place.
private let inPlace = """
    title "in place"
    pfns 0x100..0x10f
    page p gfn=0x10 shared
    step "KVM maps the page"
      kvm map p
    step "convert in place"
      kvm rmpupdate p private
    step "KVM writes it"
      kvm write p
    """

@Suite struct KernelCLITests {
    /// Every way `upm off` can arrive, on every command that runs a scene: exit 65, the diagnostic
    /// at line 6 column 3 ('kvm exit'), the source line and a caret.
    static let refusals: [[String]] = {
        let ways: [[String]] = [["--kernel", "v5"], ["--set", "upm=off"], ["--set", "kernel=v5"]]
        let commands: [[String]] = [["run"], ["check"], ["export", "--format", "txt"]]
        return commands.flatMap { c in ways.map { c + $0 } }
    }()

    @Test(arguments: refusals)
    func upmOffFromTheCommandLineIsRefusedAtTheLine(arguments: [String]) throws {
        let dir = try TempFolder()
        defer { dir.remove() }
        let path = try dir.write("needs.scene", needsUPM)
        let r = try BinaryRunner.run([arguments[0], path] + arguments.dropFirst())
        expectStatus(r, 65)
        #expect(r.err.contains("needs.scene:6:3: error:"), r.summary)
        #expect(r.err.contains("  kvm exit p\n  ^~~~~~~~~~"), r.summary)
        #expect(r.err.contains("needs 'upm on'"), r.summary)
        #expect(r.out.isEmpty, "nothing is run: \(r.summary)")
    }

    @Test func theSceneItselfCanAskForAKernelWithoutUPM() throws {
        let dir = try TempFolder()
        defer { dir.remove() }
        let path = try dir.write("v5.scene", needsUPM.replacingOccurrences(of: "pfns", with: "config kernel v5\npfns"))
        let r = try BinaryRunner.run(["check", path])
        expectStatus(r, 65)
        #expect(r.err.contains("v5.scene:7:3: error:") && r.err.contains("kernel v5 has 'upm off'"), r.summary)
    }

    @Test func anExplicitUPMSettingWinsOverTheCommandLinesKernel() throws {
        let dir = try TempFolder()
        defer { dir.remove() }
        let path = try dir.write("on.scene", needsUPM.replacingOccurrences(of: "pfns", with: "config upm on\npfns"))
        let r = try BinaryRunner.run(["run", path, "--kernel", "v5", "--format", "json"])
        expectStatus(r, 0)
        let end = try #require(jsonLines(r).last)
        #expect(end["kernel"] as? String == "v5")
        let settings = try #require(end["settings"] as? [String: Any])
        #expect(settings["upm"] as? String == "on")
        #expect(settings["post-map-guard"] as? String == "on", "the rest are v5's defaults")
    }

    /// The last JSON line names the kernel and every resolved setting, by the spec's kernel table.
    @Test(arguments: [("thread", "kmap", "on", "off"), ("v5", "pin", "on", "in-place"), ("mainline", "pin", "off", "exit")])
    func theLastJSONLineNamesTheKernelAndTheResolvedSettings(kernel: String, kvmMap: String, panic: String, implicit: String) throws {
        let dir = try TempFolder()
        defer { dir.remove() }
        let path = try dir.write("in-place.scene", inPlace)
        let r = try BinaryRunner.run(["run", path, "--kernel", kernel, "--format", "json"])
        expectStatus(r, 0)
        let end = try #require(jsonLines(r).last)
        #expect(end["kernel"] as? String == kernel)
        let settings = try #require(end["settings"] as? [String: Any])
        #expect(settings["kvm-map"] as? String == kvmMap)
        #expect(settings["panic-on-oops"] as? String == panic)
        #expect(settings["implicit-conversion"] as? String == implicit)
        #expect(int(settings["asid"]) == 1)
        #expect(settings.count == 14, "every setting but the kernel: \(settings.keys.sorted())")
    }

    /// The same steps end differently per kernel: thread's kmap of a frame removed from the direct
    /// map panics; v5's post-map guard makes the RMPUPDATE wait for KVM's unmap, so KVM's write goes
    /// through the user address and gets -EFAULT; mainline keeps the direct map (RMP violation).
    @Test func theSameStepsEndPerKernel() throws {
        let dir = try TempFolder()
        defer { dir.remove() }
        let path = try dir.write("in-place.scene", inPlace)
        func ending(_ args: [String]) throws -> String? {
            let r = try BinaryRunner.run(["run", path, "--format", "json"] + args)
            expectStatus(r, 0)
            return try #require(jsonLines(r).last)["ending"] as? String
        }
        // thread and v5: the frame left the direct map, a not-present #PF with panic_on_oops.
        #expect(try ending(["--kernel", "thread", "--set", "upm=off"]) == "host-panic")
        #expect(try ending(["--kernel", "v5"]) == "psc-waited")
        let v5 = try BinaryRunner.run(["run", path, "--kernel", "v5"])
        #expect(v5.out.contains("kvm p via pin dropped") && v5.out.contains("efault (info)"), v5.summary)
        #expect(try ending(["--kernel", "v5", "--set", "post-map-guard=off"]) == "host-panic")
        // mainline keeps the direct map: an RMP violation, and without panic_on_oops only an oops.
        #expect(try ending(["--kernel", "mainline", "--set", "upm=off"]) == "oops")
        #expect(try ending(["--kernel", "mainline", "--set", "upm=off", "--set", "panic-on-oops=on"]) == "host-panic")
    }

    @Test(arguments: [
        (["--kernel", "v6"], "--kernel v6: 'v6' is not a value of kernel"),
        (["--kernel", "mainlne"], "did you mean 'mainline'?"),
        (["--set", "kvm-mp=pin"], "unknown key 'kvm-mp'; did you mean 'kvm-map'?"),
        (["--set", "gmem-alloc=lazzy"], "did you mean 'lazy'?"),
        (["--set", "upm"], "expected KEY=VALUE"),
    ])
    func badKernelOrSettingIsBadUsage(arguments: [String], message: String) throws {
        for command in [["run", "ghcb-upm"], ["check", "ghcb-upm"], ["export", "ghcb-upm"]] {
            let r = try BinaryRunner.run(command + arguments)
            expectStatus(r, 64)
            #expect(r.err.contains(message), r.summary)
        }
    }

    @Test func checkNamesTheKernelOfEveryRun() throws {
        let r = try BinaryRunner.run(["check", "ghcb-upm", "--kernel", "mainline", "--set", "upm=on"])
        #expect(r.exitedNormally)
        #expect(!r.outLines.isEmpty)
        for line in r.outLines where line.hasPrefix("ok") || line.hasPrefix("FAIL") {
            #expect(line.hasSuffix("(kernel mainline)"), "\(line)")
        }
    }

    @Test func theTextReportOpensWithTheKernel() throws {
        // kmap-guard is a v5 scene; its page-address variant sets psc-error stale itself.
        let r = try BinaryRunner.run(["run", "kmap-guard", "--variant", "page-address", "--kernel", "mainline"])
        expectStatus(r, 0)
        let first = try #require(r.outLines.first)
        #expect(first.hasPrefix("kernel: mainline (Linux 6.11 and later"), "\(first)")
        // The variant's explicit setting wins over mainline's default (terminate); the kernel's other
        // defaults follow mainline, not the scene's v5.
        #expect(first.contains("psc-error=stale"), "\(first)")
        #expect(first.contains("gmem-alloc=lazy") && first.contains("kvm-map=pin") && first.contains("directmap-unmap=off"), "\(first)")
        #expect(r.outLines.dropFirst().first?.hasPrefix("step 1 · action 1 ") == true, r.summary)
    }

    /// Every export names the kernel on its top line.
    @Test(arguments: ["txt", "ansi", "svg", "html", "cast"])
    func everyExportNamesTheKernel(format: String) throws {
        let r = try BinaryRunner.run(["export", "ghcb-upm", "--format", format, "--kernel", "mainline"])
        expectStatus(r, 0)
        #expect(r.out.contains("kernel mainline"), "\(format) names the kernel")
    }
}

/// `run --compare`: the step of first divergence and a JSON ending with `diverges_at`.
@Test func runCompareFindsTheFirstDivergence() throws {
    let r = try BinaryRunner.run(["run", "ghcb-upm", "--variant", "keep", "--compare", "mainline", "--format", "json"])
    expectStatus(r, 0)
    let end = try #require(jsonLines(r).last)
    let at = try #require(end["diverges_at"] as? [String: Any])
    #expect(int(at["step"]) == 3, "the VMM's conversion (discard on one side only)")
    #expect((end["left"] as? [String: Any])?["ending"] as? String == "double-allocation")
    #expect((end["right"] as? [String: Any])?["ending"] as? String == "lost-write")
    let same = try BinaryRunner.run(["run", "ghcb-upm", "--variant", "keep", "--compare", "keep", "--format", "json"])
    #expect(try #require(jsonLines(same).last)["diverges_at"] is NSNull)
    let bad = try BinaryRunner.run(["run", "ghcb-upm", "--compare", "kep"])
    expectStatus(bad, 64)
    #expect(bad.err.contains("did you mean 'keep'?"), bad.summary)
    let upm = try BinaryRunner.run(["run", "ghcb-upm", "--compare", "upm=off"])
    expectStatus(upm, 65)
}
