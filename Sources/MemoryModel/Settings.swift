/// A kernel a run stands for (memory-model.md, Kernels): it sets the defaults of the settings that
/// differ between kernels. Explicit settings win over it.
public enum Kernel: String, Sendable, Hashable, CaseIterable {
    case thread, v5, mainline

    public static let `default` = Kernel.mainline

    /// What the kernel stands for, in one line (the legend, `--help`, the docs' list).
    public var summary: String {
        switch self {
        case .thread:
            "the world the seed thread argues about (Sep 2022): UPM proposal, v5's direct-map removal, KVM maps with no page reference"
        case .v5: "SNP host patches v5 to v7 (2021–22), before UPM: one backing per gfn, converted in place"
        case .mainline: "Linux 6.11 and later: guest_memfd, SNP host support merged"
        }
    }

    /// Short label for a top line or a title card: "kernel thread (Sep 2022)".
    public var label: String {
        switch self {
        case .thread: "kernel thread (Sep 2022)"
        case .v5: "kernel v5 (2021–22)"
        case .mainline: "kernel mainline (6.11+)"
        }
    }

    /// The next kernel, for the viewer's kernel key: thread → v5 → mainline → thread.
    public var next: Kernel {
        let all = Kernel.allCases
        return all[((all.firstIndex(of: self) ?? 0) + 1) % all.count]
    }

    /// Which kernel's oops format to print: 2022's, or 6.18's.
    public var printsModernOops: Bool { self == .mainline }
}

/// One setting as memory-model.md defines it: the single table the parser, `--help`, the docs and
/// the viewer's legend read.
public struct SettingSpec: Sendable {
    public let key: SettingKey
    /// The words the key accepts; empty for `asid`, which takes a number.
    public let values: [String]
    /// The default under each kernel, in `Kernel.allCases` order.
    let defaults: [String]
    public let meaning: String

    public func defaultValue(for kernel: Kernel) -> String {
        defaults[Kernel.allCases.firstIndex(of: kernel) ?? 0]
    }

    /// Whether the kernel decides the default (the settings of memory-model.md's kernel table).
    public var dependsOnKernel: Bool { Set(defaults).count > 1 }
}

/// A model setting (`config KEY VALUE` or `set KEY VALUE`); everything about it is in `spec`.
public enum SettingKey: String, Sendable, Hashable, CaseIterable {
    case kernel, upm
    case directmapUnmap = "directmap-unmap"
    case kvmMap = "kvm-map"
    case gmemAlloc = "gmem-alloc"
    case implicitConversion = "implicit-conversion"
    case pscError = "psc-error"
    case postMapGuard = "post-map-guard"
    case discardOnConvert = "discard-on-convert"
    case allocator
    case pfFixup = "pf-fixup"
    case kmapGuard = "kmap-guard"
    case rmpupdate
    case panicOnOops = "panic-on-oops"
    case asid

    public static let asidRange = 1...1023

