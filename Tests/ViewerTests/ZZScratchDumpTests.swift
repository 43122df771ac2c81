// TEMPORARY: dumps frames for review; deleted before hand-off.
import Foundation
import MemoryModel
import Screen
import StepEngine
import Testing
@testable import Viewer

@Suite struct ZZScratchDumpTests {
    @Test func dump() throws {
        guard ProcessInfo.processInfo.environment["H7DUMP"] != nil else { return }
        var out = ""
        for w in [80, 100, 120, 160] {
            var s = try Fixture.state("ghcb-upm", variant: 1, width: w, height: 30)
            s.jump(to: s.trace.actionCount - 1)
            s.handle(.enter)
            out += s.render().text + "\n\n"
            s.toggleHistoryAll()
            out += s.render().text + "\n\n"
            var t = try Fixture.state("ghcb-upm", width: w, height: 30)
            t.jump(to: t.trace.actionCount - 1)
            t.handle(.tab); t.handle(.tab)
            t.handle(.enter)
            out += t.render().text + "\n\n"
        }
        try out.write(toFile: "/tmp/h7dump/history.txt", atomically: true, encoding: .utf8)
    }
}
