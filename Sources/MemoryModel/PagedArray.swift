/// An array stored in fixed-size chunks, each copied on write by itself.
///
/// A checkpoint of a world shares every chunk with the live world; a later write copies only the
/// chunk it lands in (and the chunk directory), so keeping a checkpoint of a 262,144-page world
/// every few hundred actions costs kilobytes, not megabytes.
// The element access is inlinable: other modules (the engine, the viewer) read worlds through it
// millions of times, and an unspecialised generic getter costs a metadata lookup per read.
@frozen
public struct PagedArray<Element>: Sendable where Element: Sendable {
    @usableFromInline static var shift: Int { 8 }
    @usableFromInline static var mask: Int { (1 << shift) - 1 }

    @usableFromInline var chunks: [ContiguousArray<Element>]
    public private(set) var count: Int

    public init(repeating value: Element, count: Int) {
        self.count = count
        let size = 1 << Self.shift
        var chunks: [ContiguousArray<Element>] = []
        chunks.reserveCapacity((count + size - 1) / size)
        var left = count
        while left > 0 {
            let n = min(size, left)
            chunks.append(ContiguousArray(repeating: value, count: n))
            left -= n
        }
        self.chunks = chunks
    }

    @inlinable
    public subscript(index: Int) -> Element {
        get { chunks[index >> Self.shift][index & Self.mask] }
        set { chunks[index >> Self.shift][index & Self.mask] = newValue }
    }

    public var indices: Range<Int> { 0..<count }
}

extension PagedArray: Hashable where Element: Hashable {
    public func hash(into hasher: inout Hasher) {
        hasher.combine(count)
        for c in chunks { hasher.combine(c) }
    }
}

extension PagedArray: Equatable where Element: Equatable {
    public static func == (a: PagedArray, b: PagedArray) -> Bool {
        a.count == b.count && a.chunks == b.chunks
    }
}

/// A stack stored in chunks, for the allocator's free list: pushing or popping copies one chunk.
public struct ChunkedStack: Sendable, Hashable {
    private var chunks: [ContiguousArray<Int32>] = []
    public private(set) var count = 0
    private static let size = 256

    public init() {}

    public mutating func push(_ value: Int32) {
        if count % Self.size == 0 {
            chunks.append(ContiguousArray())
            chunks[chunks.count - 1].reserveCapacity(Self.size)
        }
        chunks[chunks.count - 1].append(value)
        count += 1
    }

    @discardableResult
    public mutating func pop() -> Int32? {
        guard count > 0 else { return nil }
        let last = chunks.count - 1
        let value = chunks[last].removeLast()
        if chunks[last].isEmpty { chunks.removeLast() }
        count -= 1
        return value
    }

    public var top: Int32? { chunks.last?.last }

    public subscript(index: Int) -> Int32 { chunks[index / Self.size][index % Self.size] }

    /// Removes the element at `index`, keeping the order of the rest.
    public mutating func remove(at index: Int) -> Int32 {
        var values: [Int32] = []
        values.reserveCapacity(count - index)
        while count > index { if let v = pop() { values.append(v) } }
        let removed = values.removeLast()
        for v in values.reversed() { push(v) }
        return removed
    }

    /// Puts `value` back at `index`, undoing `remove(at:)`.
    public mutating func insert(_ value: Int32, at index: Int) {
        var values: [Int32] = []
        while count > index { if let v = pop() { values.append(v) } }
        push(value)
        for v in values.reversed() { push(v) }
    }

    /// Searches from the top: the frame an action checks is most often the one it just freed.
    public func contains(_ value: Int32) -> Bool {
        chunks.reversed().contains { $0.lastIndex(of: value) != nil }
    }
}
