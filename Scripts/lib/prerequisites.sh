# Sourced by the scripts in Scripts/: makes sure what Shikaku builds with is here,
# installing only what is missing (Debian or Ubuntu, through apt-get), and doing
# nothing when everything is already present.

shikaku_apt_install() {
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null 2>&1 || {
            echo "error: $* must be installed, and this is not root and has no sudo." >&2
            echo "       Install them with your package manager, then run this again." >&2
            exit 1
        }
        sudo="sudo"
    fi
    command -v apt-get >/dev/null 2>&1 || {
        echo "error: $* must be installed, and this system has no apt-get." >&2
        echo "       Install the OpenSSL 3 and zlib development files with your package manager." >&2
        exit 1
    }
    echo "Installing $* (missing) ..." >&2
    DEBIAN_FRONTEND=noninteractive $sudo apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >&2
}

shikaku_prerequisites() {
    command -v swift >/dev/null 2>&1 || {
        echo "error: Swift 6 is not on PATH. Install a Swift 6 toolchain from https://www.swift.org/install/" >&2
        exit 1
    }
    local missing=()
    command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
    if command -v pkg-config >/dev/null 2>&1; then
        pkg-config --exists libcrypto || missing+=(libssl-dev)
        pkg-config --exists zlib || missing+=(zlib1g-dev)
    else
        missing+=(libssl-dev zlib1g-dev)
    fi
    command -v openssl >/dev/null 2>&1 || missing+=(openssl)
    if [ ${#missing[@]} -gt 0 ]; then
        shikaku_apt_install "${missing[@]}"
    fi
}

# Builds the release products named (shikaku, shikaku-bench) with the Swift runtime linked in, and sets
# $shikaku_bin to their folder: a one-off `shikaku verify` then starts in about half the time, since the
# dynamic loader need not bind the runtime libraries' symbols. (Package.swift cannot ask for this itself:
# the test build links Foundation, whose static form needs ICU.)
shikaku_build_release() {
    local product log
    log=$(mktemp)
    for product in "$@"; do
        if ! swift build -c release --static-swift-stdlib --product "$product" >"$log" 2>&1; then
            cat "$log" >&2
            rm -f "$log"
            echo "error: the release build of $product failed (above)" >&2
            exit 1
        fi
    done
    rm -f "$log"
    shikaku_bin="$(swift build -c release --static-swift-stdlib --show-bin-path)"
}
