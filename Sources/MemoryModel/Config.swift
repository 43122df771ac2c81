/// A model setting (`config KEY VALUE` or `set KEY VALUE`): its name, the values it takes, its default.
public enum SettingKey: String, Sendable, Hashable, CaseIterable {
    case upm
    case directmapUnmap = "directmap-unmap"
    case discardOnConvert = "discard-on-convert"
    case allocator
    case pfFixup = "pf-fixup"
    case kmapGuard = "kmap-guard"
    case rmpupdate
    case panicOnOops = "panic-on-oops"
    case asid

    /// The words this key accepts; `asid` takes a number instead (see `asidRange`).
    public var values: [String] {
        switch self {
        case .upm, .directmapUnmap, .discardOnConvert, .kmapGuard, .panicOnOops: ["on", "off"]
        case .allocator: ["lifo", "lowest"]
        case .pfFixup: ["off", "flip-shared"]
        case .rmpupdate: ["ok", "fail"]
        case .asid: []
        }
    }

    public var defaultValue: String {
        switch self {
        case .upm, .directmapUnmap, .panicOnOops: "on"
        case .discardOnConvert, .kmapGuard, .pfFixup: "off"
        case .allocator: "lifo"
        case .rmpupdate: "ok"
        case .asid: "1"
        }
    }

    public static let asidRange = 1...1023
}

/// Which free frame the allocator hands out next.
public enum AllocatorPolicy: String, Sendable, Hashable {
    case lifo, lowest
}

/// Every setting of one run, with memory-model.md's defaults.
public struct Config: Sendable, Hashable {
    public var upm = true
    public var directmapUnmap = true
    public var discardOnConvert = false
    public var allocator = AllocatorPolicy.lifo
    public var pfFixup = false
    public var kmapGuard = false
    public var rmpupdateFails = false
    public var panicOnOops = true
    public var asid = 1

    public init() {}

    /// Applies one setting; returns a reason when the value is not one the key takes.
    @discardableResult
    public mutating func apply(_ key: SettingKey, _ value: String) -> String? {
        if key == .asid {
            guard let n = Config.parseNumber(value), SettingKey.asidRange.contains(n) else {
                return "asid must be a number from 1 to 1023"
            }
            asid = n
            return nil
        }
        guard key.values.contains(value) else {
            return "'\(value)' is not a value of \(key.rawValue); valid values: \(key.values.joined(separator: ", "))"
        }
        let on = value == "on"
        switch key {
        case .upm: upm = on
        case .directmapUnmap: directmapUnmap = on
        case .discardOnConvert: discardOnConvert = on
        case .allocator: allocator = value == "lowest" ? .lowest : .lifo
        case .pfFixup: pfFixup = value == "flip-shared"
        case .kmapGuard: kmapGuard = on
        case .rmpupdate: rmpupdateFails = value == "fail"
        case .panicOnOops: panicOnOops = on
        case .asid: break
        }
        return nil
    }

    /// The value of a key as a scene would write it.
    public func value(of key: SettingKey) -> String {
        func onOff(_ b: Bool) -> String { b ? "on" : "off" }
        switch key {
        case .upm: return onOff(upm)
        case .directmapUnmap: return onOff(directmapUnmap)
        case .discardOnConvert: return onOff(discardOnConvert)
        case .allocator: return allocator.rawValue
        case .pfFixup: return pfFixup ? "flip-shared" : "off"
        case .kmapGuard: return onOff(kmapGuard)
        case .rmpupdate: return rmpupdateFails ? "fail" : "ok"
        case .panicOnOops: return onOff(panicOnOops)
        case .asid: return String(asid)
        }
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
