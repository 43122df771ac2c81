import Screen
import Testing

@Suite struct RectTests {
    @Test func insetNeverGoesNegative() {
        let r = Rect(x: 2, y: 3, width: 10, height: 4)
        #expect(r.inset(by: 1) == Rect(x: 3, y: 4, width: 8, height: 2))
        #expect(r.inset(by: 3).height == 0)
        #expect(Rect(x: 0, y: 0, width: -5, height: 2).width == 0)
        #expect(r.inset(top: 1, left: 2) == Rect(x: 4, y: 4, width: 8, height: 3))
    }

    @Test func fixedAndWeightedColumns() {
        let parts = Rect(width: 20, height: 5).splitColumns([.fixed(4), .weight(1), .weight(2)], gap: 1)
        #expect(parts.map(\.x) == [0, 5, 11])
        #expect(parts.map(\.width) == [4, 5, 9])
        #expect(parts.allSatisfy { $0.height == 5 })
        #expect(parts.map(\.width).reduce(0, +) + 2 == 20)
    }

    @Test func fixedPartsRunOutOfSpace() {
        let parts = Rect(width: 10, height: 1).splitColumns([.fixed(6), .fixed(6), .weight(1)])
        #expect(parts.map(\.width) == [6, 4, 0])
    }

    @Test func equalRowsGiveRemainderToTop() {
        let rows = Rect(x: 0, y: 1, width: 3, height: 10).rowsSplit(3)
        #expect(rows.map(\.height) == [4, 3, 3])
        #expect(rows.map(\.y) == [1, 5, 8])
    }

    @Test(arguments: 0...12)
    func columnsAlwaysTile(width: Int) {
        let parts = Rect(x: 1, y: 0, width: width, height: 1).columns(4)
        #expect(parts.map(\.width).reduce(0, +) == width)
        for (a, b) in zip(parts, parts.dropFirst()) { #expect(a.maxX == b.x) }
    }

    @Test func splitsAndCentre() {
        let r = Rect(width: 10, height: 6)
        #expect(r.splitTop(2).rest == Rect(x: 0, y: 2, width: 10, height: 4))
        #expect(r.splitBottom(1).bottom == Rect(x: 0, y: 5, width: 10, height: 1))
        #expect(r.splitLeft(20).rest.width == 0)
        #expect(r.centered(width: 4, height: 2) == Rect(x: 3, y: 2, width: 4, height: 2))
        #expect(r.centered(width: 40, height: 2).width == 10)
        #expect(r.intersection(Rect(x: 8, y: 5, width: 5, height: 5)) == Rect(x: 8, y: 5, width: 2, height: 1))
        #expect(r.intersection(Rect(x: 20, y: 20, width: 1, height: 1)).isEmpty)
    }
}
