#!/usr/bin/env bash
# The seed story, end to end, on a real control plane:
#   v1 -> v2 -> v3 never becomes ready (reported failed) -> `git revert HEAD` -> the v2 ReplicaSet is reused.
# A log-agent DaemonSet rolls out beside it (one image bump).
# Ends with `lockstep history` and `kubectl rollout history` side by side, for hello-app and for log-agent.
#
#   scripts/demo.sh                      local control plane + simulated node (built on first use)
#   scripts/demo.sh --kubeconfig FILE    an existing cluster with real nodes (images must be pullable;
#                                        v3 fails only if it really never becomes ready)
#   scripts/demo.sh --keep               leave the cluster, daemon and repository running afterwards
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
KUBECONFIG_GIVEN=""
KEEP=false
while [ $# -gt 0 ]; do
  case "$1" in
    --kubeconfig) KUBECONFIG_GIVEN="$2"; shift 2 ;;
    --keep) KEEP=true; shift ;;
    -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done

WORK="${LOCKSTEP_DEMO_DIR:-$ROOT/target/demo}"
JAR="$ROOT/target/lockstep.jar"
# The simulated node is test code (src/test/java/dev/lockstep/testbed), not in the product jar. `mvn -DskipTests package`
# still compiles it into target/test-classes; the jar brings fabric8 and picocli. test-classes comes first so that a
# target/ left over from a build before the move cannot shadow it.
NODE_CP="$ROOT/target/test-classes:$JAR"
NS=hello
CLUSTER=demo
PIDS=()

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
say() { printf '    %s\n' "$*"; }
die() { printf 'demo: %s\n' "$*" >&2; exit 1; }

cleanup() {
  local code=$?
  if [ "$KEEP" = true ]; then
    say "kept running: daemon and node pids ${PIDS[*]:-none}; KUBECONFIG=$KUBECONFIG; repo $WORK/repo"
    return
  fi
  for pid in "${PIDS[@]:-}"; do [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]:-}"; do [ -n "$pid" ] && wait "$pid" 2>/dev/null || true; done
  if [ -z "$KUBECONFIG_GIVEN" ]; then "$ROOT/scripts/local-cluster.sh" stop "$CLUSTER" >/dev/null 2>&1 || true; fi
  [ $code -eq 0 ] || printf 'demo failed; logs: %s\n' "$WORK" >&2
}
trap cleanup EXIT

command -v git >/dev/null || die "git is required (apt-get install git)"
command -v java >/dev/null || die "Java 17 is required (apt-get install openjdk-17-jre-headless)"
command -v kubectl >/dev/null || die "kubectl is required (apt-get install kubernetes-client, or any recent kubectl)"

step "1/6 Build Lockstep"
(cd "$ROOT" && mvn -q -B -DskipTests package) || die "mvn package failed"
say "$JAR"
[ -n "$KUBECONFIG_GIVEN" ] || [ -f "$ROOT/target/test-classes/dev/lockstep/testbed/SimulatedNodeMain.class" ] \
  || die "target/test-classes has no simulated node (was the build run with -Dmaven.test.skip?)"

step "2/6 Start a control plane and the simulated node"
if [ -n "$KUBECONFIG_GIVEN" ]; then
  export KUBECONFIG="$KUBECONFIG_GIVEN"
  say "using the cluster in $KUBECONFIG"
else
  "$ROOT/scripts/local-cluster.sh" stop "$CLUSTER" >/dev/null 2>&1 || true
  "$ROOT/scripts/local-cluster.sh" start "$CLUSTER"
  export KUBECONFIG=$("$ROOT/scripts/local-cluster.sh" kubeconfig "$CLUSTER")
fi
rm -rf "$WORK" && mkdir -p "$WORK"
if [ -z "$KUBECONFIG_GIVEN" ]; then
  # Stands in for scheduler and kubelet: pods become Ready, except images ending in :v3.
  java -cp "$NODE_CP" dev.lockstep.testbed.SimulatedNodeMain --kubeconfig "$KUBECONFIG" --unready-images '.*:v3(\.[0-9]+)?$' \
    >"$WORK/node.log" 2>&1 &
  PIDS+=($!)
  say "simulated node running (log: $WORK/node.log); it keeps :v3 and :v3.x pods un-ready"
