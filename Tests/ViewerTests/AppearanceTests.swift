// The terminal skips rendering a key after which `ViewerState.appearance` is unchanged: that is
// safe only if an equal appearance always draws an equal grid. Random key sequences check it.
import MemoryModel
import Screen
import StepEngine
import Testing
import TestSupport
@testable import Viewer

@Suite struct AppearanceTests {
    /// Every key of the key map, a few the map does not have, resizes and clicks.
    static let keys: [Key] = {
        var k = KeyMap.bindings.flatMap(\.keys).filter { $0 != .char("q") && $0 != .ctrl("c") }
        k += [.char("z"), .char("Q"), .resize(width: 120, height: 35), .resize(width: 160, height: 45),
              .resize(width: 100, height: 30), .click(x: 10, y: 5), .click(x: 130, y: 12), .wheelDown(x: 10, y: 5)]
        return k
    }()

    @Test(arguments: Fixture.sceneNames)
    func anEqualAppearanceDrawsAnEqualGrid(scene: String) throws {
        var random = SeededRandom(state: UInt64(scene.utf8.count) &* 7919)
        var s = try Fixture.state(scene)
        var unchanged = 0
        for n in 0..<400 {
            let key = Self.keys[Int(random.next() % UInt64(Self.keys.count))]
            let before = s.appearance
            let grid = s.render()
            s.handle(key)
            if s.quit { break }
            if s.appearance == before {
                unchanged += 1
                #expect(s.render() == grid, "\(scene), key \(n) \(key): the appearance is unchanged but the grid is not")
            }
        }
        #expect(unchanged > 0, "some keys change nothing (an arrow at the end, an unknown key)")
    }

    /// The same in a comparison, where the right side's action is part of what is drawn.
    @Test func anEqualAppearanceDrawsAnEqualGridInAComparison() throws {
        var random = SeededRandom(state: 11)
        var s = try Fixture.state("ghcb-upm")
        s.handle(.char("c"))
        #expect(s.compared != nil)
        for n in 0..<400 {
            let key = Self.keys[Int(random.next() % UInt64(Self.keys.count))]
            let before = s.appearance
            let grid = s.render()
            s.handle(key)
            if s.appearance == before {
                #expect(s.render() == grid, "key \(n) \(key): the appearance is unchanged but the grid is not")
            }
        }
    }

    /// A key that moves changes the appearance; one that does nothing leaves it equal.
    @Test func movingChangesTheAppearanceAndANoOpDoesNot() throws {
        var s = try Fixture.state("ghcb-upm")
        let start = s.appearance
        s.handle(.char("z"))
        #expect(s.appearance == start, "an unknown key changes nothing")
        s.handle(.right)
        #expect(s.appearance != start)
        s.handle(.char("G"))
        let end = s.appearance
        s.handle(.char("G"))
        #expect(s.appearance == end, "G at the end changes nothing on screen")
    }
}
