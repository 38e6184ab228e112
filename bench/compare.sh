#!/usr/bin/env bash
# Side-by-side training speed: Attention Lab's engine against the PyTorch peer, on this machine,
# in one run. Prints one line per measurement as it goes, then a table per config: ours (best
# of 1 and 2 threads), the peer's best (best of bench_torch.py and bench_torch_nano.py, 1 and 2
# threads, each dtype in PEER_DTYPES), and the ratio ours / peer. Each figure is the median of
# ROUNDS rounds; rounds interleave ours and the peer so both see the same machine load.
#
# usage: bench/compare.sh [PEER_DIR]
#   PEER_DIR      directory with bench_torch.py and bench_torch_nano.py (also from the env var
#                 PEER_DIR; default: ../shared/peer next to this repository)
# environment:
#   CONFIGS       configs to run (default: "tiny classroom-S medium")
#   ROUNDS        rounds per measurement, medians are reported (default: 3)
#   SECONDS_OURS  seconds our bench times training and evaluation, each after an equal warm-up
#                 (default: 3)
#   PEER_DTYPES   peer dtypes (default: "f32", the peer's faster one; "f32 f64" runs both)
#   PEER_STEPS    timed peer steps per config after its 5 warm-up steps
#                 (default: "tiny=200 classroom-S=20 medium=3")
#   PYTHON        interpreter with torch (default: /usr/bin/python3; install: apt-get install -y python3-torch)
#   JAVA          java launcher (default: java)
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
peer="${1:-${PEER_DIR:-$repo/../shared/peer}}"
[[ -d "$peer" ]] && peer="$(cd "$peer" && pwd)"
configs="${CONFIGS:-tiny classroom-S medium}"
rounds="${ROUNDS:-3}"
secs="${SECONDS_OURS:-3}"
dtypes="${PEER_DTYPES:-f32}"
peer_steps="${PEER_STEPS:-tiny=200 classroom-S=20 medium=3}"
python="${PYTHON:-/usr/bin/python3}"
java="${JAVA:-java}"
jar="$repo/tools/target/attnlab-tools.jar"   # the bench tool (a developer tool, not in the product)

if [[ ! -f "$peer/bench_torch.py" || ! -f "$peer/bench_torch_nano.py" ]]; then
    echo "compare.sh: the PyTorch peer is missing: no bench_torch.py and bench_torch_nano.py in '$peer'." >&2
    echo "  Pass the peer's directory as the first argument or in PEER_DIR (it is not part of this repository)." >&2
    exit 2
fi
if ! "$python" -c 'import torch' 2>/dev/null; then
    echo "compare.sh: '$python' cannot import torch; install it with: apt-get install -y python3-torch" >&2
    exit 2
fi

# Build if the jar is missing or older than any source it is made of (tools depends on engine and app).
if [[ ! -f "$jar" ]] || [[ -n "$(find "$repo/engine/src/main" "$repo/app/src/main" "$repo/lessons/src/main" \
        "$repo/tools/src/main" "$repo/pom.xml" "$repo/engine/pom.xml" "$repo/app/pom.xml" "$repo/lessons/pom.xml" \
        "$repo/tools/pom.xml" -newer "$jar" -print -quit 2>/dev/null)" ]]; then
    echo "building $jar ..." >&2
    (cd "$repo" && mvn -B -q -DskipTests package -pl tools -am) >&2
fi

# model shape of each config: d_model n_layers n_heads n_ctx batch (as TrainingBenchmark's presets)
shape() {
    case "$1" in
        tiny) echo "32 1 2 16 16" ;;
        classroom-S) echo "64 2 4 32 32" ;;
        medium) echo "128 4 8 64 32" ;;
        *) echo "compare.sh: unknown config '$1' (tiny, classroom-S, medium)" >&2; exit 2 ;;
    esac
}
steps_for() {
    local c="$1" kv
    for kv in $peer_steps; do
        if [[ "${kv%%=*}" == "$c" ]]; then echo "${kv#*=}"; return; fi
    done
    echo 50
}

# Run from a private copy: a rebuild of tools/target during the run must not pull the jar away.
results="$(mktemp)"
jar_copy="$(mktemp --suffix=.jar)"
trap 'rm -f "$results" "$jar_copy"' EXIT
cp "$jar" "$jar_copy"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "peer: $peer ($("$python" -c 'import torch; print("torch", torch.__version__)'))"
for round in $(seq 1 "$rounds"); do
    for c in $configs; do
        read -r d l h t b <<< "$(shape "$c")"
        for th in 1 2; do
            out="$("$java" -jar "$jar_copy" bench --config "$c" --threads "$th" --seconds "$secs")"
            sps="$(sed -n 's/^steps_per_s=//p' <<< "$out")"
            gf="$(sed -n 's/^train_gflop_per_s=//p' <<< "$out")"
            tps="$(sed -n 's/^eval_tokens_per_s=//p' <<< "$out")"
            echo "round $round $c ours threads=$th steps_per_s=$sps train_gflop_per_s=$gf eval_tokens_per_s=$tps"
            echo "$c ours t$th $sps" >> "$results"
        done
        steps="$(steps_for "$c")"
        for script in bench_torch.py bench_torch_nano.py; do
            for dt in $dtypes; do
                for th in 1 2; do
                    sps="$(cd "$peer" && "$python" "$script" "$th" "$dt" "$d" "$l" "$h" "$t" "$b" "$steps" \
                        | sed -n 's/^steps_per_s=//p')"
                    echo "round $round $c peer ${script%.py} $dt threads=$th steps_per_s=$sps"
                    echo "$c peer ${script%.py}/$dt/t$th $sps" >> "$results"
                done
            done
        done
    done
done

"$python" - "$results" "$configs" "$rounds" <<'PY'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1])]
configs, rounds = sys.argv[2].split(), sys.argv[3]
med = {}
for c, who, variant, v in rows:
    med.setdefault((c, who, variant), []).append(float(v))
med = {k: statistics.median(v) for k, v in med.items()}
print()
print(f"training steps per second, median of {rounds} rounds")
print()
print("| config | ours, 1 thread | ours, 2 threads | ours (best) | peer (best) | peer's best variant | ours / peer |")
print("|---|---:|---:|---:|---:|---|---:|")
for c in configs:
    o1, o2 = med.get((c, "ours", "t1"), 0.0), med.get((c, "ours", "t2"), 0.0)
    peers = {k[2]: v for k, v in med.items() if k[0] == c and k[1] == "peer"}
    pv, pb = max(((v, k) for k, v in peers.items()), default=(0.0, "-"))
    best = max(o1, o2)
    ratio = f"{best / pv:.2f}" if pv > 0 else "n/a"
    print(f"| {c} | {o1:.2f} | {o2:.2f} | {best:.2f} | {pv:.2f} | {pb} | {ratio} |")
PY
