@testable import Export
import Testing

/// The JSON quoting the exports and `rmpviz run --format json` share, against a plain scalar-by-scalar
/// reference: the byte-level fast path must not change a single byte of output.
@Suite("JSON quoting")
struct JSONQuoteTests {
    static func reference(_ s: String, scriptSafe: Bool) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r" where scriptSafe: out += "\\r"
            case "<" where scriptSafe: out += "\\u003c"
            case ">" where scriptSafe: out += "\\u003e"
            case "&" where scriptSafe: out += "\\u0026"
            default:
                if u.value < 0x20 || (0x7f...0x9f).contains(u.value) {
                    let h = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - h.count) + h
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }

    static let samples = [
        "", "plain", "a\"b\\c", "line\nbreak\ttab\rcr", "\u{1B}[0;1;38;2;1;2;3m│ x \u{1B}[0m\r\n",
        "\u{0}\u{1}\u{1F}\u{7F}\u{80}\u{9F}\u{A0}\u{B7}\u{C2}", "·─┌┐漢字 é 👍🏽 ‼", "</script><b>&amp;</b>",
        String(repeating: "\u{2500}\u{1B}", count: 100),
    ]

    @Test("same bytes as the reference, plain and script-safe", arguments: samples)
    func matchesReference(_ s: String) {
        #expect(JSONObject.quote(s) == Self.reference(s, scriptSafe: false))
        var out = "prefix:"
        JSONObject.quote(s, into: &out, scriptSafe: true)
        #expect(out == "prefix:" + Self.reference(s, scriptSafe: true))
    }
}
