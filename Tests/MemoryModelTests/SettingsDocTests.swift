import Foundation
import MemoryModel
import Testing

/// The docs' list of settings is the model's table: one definition, read everywhere.
@Suite struct SettingsDocTests {
    @Test func kernelsDocListsTheModelsSettingsTable() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let doc = try String(contentsOf: root.appendingPathComponent("docs/kernels.md"), encoding: .utf8)
        let begin = try #require(doc.range(of: "<!-- settings:begin -->\n"))
        let end = try #require(doc.range(of: "\n<!-- settings:end -->"))
        let listed = String(doc[begin.upperBound..<end.lowerBound])
        #expect(listed == SettingKey.markdownTable(),
                "docs/kernels.md's settings list differs from the model's table; paste SettingKey.markdownTable() there")
        // Hand-written spot checks on the generated table, so a broken renderer is noticed too.
        #expect(listed.contains("| `kvm-map` | `kmap` `pin` | `kmap` | `pin` | `pin` |"))
        #expect(listed.contains("| `implicit-conversion` | `off` `in-place` `exit` | `off` | `in-place` | `exit` |"))
        #expect(listed.split(separator: "\n").count == 2 + SettingKey.allCases.count)
    }
}
