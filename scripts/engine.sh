#!/usr/bin/env bash
# Real build engines for this project, started by the project itself (docs/engines.md tells the whole story).
#
# usage: bash scripts/engine.sh <command> [args]
#
#   up     [a|b|all]   install what is missing, start the engine(s), import the base images (default: all)
#   down   [a|b|all]   stop only what this script started, unmount engine B's mounts; caches stay (default: all)
#   status [a|b|all]   one line per engine: up/down, socket, server version, base images (default: all);
#                      exits 1 when a requested engine is down
#   env    [a|b]       prints `export DOCKER_HOST=unix://...` for eval "$(bash scripts/engine.sh env b)" (default: b)
#   buildx-b --context-dir DIR [--out DIR] [--] [docker buildx build args...]
#                      runs `docker buildx build <args> .` inside engine B's chroot (buildx 0.13, Docker 26), with
#                      DIR bind-mounted read-only as the build context and current directory (so `-f Dockerfile`
#                      and `-f -` (Dockerfile from stdin) work as usual; do not pass a context path yourself).
#                      --out DIR (created if missing; give an empty one) is bind-mounted and exported to with
#                      `--output type=local,dest=...`. Default attestations are off, so OUT holds only the build's
#                      files. Exit code is buildx's. Engine B must be up. RUN steps need --network host or
#                      --network none (the engines run with --bridge=none). Calls may run in parallel.
#                      Example (the .dockerignore oracle):
#                        printf 'FROM scratch\nCOPY . /\n' | bash scripts/engine.sh buildx-b \
#                          --context-dir ./ctx --out ./out -- -f - --progress plain
#
#   Engine A: Debian bookworm's docker.io (Docker 20.10, BuildKit 0.8), socket /run/chutes-image/a/docker.sock.
#   Engine B: Debian trixie's docker.io (Docker 26, BuildKit 0.13) in a chroot, socket /run/chutes-image/b/docker.sock.
#   Images in each engine that is up: local/debian:bookworm-minbase and local/busybox:latest.
#   Environment: CHUTES_DEBIAN_MIRROR (default http://deb.debian.org/debian),
#                CHUTES_ENGINE_TIMEOUT (seconds to wait for an engine to answer /_ping, default 60).
#   Progress and timings go to stderr; `up` prints the status lines to stdout at the end.
# shellcheck disable=SC2015,SC2016,SC2317 # `a && b || die` on purpose; quoted code for sh -c/eval; trap-called
set -euo pipefail

