import Glibc
import Testing

@testable import SwiftServe

/// Where a request lands among the counters, and what a gone worker leaves.
@Suite("Metrics layout")
struct MetricsLayoutTests {
    private func index(_ method: String) -> Int {
        Array(method.utf8).withUnsafeBytes { MetricsLayout.methodIndex($0) }
    }

    @Test("the common methods count apart, any other as other, case-sensitively")
    func methods() {
        #expect(self.index("GET") == 0)
        #expect(self.index("OPTIONS") == 6)
        #expect(MetricsLayout.methods[self.index("PROPFIND")] == "other")
        #expect(MetricsLayout.methods[self.index("get")] == "other")
        #expect(MetricsLayout.methods[self.index("GETX")] == "other")
    }

    @Test("status classes, with anything outside 100...599 as 5xx")
    func statusClasses() {
        #expect(MetricsLayout.statusClasses[MetricsLayout.statusClassIndex(101)] == "1xx")
        #expect(MetricsLayout.statusClasses[MetricsLayout.statusClassIndex(204)] == "2xx")
        #expect(MetricsLayout.statusClasses[MetricsLayout.statusClassIndex(499)] == "4xx")
        #expect(MetricsLayout.statusClasses[MetricsLayout.statusClassIndex(999)] == "5xx")
    }

    @Test("a duration goes to the first bucket whose bound holds it; above every bound, to the last")
    func buckets() {
        #expect(MetricsLayout.durationBucket(nanoseconds: 0) == 0)
        #expect(MetricsLayout.durationBucket(nanoseconds: 1_000_000) == 0)
        #expect(MetricsLayout.durationBucket(nanoseconds: 1_000_001) == 1)
        #expect(MetricsLayout.durationBucket(nanoseconds: 11_000_000_000) == MetricsLayout.durationBounds.count)
    }

    @Test("the literal offsets match the labels and bounds they count")
    func offsets() {
        #expect(MetricsLayout.methodCount == MetricsLayout.methods.count)
        #expect(MetricsLayout.statusClassCount == MetricsLayout.statusClasses.count)
        #expect(MetricsLayout.durationBoundCount == MetricsLayout.durationBounds.count)
        #expect(MetricsLayout.durationBuckets == MetricsLayout.methods.count * MetricsLayout.statusClasses.count)
        #expect(
            MetricsLayout.durationSumNanoseconds == MetricsLayout.durationBuckets + MetricsLayout.durationBounds.count
                + 1)
        for (index, bound) in MetricsLayout.durationBounds.enumerated() {
            let nanoseconds = UInt64(bound * 1_000_000_000)
            #expect(MetricsLayout.durationBucket(nanoseconds: nanoseconds) == index)
            #expect(MetricsLayout.durationBucket(nanoseconds: nanoseconds + 1) == index + 1)
        }
        for (index, method) in MetricsLayout.methods.dropLast().enumerated() {
            #expect(self.index(method) == index)
        }
    }

    @Test("a row lives in its own cache lines")
    func rowStride() {
        #expect(MetricsLayout.rowStride >= MetricsLayout.fieldCount)
        #expect(MetricsLayout.rowStride % 8 == 0)
    }

    @Test("a gone worker's requests and connections count as ended; its counters stay")
    func retired() throws {
        let region = try MetricsRegion.local(rows: 2)
        let counters = RequestCounters(row: region.row(1))
        counters.connectionOpened()
        counters.requestStarted()
        counters.answered(method: 0, status: 200, nanoseconds: 5)
        counters.requestStarted()
        let snapshot = region.snapshot()
        #expect(snapshot.difference(MetricsLayout.requestsStarted, MetricsLayout.requestsEnded) == 2)
        let retired = snapshot.retired
        #expect(retired.difference(MetricsLayout.requestsStarted, MetricsLayout.requestsEnded) == 0)
        #expect(retired.difference(MetricsLayout.connectionsOpened, MetricsLayout.connectionsClosed) == 0)
        #expect(retired[MetricsLayout.requests + 1] == 1)
        #expect(retired[MetricsLayout.durationSumNanoseconds] == 5)
    }

    @Test("a shared region is seen by a second mapping, with the application it describes")
    func sharedRegion() throws {
        let region = try MetricsRegion.shared(rows: 3)
        let copy = try MetricsRegion.inherited(descriptor: dup(region.descriptor), rows: 3)
        RequestCounters(row: copy.row(2)).received(42)
        copy.publish(ApplicationInfo(name: "app\tx", specifier: "lib.so:app", ssgiVersion: "1.0", sdkVersion: "sdk"))
        #expect(region.snapshot()[MetricsLayout.bytesReceived] == 42)
        #expect(region.application?.name == "app x")
        #expect(region.application?.ssgiVersion == "1.0")
        #expect(throws: MetricsError.self) { try MetricsRegion.inherited(descriptor: dup(region.descriptor), rows: 4) }
    }
}
