import MemoryModel

/// A fatal kernel fault as the run's kernel prints it (memory-model.md, The oops), and rmpviz's own
/// explanation, kept apart so that no reader takes the explanation for kernel output.
public struct KernelOops: Sendable, Hashable {
    /// The lines the kernel prints, in order.
    public var kernelLines: [String]
    /// rmpviz's account of the fault: which mapping, held by whom, why no fixup.
    public var explanation: [String]

    /// The heading put between the two in the viewer and in text exports.
    public static let explanationHeading = "rmpviz's explanation (not kernel output):"

    /// page_offset_base without KASLR.
    static let directMapBase: UInt64 = 0xffff_8880_0000_0000

    public init(_ o: Outcome, fault: FaultInfo, kernel: Kernel, rmpGFN: Int?, asid: Int) {
        let address = KernelOops.directMapBase &+ (UInt64(truncatingIfNeeded: fault.frame) << 12)
        let addressText = String(address, radix: 16)
        var code: UInt64 = fault.write ? 0x2 : 0x0
        if fault.kind == .rmpViolation { code |= 0x8000_0001 }
        let present = fault.kind == .rmpViolation
        // The direct map entry: a 4K kernel PTE (present, RW, accessed, dirty, global, NX), or 0 once
        // it was removed. The upper levels are the spec's example values.
        let pte = present ? String(0x8000_0000_0000_0163 | (UInt64(truncatingIfNeeded: fault.frame) << 12), radix: 16) : "0"
        var lines = [
            "BUG: unable to handle page fault for address: \(addressText)",
            "#PF: supervisor \(fault.write ? "write" : "read") access in kernel mode",
            "#PF: error_code(0x\(KernelOops.padded(code, digits: 4))) - \(fault.kind.rawValue)",
            "PGD 1a01067 P4D 1a01067 PUD 1a02067 PMD 1a03067 PTE \(pte)",
        ]
        let low = KernelOops.padded(code & 0xffff, digits: 4)
        if kernel.printsModernOops {
            if fault.kind == .rmpViolation {
                // dump_rmpentry() in arch/x86/virt/svm/sev.c prints the raw entry of an assigned frame.
                let lo = KernelOops.rmpEntryLow(gfn: rmpGFN ?? 0, asid: asid)
                lines.append("SEV-SNP: PFN \(hex(fault.frame)), RMP entry: [0x\(KernelOops.padded(lo, digits: 16)) - 0x\(KernelOops.padded(0, digits: 16))]")
            }
            lines.append("Oops: Oops: \(low) [#1] SMP NOPTI")
        } else {
            lines.append("Oops: \(low) [#1] PREEMPT SMP NOPTI")
        }
        lines.append("CR2: \(addressText)")
        if o.kind == .hostPanic { lines.append("Kernel panic - not syncing: Fatal exception") }
        kernelLines = lines

        let page = o.page ?? "?"
        let gfn = o.gfn.map { " (gfn \(hex($0)))" } ?? ""
        var why = [
            "pfn \(hex(fault.frame)): \(fault.holder.rawValue) mapped \(page)\(gfn) via \(fault.via.rawValue)"
                + (fault.via == .pageAddress ? ", a reference the guard cannot see" : ""),
            "a \(fault.via.rawValue) address has no exception-table entry: no fixup",
        ]
        why.append(o.kind == .hostPanic
            ? "panic_on_oops=1: the host panics (\(kernel.label))"
            : "panic_on_oops=0: the task is killed, the host runs on (\(kernel.label))")
        explanation = why
    }

    /// The low word of a raw RMP entry (struct rmpentry_raw): Assigned, the GPA's page number at
    /// bits 12–50, the ASID at bits 51–60, Validated at bit 62. The fault leaves Validated as it
    /// was; the entry printed is the assigned frame's.
    static func rmpEntryLow(gfn: Int, asid: Int) -> UInt64 {
        let gpa = (UInt64(truncatingIfNeeded: gfn) << 12) & 0x0007_ffff_ffff_f000
        return 0x1 | gpa | (UInt64(truncatingIfNeeded: asid & 0x3ff) << 51)
    }

    static func padded(_ n: UInt64, digits: Int) -> String {
        let s = String(n, radix: 16)
        return String(repeating: "0", count: max(0, digits - s.count)) + s
    }
}
