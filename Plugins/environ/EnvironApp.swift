import SSGI
import Synchronization

/// Answers with the environ it received as a JSON object, every key with its value as a string,
/// plus `ssgi.input.bytes_read`: how many body bytes it read from `ssgi.input`.
///
/// Its arguments (SSGI 1.1) choose the keys: `swiftserve libenviron.so -- PATH_INFO HTTP_HOST`
/// answers with those two (and the bytes read) only; without arguments, with every key.
@_cdecl("app")
public func app() -> UnsafeRawPointer {
    let selection = KeySelection()
    return exportApplication(
        name: "environ",
        startup: { info in selection.keys.withLock { $0 = Set(info.arguments.dropFirst()) } }
    ) { environ, startResponse in
        var bytesRead = 0
        for try await chunk in environ.input {
            bytesRead += chunk.count
        }
        let selected = selection.keys.withLock { $0 }
        var fields = environ.all.filter { selected.isEmpty || selected.contains($0.key) }.map {
            (JSON.quote($0.key), JSON.quote($0.value))
        }
        fields.append((JSON.quote("ssgi.input.bytes_read"), JSON.quote(String(bytesRead))))
        let body = "{\n" + fields.map { "  \($0.0): \($0.1)" }.joined(separator: ",\n") + "\n}\n"
        startResponse("200 OK", [("Content-Type", "application/json")])
        return .string(body)
    }
}

/// The keys the arguments chose, set at startup; empty for all.
final class KeySelection: Sendable {
    let keys = Mutex<Set<String>>([])
}

/// Just enough JSON to write strings.
enum JSON {
    static func quote(_ string: String) -> String {
        var quoted = "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": quoted += "\\\""
            case "\\": quoted += "\\\\"
            case "\n": quoted += "\\n"
            case "\r": quoted += "\\r"
            case "\t": quoted += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                quoted += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: quoted.unicodeScalars.append(scalar)
            }
        }
        return quoted + "\""
    }
}
