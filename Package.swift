// swift-tools-version: 6.0
import PackageDescription

// Layers, each depending only on those above it (see README, "Layout"):
// COpenSSL, CZlib → ShikakuCrypto; ShikakuJSON → ShikakuModel → … → ShikakuCLI → shikaku.
let package = Package(
    name: "Shikaku",
    products: [
        .executable(name: "shikaku", targets: ["shikaku"]),
        .library(name: "ShikakuStore", targets: ["ShikakuStore"]),
        .library(name: "ShikakuCredentials", targets: ["ShikakuCredentials"]),
        .library(name: "ShikakuModel", targets: ["ShikakuModel"]),
        .library(name: "ShikakuCrypto", targets: ["ShikakuCrypto"]),
        .library(name: "ShikakuJSON", targets: ["ShikakuJSON"]),
    ],
    targets: [
        .systemLibrary(name: "COpenSSL", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .target(name: "ShikakuCrypto", dependencies: ["COpenSSL", "CZlib"]),
        .target(name: "ShikakuJSON"),
        .target(name: "ShikakuModel", dependencies: ["ShikakuCrypto", "ShikakuJSON"]),
        .target(name: "ShikakuCredentials", dependencies: ["ShikakuModel", "ShikakuCrypto", "ShikakuJSON"]),
        .target(name: "ShikakuStore", dependencies: ["ShikakuCredentials", "ShikakuModel", "ShikakuCrypto", "ShikakuJSON"]),
        .target(name: "ShikakuOffice", dependencies: ["ShikakuStore", "ShikakuCredentials", "ShikakuModel", "ShikakuCrypto"]),
        .target(
            name: "ShikakuCLI",
            dependencies: ["ShikakuOffice", "ShikakuStore", "ShikakuCredentials", "ShikakuModel", "ShikakuCrypto", "ShikakuJSON"]),
        .executableTarget(name: "shikaku", dependencies: ["ShikakuCLI"]),
        // Run by Scripts/bench-credentials and Scripts/bench-registry: not a test, and not part of the product.
        .executableTarget(
            name: "shikaku-bench", dependencies: ["ShikakuOffice", "ShikakuStore", "ShikakuCredentials", "ShikakuModel", "ShikakuCrypto", "ShikakuJSON"]),
        // Helpers shared by the test targets: finding the vectors, hex, running the built binary.
        .target(name: "ShikakuTestSupport", path: "Tests/ShikakuTestSupport"),
        // The simulated file system that crashes and fails on cue, for the store's tests and the export's.
        .target(name: "ShikakuStoreTestSupport", dependencies: ["ShikakuStore", "ShikakuTestSupport"], path: "Tests/ShikakuStoreTestSupport"),
        .testTarget(name: "ShikakuCryptoTests", dependencies: ["ShikakuCrypto", "ShikakuTestSupport"]),
        .testTarget(name: "ShikakuJSONTests", dependencies: ["ShikakuJSON", "ShikakuTestSupport"]),
        .testTarget(name: "ShikakuModelTests", dependencies: ["ShikakuModel", "ShikakuTestSupport"]),
        .testTarget(name: "ShikakuCredentialsTests", dependencies: ["ShikakuCredentials", "ShikakuTestSupport"]),
        .testTarget(name: "ShikakuStoreTests", dependencies: ["ShikakuStore", "ShikakuStoreTestSupport", "ShikakuTestSupport"]),
        .testTarget(name: "ShikakuOfficeTests", dependencies: ["ShikakuOffice", "ShikakuStore", "ShikakuStoreTestSupport", "ShikakuTestSupport"]),
        .testTarget(
            name: "ShikakuCLITests",
            dependencies: ["shikaku", "ShikakuCLI", "ShikakuCredentials", "ShikakuCrypto", "ShikakuJSON", "ShikakuModel", "ShikakuTestSupport"]),
    ]
)
