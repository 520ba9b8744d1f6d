#!/usr/bin/env bash
# Installs the real servers the adapter tests run against: redis-server and OpenSSH's sshd +
# sftp-server, and the headless browser the HTML report test renders in (chromium, driven by
# puppeteer-core, which downloads no browser of its own), from Debian's packages. Idempotent: does nothing when they are already present,
# runs `apt-get update` at most once per call. Nothing is started or enabled here; the tests start
# their own servers on 127.0.0.1 in temp dirs (test/support/).
set -euo pipefail

need=()
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
# redis-cli creates the 3-master cluster of the partitioned-mode test (scripts/redis-cluster.sh).
command -v redis-cli >/dev/null 2>&1 || need+=(redis-tools)
if ! command -v sshd >/dev/null 2>&1 && [ ! -x /usr/sbin/sshd ]; then need+=(openssh-server); fi
sftp_server_found=0
for p in /usr/lib/openssh/sftp-server /usr/libexec/openssh/sftp-server /usr/lib/ssh/sftp-server; do
  [ -x "$p" ] && sftp_server_found=1
done
[ "$sftp_server_found" = 1 ] || need+=(openssh-sftp-server)
command -v ssh-keygen >/dev/null 2>&1 || need+=(openssh-client)
[ -x /usr/bin/chromium ] || need+=(chromium)
# util-linux `script` gives the progress-line test a pseudo-terminal (Debian: package bsdutils).
command -v script >/dev/null 2>&1 || need+=(bsdutils)

if [ "${#need[@]}" -eq 0 ]; then
  echo "install-test-deps: redis-server, sshd, sftp-server and chromium already installed"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO=(sudo); else
    echo "install-test-deps: need root (or sudo) to install: ${need[*]}" >&2
    exit 1
  fi
else
  SUDO=()
fi

echo "install-test-deps: installing ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -qq
# policy-rc.d keeps Debian's postinst from starting the system sshd/redis services (port 22/6379):
# the tests run their own instances; a system daemon would only be an exposed extra listener.
policy=/usr/sbin/policy-rc.d
created_policy=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' | "${SUDO[@]}" tee "$policy" >/dev/null
  "${SUDO[@]}" chmod +x "$policy"
  created_policy=1
fi
cleanup() { if [ "$created_policy" = 1 ]; then "${SUDO[@]}" rm -f "$policy"; fi; }
trap cleanup EXIT
"${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${need[@]}"

command -v redis-server >/dev/null
command -v redis-cli >/dev/null
[ -x /usr/bin/chromium ]
[ -x /usr/sbin/sshd ] || command -v sshd >/dev/null
echo "install-test-deps: done ($(redis-server --version | cut -d' ' -f3), $(/usr/sbin/sshd -V 2>&1 | head -1 || true))"
