import ArgumentParser
import Foundation
import TongbanClient
import TongbanCore
import TongbanDemo

/// `tongbanctl demo up|down`: a whole federation on this machine's loopback, in one command.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo", abstract: "A local federation of gateways on loopback, for trying Tongban.",
        subcommands: [Up.self, Down.self, DemoTour.self])

    struct Up: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a federation PKI, configs and state for each province, start one tongband each, wait until ready, write DIR/federation.json.")

        @Option(name: .long, help: "Directory for the federation's files.") var dir: String
        @Option(name: .long, help: "Comma-separated province codes.") var provinces = "11,31,44"
        @Option(name: .long, help: "The tongband executable (default: beside tongbanctl).") var tongband: String?
        @Option(name: .long, help: "Demo records per resource and province.") var records = 10_000

        func run() async throws {
            do {
                let codes = try provinces.split(separator: ",").map { code throws(TongbanError) in try ProvinceCode(String(code)) }
                guard Set(codes).count == codes.count, codes.count >= 2 else { throw DemoError("--provinces needs at least two different codes") }
                let federation = DemoFederation(directory: dir)
                let document = try await federation.up(provinces: codes, tongband: tongband ?? DaemonProcess.executableDirectory + "/tongband",
                                                 records: records)
                print("federation up in \(dir) (\(federation.documentPath))")
                Console.table(["PROVINCE", "NAME", "PEER URL", "LOCAL URL", "ADMIN SOCKET", "PID"],
                              document.provinces.map { [$0.code, $0.name, $0.peerURL, $0.localURL, $0.adminSocket, String($0.pid)] })
            } catch { throw Console.fail(error) }
        }
    }

    struct Down: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop the federation's daemons (files stay in DIR).")

        @Option(name: .long, help: "Directory given to 'demo up'.") var dir: String

        func run() async throws {
            let clean = await DemoFederation(directory: dir).down()
            print(clean ? "federation in \(dir) stopped" : "federation in \(dir) stopped (some daemons had to be killed)")
        }
    }
}
