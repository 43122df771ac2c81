/// Which free frame the allocator hands out next.
public enum AllocatorPolicy: String, Sendable, Hashable {
    case lifo, lowest
}

/// What a guest access whose C-bit disagrees with the page leads to (memory-model.md, Access rules).
public enum ImplicitConversion: String, Sendable, Hashable {
    /// #NPF, or an exit when the page has no NPT entry (the thread's world).
    case off
    /// v5: KVM converts the frame in place on the #NPF.
    case inPlace = "in-place"
    /// mainline: KVM_EXIT_MEMORY_FAULT to the VMM.
    case exit
}

/// Every setting of one run: a kernel, the settings given explicitly, and the resolved values the
/// model reads. An explicit setting wins over the kernel's default whatever the order of the lines.
public struct Config: Sendable, Hashable {
    public private(set) var kernel = Kernel.default
    /// Settings given explicitly (`config`, `set`, `--set`), the kernel excepted.
    public private(set) var explicit: [SettingKey: String] = [:]

    // The resolved values, kept as fields because the model reads them on every action.
    public private(set) var upm = true
    public private(set) var directmapUnmap = false
    public private(set) var kvmMap = Via.pin
    public private(set) var gmemLazy = true
    public private(set) var implicitConversion = ImplicitConversion.exit
    public private(set) var pscTerminates = true
    public private(set) var postMapGuard = false
    public private(set) var discardOnConvert = false
    public private(set) var allocator = AllocatorPolicy.lifo
    public private(set) var pfFixup = false
    public private(set) var kmapGuard = false
    public private(set) var rmpupdateFails = false
    public private(set) var panicOnOops = false
    public private(set) var asid = 1

    public init(kernel: Kernel = .default) {
        self.kernel = kernel
        resolve()
    }

    /// Applies one setting; returns a reason when the value is not one the key takes.
    @discardableResult
    public mutating func apply(_ key: SettingKey, _ value: String) -> String? {
        if let problem = key.problem(with: value) { return problem }
        if key == .kernel {
            kernel = Kernel(rawValue: value) ?? kernel
        } else {
            explicit[key] = value
        }
        resolve()
        return nil
    }

    /// The value of a key as a scene would write it: the explicit one, else the kernel's default.
    public func value(of key: SettingKey) -> String {
        if key == .kernel { return kernel.rawValue }
        return explicit[key] ?? key.spec.defaultValue(for: kernel)
    }

    /// Every setting after the kernel and the explicit ones, in memory-model.md's order.
    public var resolved: [(key: SettingKey, value: String)] {
        SettingKey.allCases.map { ($0, value(of: $0)) }
    }

    private mutating func resolve() {
        func on(_ k: SettingKey) -> Bool { value(of: k) == "on" }
        upm = on(.upm)
        directmapUnmap = on(.directmapUnmap)
        kvmMap = value(of: .kvmMap) == "kmap" ? .kmap : .pin
        gmemLazy = value(of: .gmemAlloc) == "lazy"
        implicitConversion = ImplicitConversion(rawValue: value(of: .implicitConversion)) ?? .off
        pscTerminates = value(of: .pscError) == "terminate"
        postMapGuard = on(.postMapGuard)
        discardOnConvert = on(.discardOnConvert)
        allocator = value(of: .allocator) == "lowest" ? .lowest : .lifo
        pfFixup = value(of: .pfFixup) == "flip-shared"
        kmapGuard = on(.kmapGuard)
        rmpupdateFails = value(of: .rmpupdate) == "fail"
        panicOnOops = on(.panicOnOops)
        asid = Config.parseNumber(value(of: .asid)) ?? 1
    }

    /// Implicit conversion as the model applies it: `in-place` exists only without UPM.
    public var effectiveImplicitConversion: ImplicitConversion {
        implicitConversion == .inPlace && upm ? .off : implicitConversion
    }

    /// Decimal or 0x-hexadecimal, as the scene language writes numbers.
    public static func parseNumber(_ text: String) -> Int? {
        if text.hasPrefix("0x") || text.hasPrefix("0X") {
            let digits = text.dropFirst(2)
            guard !digits.isEmpty, digits.count <= 15 else { return nil }
            return Int(digits, radix: 16)
        }
        guard !text.isEmpty, text.count <= 18, text.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(text)
    }
}