fi
KUBECTL=(kubectl --kubeconfig "$KUBECONFIG")
step "3/6 A git repository from manifests-example/"
# The remote people push to (a bare repository), and a person's clone of it.
git init -q --bare -b main "$WORK/remote.git"
git init -q -b main "$WORK/repo"
git -C "$WORK/repo" config user.name "Demo Dev"
git -C "$WORK/repo" config user.email "dev@example.com"
git -C "$WORK/repo" remote add origin "$WORK/remote.git"
mkdir -p "$WORK/repo/hello"
cp "$ROOT/manifests-example/"*.yaml "$WORK/repo/hello/"
# A short progress deadline so that v3's failure shows in seconds rather than minutes.
sed -i 's/progressDeadlineSeconds: .*/progressDeadlineSeconds: 15/' "$WORK/repo/hello/deployment.yaml"
git -C "$WORK/repo" add -A && git -C "$WORK/repo" commit -q -m "hello-app v1"
git -C "$WORK/repo" push -q origin main
say "$(git -C "$WORK/repo" log --oneline -1)"

# onFailedRollout starts as report: the first failure is a person's to revert; act 5 turns on automatic reverts.
write_config() {
  cat >"$WORK/lockstep.yaml" <<EOF
stateNamespace: lockstep-system
cacheDir: $WORK/cache
http:
  port: 0
apps:
  - name: hello
    repo:
      url: file://$WORK/remote.git
      branch: main
    path: hello
    namespace: $NS
    interval: 2s
    writeBack:
      author: Lockstep <lockstep@example.com>
    onFailedRollout: $1
EOF
}
write_config report
# the launcher: the class-data archive `mvn package` built, and quick JIT settings for the short commands
LS=("$ROOT/scripts/lockstep")
"${KUBECTL[@]}" create namespace "$NS" >/dev/null 2>&1 || true
"${KUBECTL[@]}" create namespace lockstep-system >/dev/null 2>&1 || true

step "4/6 Run the daemon and walk the story"
# Starts the daemon and waits for its HTTP port (also used to restart it after a config change).
start_daemon() {
  "${LS[@]}" run --config "$WORK/lockstep.yaml" --kubeconfig "$KUBECONFIG" --no-leader-elect >>"$WORK/daemon.log" 2>&1 &
  DAEMON=$!
  PIDS+=($DAEMON)
  PORT=""
  for _ in $(seq 1 120); do
    PORT=$(sed -n 's/.*http on port \([0-9]*\).*/\1/p' "$WORK/daemon.log" | tail -1)
    [ -n "$PORT" ] && kill -0 "$DAEMON" 2>/dev/null && curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break
    PORT=""
    sleep 0.25
  done
  [ -n "$PORT" ] || { tail -20 "$WORK/daemon.log" >&2; die "the daemon did not start"; }
  say "daemon running: http://127.0.0.1:$PORT/status (log: $WORK/daemon.log)"
  say "status page:    http://127.0.0.1:$PORT/  (apps, rollouts and every revision, live)"
}
start_daemon

# Waits until /status says the app is at HEAD with the given health, printing rollout progress as it changes.
wait_for() {
  local health="$1" head last="" line status
  git -C "$WORK/repo" pull -q --ff-only origin main # Lockstep may have pushed
  head=$(git -C "$WORK/repo" rev-parse HEAD)
  for _ in $(seq 1 300); do
    status=$(curl -sf "http://127.0.0.1:$PORT/status/hello" || true)
    # The app's own message (the first): the worst rollouts' words, whichever workload they come from.
    line=$(printf '%s' "$status" | grep -o '"message":"\([^"\\]\|\\.\)*"' | head -1 | sed 's/^"message":"//; s/"$//; s/\\"/"/g')
    if [ -n "$line" ] && [ "$line" != "$last" ]; then say "$line"; last="$line"; fi
    if printf '%s' "$status" | grep -q "\"commit\":\"$head\"" && printf '%s' "$status" | grep -q "\"health\":\"$health\""; then
      say "app hello is $health at $(git -C "$WORK/repo" log --oneline -1)"
      return 0
    fi
    sleep 0.5
  done
  tail -30 "$WORK/daemon.log" >&2
  die "timed out waiting for $health at $head"
}

