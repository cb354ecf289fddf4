# Sourced by scripts/run and scripts/test: installs what a fresh Debian 12
# machine lacks to build Cadence (a C compiler for the bundled SQLite, and a
# Rust toolchain), and nothing when it is already there.
set -euo pipefail

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

missing=()
command -v cc >/dev/null 2>&1 || missing+=(build-essential)
# The keyring crate talks to the Secret Service through libdbus.
for p in libdbus-1-dev pkg-config; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ! command -v cargo >/dev/null 2>&1 && [ ! -x "$HOME/.cargo/bin/cargo" ]; then
    command -v curl >/dev/null 2>&1 || missing+=(curl ca-certificates)
fi
if [ "${#missing[@]}" -gt 0 ]; then
    echo "setup: installing ${missing[*]}" >&2
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if ! command -v cargo >/dev/null 2>&1; then
    if [ ! -x "$HOME/.cargo/bin/cargo" ]; then
        # Debian 12's own cargo is too old for the crates Cadence uses.
        echo "setup: installing the Rust toolchain with rustup" >&2
        curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal >&2
    fi
    export PATH="$HOME/.cargo/bin:$PATH"
fi
# The house checks (scripts/test) need rustfmt and clippy; rustup's minimal
# profile leaves them out.
if command -v rustup >/dev/null 2>&1; then
    for c in rustfmt clippy; do
        if ! cargo "${c/rustfmt/fmt}" --version >/dev/null 2>&1; then
            rustup component add "$c" >&2
        fi
    done
fi

# What the desktop app needs to build, run and be tested: WebKitGTK, a tray
# library, Xvfb and a D-Bus session for headless runs, WebKitWebDriver, and
# Node.js (20 or newer) for the UI. Installs only what is missing.
desktop_setup() {
    local pkgs=(libwebkit2gtk-4.1-dev libayatana-appindicator3-dev librsvg2-dev pkg-config libssl-dev
        xvfb xauth x11-utils dbus dbus-daemon webkit2gtk-driver imagemagick)
    local need=()
    for p in "${pkgs[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need+=("$p")
    done
    command -v node >/dev/null 2>&1 || need+=(nodejs npm)
    if [ "${#need[@]}" -gt 0 ]; then
        echo "setup: installing ${need[*]}" >&2
        as_root apt-get update -qq
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends -o DPkg::Lock::Timeout=600 "${need[@]}" >/dev/null
    fi
    local major
    major="$(node -p 'process.versions.node.split(".")[0]')"
    if [ "$major" -lt 20 ]; then
        echo "setup: Node.js $major is too old for the UI build (Vite needs 20 or newer)" >&2
        exit 1
    fi
    # The lock file is not committed: npm ci would ask for other platforms' packages.
    if [ ! -d ui/node_modules/.bin ] || [ ui/package.json -nt ui/node_modules/.package-lock.json ]; then
        (cd ui && npm install --no-audit --no-fund --loglevel=error)
    fi
    # The UI is built again only when its sources changed: the desktop binary
    # embeds ui/dist, and rewritten files there, even identical, make cargo
    # rebuild it (over 2 minutes in release).
    if [ ! -f ui/dist/index.html ] || [ -n "$(find ui/src ui/public ui/index.html ui/package.json \
        ui/vite.config.ts ui/svelte.config.js ui/tsconfig.json ui/node_modules/.package-lock.json \
        -newer ui/dist/index.html -print -quit 2>/dev/null)" ]; then
        (cd ui && node node_modules/vite/bin/vite.js build --logLevel warn)
    fi
}

# WebDriver for the end-to-end tests.
e2e_setup() {
    if ! command -v tauri-driver >/dev/null 2>&1; then
        echo "setup: installing tauri-driver" >&2
        cargo install tauri-driver --locked --quiet
    fi
    if [ ! -d tests/e2e/node_modules/webdriverio ] || [ tests/e2e/package.json -nt tests/e2e/node_modules/.package-lock.json ]; then
        (cd tests/e2e && npm install --no-audit --no-fund --loglevel=error)
    fi
}

# The test mail servers (Postfix, Dovecot with Sieve for out-of-office
# replies), SpamAssassin for the deliverability check, gnome-keyring for
# the Secret Service test, and dunst, a notification daemon the e2e tests
# read the app's desktop notifications from. Postfix is preseeded so its
# installer asks nothing.
mail_setup() {
    local pkgs=(postfix dovecot-imapd dovecot-lmtpd dovecot-sieve spamassassin gnome-keyring dbus-daemon dunst postgresql)
    local need=()
    for p in "${pkgs[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need+=("$p")
    done
    if [ "${#need[@]}" -gt 0 ]; then
        echo "setup: installing ${need[*]}" >&2
        echo "postfix postfix/main_mailer_type select No configuration" | as_root debconf-set-selections
        as_root apt-get update -qq
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends -o DPkg::Lock::Timeout=600 "${need[@]}" >/dev/null
    fi
    scripts/mail-server start
    # The OAuth 2.0 provider for the sign-in tests (oidc-provider on
    # 127.0.0.1:1780; Dovecot's oauth2 passdb introspects its tokens), with
    # access tokens that live 60 s.
    OAUTH_ACCESS_TTL=60 scripts/oauth-server start
    # The team server: PostgreSQL in a throwaway cluster under target/team-pg
    # (the package's own cluster is not used).
    scripts/team-pg start
}
