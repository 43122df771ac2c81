import MemoryModel
import Testing
import TestSupport

/// memory-model.md, Settings and Kernels: every key, its values, and its default under each kernel.
/// The table is written out by hand from the spec, not read from the code's table.
@Suite struct SettingsTests {
    /// key, values, default under thread, v5, mainline.
    static let table: [(key: String, values: [String], defaults: [String])] = [
        ("kernel", ["thread", "v5", "mainline"], ["mainline", "mainline", "mainline"]),
        ("upm", ["on", "off"], ["on", "off", "on"]),
        ("directmap-unmap", ["on", "off"], ["on", "on", "off"]),
        ("kvm-map", ["kmap", "pin"], ["kmap", "pin", "pin"]),
        ("gmem-alloc", ["eager", "lazy"], ["eager", "eager", "lazy"]),
        ("implicit-conversion", ["off", "in-place", "exit"], ["off", "in-place", "exit"]),
        ("psc-error", ["stale", "terminate"], ["stale", "terminate", "terminate"]),
        ("post-map-guard", ["off", "on"], ["off", "on", "off"]),
        ("discard-on-convert", ["on", "off"], ["off", "off", "off"]),
        ("allocator", ["lifo", "lowest"], ["lifo", "lifo", "lifo"]),
        ("pf-fixup", ["off", "flip-shared"], ["off", "off", "off"]),
        ("kmap-guard", ["off", "on"], ["off", "off", "off"]),
        ("rmpupdate", ["ok", "fail"], ["ok", "ok", "ok"]),
        ("panic-on-oops", ["on", "off"], ["on", "on", "off"]),
        ("asid", [], ["1", "1", "1"]),
    ]
    static let kernels = ["thread", "v5", "mainline"]

    @Test func theKeysAreExactlyTheSpecsKeysInItsOrder() {
        #expect(SettingKey.allCases.map(\.rawValue) == Self.table.map(\.key))
        #expect(SettingKey.specs.map(\.key) == SettingKey.allCases)
    }

    @Test func theDefaultKernelIsMainline() {
        #expect(Config().kernel == .mainline)
        #expect(Config() == Config(kernel: .mainline))
    }

    @Test(arguments: table.map(\.key))
    func defaultsPerKernelAndValues(key: String) throws {
        let row = try #require(Self.table.first { $0.key == key })
        let k = try #require(SettingKey(rawValue: key))
        #expect(Set(k.values) == Set(row.values))
        for (i, name) in Self.kernels.enumerated() where k != .kernel {
            let kernel = try #require(Kernel(rawValue: name))
            #expect(Config(kernel: kernel).value(of: k) == row.defaults[i], "\(key) under \(name)")
            var viaConfigLine = Config()
            viaConfigLine.apply(.kernel, name)
            #expect(viaConfigLine.value(of: k) == row.defaults[i], "config kernel \(name): \(key)")
        }
    }

    /// The resolved fields the model reads, per kernel, from the spec's kernel table.
    @Test func resolvedFieldsPerKernel() {
        let thread = Config(kernel: .thread), v5 = Config(kernel: .v5), mainline = Config(kernel: .mainline)
        #expect(thread.upm && !v5.upm && mainline.upm)
        #expect(thread.directmapUnmap && v5.directmapUnmap && !mainline.directmapUnmap)
        #expect(thread.kvmMap == .kmap && v5.kvmMap == .pin && mainline.kvmMap == .pin)
        #expect(!thread.gmemLazy && !v5.gmemLazy && mainline.gmemLazy)
        #expect(thread.implicitConversion == .off && v5.implicitConversion == .inPlace && mainline.implicitConversion == .exit)
        #expect(!thread.pscTerminates && v5.pscTerminates && mainline.pscTerminates)
        #expect(!thread.postMapGuard && v5.postMapGuard && !mainline.postMapGuard)
        #expect(thread.panicOnOops && v5.panicOnOops && !mainline.panicOnOops)
    }