STATE=/var/lib/chutes-image
RUNDIR=/run/chutes-image
CACHE=/var/cache/chutes-image
MIRROR=${CHUTES_DEBIAN_MIRROR:-http://deb.debian.org/debian}
TIMEOUT=${CHUTES_ENGINE_TIMEOUT:-60}
LOCK=$RUNDIR/engine.lock
CLEAN_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

# Engine A: host dockerd 20.10 with its own containerd (never the system one at /run/containerd).
A_DIR=$STATE/engines/a              # data-root, containerd root, config, logs
A_RUN=$RUNDIR/a                     # socket, pid files, exec-root, containerd state and socket
A_SOCK=$A_RUN/docker.sock
A_CTD_SOCK=$A_RUN/containerd/containerd.sock
A_CTD_CONF=$A_DIR/containerd.toml

# Engine B: dockerd 26 in a trixie chroot; the host folder $B_RUN is bound onto $R/run/dk26.
B_DIR=$STATE/engines/b
R=$B_DIR/rootfs
B_RUN=$RUNDIR/b
B_SOCK=$B_RUN/docker.sock
B_INNER=/run/dk26

DEBIAN_TAR=$CACHE/debian-bookworm-minbase.tar
BUSYBOX_TAR=$CACHE/busybox-static.tar
DEBIAN_REF=local/debian:bookworm-minbase
BUSYBOX_REF=local/busybox:latest

# ---------------------------------------------------------------------------------------------------- output
now_us() { local t=${EPOCHREALTIME/[.,]/}; echo "$((10#$t))"; }
T0=$(now_us)
fmt_us() { printf '%d.%01ds' $(($1 / 1000000)) $((($1 % 1000000) / 100000)); }
log() { printf 'engine.sh [%7s] %s\n' "$(fmt_us $(($(now_us) - T0)))" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
# timed NAME CMD...: runs CMD and logs how long it took. Never call it (or any multi-step function) as
# `f || ...`: bash then ignores `set -e` inside f. A failure exits the script; the EXIT trap names the step.
STEP=
timed() {
  local name=$1 t
  shift
  t=$(now_us)
  log "$name ..."
  STEP="$name (started at $(fmt_us $((t - T0))))"
  "$@"
  STEP=
  log "$name: done in $(fmt_us $(($(now_us) - t)))"
}

# Cleanup actions, run in reverse order on exit (also on errors and signals).
CLEANUPS=()
on_exit() {
  local rc=$? i
  if [ "$rc" != 0 ] && [ -n "$STEP" ]; then log "FAILED (exit $rc) during: $STEP"; fi
  for ((i = ${#CLEANUPS[@]} - 1; i >= 0; i--)); do eval "${CLEANUPS[$i]}" || true; done
}
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------------------------------------------- helpers
take_lock() { # take_lock -x|-s: exclusive for up/down, shared for buildx-b
  mkdir -p "$RUNDIR"
  exec 9>"$LOCK"
  if ! flock -n "$1" 9; then
    log "waiting for another engine.sh (lock $LOCK) ..."
    flock -w 3600 "$1" 9 || die "could not get the lock $LOCK within an hour"
    log "got the lock"
  fi
}

# alive PID: the process exists and is not a zombie.
alive() {
  local s
  s=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  s=${s##*) }
  [ "${s%% *}" != Z ]
}
cmdline() { # the command line with NULs as spaces, without forking
  local a=()
  { mapfile -d '' a <"/proc/$1/cmdline"; } 2>/dev/null || return 0
  echo "${a[*]}"
}
# pid_from PIDFILE NEEDLE [ROOT]: prints the pid if the file names a live process whose command line contains
# NEEDLE (and whose root directory is ROOT, when given). Guards against stale pid files and reused pids.
pid_from() {
  local pid
  pid=$(cat "$1" 2>/dev/null) || return 1
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  alive "$pid" || return 1
  [[ "$(cmdline "$pid")" == *"$2"* ]] || return 1
  if [ -n "${3:-}" ]; then [ "$(readlink "/proc/$pid/root" 2>/dev/null)" = "$3" ] || return 1; fi
  echo "$pid"
}
# pids_matching NEEDLE [ROOT]: live processes whose command line contains NEEDLE (and whose root is ROOT).
pids_matching() {
  local p pid
  for p in /proc/[0-9]*; do
    pid=${p#/proc/}
    [ "$pid" = "$$" ] && continue
    [[ "$(cmdline "$pid")" == *"$1"* ]] || continue
    if [ -n "${2:-}" ]; then [ "$(readlink "$p/root" 2>/dev/null)" = "$2" ] || continue; fi
    alive "$pid" && echo "$pid"
  done
  return 0
}
pids_with_root() { # every live process whose root directory is $1 (i.e. runs in that chroot)
  local p
  for p in /proc/[0-9]*; do
    [ "$(readlink "$p/root" 2>/dev/null)" = "$1" ] && alive "${p#/proc/}" && echo "${p#/proc/}"
  done
  return 0
}
# stop_pids WHAT PID...: SIGTERM, wait up to 20 s, then SIGKILL.
stop_pids() {
  local what=$1 p i left
  shift
  [ $# -gt 0 ] || return 0
  log "stopping $what (pid $*)"
  kill -TERM "$@" 2>/dev/null || true
  for ((i = 0; i < 200; i++)); do
    left=()
    for p in "$@"; do alive "$p" && left+=("$p"); done
    [ ${#left[@]} -eq 0 ] && return 0
    sleep 0.1
  done
  log "$what still running after 20 s: SIGKILL ${left[*]}"
  kill -KILL "${left[@]}" 2>/dev/null || true
  for ((i = 0; i < 50; i++)); do
    left=()
    for p in "$@"; do alive "$p" && left+=("$p"); done
    [ ${#left[@]} -eq 0 ] && return 0
    sleep 0.1
  done
  log "WARNING: $what pid ${left[*]} did not exit"
}

# Engine API over a unix socket.
ping_ok() { [ -S "$1" ] && [ "$(curl -s --max-time 2 --unix-socket "$1" http://localhost/_ping 2>/dev/null)" = OK ]; }
http_code() { curl -s -o /dev/null -w '%{http_code}' --max-time 5 --unix-socket "$1" "http://localhost$2" 2>/dev/null || true; }
server_version() { # "Docker 20.10.24+dfsg1, API 1.41"
  local v
  v=$(curl -s --max-time 3 --unix-socket "$1" http://localhost/version 2>/dev/null) || return 1
  v=$(printf '%s' "$v" | sed -n 's/.*"Version":"\([^"]*\)","ApiVersion":"\([^"]*\)".*/Docker \1, API \2/p')
  [ -n "$v" ] && echo "$v"
}
# wait_ping SOCK PID LOG: waits for GET /_ping; on timeout or early exit, prints the log's tail and fails.
wait_ping() {
  local sock=$1 pid=$2 logf=$3 i
  for ((i = 0; i < TIMEOUT * 10; i++)); do
    ping_ok "$sock" && return 0
    if ! alive "$pid"; then
      log "the daemon (pid $pid) exited before answering on $sock; last lines of $logf:"
      tail -n 30 "$logf" >&2 || true
      return 1
    fi
    sleep 0.1
  done
  log "no answer on $sock after ${TIMEOUT}s; last lines of $logf:"
  tail -n 30 "$logf" >&2 || true
  return 1
}

# Mounts, from /proc/self/mountinfo (field 5 is the mount point; our paths have no spaces).
is_mounted() { awk -v p="$1" '$5 == p { found = 1 } END { exit !found }' /proc/self/mountinfo; }
mounts_under() { awk -v p="$1" '$5 == p || index($5, p "/") == 1 { print $5 }' /proc/self/mountinfo | sort -ru; }
unmount_under() { # every mount at or below $1, deepest first; lazily when busy
  local m
  for m in $(mounts_under "$1"); do
    is_mounted "$m" || continue
    umount -R "$m" 2>/dev/null || umount -R -l "$m" 2>/dev/null || true
  done
  [ -z "$(mounts_under "$1")" ]
}
# safe_rm DIR: removes a work dir, never crossing into a mount (a leftover rbind of /dev must not be emptied).
safe_rm() {
  [ -e "$1" ] || return 0
  unmount_under "$1" || die "still mounted below $1: $(mounts_under "$1" | tr '\n' ' ')"
  rm -rf --one-file-system -- "$1"
}

# ---------------------------------------------------------------------------------------------------- host packages
apt_has_candidate() {
  local c
  c=$(apt-cache policy "$1" 2>/dev/null | sed -n 's/^ *Candidate: *//p')
  [ -n "$c" ] && [ "$c" != "(none)" ]
}
apt_install_host() { # apt_install_host PKG...: installs with apt-get, running `apt-get update` only when needed
  local p need_update=0 made_policy=0 rc=0
  for p in "$@"; do apt_has_candidate "$p" || need_update=1; done
  if [ "$need_update" = 1 ]; then timed "apt-get update (host)" apt-get update -qq; fi
  # No init system here, but a package's postinst must never start a system dockerd/containerd:
  # policy-rc.d (exit 101) forbids it. Debian's container images ship one; add it only for this call if missing.
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d && made_policy=1
    CLEANUPS+=("rm -f /usr/sbin/policy-rc.d")
  fi
  local aptlog=$STATE/apt-host.log
  mkdir -p "$STATE"
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@" >"$aptlog" 2>&1 || rc=$?
  if [ "$rc" != 0 ] && [ "$need_update" = 0 ]; then
    log "apt-get install failed (old package lists?); apt-get update and retry"
    rc=0
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@"; } >"$aptlog" 2>&1 || rc=$?
  fi
  if [ "$made_policy" = 1 ]; then rm -f /usr/sbin/policy-rc.d; fi
  if [ "$rc" != 0 ]; then tail -n 20 "$aptlog" >&2; fi
  return "$rc"
}
host_bin() { # host_bin NAME: Debian's docker.io puts dockerd in /usr/sbin, containerd is in /usr/bin
  local d
  for d in /usr/sbin /usr/bin; do [ -x "$d/$1" ] && { echo "$d/$1"; return 0; }; done
  return 1
}
ensure_host_tools() { # ensure_host_tools a|b|images...
  local pkgs=() w
  command -v curl >/dev/null || pkgs+=(curl)
  for w in "$@"; do
    case $w in
      a) host_bin dockerd >/dev/null && host_bin containerd >/dev/null || pkgs+=(docker.io) ;;
      b | images) command -v debootstrap >/dev/null || [[ " ${pkgs[*]} " == *" debootstrap "* ]] || pkgs+=(debootstrap) ;;
    esac
  done
  [ ${#pkgs[@]} -eq 0 ] && return 0
  timed "apt-get install on the host: ${pkgs[*]}" apt_install_host "${pkgs[@]}"
}

# ---------------------------------------------------------------------------------------------------- base images
build_debian_tar() { # debootstrap --variant=minbase bookworm -> tarball (temp dir, then rename)
  local w=$CACHE/tmp.debian.$$
  safe_rm "$w"
  mkdir -p "$w"
  debootstrap --variant=minbase bookworm "$w/rootfs" "$MIRROR" >"$w/debootstrap.log" 2>&1 || {
    tail -n 20 "$w/debootstrap.log" >&2
    return 1
  }
  # Like Debian's official images: no package lists or apt caches, no host resolv.conf or hostname.
  rm -rf "$w/rootfs/var/lib/apt/lists/"* "$w/rootfs/var/cache/apt/"*.bin "$w/rootfs/var/cache/apt/archives/"*.deb
  : >"$w/rootfs/etc/resolv.conf"
  echo localhost >"$w/rootfs/etc/hostname"
  tar -C "$w/rootfs" --numeric-owner -cf "$w/image.tar" .
  mv -f "$w/image.tar" "$DEBIAN_TAR"
  safe_rm "$w"
}
build_busybox_tar() { # Debian's busybox-static: /bin/busybox, sh and every applet as links in /bin
  local w=$CACHE/tmp.busybox.$$ deb a
  safe_rm "$w"
  mkdir -p "$w/x" "$w/root/bin" "$w/root/etc" "$w/root/root" "$w/root/tmp"
  (cd "$w" && apt-get download -qq -o APT::Sandbox::User=root busybox-static >/dev/null 2>&1) ||
    (apt-get update -qq && cd "$w" && apt-get download -qq -o APT::Sandbox::User=root busybox-static >/dev/null) ||
    return 1
  deb=$(ls "$w"/busybox-static_*.deb)
  dpkg-deb -x "$deb" "$w/x"
  cp "$w/x/bin/busybox" "$w/root/bin/busybox"
  for a in $("$w/root/bin/busybox" --list); do
    [ "$a" = busybox ] || ln -sf busybox "$w/root/bin/$a"
  done
  [ -L "$w/root/bin/sh" ] || ln -sf busybox "$w/root/bin/sh"
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$w/root/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$w/root/etc/group"
  chmod 1777 "$w/root/tmp"
  chmod 700 "$w/root/root"
  tar -C "$w/root" --numeric-owner --owner=0 --group=0 -cf "$w/image.tar" .
  mv -f "$w/image.tar" "$BUSYBOX_TAR"
  safe_rm "$w"
}
DEBIAN_TAR_PID=
start_image_builds() { # the Debian tarball builds in the background while the engines start
  mkdir -p "$CACHE"
  if [ ! -s "$DEBIAN_TAR" ] && [ -z "$DEBIAN_TAR_PID" ]; then
    log "building $DEBIAN_TAR (debootstrap bookworm) in the background; log $CACHE/debian-build.log"
    set -m # its own process group, so that an interrupted `up` can stop debootstrap and all its children
    (
      trap - EXIT INT TERM
      t=$(now_us)
      build_debian_tar
      log "debootstrap bookworm + tarball: done in $(fmt_us $(($(now_us) - t)))"
    ) </dev/null >"$CACHE/debian-build.log" 2>&1 9>&- &
    DEBIAN_TAR_PID=$!
    set +m
    CLEANUPS+=('[ -z "$DEBIAN_TAR_PID" ] || { log "stopping the background Debian build"; kill -TERM -- "-$DEBIAN_TAR_PID" 2>/dev/null; }')
  fi
  if [ ! -s "$BUSYBOX_TAR" ]; then
    timed "busybox image tarball (apt-get download busybox-static)" build_busybox_tar
  fi
}
wait_image_builds() {
  [ -n "$DEBIAN_TAR_PID" ] || return 0
  log "waiting for the Debian tarball build ..."
  if ! wait "$DEBIAN_TAR_PID"; then
    DEBIAN_TAR_PID=
    tail -n 30 "$CACHE/debian-build.log" >&2 || true
    die "building $DEBIAN_TAR failed (log $CACHE/debian-build.log)"
  fi
  DEBIAN_TAR_PID=
  grep 'done in' "$CACHE/debian-build.log" | sed 's/^engine.sh \[[^]]*\] /  (background) /' >&2 || true
}
image_present() { [ "$(http_code "$1" "/images/$2/json")" = 200 ]; }
import_image() { # import_image SOCK REF TARBALL
  local sock=$1 ref=$2 tarball=$3 repo tag out
  repo=${ref%:*}
  tag=${ref##*:}
  out=$(curl -sS --max-time 600 --unix-socket "$sock" -X POST -H 'Content-Type: application/x-tar' \
    --data-binary @"$tarball" "http://localhost/images/create?fromSrc=-&repo=${repo//\//%2F}&tag=$tag") || return 1
  if [[ $out == *'"error'* ]] || ! image_present "$sock" "$ref"; then
    log "import of $ref failed: $out"
    return 1
  fi
}
ensure_images() { # ensure_images NAME SOCK
  local name=$1 sock=$2 ref tarball
  for ref in "$DEBIAN_REF" "$BUSYBOX_REF"; do
    image_present "$sock" "$ref" && continue
    if [ "$ref" = "$DEBIAN_REF" ]; then
      tarball=$DEBIAN_TAR
      wait_image_builds
    else tarball=$BUSYBOX_TAR; fi
    [ -s "$tarball" ] || die "missing $tarball"
    timed "engine $name: import $ref ($(du -h "$tarball" | cut -f1))" import_image "$sock" "$ref" "$tarball"
  done
}

# ---------------------------------------------------------------------------------------------------- engine A
# The pid of our dockerd/containerd: from the pid file, else by our unique socket or config path. Fails if none.
a_pid() {
  local p
  p=$(pid_from "$A_RUN/docker.pid" "unix://$A_SOCK") || p=$(pids_matching "unix://$A_SOCK" | head -n 1)
  [ -n "$p" ] && echo "$p"
}
a_ctd_pid() {
  local p
  p=$(pid_from "$A_RUN/containerd.pid" "--config $A_CTD_CONF") || p=$(pids_matching "--config $A_CTD_CONF" | head -n 1)
  [ -n "$p" ] && echo "$p"
}
write_a_configs() {
  mkdir -p "$A_DIR/data" "$A_DIR/containerd" "$A_RUN/exec" "$A_RUN/containerd"
  # dockerd reads /etc/docker/daemon.json unless told otherwise: give it its own one. 20.10 also writes its
  # identity key to /etc/docker/key.json unless given the (hidden) deprecated-key-path.
  printf '{\n  "deprecated-key-path": "%s"\n}\n' "$A_DIR/key.json" >"$A_DIR/daemon.json"
  cat >"$A_CTD_CONF.tmp" <<EOF
# containerd for engine A only (written by scripts/engine.sh). Everything under its own dirs.
version = 2
root = "$A_DIR/containerd"
state = "$A_RUN/containerd"
disabled_plugins = ["io.containerd.grpc.v1.cri"]

[grpc]
  address = "$A_CTD_SOCK"

[ttrpc]
  address = "$A_CTD_SOCK.ttrpc"

[debug]
  address = "$A_RUN/containerd/debug.sock"

[metrics]
  address = ""

[plugins]
  [plugins."io.containerd.internal.v1.opt"]
    path = "$A_DIR/containerd/opt"
EOF
  mv -f "$A_CTD_CONF.tmp" "$A_CTD_CONF"
}
start_a() {
  local pid ctd t
  if pid=$(a_pid) && ping_ok "$A_SOCK"; then
    log "engine A: already up (dockerd pid $pid)"
    return 0
  fi
  ensure_host_tools a
  if pid=$(a_pid); then # running but not answering yet (another start in progress, or hung)
    log "engine A: dockerd pid $pid is running; waiting for $A_SOCK"
    timed "engine A: wait for /_ping" wait_ping "$A_SOCK" "$pid" "$A_DIR/dockerd.log"
    return 0
  fi
  t=$(now_us)
  write_a_configs
  # dockerd 20.10 without --containerd uses /run/containerd/containerd.sock when that socket exists (a system
  # containerd) and only otherwise starts a managed one. We run our own, named explicitly, so the system one is
  # never touched.
  if ! ctd=$(a_ctd_pid); then
    rm -f "$A_RUN/containerd.pid" "$A_CTD_SOCK"
    (cd / && exec env -i PATH="$CLEAN_PATH" setsid sh -c 'echo $$ >"$1"; shift; exec "$@"' sh \
      "$A_RUN/containerd.pid" "$(host_bin containerd)" --config "$A_CTD_CONF") \
      </dev/null >>"$A_DIR/containerd.log" 2>&1 9>&- &
    local i
    for ((i = 0; i < TIMEOUT * 10; i++)); do
      [ -S "$A_CTD_SOCK" ] && break
      sleep 0.1
    done
    ctd=$(a_ctd_pid) && [ -S "$A_CTD_SOCK" ] || {
      tail -n 30 "$A_DIR/containerd.log" >&2 || true
      die "engine A: containerd did not start (log $A_DIR/containerd.log)"
    }
    log "engine A: containerd up (pid $ctd) in $(fmt_us $(($(now_us) - t)))"
  else
    log "engine A: reusing its running containerd (pid $ctd)"
  fi
  rm -f "$A_RUN/docker.pid" # dockerd refuses to start over a pid file it did not write (checked: not ours alive)
  (cd / && exec env -i PATH="$CLEAN_PATH" setsid "$(host_bin dockerd)" \
    --host "unix://$A_SOCK" \
    --containerd "$A_CTD_SOCK" \
    --config-file "$A_DIR/daemon.json" \
    --data-root "$A_DIR/data" \
    --exec-root "$A_RUN/exec" \
    --pidfile "$A_RUN/docker.pid" \
    --iptables=false --bridge=none) \
    </dev/null >>"$A_DIR/dockerd.log" 2>&1 9>&- &
  pid=$!
  wait_ping "$A_SOCK" "$pid" "$A_DIR/dockerd.log" || die "engine A did not start (log $A_DIR/dockerd.log)"
  log "engine A: dockerd up (pid $pid) in $(fmt_us $(($(now_us) - t))): $(server_version "$A_SOCK")"
}
stop_a() {
  local pid ctd
  pid=$(a_pid) || pid=
  if [ -n "$pid" ]; then stop_pids "engine A dockerd" "$pid"; fi
  ctd=$(a_ctd_pid) || ctd=
  if [ -n "$ctd" ]; then stop_pids "engine A containerd" "$ctd"; fi
  # Shims outlive containerd by design; ours are the ones that name our containerd socket.
  # shellcheck disable=SC2046
  stop_pids "engine A leftover shims" $(pids_matching "-address $A_CTD_SOCK")
  # dockerd makes its data-root a (shared) bind mount of itself, and libnetwork leaves exec/netns/default (an
  # nsfs mount) behind even on a clean shutdown; a killed dockerd leaves overlays too. All ours: unmount.
  local d
  for d in "$A_DIR" "$A_RUN"; do
    [ -n "$(mounts_under "$d")" ] || continue
    unmount_under "$d" || die "could not unmount below $d: $(mounts_under "$d" | tr '\n' ' ')"
    log "engine A: unmounted what dockerd left below $d"
  done
  rm -f "$A_SOCK" "$A_RUN/docker.pid" "$A_RUN/containerd.pid"
  if [ -z "$pid$ctd" ]; then log "engine A: was not running"; else log "engine A: down"; fi
}

# ---------------------------------------------------------------------------------------------------- engine B
b_pid() {
  local p
  p=$(pid_from "$B_RUN/docker.pid" "unix://$B_INNER/docker.sock" "$R") ||
    p=$(pids_matching "unix://$B_INNER/docker.sock" "$R" | head -n 1)
  [ -n "$p" ] && echo "$p"
}
b_mountpoints() { echo "$R" "$R/proc" "$R/dev" "$R/sys" "$R$B_INNER"; }
b_mounted_all() {
  local m
  for m in $(b_mountpoints); do is_mounted "$m" || return 1; done
}
build_b_rootfs() { # debootstrap trixie + docker.io docker-cli docker-buildx, in a temp dir renamed when complete
  local w=$B_DIR/rootfs.tmp.$$ t
  safe_rm "$w"
  mkdir -p "$B_DIR"
  CLEANUPS+=("unmount_under '$w'")
  t=$(now_us)
  debootstrap --variant=minbase trixie "$w" "$MIRROR" >"$B_DIR/debootstrap.log" 2>&1 || {
    tail -n 20 "$B_DIR/debootstrap.log" >&2
    return 1
  }
  log "engine B: debootstrap trixie done in $(fmt_us $(($(now_us) - t)))"
  t=$(now_us)
  printf '#!/bin/sh\n# never start services in this chroot from a package script\nexit 101\n' >"$w/usr/sbin/policy-rc.d"
  chmod 755 "$w/usr/sbin/policy-rc.d"
  mount -t proc proc "$w/proc"
  mount --rbind /dev "$w/dev"
  mount --make-rslave "$w/dev"
  chroot "$w" /usr/bin/env -i PATH="$CLEAN_PATH" HOME=/root DEBIAN_FRONTEND=noninteractive \
    sh -c 'apt-get update -qq && apt-get install -y -qq --no-install-recommends docker.io docker-cli docker-buildx && apt-get clean' \
    >"$B_DIR/apt.log" 2>&1 || {
    tail -n 20 "$B_DIR/apt.log" >&2
    return 1
  }
  unmount_under "$w" || return 1
  [ -x "$w/usr/sbin/dockerd" ] && [ -x "$w/usr/libexec/docker/cli-plugins/docker-buildx" ] || {
    log "docker.io or docker-buildx missing in the new rootfs"
    return 1
  }
  mkdir -p "$w$B_INNER"
  log "engine B: apt-get install docker.io docker-cli docker-buildx (chroot) done in $(fmt_us $(($(now_us) - t)))"
  mv -T "$w" "$R"
}
mount_b() {
  if b_mounted_all; then return 0; fi
  if [ -n "$(mounts_under "$R")" ]; then
    log "engine B: partial mounts found; unmounting them first"
    unmount_under "$R" || die "could not unmount below $R"
  fi
  mkdir -p "$B_RUN" "$R$B_INNER"
  # $R must itself be a mount point (else dockerd: `remount /, flags: 0x84000: invalid argument`), private so
  # nothing propagates; rbind, not bind (dockerd needs the cgroup submounts), and rslave so that unmounting
  # them later never propagates back to the host's /proc, /dev or /sys.
  mount --bind "$R" "$R"
  mount --make-private "$R"
  local d
  for d in proc dev sys; do
    mount --rbind "/$d" "$R/$d"
    mount --make-rslave "$R/$d"
  done
  mount --bind "$B_RUN" "$R$B_INNER"
  log "engine B: mounted $R (self, proc, dev, sys, $B_INNER)"
}
start_b() {
  local pid t
  if pid=$(b_pid) && ping_ok "$B_SOCK"; then
    log "engine B: already up (dockerd pid $pid)"
    return 0
  fi
  if [ ! -x "$R/usr/sbin/dockerd" ]; then
    ensure_host_tools b
    timed "engine B: build the trixie rootfs with Docker 26 ($R)" build_b_rootfs
  fi
  if pid=$(b_pid); then
    log "engine B: dockerd pid $pid is running; waiting for $B_SOCK"
    timed "engine B: wait for /_ping" wait_ping "$B_SOCK" "$pid" "$B_DIR/dockerd.log"
    return 0
  fi
  t=$(now_us)
  mount_b
  rm -f "$B_RUN/docker.pid"
  (cd / && exec env -i PATH="$CLEAN_PATH" HOME=/root setsid chroot "$R" /usr/sbin/dockerd \
    --host "unix://$B_INNER/docker.sock" \
    --data-root /var/lib/dk26 \
    --exec-root "$B_INNER/exec" \
    --pidfile "$B_INNER/docker.pid" \
    --iptables=false --bridge=none) \
    </dev/null >>"$B_DIR/dockerd.log" 2>&1 9>&- &
  pid=$!
  wait_ping "$B_SOCK" "$pid" "$B_DIR/dockerd.log" || die "engine B did not start (log $B_DIR/dockerd.log)"
  log "engine B: dockerd up (pid $pid) in $(fmt_us $(($(now_us) - t))): $(server_version "$B_SOCK")"
}
stop_b() {
  local pid rest
  pid=$(b_pid) || pid=
  if [ -n "$pid" ]; then stop_pids "engine B dockerd" "$pid"; fi
  # What is left in the chroot was started by us (its containerd, shims, a buildx-b): stop it too.
  if [ -d "$R" ]; then
    rest=$(pids_with_root "$R" | tr '\n' ' ')
    # shellcheck disable=SC2086
    [ -z "$rest" ] || stop_pids "engine B leftover processes in the chroot" $rest
  fi
  local d
  for d in "$R" "$B_RUN"; do
    [ -n "$(mounts_under "$d")" ] || continue
    unmount_under "$d" || die "could not unmount below $d: $(mounts_under "$d" | tr '\n' ' ')"
    log "engine B: unmounted $d (and everything below it)"
  done
  rm -f "$B_SOCK" "$B_RUN/docker.pid"
  if [ -z "$pid" ]; then log "engine B: was not running"; else log "engine B: down"; fi
}

# ---------------------------------------------------------------------------------------------------- commands
engines_of() {
  case ${1:-all} in
    a) echo a ;;
    b) echo b ;;
    all) echo a b ;;
    *) die "unknown engine '$1' (a, b or all)" ;;
  esac
}
sock_of() { if [ "$1" = a ]; then echo "$A_SOCK"; else echo "$B_SOCK"; fi; }
status_line() { # prints one line; returns 1 when down
  local e=$1 sock pid v imgs="" ref
  sock=$(sock_of "$e")
  if [ "$e" = a ]; then pid=$(a_pid) || pid=; else pid=$(b_pid) || pid=; fi
  if ping_ok "$sock"; then
    v=$(server_version "$sock") || v="version unknown"
    for ref in "$DEBIAN_REF" "$BUSYBOX_REF"; do
      if image_present "$sock" "$ref"; then imgs+=" $ref"; else imgs+=" (missing $ref)"; fi
    done
    printf '%s: up    unix://%s  %s  pid %s  images:%s\n' "$e" "$sock" "$v" "${pid:-?}" "$imgs"
    return 0
  fi
  printf '%s: down  unix://%s%s\n' "$e" "$sock" "${pid:+  (dockerd pid $pid running but not answering)}"
  return 1
}
all_up() { # all_up ENGINE...: each answers /_ping and has both base images
  local e
  for e in "$@"; do
    ping_ok "$(sock_of "$e")" && image_present "$(sock_of "$e")" "$DEBIAN_REF" &&
      image_present "$(sock_of "$e")" "$BUSYBOX_REF" || return 1
  done
}
cmd_up() {
  local es e
  es=$(engines_of "${1:-all}")
  # Fast path without the lock: running buildx-b calls hold it shared, and an `up` with nothing to do must not
  # queue behind them.
  # shellcheck disable=SC2086
  if all_up $es; then
    log "up $es: already up"
    for e in $es; do status_line "$e" || true; done
    return 0
  fi
  take_lock -x
  mkdir -p "$STATE" "$CACHE" "$RUNDIR"
  # Leftovers of interrupted builds (we hold the lock, so nobody else is using them).
  local d
  for d in "$CACHE"/tmp.* "$B_DIR"/rootfs.tmp.*; do
    [ -e "$d" ] || continue
    log "removing leftover $d"
    safe_rm "$d"
  done
  # Host packages for everything missing, in one apt-get call (each check is a file test: fast when all is there).
  local need=() images=0
  if [ ! -s "$DEBIAN_TAR" ] || [ ! -s "$BUSYBOX_TAR" ]; then need+=(images) && images=1; fi
  for e in $es; do
    if [ "$e" = a ] || [ ! -x "$R/usr/sbin/dockerd" ]; then need+=("$e"); fi
  done
  if [ ${#need[@]} -gt 0 ]; then ensure_host_tools "${need[@]}"; fi
  if [ "$images" = 1 ]; then start_image_builds; fi
  for e in $es; do "start_$e"; done
  for e in $es; do ensure_images "${e^^}" "$(sock_of "$e")"; done
  wait_image_builds
  log "up $es: done"
  for e in $es; do status_line "$e" || true; done
}
cmd_down() {
  local es e
  es=$(engines_of "${1:-all}")
  take_lock -x
  for e in $es; do "stop_$e"; done
  log "down $es: done (caches kept in $CACHE and $STATE)"
}
cmd_status() {
  local es e rc=0
  es=$(engines_of "${1:-all}")
  for e in $es; do status_line "$e" || rc=1; done
  return "$rc"
}
cmd_env() {
  case ${1:-b} in
    a | b) ;;
    *) die "env takes a or b" ;;
  esac
  ping_ok "$(sock_of "${1:-b}")" || log "note: engine ${1:-b} is not up (bash scripts/engine.sh up ${1:-b})"
  echo "export DOCKER_HOST=unix://$(sock_of "${1:-b}")"
}
cmd_buildx_b() {
  local ctx="" out=""
  while [ $# -gt 0 ]; do
    case $1 in
      --context-dir) ctx=${2:?--context-dir needs a directory}; shift 2 ;;
      --context-dir=*) ctx=${1#*=}; shift ;;
      --out) out=${2:?--out needs a directory}; shift 2 ;;
      --out=*) out=${1#*=}; shift ;;
      --) shift; break ;;
      *) break ;;
    esac
  done
  [ -n "$ctx" ] || die "buildx-b needs --context-dir DIR (see: bash scripts/engine.sh help)"
  [ -d "$ctx" ] || die "buildx-b: no such directory: $ctx"
  ctx=$(realpath "$ctx")
  take_lock -s # `down` waits for running builds; builds run side by side
  ping_ok "$B_SOCK" && [ -x "$R/usr/libexec/docker/cli-plugins/docker-buildx" ] ||
    die "engine B is not up: bash scripts/engine.sh up b"
  local w inner args=()
  w=$(mktemp -d "$R/tmp/chutes-buildx.XXXXXX")
  inner=/tmp/${w##*/}
  CLEANUPS+=("unmount_under '$w'; rm -rf --one-file-system -- '$w'")
  mkdir "$w/ctx" "$w/tmp"
  mount --bind "$ctx" "$w/ctx"
  mount -o remount,bind,ro "$w/ctx"
  if [ -n "$out" ]; then
    mkdir -p "$out"
    mkdir "$w/out"
    mount --bind "$(realpath "$out")" "$w/out"
    args+=(--output "type=local,dest=$inner/out")
  fi
  local rc=0
  chroot "$R" /usr/bin/env -i PATH="$CLEAN_PATH" HOME=/root DOCKER_HOST="unix://$B_INNER/docker.sock" \
    BUILDX_NO_DEFAULT_ATTESTATIONS=1 TMPDIR="$inner/tmp" \
    sh -c 'cd "$1" && shift && exec docker buildx build "$@" .' sh "$inner/ctx" "$@" "${args[@]}" 9>&- || rc=$?
  return "$rc"
}
usage() { sed -n '2,/^# shellcheck/{/^# shellcheck/d;s/^# \{0,1\}//;p}' "$0"; }

main() {
  [ "$(id -u)" = 0 ] || die "must run as root (it installs packages, mounts and starts daemons)"
  local cmd=${1:-help}
  [ $# -gt 0 ] && shift
  case $cmd in
    up) cmd_up "$@" ;;
    down) cmd_down "$@" ;;
    status) cmd_status "$@" ;;
    env) cmd_env "$@" ;;
    buildx-b) cmd_buildx_b "$@" ;;
    help | -h | --help) usage ;;
    *)
      log "unknown command '$cmd'"
      usage >&2
      exit 2
      ;;
  esac
}
# One line, parsed whole before it runs: bash never reads past it, so replacing this file (atomically, by
# rename) while calls are running is safe.
main "$@"; exit
