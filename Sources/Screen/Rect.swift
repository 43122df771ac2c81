// Layout arithmetic. Every helper returns rectangles with non-negative sizes, so widgets can be
// handed a rect from any split without checking it first.

/// A rectangle of cells: origin at the top-left, sizes never negative.
public struct Rect: Hashable, Sendable, CustomStringConvertible {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = max(0, width)
        self.height = max(0, height)
    }

    /// The rect of a whole grid or terminal.
    public init(width: Int, height: Int) {
        self.init(x: 0, y: 0, width: width, height: height)
    }

    public var maxX: Int { x + width }
    public var maxY: Int { y + height }
    public var isEmpty: Bool { width == 0 || height == 0 }
    /// Row indices covered, top to bottom.
    public var rows: Range<Int> { y..<maxY }
    /// Column indices covered, left to right.
    public var cols: Range<Int> { x..<maxX }
    public var description: String { "(\(x),\(y) \(width)x\(height))" }

    public func contains(x px: Int, y py: Int) -> Bool {
        cols.contains(px) && rows.contains(py)
    }

    /// The common part of two rects (empty, at self's origin, when they don't meet).
    public func intersection(_ other: Rect) -> Rect {
        let left = max(x, other.x)
        let top = max(y, other.y)
        let right = min(maxX, other.maxX)
        let bottom = min(maxY, other.maxY)
        guard right > left, bottom > top else { return Rect(x: x, y: y, width: 0, height: 0) }
        return Rect(x: left, y: top, width: right - left, height: bottom - top)
    }

    /// Shrunk by `dx` columns on each side and `dy` rows at top and bottom.
    public func inset(dx: Int, dy: Int) -> Rect {
        let w = max(0, width - 2 * dx)
        let h = max(0, height - 2 * dy)
        return Rect(x: x + min(dx, width / 2), y: y + min(dy, height / 2), width: w, height: h)
    }

    /// Shrunk by `amount` on all four sides (a box's interior is `inset(by: 1)`).
    public func inset(by amount: Int) -> Rect { inset(dx: amount, dy: amount) }

    /// Shrunk by different amounts per side.
    public func inset(top: Int = 0, left: Int = 0, bottom: Int = 0, right: Int = 0) -> Rect {
        let l = min(max(0, left), width)
        let t = min(max(0, top), height)
        return Rect(x: x + l, y: y + t, width: width - l - max(0, right), height: height - t - max(0, bottom))
    }

    /// A rect of the given size centred in this one (clipped to it).
    public func centered(width w: Int, height h: Int) -> Rect {
        let cw = min(max(0, w), width)
        let ch = min(max(0, h), height)
        return Rect(x: x + (width - cw) / 2, y: y + (height - ch) / 2, width: cw, height: ch)
    }

    /// The first `n` rows, and the rest.
    public func splitTop(_ n: Int) -> (top: Rect, rest: Rect) {
        let k = min(max(0, n), height)
        return (Rect(x: x, y: y, width: width, height: k), Rect(x: x, y: y + k, width: width, height: height - k))
    }

    /// The last `n` rows, and the rest.
    public func splitBottom(_ n: Int) -> (rest: Rect, bottom: Rect) {
        let k = min(max(0, n), height)
        return (Rect(x: x, y: y, width: width, height: height - k), Rect(x: x, y: maxY - k, width: width, height: k))
    }

    /// The first `n` columns, and the rest.
    public func splitLeft(_ n: Int) -> (left: Rect, rest: Rect) {
        let k = min(max(0, n), width)
        return (Rect(x: x, y: y, width: k, height: height), Rect(x: x + k, y: y, width: width - k, height: height))
    }

    /// How much of a split a part takes.
    public enum Size: Hashable, Sendable {
        /// Exactly this many cells (less when space runs out).
        case fixed(Int)
        /// A share of what the fixed parts leave, by weight.
        case weight(Int)
    }

    /// Side-by-side parts, left to right, separated by `gap` columns.
    public func splitColumns(_ sizes: [Size], gap: Int = 0) -> [Rect] {
        Rect.distribute(width, sizes, gap: gap).map { offset, length in
            Rect(x: x + offset, y: y, width: length, height: height)
        }
    }

    /// Stacked parts, top to bottom, separated by `gap` rows.
    public func splitRows(_ sizes: [Size], gap: Int = 0) -> [Rect] {
        Rect.distribute(height, sizes, gap: gap).map { offset, length in
            Rect(x: x, y: y + offset, width: width, height: length)
        }
    }

    /// `count` equal parts side by side (the remainder goes to the leftmost parts).
    public func columns(_ count: Int, gap: Int = 0) -> [Rect] {
        splitColumns(Array(repeating: .weight(1), count: max(0, count)), gap: gap)
    }

    /// `count` equal parts stacked (the remainder goes to the top parts).
    public func rowsSplit(_ count: Int, gap: Int = 0) -> [Rect] {
        splitRows(Array(repeating: .weight(1), count: max(0, count)), gap: gap)
    }

    /// Offsets and lengths of parts along one axis; fixed parts first, weights share the rest,
    /// and leftover cells from rounding go to the earliest weighted parts.
    static func distribute(_ total: Int, _ sizes: [Size], gap: Int) -> [(Int, Int)] {
        guard !sizes.isEmpty else { return [] }
        let gaps = max(0, gap) * (sizes.count - 1)
        var remaining = max(0, total - gaps)
        var lengths = Array(repeating: 0, count: sizes.count)
        for (i, size) in sizes.enumerated() {
            if case .fixed(let n) = size {
                lengths[i] = min(max(0, n), remaining)
                remaining -= lengths[i]
            }
        }
        let weights = sizes.map { size -> Int in
            if case .weight(let w) = size { return max(0, w) }
            return 0
        }
        let totalWeight = weights.reduce(0, +)
        if totalWeight > 0 {
            var given = 0
            for i in sizes.indices where weights[i] > 0 {
                lengths[i] = remaining * weights[i] / totalWeight
                given += lengths[i]
            }
            var extra = remaining - given
            for i in sizes.indices where weights[i] > 0 && extra > 0 {
                lengths[i] += 1
                extra -= 1
            }
        }
        var offset = 0
        var result: [(Int, Int)] = []
        for length in lengths {
            result.append((min(offset, total), length))
            offset += length + max(0, gap)
        }
        return result
    }
}
