import Glibc

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
