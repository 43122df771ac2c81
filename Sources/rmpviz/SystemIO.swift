import Glibc

// The executable's few needs from the system, on Glibc alone: Foundation would cost the viewer
// milliseconds of start-up (its libraries and ICU) for a handful of path and file helpers.

/// Path strings, as the shell writes them.
enum Path {
    static func lastComponent(_ path: String) -> String {
        String(path.split(separator: "/", omittingEmptySubsequences: true).last ?? "")
    }

    /// The folder part: "" for a bare name, "/" for a file at the root.
    static func folder(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        let head = String(path[..<slash])
        return head.isEmpty ? "/" : head
    }

    static func join(_ folder: String, _ name: String) -> String {
        if folder.isEmpty || name.hasPrefix("/") { return name }
        return folder.hasSuffix("/") ? folder + name : folder + "/" + name
    }

    static func exists(_ path: String) -> Bool {
        var s = stat()
        return stat(path, &s) == 0
    }

    static func isFolder(_ path: String) -> Bool {
        var s = stat()
        return stat(path, &s) == 0 && (s.st_mode & S_IFMT) == S_IFDIR
    }

    static func isWritableFolder(_ path: String) -> Bool {
        access(path.isEmpty ? "." : path, W_OK) == 0
    }
}

/// Reads up to `limit` bytes of a file; nil when it cannot be opened or read.
func readFile(_ path: String, limit: Int) -> [UInt8]? {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while bytes.count < limit {
        let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, min($0.count, limit - bytes.count)) }
        if n < 0 {
            if errno == EINTR { continue }
            return nil
        }
        if n == 0 { break }
        bytes.append(contentsOf: chunk[0..<n])
    }
    return bytes
}

/// Writes all bytes to a file descriptor (standard output or error), retrying short writes.
func writeAll(_ bytes: [UInt8], to fd: Int32) {
    var written = 0
    bytes.withUnsafeBytes { buffer in
        guard let base = buffer.baseAddress else { return }
        while written < buffer.count {
            let n = write(fd, base + written, buffer.count - written)
            if n < 0 {
                if errno == EINTR { continue }
                return
            }
            written += n
        }
    }
}

/// An environment variable, if set.
func environment(_ name: String) -> String? {
    getenv(name).map { String(cString: $0) }
}

/// A folder `export -o DIR` made, with the files written into it, so a failed export can take it
/// away again. Only its last component is made: the folder it goes in must exist (else exit 73).
struct OutputFolder {
    let path: String
    var files: [String] = []

    static func create(_ path: String) throws(CLIFailure) -> OutputFolder {
        let trimmed = path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
        let parent = Path.folder(trimmed)
        let dir = parent.isEmpty ? "." : parent
        guard OutputFile.isFolder(dir) else {
            throw CLIFailure(status: 73, message: "rmpviz: -o \(path): the folder \(dir) does not exist")
        }
        guard mkdir(trimmed, 0o777) == 0 else {
            throw CLIFailure(status: 73, message: "rmpviz: -o \(path): cannot create the folder: \(String(cString: strerror(errno)))")
        }
        return OutputFolder(path: trimmed)
    }

    /// Removes the files written and the folder.
    func remove() {
        for f in files { unlink(f) }
        rmdir(path)
    }
}

/// Writes an output file whole or not at all: the text goes to a temporary file in the same folder
/// (so the rename cannot cross file systems), which is renamed over the target only once complete.
/// A failure removes the temporary file, so no half-written export is ever left behind.
enum OutputFile {
    static func isFolder(_ path: String) -> Bool {
        Path.isFolder(path)
    }

    static func write(_ text: String, to path: String) throws(CLIFailure) {
        let folder = Path.folder(path)
        let dir = folder.isEmpty ? "." : folder
        guard isFolder(dir) else {
            throw CLIFailure(status: 73, message: "rmpviz: -o \(path): the folder \(dir) does not exist")
        }
        let name = Path.lastComponent(path)
        guard !name.isEmpty, !isFolder(path) else {
            throw CLIFailure(status: 73, message: "rmpviz: -o \(path): is a folder; name a file")
        }
        let temporary = Path.join(dir, ".\(name).\(getpid()).tmp")
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw failure(path, errno) }
        var bytes = Array(text.utf8)
        var written = 0
        var error: Int32 = 0
        bytes.withUnsafeMutableBytes { buffer in
            guard let base = buffer.baseAddress else { return }
            while written < buffer.count {
                let n = Glibc.write(fd, base + written, buffer.count - written)
                if n < 0 {
                    if errno == EINTR { continue }
                    error = errno
                    return
                }
                written += n
            }
        }
        // A full disk can surface only at fsync or close; either counts as a failed write.
        if error == 0, fsync(fd) != 0 { error = errno }
        if close(fd) != 0, error == 0 { error = errno }
        if error == 0, rename(temporary, path) != 0 { error = errno }
        if error != 0 {
            unlink(temporary)
            throw failure(path, error)
        }
    }

    private static func failure(_ path: String, _ code: Int32) -> CLIFailure {
        CLIFailure(status: 73, message: "rmpviz: -o \(path): cannot write: \(String(cString: strerror(code)))")
    }
}
