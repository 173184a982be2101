#!/usr/bin/env bash
# Sourced by scripts/test.sh and scripts/bench.sh (not run on its own): installs the Debian packages the tests and the
# benchmarks need when they are missing, and keeps the packaged mosquitto service stopped, because every test and
# benchmark starts brokers of its own on free ports.
#   ensure_packages mosquitto mosquitto-clients openssl   # apt-get install only what is missing; exits on failure
#   stop_packaged_mosquitto                               # stop and disable the distribution's mosquitto service

as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo -n "$@"
    else
        echo "need root (or sudo) to run: $*" >&2
        return 1
    fi
}

installed() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

ensure_packages() {
    local missing=() package
    for package in "$@"; do
        installed "$package" || missing+=("$package")
    done
    [ ${#missing[@]} -gt 0 ] || return 0
    printf '\n=== %s\n' "installing ${missing[*]}"
    # policy-rc.d answering 101 keeps apt from starting services (the Debian way for containers and CI).
    local policy_added=false status=0
    if [ ! -e /usr/sbin/policy-rc.d ]; then
        as_root sh -c 'printf "#!/bin/sh\nexit 101\n" > /usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d'
        policy_added=true
    fi
    as_root apt-get update -qq && as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null || status=$?
    if [ "$policy_added" = true ]; then
        as_root rm -f /usr/sbin/policy-rc.d
    fi
    if [ "$status" -ne 0 ]; then
        echo "apt-get failed ($status)" >&2
        exit "$status"
    fi
}

# The packaged mosquitto service must not run: it would hold port 1883 and is not what the tests configure.
stop_packaged_mosquitto() {
    if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
        if systemctl is-active --quiet mosquitto 2>/dev/null; then
            echo "stopping the packaged mosquitto service"
            as_root systemctl stop mosquitto || true
        fi
        if systemctl is-enabled --quiet mosquitto 2>/dev/null; then
            as_root systemctl disable mosquitto >/dev/null 2>&1 || true
        fi
    elif [ -x /etc/init.d/mosquitto ]; then
        if as_root /etc/init.d/mosquitto status >/dev/null 2>&1; then
            echo "stopping the packaged mosquitto service"
            as_root /etc/init.d/mosquitto stop || true
        fi
        if command -v update-rc.d >/dev/null 2>&1; then
            as_root update-rc.d mosquitto disable >/dev/null 2>&1 || true
        fi
    fi
}
