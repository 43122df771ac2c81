/// How bad an outcome is; the run's ending is its worst.
public enum Severity: Int, Sendable, Hashable, Comparable, CaseIterable, CustomStringConvertible {
    case info = 0, warning, error, fatal
    public static func < (a: Severity, b: Severity) -> Bool { a.rawValue < b.rawValue }
    public var description: String { ["info", "warning", "error", "fatal"][rawValue] }
}

/// Every outcome the model can raise (memory-model.md, Outcomes), plus a broken invariant.
public enum OutcomeKind: String, Sendable, Hashable, CaseIterable {
    case hostPanic = "host-panic"
    case oops
    case outOfMemory = "out-of-memory"
    case guestTerminated = "guest-terminated"
    case useAfterFree = "use-after-free"
    case lostWrite = "lost-write"
    case doubleAllocation = "double-allocation"
    case pfFixup = "pf-fixup"
    case guardFlip = "guard-flip"
    case sigbus
    case guestVC = "guest-vc"
    case guestNPF = "guest-npf"
    case memoryFaultExit = "memory-fault-exit"
    case implicitConversion = "implicit-conversion"
    case pscWaited = "psc-waited"
    case mapRefused = "map-refused"
    case conversionRefused = "conversion-refused"
    case rmpupdateFailed = "rmpupdate-failed"
    case efault
    case ciphertextRead = "ciphertext-read"
    case pvalidateNoupdate = "pvalidate-noupdate"
    /// Not in the spec's table: the engine's own check failed. Reported, never a crash.
    case invariantBroken = "invariant-broken"

    public var severity: Severity {
        switch self {
        case .hostPanic, .oops, .outOfMemory, .guestTerminated: .fatal
        case .useAfterFree, .invariantBroken: .error
        case .lostWrite, .doubleAllocation, .pfFixup, .guardFlip, .sigbus, .guestVC: .warning
        case .guestNPF, .memoryFaultExit, .implicitConversion, .pscWaited, .mapRefused, .conversionRefused, .rmpupdateFailed, .efault,
             .ciphertextRead, .pvalidateNoupdate: .info
        }
    }
}

/// Why a kernel access faulted: the two kinds of #PF the thread argues about.
public enum FaultKind: String, Sendable, Hashable {
    case notPresent = "not-present page"
    case rmpViolation = "RMP violation"
}

/// Details of a kernel fault, kept so a viewer can draw an oops from the model, not from prose.
public struct FaultInfo: Sendable, Hashable {
    public var kind: FaultKind
    public var write: Bool
    public var holder: Holder
    public var via: Via
    public var frame: Int

    public init(kind: FaultKind, write: Bool, holder: Holder, via: Via, frame: Int) {
        self.kind = kind
        self.write = write
        self.holder = holder
        self.via = via
        self.frame = frame
    }
}

/// One outcome raised by an action: what, where and why.
public struct Outcome: Sendable, Hashable {
    public var kind: OutcomeKind
    /// The page's name (a declared page or a kernel object), if the outcome has one.
    public var page: String?
    public var gfn: Int?
    public var frame: Int?
    public var reason: String
    public var fault: FaultInfo?

    public init(kind: OutcomeKind, page: String? = nil, gfn: Int? = nil, frame: Int? = nil,
                reason: String, fault: FaultInfo? = nil) {
        self.kind = kind
        self.page = page
        self.gfn = gfn
        self.frame = frame
        self.reason = reason
        self.fault = fault
    }

    public var severity: Severity { kind.severity }
}
