import ArgumentParser
import Foundation
import Logging
import TongbanClient
import TongbanConfig
import TongbanCore
import TongbanGateway

/// `tongband`: one province's gateway daemon.
@main
struct Tongband: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tongband",
        abstract: "Tongban (通办) gateway: publishes a province's resource directory and answers peer provinces over mutual TLS.",
        version: TongbanVersion.current)

    /// Before anything else: the malloc arena limit must be in place before the threads that allocate start.
    static func main() async {
        MallocArenas.apply(MallocArenas.limit(eventLoops: CPUAffinity.allowedCount ?? ProcessInfo.processInfo.activeProcessorCount))
        await main(nil)
    }

    @Option(name: .long, help: "Configuration file (or $TONGBAN_CONFIG).")
    var config: String = ProcessInfo.processInfo.environment["TONGBAN_CONFIG"] ?? GatewayConfiguration.defaultPath

    @Flag(name: .long, help: "Validate the configuration and everything it names, print every problem, and exit 0 (valid) or 1.")
    var checkConfig = false

    @Option(name: .long, help: "Log format: text, journal (default under systemd) or json.")
    var logFormat: GatewayLogHandler.Format?

    func run() async throws {
        let executorOnEventLoops = EventLoopPlacement.oneLoopPerAllowedCPU()
        let result = await ConfigValidator.check(path: config)
        if checkConfig {
            if result.problems.isEmpty {
                print("\(config): configuration is valid")
                return
            }
            for problem in result.problems { FileHandle.standardError.write(Data((problem.located(in: config) + "\n").utf8)) }
            FileHandle.standardError.write(Data("\(config): \(result.problems.count) problem(s)\n".utf8))
            throw ExitCode(1)
        }
        guard let configuration = result.configuration else {
            for problem in result.problems { FileHandle.standardError.write(Data((problem.located(in: config) + "\n").utf8)) }
            FileHandle.standardError.write(Data("tongband: not starting: the configuration has \(result.problems.count) problem(s)\n".utf8))
            throw ExitCode(1)
        }
        let format = logFormat ?? GatewayLogHandler.defaultFormat()
        let level = Logger.Level(rawValue: configuration.logLevel) ?? .info
        LoggingSystem.bootstrap { GatewayLogHandler(label: $0, format: format, level: level) }
        let logger = Logger(label: "tongband")
        logger.debug("Swift concurrency on NIO's event loops: \(executorOnEventLoops)")
        do {
            try await Gateway.run(configuration: configuration, configPath: config, logger: logger)
        } catch let error as TongbanError {
            logger.critical("cannot run: \(error.message)", metadata: ["tongban.code": .string(error.code.rawValue)])
            throw ExitCode(1)
        }
    }
}

extension GatewayLogHandler.Format: ExpressibleByArgument {}
