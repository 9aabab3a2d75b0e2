import Hummingbird

/// A multipart/form-data upload read as it streams in: the part named `file` goes straight to a
/// blob writer (never whole in memory), the other parts are short text fields.
struct MultipartUpload {
    let fields: [String: String]
    /// The file part's name and type as the client sent them; `nil` when there was no file part.
    let file: (name: String?, type: String?)?

    /// Reads `request`'s body, writing the file part to `writer`: 415 when it is not
    /// multipart/form-data, 400 for a second file, 422 for a text field over `maximumFieldBytes`.
    static func receive(_ request: Request, into writer: BlobWriter, maximumFieldBytes: Int) async throws -> MultipartUpload {
        guard let contentType = request.headers[.contentType], var parser = MultipartStream(contentType: contentType) else {
            throw APIError(status: .unsupportedMediaType, code: "unsupported_media_type", detail: "Send multipart/form-data with a boundary")
        }
        var fields: [String: String] = [:], file: (name: String?, type: String?)?
        var part: (name: String?, isFile: Bool)?, value: [UInt8] = []
        for try await chunk in request.body {
            for event in try parser.feed(Array(chunk.readableBytesView)) {
                switch event {
                case .part(let name, let fileName, let type):
                    let isFile = name == "file"
                    if isFile {
                        guard file == nil else { throw APIError.badRequest("Send one file per upload") }
                        file = (fileName, type)
                    }
                    part = (name, isFile)
                    value = []
                case .data(let bytes):
                    if part?.isFile == true {
                        try writer.write(bytes)
                    } else {
                        value += bytes
                        if value.count > maximumFieldBytes { throw APIError.unprocessable([.init(field: part?.name ?? "form", message: "is too long")]) }
                    }
                case .end:
                    if let name = part?.name, part?.isFile == false { fields[name] = String(decoding: value, as: UTF8.self) }
                    part = nil
                }
            }
        }
        try parser.finish()
        return MultipartUpload(fields: fields, file: file)
    }
}
