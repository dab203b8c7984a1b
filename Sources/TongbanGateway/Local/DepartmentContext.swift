import TongbanConfig

/// The department a local request was authenticated as.
enum DepartmentContext {
    @TaskLocal static var current: GatewayConfiguration.Department?
}
