#!/usr/bin/env bash
# A real Kubernetes control plane (etcd + kube-apiserver + kube-controller-manager 1.20.2) on loopback,
# built from Debian's own packages, for machines without Docker. See docs/getting-started.md.
#
#   scripts/local-cluster.sh install          install packages and build/cache the binaries (once per machine)
#   scripts/local-cluster.sh start  [NAME]    start cluster NAME (default "default"); idempotent
#   scripts/local-cluster.sh stop   [NAME]    stop it; no process and no port left behind
#   scripts/local-cluster.sh status [NAME]    print whether it runs and where
#   scripts/local-cluster.sh env    [NAME]    print `export KUBECONFIG=...` for eval
#
# Several clusters can run side by side: each NAME gets its own free ports and state directory.
set -euo pipefail

K8S_VERSION=1.20.2
DEB_VERSION="1.20.5+really1.20.2-1.1+deb12u1"
CACHE_DIR="${LOCKSTEP_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/lockstep}"
BIN_DIR="$CACHE_DIR/kubernetes-$K8S_VERSION/bin"
STATE_ROOT="${LOCKSTEP_CLUSTER_HOME:-${XDG_STATE_HOME:-$HOME/.local/state}/lockstep/clusters}"
GO_BIN=/usr/lib/go-1.19/bin

log() { printf '[local-cluster] %s\n' "$*" >&2; }
die() { printf '[local-cluster] ERROR: %s\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    die "need root to run: $* (install sudo or run as root)"; fi
}

install_packages() {
  local missing=()
  command -v etcd >/dev/null || missing+=(etcd-server)
  [ -x "$GO_BIN/go" ] || missing+=(golang-1.19-go)
  command -v rsync >/dev/null || missing+=(rsync)
  command -v openssl >/dev/null || missing+=(openssl)
  command -v make >/dev/null || missing+=(make)
  command -v curl >/dev/null || missing+=(curl)
  command -v ss >/dev/null || missing+=(iproute2)
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing Debian packages: ${missing[*]}"
  as_root apt-get update -qq || log "apt-get update reported errors; trying the install anyway"
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || die "apt-get install ${missing[*]} failed; check that Debian's package mirror is reachable (apt-get update)"
  # The package starts its own etcd on the default ports; we run ours on free ports, so stop it.
  if command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then as_root systemctl disable --now etcd >/dev/null 2>&1 || true; fi
}

fetch_source() {
  local work="$1"
  mkdir -p "$work"
  local tarball
  tarball=$(ls "$work"/kubernetes_*.orig.tar.* 2>/dev/null | head -1 || true)
  if [ -z "$tarball" ]; then
    local src_list=/etc/apt/sources.list.d/lockstep-debian-src.sources
    if [ ! -f "$src_list" ]; then
      [ -f /etc/apt/sources.list.d/debian.sources ] || die "no /etc/apt/sources.list.d/debian.sources to derive a deb-src entry from"
      log "adding a deb-src entry ($src_list) to fetch Debian's kubernetes source package"
      sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources | as_root tee "$src_list" >/dev/null
      as_root apt-get update -qq || log "apt-get update reported errors; trying the download anyway"
    fi
    log "downloading the kubernetes=$DEB_VERSION source package (about 34 MB)"
    (cd "$work" && apt-get source --download-only "kubernetes=$DEB_VERSION" >/dev/null) \
      || die "apt-get source kubernetes=$DEB_VERSION failed; check $src_list and run apt-get update"
    tarball=$(ls "$work"/kubernetes_*.orig.tar.* | head -1)
  fi
  if [ ! -d "$work/kubernetes-$K8S_VERSION" ]; then
    log "unpacking $(basename "$tarball")"
    rm -rf "$work/unpack" && mkdir -p "$work/unpack"
    tar -xf "$tarball" -C "$work/unpack"
    mv "$work/unpack"/* "$work/kubernetes-$K8S_VERSION"
    rm -rf "$work/unpack"
  fi
}

build_binaries() {
  if [ -x "$BIN_DIR/kube-apiserver" ] && [ -x "$BIN_DIR/kube-controller-manager" ]; then return 0; fi
  install_packages
  local work="$CACHE_DIR/build"
  fetch_source "$work"
  log "building kube-apiserver and kube-controller-manager $K8S_VERSION (5-8 minutes on 2 cores, once per machine)"
  (
    cd "$work/kubernetes-$K8S_VERSION"
    export PATH="$GO_BIN:$PATH" GOFLAGS=-mod=vendor GOCACHE="$CACHE_DIR/go-build" GOPATH="$CACHE_DIR/gopath"
    export KUBE_GIT_VERSION="v$K8S_VERSION" KUBE_GIT_TREE_STATE=clean KUBE_GIT_MAJOR=1 KUBE_GIT_MINOR=20
    make WHAT="cmd/kube-apiserver cmd/kube-controller-manager" >"$work/build.log" 2>&1
  ) || { tail -30 "$work/build.log" >&2
         die "make failed (full log: $work/build.log). If it mentions prerelease-lifecycle-gen, delete $work/kubernetes-$K8S_VERSION/_output and retry"; }
  mkdir -p "$BIN_DIR"
  cp "$work/kubernetes-$K8S_VERSION/_output/bin/kube-apiserver" "$work/kubernetes-$K8S_VERSION/_output/bin/kube-controller-manager" "$BIN_DIR/"
  log "cached binaries in $BIN_DIR"
  # The source tree and Go cache are 2+ GB; only the two binaries are needed from now on.
  rm -rf "$work/kubernetes-$K8S_VERSION" "$CACHE_DIR/go-build" "$CACHE_DIR/gopath"
}

# Any TCP socket on the port, not only listeners: a client connection's local end blocks a bind as well.
port_in_use() { ss -Htan "sport = :$1" 2>/dev/null | grep -q .; }

# Ports are picked below the kernel's ephemeral range, which the system hands out to outgoing connections at any
# moment (with builds running side by side, a port picked inside it was taken before kube-apiserver bound it).
free_port() {
  local p low=32768
  read -r low _ </proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || true
  [ "$low" -gt 12000 ] || low=32768
  for _ in $(seq 1 200); do
    p=$(( 10000 + RANDOM % (low - 10000) ))
    if ! port_in_use "$p" && ! grep -qs "=$p\$" "$STATE_ROOT"/*/ports 2>/dev/null; then echo "$p"; return 0; fi
  done
  die "no free loopback port found"
}