    /// An explicit setting wins over the kernel's default whatever the order of the lines.
    @Test(arguments: ["thread", "v5", "mainline"])
    func explicitSettingsWinWhateverTheOrder(kernel: String) {
        var before = Config(), after = Config()
        before.apply(.kernel, kernel)
        before.apply(.upm, "off")
        before.apply(.panicOnOops, "on")
        after.apply(.upm, "off")
        after.apply(.panicOnOops, "on")
        after.apply(.kernel, kernel)
        for c in [before, after] {
            #expect(c.kernel.rawValue == kernel)
            #expect(!c.upm)
            #expect(c.panicOnOops)
        }
        #expect(before == after)
    }

    @Test func inPlaceActsAsOffWithUPM() {
        var c = Config(kernel: .v5)
        #expect(c.effectiveImplicitConversion == .inPlace)
        c.apply(.upm, "on")
        #expect(c.effectiveImplicitConversion == .off)
    }

    @Test(arguments: table.filter { !$0.values.isEmpty }.flatMap { row in row.values.map { (row.key, $0) } })
    func applyEveryValue(key: String, value: String) throws {
        let k = try #require(SettingKey(rawValue: key))
        for kernel in Kernel.allCases {
            var c = Config(kernel: kernel)
            #expect(c.apply(k, value) == nil)
            #expect(c.value(of: k) == value)
            // Only the named key changed, unless it is the kernel, which moves the defaults.
            guard k != .kernel else { continue }
            for other in SettingKey.allCases where other != k {
                #expect(c.value(of: other) == Config(kernel: kernel).value(of: other))
            }
        }
    }

    @Test func asidTakesNumbers() {
        var c = Config()
        for (text, n) in [("1", 1), ("7", 7), ("1023", 1023), ("0x3ff", 1023)] {
            #expect(c.apply(.asid, text) == nil)
            #expect(c.asid == n)
        }
    }

    static let badValues: [(String, String)] = [
        ("upm", "yes"), ("upm", "ON"), ("directmap-unmap", "1"), ("discard-on-convert", "true"),
        ("allocator", "fifo"), ("allocator", "highest"), ("pf-fixup", "on"), ("kmap-guard", "flip-shared"),
        ("rmpupdate", "failed"), ("rmpupdate", "off"), ("panic-on-oops", ""), ("asid", "0"), ("asid", "1024"),
        ("asid", "-1"), ("asid", "x"), ("asid", ""), ("asid", "0x"), ("asid", "0x400"),
        ("kernel", "v6"), ("kernel", "Mainline"), ("kvm-map", "page_address"), ("gmem-alloc", "on"),
        ("implicit-conversion", "inplace"), ("psc-error", "ignore"), ("post-map-guard", "1"),
    ]

    @Test(arguments: badValues)
    func badValuesAreRejectedAndChangeNothing(key: String, value: String) throws {
        let k = try #require(SettingKey(rawValue: key))
        var c = Config()
        c.apply(.asid, "5")
        let before = c
        let reason = c.apply(k, value)
        #expect(reason != nil)
        #expect(c == before)
    }

    @Test func operationsThatNeedUPMAreImpossibleWithoutIt() {
        let layout = Layout(pages: [decl("p", 0x10, .shared)])
        let off = config(["upm off"])
        let v5 = Config(kernel: .v5)
        let on = Config()
        let needUPM = ["kvm exit p", "vmm set-attr p private", "vmm set-attr p shared", "vmm convert p private",
                       "vmm alloc p private", "vmm discard p private", "vmm refuse p"]
        for t in needUPM {
            #expect(operation(t, layout).impossibility(under: off) != nil, "\(t)")
            #expect(operation(t, layout).impossibility(under: on) == nil, "\(t)")
            // The kernel's 'upm off' is named as the reason.
            #expect(operation(t, layout).impossibility(under: v5)?.contains("kernel v5") == true, "\(t)")
        }
        let fine = ["vmm alloc p shared", "vmm discard p shared", "kvm rmpupdate p private", "kvm fault-in p",
                    "guest psc p private", "kvm resume", "vmm write p"]
        for t in fine { #expect(operation(t, layout).impossibility(under: off) == nil, "\(t)") }
    }
}
