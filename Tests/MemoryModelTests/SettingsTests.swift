import MemoryModel
import Testing
import TestSupport

/// memory-model.md, Settings: every key, its values and its default.
@Suite struct SettingsTests {
    static let table: [(key: String, values: [String], defaultValue: String)] = [
        ("upm", ["on", "off"], "on"),
        ("directmap-unmap", ["on", "off"], "on"),
        ("discard-on-convert", ["on", "off"], "off"),
        ("allocator", ["lifo", "lowest"], "lifo"),
        ("pf-fixup", ["off", "flip-shared"], "off"),
        ("kmap-guard", ["off", "on"], "off"),
        ("rmpupdate", ["ok", "fail"], "ok"),
        ("panic-on-oops", ["on", "off"], "on"),
        ("asid", [], "1"),
    ]

    @Test func theKeysAreExactlyTheSpecsKeys() {
        #expect(Set(SettingKey.allCases.map(\.rawValue)) == Set(Self.table.map(\.key)))
    }

    @Test(arguments: table.map(\.key))
    func keyDefaultAndValues(key: String) throws {
        let row = try #require(Self.table.first { $0.key == key })
        let k = try #require(SettingKey(rawValue: key))
        #expect(k.defaultValue == row.defaultValue)
        #expect(Config().value(of: k) == row.defaultValue)
        #expect(Set(k.values) == Set(row.values))
    }

    @Test func configDefaultsAreTheSpecsDefaults() {
        let c = Config()
        #expect(c.upm)
        #expect(c.directmapUnmap)
        #expect(!c.discardOnConvert)
        #expect(c.allocator == .lifo)
        #expect(!c.pfFixup)
        #expect(!c.kmapGuard)
        #expect(!c.rmpupdateFails)
        #expect(c.panicOnOops)
        #expect(c.asid == 1)
    }

    @Test func applyingEveryDefaultChangesNothing() {
        var c = Config()
        for k in SettingKey.allCases { #expect(c.apply(k, k.defaultValue) == nil) }
        #expect(c == Config())
    }

    /// (key, value) for every value of every key, and what the field must become.
    static let values: [(String, String)] = [
        ("upm", "on"), ("upm", "off"), ("directmap-unmap", "on"), ("directmap-unmap", "off"),
        ("discard-on-convert", "on"), ("discard-on-convert", "off"), ("allocator", "lifo"), ("allocator", "lowest"),
        ("pf-fixup", "off"), ("pf-fixup", "flip-shared"), ("kmap-guard", "off"), ("kmap-guard", "on"),
        ("rmpupdate", "ok"), ("rmpupdate", "fail"), ("panic-on-oops", "on"), ("panic-on-oops", "off"),
        ("asid", "1"), ("asid", "7"), ("asid", "1023"), ("asid", "0x3ff"),
    ]

    @Test(arguments: values)
    func applyEveryValue(key: String, value: String) throws {
        let k = try #require(SettingKey(rawValue: key))
        var c = Config()
        #expect(c.apply(k, value) == nil)
        switch k {
        case .upm: #expect(c.upm == (value == "on"))
        case .directmapUnmap: #expect(c.directmapUnmap == (value == "on"))
        case .discardOnConvert: #expect(c.discardOnConvert == (value == "on"))
        case .allocator: #expect(c.allocator == (value == "lifo" ? .lifo : .lowest))
        case .pfFixup: #expect(c.pfFixup == (value == "flip-shared"))
        case .kmapGuard: #expect(c.kmapGuard == (value == "on"))
        case .rmpupdate: #expect(c.rmpupdateFails == (value == "fail"))
        case .panicOnOops: #expect(c.panicOnOops == (value == "on"))
        case .asid: #expect(c.asid == (value == "0x3ff" ? 1023 : Int(value)))
        }
        if k != .asid { #expect(c.value(of: k) == value) }
        // Only the named key changed.
        for other in SettingKey.allCases where other != k {
            #expect(c.value(of: other) == other.defaultValue)
        }
    }

    static let badValues: [(String, String)] = [
        ("upm", "yes"), ("upm", "ON"), ("directmap-unmap", "1"), ("discard-on-convert", "true"),
        ("allocator", "fifo"), ("allocator", "highest"), ("pf-fixup", "on"), ("kmap-guard", "flip-shared"),
        ("rmpupdate", "failed"), ("rmpupdate", "off"), ("panic-on-oops", ""), ("asid", "0"), ("asid", "1024"),
        ("asid", "-1"), ("asid", "x"), ("asid", ""), ("asid", "0x"), ("asid", "0x400"),
    ]

    @Test(arguments: badValues)
    func badValuesAreRejectedAndChangeNothing(key: String, value: String) throws {
        let k = try #require(SettingKey(rawValue: key))
        var c = Config()
        c.asid = 5
        let before = c
        let reason = c.apply(k, value)
        #expect(reason != nil)
        #expect(c == before)
    }

    @Test func operationsThatNeedUPMAreImpossibleWithoutIt() {
        let layout = Layout(pages: [decl("p", 0x10, .shared)])
        let off = config(["upm off"])
        let on = Config()
        let needUPM = ["kvm exit p", "vmm set-attr p private", "vmm set-attr p shared", "vmm convert p private",
                       "vmm alloc p private", "vmm discard p private"]
        for t in needUPM {
            #expect(operation(t, layout).impossibility(under: off) != nil, "\(t)")
            #expect(operation(t, layout).impossibility(under: on) == nil, "\(t)")
        }
        let fine = ["vmm alloc p shared", "vmm discard p shared", "kvm rmpupdate p private", "kvm fault-in p",
                    "guest psc p private", "kvm resume", "vmm write p"]
        for t in fine { #expect(operation(t, layout).impossibility(under: off) == nil, "\(t)") }
    }
}