state_dir() { echo "$STATE_ROOT/${1:-default}"; }

alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

is_running() {
  local dir; dir=$(state_dir "$1")
  alive "$dir/etcd.pid" && alive "$dir/apiserver.pid" && alive "$dir/controller-manager.pid"
}

wait_ready() {
  local url="$1" token="$2" what="$3" log_file="$4"
  for _ in $(seq 1 120); do
    if curl -ksf -H "Authorization: Bearer $token" "$url" >/dev/null 2>&1; then return 0; fi
    sleep 0.5
  done
  tail -20 "$log_file" >&2 || true
  die "$what did not become ready at $url within 60 s (log: $log_file)"
}

start_cluster() {
  local name="${1:-default}" dir
  dir=$(state_dir "$name")
  if is_running "$name"; then log "cluster '$name' already running"; print_usage "$name"; return 0; fi
  stop_cluster "$name" >/dev/null 2>&1 || true
  build_binaries
  command -v etcd >/dev/null || install_packages
  mkdir -p "$dir"
  local t0=$SECONDS
  local etcd_port etcd_peer api_port
  etcd_port=$(free_port); etcd_peer=$(free_port); api_port=$(free_port)
  printf 'etcd=%s\netcd_peer=%s\napiserver=%s\n' "$etcd_port" "$etcd_peer" "$api_port" >"$dir/ports"

  [ -f "$dir/sa.key" ] || { openssl genrsa -out "$dir/sa.key" 2048 2>/dev/null && openssl rsa -in "$dir/sa.key" -pubout -out "$dir/sa.pub" 2>/dev/null; } \
    || die "openssl could not create the service-account key pair"
  local token
  if [ -f "$dir/token" ]; then token=$(cat "$dir/token"); else token=$(openssl rand -hex 24); echo "$token" >"$dir/token"; fi
  echo "$token,lockstep-admin,1,\"system:masters\"" >"$dir/tokens.csv"

  # etcd's data is throwaway: keep it in memory when /dev/shm exists (fsync on disk is the main cost).
  local data="$dir/etcd-data"
  if [ -d /dev/shm ] && [ -w /dev/shm ]; then data="/dev/shm/lockstep-etcd-$name-$(id -u)"; fi
  rm -rf "$data"; echo "$data" >"$dir/etcd-data-path"
  setsid etcd --name "lockstep-$name" --data-dir "$data" \
    --listen-client-urls "http://127.0.0.1:$etcd_port" --advertise-client-urls "http://127.0.0.1:$etcd_port" \
    --listen-peer-urls "http://127.0.0.1:$etcd_peer" --initial-advertise-peer-urls "http://127.0.0.1:$etcd_peer" \
    --initial-cluster "lockstep-$name=http://127.0.0.1:$etcd_peer" \
    >"$dir/etcd.log" 2>&1 </dev/null &
  echo $! >"$dir/etcd.pid"
  for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$etcd_port/health" >/dev/null 2>&1 && break; sleep 0.25; done
  curl -sf "http://127.0.0.1:$etcd_port/health" >/dev/null 2>&1 || { tail -20 "$dir/etcd.log" >&2; die "etcd did not start (log: $dir/etcd.log)"; }

  mkdir -p "$dir/certs"
  setsid "$BIN_DIR/kube-apiserver" \
    --etcd-servers="http://127.0.0.1:$etcd_port" --bind-address=127.0.0.1 --secure-port="$api_port" --insecure-port=0 \
    --cert-dir="$dir/certs" --token-auth-file="$dir/tokens.csv" --authorization-mode=RBAC \
    --service-account-issuer=https://kubernetes.default.svc --service-account-key-file="$dir/sa.pub" \
    --service-account-signing-key-file="$dir/sa.key" --service-cluster-ip-range=10.0.0.0/24 \
    --disable-admission-plugins=ServiceAccount --endpoint-reconciler-type=none \
    --max-requests-inflight=1000 --max-mutating-requests-inflight=500 \
    >"$dir/apiserver.log" 2>&1 </dev/null &
  echo $! >"$dir/apiserver.pid"

  cat >"$dir/kubeconfig" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: lockstep-$name
  cluster:
    server: https://127.0.0.1:$api_port
    insecure-skip-tls-verify: true
users:
- name: lockstep-admin
  user:
    token: $token
contexts:
- name: lockstep-$name
  context: {cluster: lockstep-$name, user: lockstep-admin}
current-context: lockstep-$name
EOF
  chmod 600 "$dir/kubeconfig"
  wait_ready "https://127.0.0.1:$api_port/readyz" "$token" kube-apiserver "$dir/apiserver.log"

  setsid "$BIN_DIR/kube-controller-manager" --kubeconfig="$dir/kubeconfig" --leader-elect=false \
    --use-service-account-credentials=false --port=0 --secure-port=0 \
    --controllers=deployment,replicaset,statefulset,daemonset,job,garbagecollector,namespace,endpoint \
    --kube-api-qps=200 --kube-api-burst=400 --concurrent-deployment-syncs=10 --concurrent-replicaset-syncs=10 \
    >"$dir/controller-manager.log" 2>&1 </dev/null &
  echo $! >"$dir/controller-manager.pid"
  sleep 0.5
  alive "$dir/controller-manager.pid" || { tail -20 "$dir/controller-manager.log" >&2; die "kube-controller-manager exited (log: $dir/controller-manager.log)"; }
  log "cluster '$name' ready in $((SECONDS - t0)) s"
  print_usage "$name"
}

