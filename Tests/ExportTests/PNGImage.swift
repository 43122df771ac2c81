// A small PNG reader for the browser tests: Chromium's screenshots are 8-bit RGB or RGBA,
// non-interlaced. Inflate (RFC 1951) and the five scanline filters, nothing else; no dependency.
import Foundation

struct PNGImage {
    let width: Int
    let height: Int
    /// RGBA, row by row.
    let pixels: [UInt8]

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    subscript(x: Int, y: Int) -> (r: Int, g: Int, b: Int) {
        let i = (y * width + x) * 4
        return (Int(pixels[i]), Int(pixels[i + 1]), Int(pixels[i + 2]))
    }

    init(data: Data) throws {
        let bytes = [UInt8](data)
        guard bytes.count > 8, bytes[0..<8] == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] else {
            throw Failure(description: "not a PNG")
        }
        func be32(_ i: Int) -> Int { Int(bytes[i]) << 24 | Int(bytes[i + 1]) << 16 | Int(bytes[i + 2]) << 8 | Int(bytes[i + 3]) }
        var i = 8
        var width = 0, height = 0, colorType = 0
        var idat: [UInt8] = []
        while i + 8 <= bytes.count {
            let length = be32(i)
            let type = String(decoding: bytes[(i + 4)..<(i + 8)], as: UTF8.self)
            let body = (i + 8)..<(i + 8 + length)
            guard body.upperBound <= bytes.count else { throw Failure(description: "truncated chunk \(type)") }
            switch type {
            case "IHDR":
                width = be32(body.lowerBound)
                height = be32(body.lowerBound + 4)
                let depth = bytes[body.lowerBound + 8]
                colorType = Int(bytes[body.lowerBound + 9])
                let interlace = bytes[body.lowerBound + 12]
                guard depth == 8, colorType == 2 || colorType == 6, interlace == 0 else {
                    throw Failure(description: "unsupported PNG: depth \(depth), colour type \(colorType), interlace \(interlace)")
                }
            case "IDAT": idat += bytes[body]
            default: break
            }
            i = body.upperBound + 4
        }
        guard width > 0, height > 0, idat.count > 2 else { throw Failure(description: "no image data") }
        var inflater = Inflater(Array(idat.dropFirst(2)))
        let raw = try inflater.inflate()
        let channels = colorType == 6 ? 4 : 3
        let stride = width * channels
        guard raw.count >= height * (stride + 1) else { throw Failure(description: "short image data: \(raw.count) bytes") }
        var rows = [UInt8](repeating: 0, count: height * stride)
        for y in 0..<height {
            let filter = raw[y * (stride + 1)]
            let src = y * (stride + 1) + 1
            let dst = y * stride
            for x in 0..<stride {
                let v = Int(raw[src + x])
                let a = x >= channels ? Int(rows[dst + x - channels]) : 0
                let b = y > 0 ? Int(rows[dst - stride + x]) : 0
                let c = x >= channels && y > 0 ? Int(rows[dst - stride + x - channels]) : 0
                let out: Int
                switch filter {
                case 0: out = v
                case 1: out = v + a
                case 2: out = v + b
                case 3: out = v + (a + b) / 2
                case 4:
                    let p = a + b - c
                    let pa = abs(p - a), pb = abs(p - b), pc = abs(p - c)
                    out = v + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c)
                default: throw Failure(description: "bad filter \(filter) in row \(y)")
                }
                rows[dst + x] = UInt8(truncatingIfNeeded: out)
            }
        }
        var rgba = [UInt8](repeating: 255, count: width * height * 4)
        for p in 0..<(width * height) {
            for ch in 0..<channels { rgba[p * 4 + ch] = rows[p * channels + ch] }
        }
        self.width = width
        self.height = height
        self.pixels = rgba
    }
}

/// Raw DEFLATE: stored, fixed and dynamic Huffman blocks. Table-driven, since tests run unoptimised
/// and a screenshot is megabytes of pixels.
private struct Inflater {
    let input: [UInt8]
    var pos = 0
    /// Bits read ahead, least significant first.
    var bitBuffer: UInt64 = 0
    var bitCount = 0
    var out: [UInt8] = []

    init(_ input: [UInt8]) {
        self.input = input
        out.reserveCapacity(input.count * 8)
    }

    mutating func refill() {
        while bitCount <= 56 {
            let byte: UInt64 = pos < input.count ? UInt64(input[pos]) : 0
            pos += 1
            bitBuffer |= byte << UInt64(bitCount)
            bitCount += 8
        }
    }

    mutating func bits(_ n: Int) throws -> Int {
        if n == 0 { return 0 }
        if bitCount < n { refill() }
        try checkInput()
        let v = Int(bitBuffer & ((1 << UInt64(n)) - 1))
        bitBuffer >>= UInt64(n)
        bitCount -= n
        return v
    }

    /// Back to a byte boundary, for a stored block: the whole bytes read ahead go back to the input.
    mutating func alignToByte() {
        let drop = bitCount % 8
        bitBuffer >>= UInt64(drop)
        bitCount -= drop
        pos -= bitCount / 8
        bitBuffer = 0
        bitCount = 0
    }

