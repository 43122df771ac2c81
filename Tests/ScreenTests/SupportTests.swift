import Screen
import TestSupport
import Testing

/// The golden helpers must report differences readably, or failing tests would be hard to read.
@Suite struct SupportTests {
    @Test func lineDiffShowsOnlyDifferingLinesWithEnds() {
        #expect(lineDiff(expected: "a\nb", actual: "a\nb") == "")
        #expect(lineDiff(expected: "a\nb\nc", actual: "a\nB \nc") == "2   - |b|\n2   + |B |")
        #expect(lineDiff(expected: "a", actual: "a\nextra") == "2   - (no line)\n2   + |extra|")
    }

    @Test func everyRoleNameRoundTrips() {
        for role in Style.Role.allCases {
            #expect(Style.Role(name: role.name) == role)
            // Theme files name roles by their case names: the spelt-out table must say the same.
            #expect(role.name == String(describing: role))
        }
    }

    @Test func rolesThatMarkChangeOrDangerAreVisibleWithoutColour() {
        for role in [Style.Role.changed, .highlight, .selected, .error, .fatal, .warning, .header, .key] {
            #expect(!role.defaultAttributes.isEmpty, "\(role) would look like normal text in monochrome")
        }
        #expect(Style.changed != Style.highlight)
    }
}