print_usage() {
  local dir; dir=$(state_dir "$1")
  cat >&2 <<EOF
[local-cluster] API server: https://127.0.0.1:$(sed -n 's/^apiserver=//p' "$dir/ports")
[local-cluster] use it:     export KUBECONFIG=$dir/kubeconfig   (or: eval "\$(scripts/local-cluster.sh env ${1:-default})")
[local-cluster] pods stay Pending until the simulated node runs (see docs/getting-started.md).
EOF
}

stop_cluster() {
  local name="${1:-default}" dir
  dir=$(state_dir "$name")
  [ -d "$dir" ] || { log "cluster '$name' is not running"; return 0; }
  for proc in controller-manager apiserver etcd; do
    local pidf="$dir/$proc.pid"
    if alive "$pidf"; then
      local pid; pid=$(cat "$pidf")
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
      kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$pidf"
  done
  if [ -f "$dir/etcd-data-path" ]; then rm -rf "$(cat "$dir/etcd-data-path")"; fi
  rm -f "$dir/ports" "$dir/etcd-data-path"
  log "cluster '$name' stopped"
}

status_cluster() {
  local name="${1:-default}"
  if is_running "$name"; then
    log "cluster '$name' running"; print_usage "$name"
  else
    log "cluster '$name' not running"; return 1
  fi
}

cmd="${1:-}"; shift || true
case "$cmd" in
  install) install_packages; build_binaries; log "binaries: $BIN_DIR" ;;
  start) start_cluster "$@" ;;
  stop) stop_cluster "$@" ;;
  status) status_cluster "$@" ;;
  env) is_running "${1:-default}" || die "cluster '${1:-default}' is not running; start it with: $0 start ${1:-}"
       echo "export KUBECONFIG=$(state_dir "${1:-default}")/kubeconfig" ;;
  kubeconfig) echo "$(state_dir "${1:-default}")/kubeconfig" ;;
  *) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
