/// The bridge's arguments, the words after `--` on swiftserve's command line, read as gunicorn
/// reads its own: `MODULE[:CALLABLE] [--pythonpath DIR[,DIR...]] [--threads N]`.
///
/// `swiftserve libwsgi.so:app -- flaskapp:app --threads 16` serves `app` of module `flaskapp`
/// (found on the current directory, as gunicorn finds it) on 16 Python threads.
struct WSGIOptions: Equatable {
    /// The module to import, such as `flaskapp` or `helloworld.wsgi`.
    var module: String
    /// The application in the module: a name, attributes after dots (`api.wsgi_app`), or a
    /// factory to call with no arguments (`create_app()`). `application` when left out, as gunicorn has it.
    var callable: String
    /// Folders put first on `sys.path`, in the order given, before the current directory.
    var pythonPath: [String]
    /// Python threads serving requests.
    var threads: Int

    /// How many Python threads serve requests when `--threads` is not given.
    ///
    /// Only one of them runs Python at a time (the GIL), and a second one takes work only when
    /// the first is stuck waiting: on the server, a sleep, a database, a slow upload (the pool's
    /// `stall`). Eight lets that many requests wait at once without holding up the rest, as a
    /// small uWSGI or mod_wsgi deployment would, while keeping what each thread may hold (a
    /// database connection in Django) few. Raise it for applications that wait on other
    /// services much of the time.
    static let defaultThreads = 8

    /// The usage line that ends every error.
    static let usage = "usage: swiftserve libwsgi.so:app -- MODULE[:CALLABLE] [--pythonpath DIR[,DIR...]] [--threads N]"

    init(
        module: String, callable: String = "application", pythonPath: [String] = [], threads: Int = Self.defaultThreads
    ) {
        self.module = module
        self.callable = callable
        self.pythonPath = pythonPath
        self.threads = threads
    }

    /// Reads the application's arguments (without the application reference).
    init<Arguments: Collection<String>>(parsing arguments: Arguments) throws(WSGIError) {
        var reference: String?
        var pythonPath: [String] = []
        var threads = Self.defaultThreads
        var words = Array(arguments)[...]
        while let word = words.popFirst() {
            let (option, attached) = Self.split(word)
            switch option {
            case "--pythonpath", "--threads":
                guard let value = attached ?? words.popFirst(), !value.isEmpty else {
                    throw .usage("\(option) needs a value")
                }
                if option == "--threads" {
                    guard let count = Int(value), count >= 1 else {
                        throw .usage("--threads must be a whole number, at least 1, not '\(value)'")
                    }
                    threads = count
                } else {
                    pythonPath += value.split(separator: ",").map(String.init)
                }
            case _ where word.hasPrefix("-"):
                throw .usage("unknown option '\(word)'")
            default:
                guard reference == nil else { throw .usage("one application only, not '\(reference!)' and '\(word)'") }
                reference = word
            }
        }
        guard let reference else { throw .usage("name the WSGI application as MODULE:CALLABLE") }
        let parts = reference.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        guard !parts[0].isEmpty, parts.count == 1 || !parts[1].isEmpty else {
            throw .usage("malformed application '\(reference)': name it as MODULE:CALLABLE, such as flaskapp:app")
        }
        self.init(
            module: String(parts[0]), callable: parts.count == 2 ? String(parts[1]) : "application",
            pythonPath: pythonPath, threads: threads)
    }

    /// `--name=value` as (`--name`, `value`); any other word as (word, nil).
    private static func split(_ word: String) -> (String, String?) {
        guard word.hasPrefix("--"), let equals = word.firstIndex(of: "=") else { return (word, nil) }
        return (String(word[..<equals]), String(word[word.index(after: equals)...]))
    }
}
