/// One HTTP header field as SSGI passes it: the name as spelled, and its value.
public typealias HTTPHeader = (name: String, value: String)