    /// memory-model.md's Settings table, in its order. Defaults are given per kernel
    /// (thread, v5, mainline); a setting the kernel does not decide repeats one value.
    public static let specs: [SettingSpec] = [
        spec(.kernel, ["thread", "v5", "mainline"], same("mainline"),
             "the kernel a run stands for: the defaults of the settings marked 'kernel'"),
        spec(.upm, ["on", "off"], ["on", "off", "on"],
             "private memory lives in its own fd (UPM, later guest_memfd); off: one backing per gfn, converted in place (SNP host patches v5)"),
        spec(.directmapUnmap, ["on", "off"], ["on", "on", "off"],
             "assigning a frame removes it from the host direct map (host patches v5 to 2023); off: the entry stays (mainline since 6.9)"),
        spec(.kvmMap, ["kmap", "pin"], ["kmap", "pin", "pin"],
             "what 'kvm map P' with no via= is: kmap, a kernel address with no page reference (the thread's assumption); pin, kvm_vcpu_map() with a reference"),
        spec(.gmemAlloc, ["eager", "lazy"], ["eager", "eager", "lazy"],
             "eager: 'vmm convert' allocates the new side at once; lazy: a frame is allocated at first use (guest_memfd, at the first private fault)"),
        spec(.implicitConversion, ["off", "in-place", "exit"], ["off", "in-place", "exit"],
             "a guest access whose C-bit disagrees with the page: off, #NPF; in-place, KVM converts the frame (v5); exit, KVM_EXIT_MEMORY_FAULT to the VMM"),
        spec(.pscError, ["stale", "terminate"], ["stale", "terminate", "terminate"],
             "a failed Page State Change: stale, the guest runs on with its old view; terminate, the guest asks to be terminated (GHCB_TERM_PSC)"),
        spec(.postMapGuard, ["off", "on"], ["off", "on", "off"],
             "the thread's patch 39/45 (sev_post_map_gfn()): KVM may not map an assigned frame, and an RMPUPDATE to private waits for KVM to unmap"),
        spec(.discardOnConvert, ["on", "off"], same("off"),
             "'vmm convert' frees the side no longer used; off keeps both: double allocation"),
        spec(.allocator, ["lifo", "lowest"], same("lifo"),
             "which free frame comes next: the most recently freed (Linux's per-cpu lists), or the lowest"),
        spec(.pfFixup, ["off", "flip-shared"], same("off"),
             "the interim idea in the thread: on a kernel fault at a guest-owned frame, make it shared and retry"),
        spec(.kmapGuard, ["off", "on"], same("off"),
             "Marc Orr's idea in the thread: a frame with a tracked kernel mapping cannot be assigned to the guest"),
        spec(.rmpupdate, ["ok", "fail"], same("ok"),
             "fail: every RMPUPDATE returns FAIL_INUSE, to show what a failure does"),
        spec(.panicOnOops, ["on", "off"], ["on", "on", "off"],
             "an oops panics the host, or only kills the task (upstream default off; cloud hosts set it)"),
        spec(.asid, [], same("1"), "the guest's ASID, 1 to 1023"),
    ]

    private static func same(_ v: String) -> [String] { Kernel.allCases.map { _ in v } }
    private static func spec(_ k: SettingKey, _ values: [String], _ defaults: [String], _ meaning: String) -> SettingSpec {
        SettingSpec(key: k, values: values, defaults: defaults, meaning: meaning)
    }

    public var spec: SettingSpec {
        // `specs` is in `allCases` order; a test keeps the two in step.
        SettingKey.specs[SettingKey.allCases.firstIndex(of: self) ?? 0]
    }

    public var values: [String] { spec.values }
    /// The default under the default kernel.
    public var defaultValue: String { spec.defaultValue(for: .default) }

    /// Why `value` is not a value of this key, or nil when it is.
    public func problem(with value: String) -> String? {
        if self == .asid {
            guard let n = Config.parseNumber(value), SettingKey.asidRange.contains(n) else {
                return "asid must be a number from 1 to 1023"
            }
            return nil
        }
        guard values.contains(value) else {
            return "'\(value)' is not a value of \(rawValue); valid values: \(values.joined(separator: ", "))"
        }
        return nil
    }
}

extension SettingKey {
    /// The settings table as Markdown, for the docs: a test keeps docs/kernels.md equal to it.
    public static func markdownTable() -> String {
        var out = ["| key | values | thread | v5 | mainline | meaning |", "| --- | --- | --- | --- | --- | --- |"]
        for spec in specs {
            let values = spec.values.isEmpty ? "1–1023" : spec.values.map { "`\($0)`" }.joined(separator: " ")
            let defaults = Kernel.allCases.map { "`\(spec.defaultValue(for: $0))`" }
            out.append("| `\(spec.key.rawValue)` | \(values) | " + defaults.joined(separator: " | ") + " | \(spec.meaning) |")
        }
        return out.joined(separator: "\n")
    }
}
