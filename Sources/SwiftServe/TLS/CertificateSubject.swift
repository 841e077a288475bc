/// The subject of an X.509 certificate as an RFC 4514 string, such as `CN=client,O=Example`, read
/// from the certificate's DER bytes: swift-nio-ssl hands a peer's certificate over as DER, not
/// its subject. The form is OpenSSL's `-nameopt RFC2253` and mod_ssl's `SSL_CLIENT_S_DN`: the
/// last RDN first, the usual short names, any other attribute as its dotted OID and `#` hex.
enum CertificateSubject {
    /// The subject of the certificate `der`, or nil when the bytes are not a certificate.
    static func rfc4514(der: [UInt8]) -> String? {
        var reader = DERReader(der[...])
        guard let certificate = reader.read(tag: 0x30) else { return nil }
        var outer = DERReader(certificate.contents)
        guard let tbsCertificate = outer.read(tag: 0x30) else { return nil }
        var tbs = DERReader(tbsCertificate.contents)
        // version [0] (optional), serialNumber, signature, issuer, validity, then subject.
        _ = tbs.read(tag: 0xA0)
        guard tbs.read(tag: 0x02) != nil, tbs.read(tag: 0x30) != nil, tbs.read(tag: 0x30) != nil,
            tbs.read(tag: 0x30) != nil, let subject = tbs.read(tag: 0x30)
        else { return nil }
        var rdns: [String] = []
        var names = DERReader(subject.contents)
        while !names.isAtEnd {
            guard let set = names.read(tag: 0x31) else { return nil }
            var attributes: [String] = []
            var members = DERReader(set.contents)
            while !members.isAtEnd {
                guard let pair = members.read(tag: 0x30) else { return nil }
                var fields = DERReader(pair.contents)
                guard let type = fields.read(tag: 0x06), let value = fields.readAny() else { return nil }
                attributes.append(Self.attribute(oid: Array(type.contents), value: value))
            }
            // Any order is right within an RDN (RFC 4514 §2.2); OpenSSL's is reversed too.
            rdns.append(attributes.reversed().joined(separator: "+"))
        }
        return rdns.reversed().joined(separator: ",")
    }

    /// `TYPE=value`, the value escaped as RFC 4514 §2.4 says; `OID=#hex` for a type without a
    /// short name or a value that is not a string.
    private static func attribute(oid: [UInt8], value: DERReader.Element) -> String {
        let dotted = Self.dotted(oid)
        guard let name = Self.shortNames[dotted], let text = Self.text(value) else {
            let hex = value.encoded.map { byte in
                let digits = String(byte, radix: 16)
                return byte < 16 ? "0" + digits : digits
            }
            return "\(dotted)=#\(hex.joined())"
        }
        return "\(name)=\(Self.escaped(text))"
    }

    private static let shortNames: [String: String] = [
        "2.5.4.3": "CN", "2.5.4.7": "L", "2.5.4.8": "ST", "2.5.4.10": "O", "2.5.4.11": "OU", "2.5.4.6": "C",
        "2.5.4.9": "STREET", "0.9.2342.19200300.100.1.25": "DC", "0.9.2342.19200300.100.1.1": "UID",
        "1.2.840.113549.1.9.1": "emailAddress", "2.5.4.5": "serialNumber", "2.5.4.4": "SN", "2.5.4.42": "GN",
        "2.5.4.12": "title",
    ]

    private static func dotted(_ oid: [UInt8]) -> String {
        var parts: [String] = []
        var value: UInt64 = 0
        for byte in oid {
            value = value << 7 | UInt64(byte & 0x7F)
            guard byte & 0x80 == 0 else { continue }
            if parts.isEmpty {
                let first = min(value / 40, 2)
                parts += [String(first), String(value - first * 40)]
            } else {
                parts.append(String(value))
            }
            value = 0
        }
        return parts.joined(separator: ".")
    }

    /// The text of a directory string: UTF8String, PrintableString, IA5String, T61String (read
    /// as Latin-1), BMPString (UTF-16) or UniversalString (UTF-32).
    private static func text(_ value: DERReader.Element) -> String? {
        let bytes = Array(value.contents)
        switch value.tag {
        case 0x0C, 0x13, 0x16: return String(validating: bytes, as: UTF8.self)
        case 0x14: return String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) }))
        case 0x1E:
            guard bytes.count % 2 == 0 else { return nil }
            let units = stride(from: 0, to: bytes.count, by: 2).map { UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]) }
            return String(validating: units, as: UTF16.self)
        case 0x1C:
            guard bytes.count % 4 == 0 else { return nil }
            var scalars = String.UnicodeScalarView()
            for start in stride(from: 0, to: bytes.count, by: 4) {
                let code = bytes[start..<start + 4].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
                guard let scalar = Unicode.Scalar(code) else { return nil }
                scalars.append(scalar)
            }
            return String(scalars)
        default: return nil
        }
    }

    /// RFC 4514 §2.4: `, + " \ < > ;` escaped everywhere, `#` and space at the start, space at the
    /// end, NUL as `\00`.
    private static func escaped(_ text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        var out = ""
        for (index, scalar) in scalars.enumerated() {
            switch scalar {
            case ",", "+", "\"", "\\", "<", ">", ";": out += "\\" + String(scalar)
            case "#" where index == 0: out += "\\#"
            case " " where index == 0 || index == scalars.count - 1: out += "\\ "
            case "\0": out += "\\00"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