    /// A canonical Huffman code as a table indexed by the next `maxLength` bits (as read, least
    /// significant first): symbol << 4 | code length.
    struct Huffman {
        var table: [Int32]
        var maxLength: Int
        init(lengths: [Int]) throws {
            maxLength = max(1, lengths.max() ?? 1)
            table = [Int32](repeating: -1, count: 1 << maxLength)
            var counts = [Int](repeating: 0, count: 16)
            for l in lengths where l > 0 { counts[l] += 1 }
            // The first code of each length (RFC 1951, 3.2.2).
            var next = [Int](repeating: 0, count: 16)
            var code = 0
            for l in 1..<16 {
                next[l] = code
                code = (code + counts[l]) << 1
            }
            for (symbol, l) in lengths.enumerated() where l > 0 {
                let c = next[l]
                next[l] += 1
                // The code's bits reversed: deflate sends Huffman codes most significant bit first.
                var reversed = 0
                for k in 0..<l where c & (1 << k) != 0 { reversed |= 1 << (l - 1 - k) }
                let entry = Int32(symbol << 4 | l)
                var index = reversed
                while index < table.count {
                    table[index] = entry
                    index += 1 << l
                }
            }
        }
    }

    /// Reading past the input (the refill pads with zeros) is an error.
    func checkInput() throws {
        if pos - bitCount / 8 > input.count { throw PNGImage.Failure(description: "deflate: out of input") }
    }

    mutating func decode(_ h: Huffman) throws -> Int {
        if bitCount < h.maxLength { refill() }
        try checkInput()
        let entry = h.table[Int(bitBuffer & ((1 << UInt64(h.maxLength)) - 1))]
        guard entry >= 0 else { throw PNGImage.Failure(description: "deflate: bad code") }
        let length = Int(entry & 15)
        bitBuffer >>= UInt64(length)
        bitCount -= length
        return Int(entry >> 4)
    }

    static let lengthBase = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258]
    static let lengthExtra = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
    static let distBase = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073,
                           4097, 6145, 8193, 12289, 16385, 24577]
    static let distExtra = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13]

    mutating func inflate() throws -> [UInt8] {
        var last = 0
        repeat {
            last = try bits(1)
            switch try bits(2) {
            case 0:
                alignToByte()
                guard pos + 4 <= input.count else { throw PNGImage.Failure(description: "deflate: short stored block") }
                let len = Int(input[pos]) | Int(input[pos + 1]) << 8
                pos += 4
                guard pos + len <= input.count else { throw PNGImage.Failure(description: "deflate: short stored block") }
                out += input[pos..<(pos + len)]
                pos += len
            case 1:
                let lit = try Huffman(lengths: (0..<288).map { $0 < 144 ? 8 : $0 < 256 ? 9 : $0 < 280 ? 7 : 8 })
                let dist = try Huffman(lengths: [Int](repeating: 5, count: 30))
                try codes(lit, dist)
            case 2:
                let hlit = try bits(5) + 257, hdist = try bits(5) + 1, hclen = try bits(4) + 4
                let order = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]
                var clen = [Int](repeating: 0, count: 19)
                for k in 0..<hclen { clen[order[k]] = try bits(3) }
                let ch = try Huffman(lengths: clen)
                var lengths: [Int] = []
                while lengths.count < hlit + hdist {
                    let sym = try decode(ch)
                    switch sym {
                    case 0..<16: lengths.append(sym)
                    case 16:
                        guard let prev = lengths.last else { throw PNGImage.Failure(description: "deflate: repeat with no length") }
                        lengths += [Int](repeating: prev, count: 3 + (try bits(2)))
                    case 17: lengths += [Int](repeating: 0, count: 3 + (try bits(3)))
                    default: lengths += [Int](repeating: 0, count: 11 + (try bits(7)))
                    }
                }
                try codes(try Huffman(lengths: Array(lengths[0..<hlit])), try Huffman(lengths: Array(lengths[hlit..<(hlit + hdist)])))
            default:
                throw PNGImage.Failure(description: "deflate: bad block type")
            }
        } while last == 0
        return out
    }

    mutating func codes(_ lit: Huffman, _ dist: Huffman) throws {
        while true {
            let sym = try decode(lit)
            if sym < 256 {
                out.append(UInt8(sym))
            } else if sym == 256 {
                return
            } else {
                let li = sym - 257
                guard li < Self.lengthBase.count else { throw PNGImage.Failure(description: "deflate: bad length") }
                let length = Self.lengthBase[li] + (try bits(Self.lengthExtra[li]))
                let di = try decode(dist)
                guard di < Self.distBase.count else { throw PNGImage.Failure(description: "deflate: bad distance") }
                let distance = Self.distBase[di] + (try bits(Self.distExtra[di]))
                guard distance <= out.count else { throw PNGImage.Failure(description: "deflate: distance too far") }
                let start = out.count - distance
                // One byte at a time: a slice of `out` appended to `out` would copy all of it.
                for k in 0..<length { out.append(out[start + k]) }
            }
        }
    }
}
