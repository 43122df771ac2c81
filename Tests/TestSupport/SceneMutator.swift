/// Seeded random edits of scene text for fuzz tests: bytes (bit flips, awkward bytes), lines
/// (deleted, copied, swapped) and tokens (swapped, deleted, replaced by words of the language or by
/// numbers at their edges, grafted from another line).
public enum SceneMutator {
    /// Words of the language, put in place of a token to make scenes that parse but do odd things.
    public static let vocabulary = [
        "kvm", "guest", "vmm", "host", "map", "unmap", "write", "read", "exit", "resume", "psc", "convert",
        "pvalidate", "alloc", "free", "private", "shared", "unbacked", "on", "off", "via=kmap", "via=page_address",
        "ghcb", "heap", "ghcb[0]", "ghcb[0..0]", "0x10", "0x0", "0x100..0x10f", "0x100..0x100", "at=1", "at=99",
        "no", "expect", "host-panic", "double-allocation", "use-after-free", "set", "config", "step \"x\"",
        "variant v \"v\"", "discard-on-convert", "upm", "directmap-unmap", "pf-fixup", "kmap-guard",
    ]
    static let numbers = ["0", "0x0", "0xffffffffffffffffff", "99999999999999999999", "0x10..0x0", "1..1048577", "-1", "at=0", "at=999"]
    static let awkwardBytes: [UInt8] = [0, 0x1B, 0x7F, 0x22, 0x5C, 0x5B, 0x5D, 0x3D, 0x2E, 0x23, 0x0A, 0x0D, 0xC2, 0x85, 0x9B, 0xFF, 0x30, 0x39]

    /// One to four edits.
    public static func mutate(_ source: [UInt8], _ rng: inout SeededRandom) -> [UInt8] {
        var bytes = source
        let nl = UInt8(ascii: "\n"), space = UInt8(ascii: " ")
        for _ in 0..<Int.random(in: 1...4, using: &rng) {
            if Int.random(in: 0..<5, using: &rng) == 0, !bytes.isEmpty {
                let i = Int.random(in: 0..<bytes.count, using: &rng)
                if Bool.random(using: &rng) {
                    bytes[i] ^= UInt8(1) << UInt8.random(in: 0..<8, using: &rng)
                } else {
                    bytes[i] = awkwardBytes.randomElement(using: &rng) ?? 0
                }
                continue
            }
            var lines = bytes.split(separator: nl, omittingEmptySubsequences: false).map(Array.init)
            let i = Int.random(in: 0..<lines.count, using: &rng)
            let j = Int.random(in: 0..<lines.count, using: &rng)
            var words = lines[i].split(separator: space).map(Array.init)
            switch Int.random(in: 0..<8, using: &rng) {
            case 0 where lines.count > 1: lines.remove(at: i)
            case 1: lines.insert(lines[i], at: Int.random(in: 0...lines.count, using: &rng))
            case 2: lines.swapAt(i, j)
            case 3 where words.count > 1:
                words.swapAt(Int.random(in: 0..<words.count, using: &rng), Int.random(in: 0..<words.count, using: &rng))
                lines[i] = Array(words.joined(separator: [space]))
            case 4 where !words.isEmpty:
                words[Int.random(in: 0..<words.count, using: &rng)] = Array((vocabulary.randomElement(using: &rng) ?? "").utf8)
                lines[i] = [space, space] + Array(words.joined(separator: [space]))
            case 5 where !words.isEmpty:
                words.remove(at: Int.random(in: 0..<words.count, using: &rng))
                lines[i] = Array(words.joined(separator: [space]))
            case 6: lines[i] += [space] + Array((numbers.randomElement(using: &rng) ?? "0").utf8)
            default:
                if let w = lines[j].split(separator: space).randomElement(using: &rng) { lines[i] += [space] + w }
            }
            bytes = Array(lines.joined(separator: [nl]))
        }
        return bytes
    }
}
