import Foundation

/// Where the package's executables were built: beside the test bundle (`.build/debug/`).
public enum BuiltProducts {
    public static var directory: String {
        if let override = ProcessInfo.processInfo.environment["TONGBAN_TEST_BIN_DIR"] { return override }
        var url = URL(fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0])
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.isExecutableFile(atPath: url.path + "/tongband") { return url.path }
        }
        return FileManager.default.currentDirectoryPath + "/.build/debug"
    }

    public static var tongband: String { directory + "/tongband" }
    public static var tongbanctl: String { directory + "/tongbanctl" }
    public static var bench: String { directory + "/tongban-bench" }
}