commit_image() {
  sed -i "s#image: 080196/hello-app:.*#image: 080196/hello-app:$1#" "$WORK/repo/hello/deployment.yaml"
  git -C "$WORK/repo" commit -q -am "$2"
  git -C "$WORK/repo" push -q origin main
  say "git commit + push: $(git -C "$WORK/repo" log --oneline -1)"
}

say "git commit: $(git -C "$WORK/repo" log --oneline -1)"
wait_for Healthy
# The DaemonSet beside hello-app: one image bump, so its history (ControllerRevisions) has two commits.
sed -i "s#image: busybox:.*#image: busybox:1.36.1#" "$WORK/repo/hello/daemonset.yaml"
git -C "$WORK/repo" commit -q -am "log-agent: busybox 1.36.1"
git -C "$WORK/repo" push -q origin main
say "git commit + push: $(git -C "$WORK/repo" log --oneline -1)"
wait_for Healthy
commit_image v2 "image v2"
wait_for Healthy
commit_image v3 "image v3"
wait_for Failed
say "v3 never became ready: Lockstep reports the rollout failed (ProgressDeadlineExceeded)"
git -C "$WORK/repo" revert --no-edit HEAD >/dev/null
git -C "$WORK/repo" push -q origin main
say "git revert HEAD + push: $(git -C "$WORK/repo" log --oneline -1)"
wait_for Healthy
grep -h "rolled back to revision" "$WORK/daemon.log" | tail -1 | sed 's/^.* - /    /' || true

step "5/6 Lockstep reverts a failed rollout itself (onFailedRollout: revert)"
write_config revert
kill "$DAEMON" && wait "$DAEMON" 2>/dev/null || true
say "config: onFailedRollout: revert; daemon restarted (its state lives in the cluster)"
start_daemon
commit_image v3.1 "image v3.1"
before=$(git -C "$WORK/remote.git" rev-parse main)
for _ in $(seq 1 240); do
  [ "$(git -C "$WORK/remote.git" rev-parse main)" != "$before" ] && break
  sleep 0.5
done
[ "$(git -C "$WORK/remote.git" rev-parse main)" != "$before" ] || { tail -30 "$WORK/daemon.log" >&2; die "Lockstep pushed no revert"; }
say "v3.1 failed; Lockstep pushed its revert:"
git -C "$WORK/remote.git" log --format='    %h %an: %s' -3
wait_for Healthy
printf '\n$ git log -1 (the trailers say why and for which app)\n'
git -C "$WORK/remote.git" log -1 --format='%B' | sed 's/^/    /'

step "6/6 History: Lockstep's view and kubectl's, side by side"
printf '\n$ lockstep history hello-app\n'
"${LS[@]}" history --config "$WORK/lockstep.yaml" --kubeconfig "$KUBECONFIG" hello-app
printf '\n$ kubectl rollout history deployment/hello-app -n %s\n' "$NS"
"${KUBECTL[@]}" rollout history deployment/hello-app -n "$NS" 2>/dev/null
printf '$ kubectl get replicasets -n %s\n' "$NS"
"${KUBECTL[@]}" get replicasets -n "$NS" -o custom-columns='NAME:.metadata.name,REVISION:.metadata.annotations.deployment\.kubernetes\.io/revision,HISTORY:.metadata.annotations.deployment\.kubernetes\.io/revision-history,IMAGE:.spec.template.spec.containers[0].image,READY:.status.readyReplicas' 2>/dev/null
printf '\n$ lockstep history log-agent   (a DaemonSet: its revisions are ControllerRevisions)\n'
"${LS[@]}" history --config "$WORK/lockstep.yaml" --kubeconfig "$KUBECONFIG" log-agent
printf '\n$ kubectl rollout history daemonset/log-agent -n %s\n' "$NS"
"${KUBECTL[@]}" rollout history daemonset/log-agent -n "$NS" 2>/dev/null
printf '\ndemo finished: git revert, then Lockstep'"'"'s own revert, rolled hello-app back by reusing the v2 ReplicaSet.\n'
if [ "$KEEP" = true ]; then
  printf 'the status page shows the whole story: http://127.0.0.1:%s/\n' "$PORT"
else
  printf 'the status page showed the whole story at http://127.0.0.1:%s/ (run with --keep to leave it open)\n' "$PORT"
fi
