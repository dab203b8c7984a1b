import ArgumentParser
import TongbanPKI

/// The `--dir` every authority command takes.
struct AuthorityDirectoryOption: ParsableArguments {
    @Option(name: .long, help: "The authority directory (made by 'federation init').") var dir: String

    var workspace: AuthorityWorkspace { AuthorityWorkspace(directory: dir) }
}
