import Glibc

/// The user and group the server serves as (`--user`, `--group`), as with Gunicorn: a server
/// started as root binds port 80, gives its unix sockets to the user and group, and each worker
/// (or the one process of `--workers 0`) switches to them before it loads the application.
public struct Privileges: Sendable, Hashable {
    /// The user to become, and its name when it has one (for the supplementary groups).
    public let uid: uid_t?
    public let userName: String?
    /// The group to become: `--group`, else the user's primary group; and its name, when it has one.
    public let gid: gid_t?
    public let groupName: String?

    /// Why a user or group cannot be used.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Resolves `user` and `group`, each a name or a number; nil leaves it as it is.
    public init(user: String?, group: String?) throws(Failure) {
        var uid: uid_t?
        var userName: String?
        var primaryGroup: gid_t?
        if let user {
            if let entry = Self.passwordEntry(named: user) {
                (uid, userName, primaryGroup) = (entry.uid, user, entry.gid)
            } else if let number = uid_t(user) {
                uid = number
                if let entry = Self.passwordEntry(id: number) { (userName, primaryGroup) = (entry.name, entry.gid) }
            } else {
                throw Failure(description: "unknown user '\(user)' for --user: give a user name or a numeric uid")
            }
        }
        var gid = primaryGroup
        if let group {
            if let named = Self.groupID(named: group) {
                gid = named
            } else if let number = gid_t(group) {
                gid = number
            } else {
                throw Failure(description: "unknown group '\(group)' for --group: give a group name or a numeric gid")
            }
        }
        self.uid = uid
        self.userName = userName
        self.gid = gid
        self.groupName = gid.flatMap(Self.groupName(id:))
    }

    /// Gives a file (a unix socket the server created) to the user and group, so that they can
    /// still remove it and proxies in the group can connect.
    public func giveOwnership(of path: String) throws(Failure) {
        guard chown(path, self.uid ?? uid_t.max, self.gid ?? gid_t.max) == 0 else {
            throw Failure(description: "cannot give \(path) to \(self): \(String(cString: strerror(errno)))")
        }
    }

    /// Switches the process to the group, then the user, for good: the supplementary groups
    /// become the user's (or just the group), and the switch is checked to be irreversible.
    public func drop() throws(Failure) {
        if let gid = self.gid {
            let groups =
                if let name = self.userName { initgroups(name, gid) } else {
                    withUnsafePointer(to: gid) { setgroups(1, $0) }
                }
            guard groups == 0, setgid(gid) == 0 else {
                throw Failure(
                    description:
                        "cannot switch to group \(gid): \(String(cString: strerror(errno))) (only root can; drop --group or start as root)"
                )
            }
        }
        if let uid = self.uid {
            guard setuid(uid) == 0 else {
                throw Failure(
                    description:
                        "cannot switch to user \(self.userName ?? String(uid)): \(String(cString: strerror(errno))) (only root can; drop --user or start as root)"
                )
            }
            guard uid == 0 || (setuid(0) != 0 && geteuid() == uid && getuid() == uid) else {
                throw Failure(description: "switched to user \(uid), but the switch could be undone")
            }
        }
    }

    private static func passwordEntry(named name: String) -> (uid: uid_t, gid: gid_t)? {
        Self.lookUp { entry, buffer, result in getpwnam_r(name, &entry, buffer, 16384, &result) }
            .map { entry, _ in (entry.pw_uid, entry.pw_gid) }
    }

    private static func passwordEntry(id: uid_t) -> (name: String, gid: gid_t)? {
        Self.lookUp { entry, buffer, result in getpwuid_r(id, &entry, buffer, 16384, &result) }
            .map { entry, name in (name, entry.pw_gid) }
    }

    private static func groupID(named name: String) -> gid_t? {
        var entry = group()
        var result: UnsafeMutablePointer<group>?
        var buffer = [CChar](repeating: 0, count: 16384)
        let status = getgrnam_r(name, &entry, &buffer, buffer.count, &result)
        return status == 0 && result != nil ? entry.gr_gid : nil
    }

    private static func groupName(id: gid_t) -> String? {
        var entry = group()
        var result: UnsafeMutablePointer<group>?
        var buffer = [CChar](repeating: 0, count: 16384)
        return buffer.withUnsafeMutableBufferPointer { storage in
            guard getgrgid_r(id, &entry, storage.baseAddress!, storage.count, &result) == 0, result != nil else {
                return nil
            }
            return String(cString: entry.gr_name)
        }
    }

    /// Runs a `getpw*_r` lookup with a buffer of 16 KiB; returns the entry and its name, read
    /// while the buffer they point into is alive.
    private static func lookUp(
        _ call: (inout passwd, UnsafeMutablePointer<CChar>, inout UnsafeMutablePointer<passwd>?) -> Int32
    ) -> (passwd, String)? {
        var entry = passwd()
        var result: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 16384)
        return buffer.withUnsafeMutableBufferPointer { storage in
            guard call(&entry, storage.baseAddress!, &result) == 0, result != nil else { return nil }
            return (entry, String(cString: entry.pw_name))
        }
    }
}

extension Privileges: CustomStringConvertible {
    public var description: String {
        let user = self.userName ?? self.uid.map(String.init) ?? "the current user"
        let group = self.groupName ?? self.gid.map(String.init)
        return group.map { "\(user):\($0)" } ?? user
    }
}
