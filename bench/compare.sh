#!/usr/bin/env bash
# Side-by-side training speed: Attention Lab's engine against the PyTorch peer, on this machine,
# in one run. Prints one line per measurement as it goes, then a table per config: ours in each
# precision (1 and 2 threads, the best), the peer's best (best of bench_torch.py and
# bench_torch_nano.py, 1 and 2 threads, each dtype in PEER_DTYPES), and the ratio ours / peer;
# then our FLOP rates as a fraction of the machine's float32 peak (AVX2, and AVX-512 where the CPU
# has it). Each figure is the median of ROUNDS rounds; rounds interleave ours and the peer so both
# see the same machine load.
#
# The peer must multiply with OpenBLAS (as any user's PyTorch has MKL or OpenBLAS): Debian's
# PyTorch falls back to the reference BLAS without libopenblas0-pthread, several times slower, and
# a ratio against that is not a result, so the script refuses to run then.
#
# lego6 is the lego6 preset's model (d_model 64, 6 layers sharing one block, 4 heads, d_mlp 128,
# rotary, bidirectional, n_ctx 30, batch 256). The peer's scripts hard-code d_mlp = 4 d_model, so
# bench/peer_shape.py runs them with d_mlp 128 substituted in their source (and bench_torch.py's
# reference transformer with rotary positions and bidirectional attention too); what stays
# different: bench_torch_nano.py is causal with learned positions, and neither shares weights
# across layers (the same FLOPs; the peer's optimizer updates 6 blocks where ours updates one).
#
# usage: bench/compare.sh [PEER_DIR]
#   PEER_DIR      directory with bench_torch.py and bench_torch_nano.py (also from the env var
#                 PEER_DIR; default: ../shared/peer next to this repository)
# environment:
#   CONFIGS       configs to run (default: "tiny classroom-S medium lego6")
#   DTYPES_OURS   our precisions (default: "f32 f64"; a bench without --dtype runs f64 only)
#   ROUNDS        rounds per measurement, medians are reported (default: 3)
#   SECONDS_OURS  seconds our bench times training and evaluation, each after an equal warm-up
#                 (default: 3)
#   PEER_DTYPES   peer dtypes (default: "f32", the peer's faster one; "f32 f64" runs both)
#   PEER_STEPS    timed peer steps per config after its 5 warm-up steps
#                 (default: "tiny=200 classroom-S=20 medium=3 lego6=3")
#   PYTHON        interpreter with torch (default: /usr/bin/python3; install: apt-get install -y python3-torch)
#   JAVA          java launcher (default: java)
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
peer="${1:-${PEER_DIR:-$repo/../shared/peer}}"
[[ -d "$peer" ]] && peer="$(cd "$peer" && pwd)"
configs="${CONFIGS:-tiny classroom-S medium lego6}"
dtypes_ours="${DTYPES_OURS:-f32 f64}"
rounds="${ROUNDS:-3}"
secs="${SECONDS_OURS:-3}"
dtypes="${PEER_DTYPES:-f32}"
peer_steps="${PEER_STEPS:-tiny=200 classroom-S=20 medium=3 lego6=3}"
python="${PYTHON:-/usr/bin/python3}"
java="${JAVA:-java}"
jar="$repo/tools/target/attnlab-tools.jar"   # the bench tool (a developer tool, not in the product)

if [[ ! -f "$peer/bench_torch.py" || ! -f "$peer/bench_torch_nano.py" ]]; then
    echo "compare.sh: the PyTorch peer is missing: no bench_torch.py and bench_torch_nano.py in '$peer'." >&2
    echo "  Pass the peer's directory as the first argument or in PEER_DIR (it is not part of this repository)." >&2
    exit 2
fi
if ! "$python" -c 'import torch' 2>/dev/null; then
    echo "compare.sh: '$python' cannot import torch; install it with: apt-get install -y python3-torch libopenblas0-pthread" >&2
    exit 2
fi
blas="$(update-alternatives --display libblas.so.3-x86_64-linux-gnu 2>/dev/null \
    | sed -n 's/.*link currently points to //p')"
if [[ "$blas" != */openblas-pthread/* ]]; then
    echo "compare.sh: refusing to compare: the PyTorch peer would multiply matrices with ${blas:-no BLAS found by update-alternatives}," >&2
    echo "  not OpenBLAS; Debian's reference BLAS is several times slower than the MKL or OpenBLAS a user's PyTorch has," >&2
    echo "  so a ratio against it is not a result. Install OpenBLAS: apt-get install -y python3-torch libopenblas0-pthread" >&2
    echo "  (check: update-alternatives --display libblas.so.3-x86_64-linux-gnu points into openblas-pthread/)" >&2
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
        lego6) echo "64 6 4 30 256" ;;
        *) echo "compare.sh: unknown config '$1' (tiny, classroom-S, medium, lego6)" >&2; exit 2 ;;
    esac
}
# the peer's invocation for a config: the script as it is, or through peer_shape.py for lego6
peer_run() {
    local c="$1" script="$2"; shift 2
    if [[ "$c" == lego6 ]]; then
        local extra=-
        [[ "$script" == bench_torch.py ]] && extra="positional_embedding_type=rotary,attention_dir=bidirectional"
        "$python" "$repo/bench/peer_shape.py" "$peer" "$script" 128 "$extra" "$@" 2>/dev/null
    else
        (cd "$peer" && "$python" "$script" "$@")
    fi
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
if "$java" -jar "$jar_copy" bench --help 2>&1 | grep -q -- '--dtype'; then
    has_dtype=1
else
    has_dtype=0
    dtypes_ours=f64
    echo "note: this bench has no --dtype; ours is float64 only" >&2
fi
# the float32 peak the issue states ratios against: 2 FMA units x 8 float32 lanes (AVX2) x 2 flops
# = 32 flops per cycle per core, at the clock /proc/cpuinfo reports (cpu MHz, the first core's).
# On a CPU with AVX-512 (avx512f in its flags) the same two FMA units hold 16 lanes: 64 flops per
# cycle per core, twice that; the tables then give the fraction of both. (Some AVX-512 parts have
# one 512-bit FMA unit; 64 is the upper bound.)
mhz="$(grep -m1 'cpu MHz' /proc/cpuinfo | sed 's/.*: *//')"
cores="$(nproc)"
peak_gflops="$(awk -v m="$mhz" -v n="$cores" 'BEGIN { printf "%.1f", 32 * m / 1000 * n }')"
peak512_gflops=0
grep -qw avx512f /proc/cpuinfo && peak512_gflops="$(awk -v p="$peak_gflops" 'BEGIN { printf "%.1f", 2 * p }')"
echo "machine: $cores cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), ${mhz} MHz, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "float32 peak: $peak_gflops GFLOP/s ($cores cores x 32 flops/cycle (AVX2 FMA) x ${mhz} MHz)"
[[ "$peak512_gflops" != 0 ]] && echo "float32 peak with AVX-512 (this CPU has avx512f): $peak512_gflops GFLOP/s ($cores cores x 64 flops/cycle x ${mhz} MHz)"
echo "peer: $peer ($("$python" -c 'import torch; print("torch", torch.__version__)'), BLAS $blas)"
for round in $(seq 1 "$rounds"); do
    for c in $configs; do
        read -r d l h t b <<< "$(shape "$c")"
        for od in $dtypes_ours; do
            for th in 1 2; do
                flag=()
                [[ "$has_dtype" == 1 ]] && flag=(--dtype "$od")
                out="$("$java" -jar "$jar_copy" bench --config "$c" --threads "$th" --seconds "$secs" "${flag[@]}")"
                sps="$(sed -n 's/^steps_per_s=//p' <<< "$out")"
                gf="$(sed -n 's/^train_gflop_per_s=//p' <<< "$out")"
                tps="$(sed -n 's/^eval_tokens_per_s=//p' <<< "$out")"
                echo "round $round $c ours $od threads=$th steps_per_s=$sps train_gflop_per_s=$gf eval_tokens_per_s=$tps"
                echo "$c ours $od/t$th $sps" >> "$results"
                echo "$c gflops $od/t$th $gf" >> "$results"
            done
        done
        steps="$(steps_for "$c")"
        for script in bench_torch.py bench_torch_nano.py; do
            for dt in $dtypes; do
                for th in 1 2; do
                    sps="$(peer_run "$c" "$script" "$th" "$dt" "$d" "$l" "$h" "$t" "$b" "$steps" \
                        | sed -n 's/^steps_per_s=//p')"
                    echo "round $round $c peer ${script%.py} $dt threads=$th steps_per_s=$sps"
                    echo "$c peer ${script%.py}/$dt/t$th $sps" >> "$results"
                done
            done
        done
    done
done

"$python" - "$results" "$configs" "$rounds" "$dtypes_ours" "$peak_gflops" "$peak512_gflops" <<'PY'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1])]
configs, rounds, dtypes, peak = sys.argv[2].split(), sys.argv[3], sys.argv[4].split(), float(sys.argv[5])
peak512 = float(sys.argv[6])
med = {}
for c, who, variant, v in rows:
    try:
        med.setdefault((c, who, variant), []).append(float(v))
    except ValueError:
        pass
med = {k: statistics.median(v) for k, v in med.items()}
print()
print(f"training steps per second, median of {rounds} rounds")
print()
head = "| config |"
for d in dtypes:
    head += f" ours {d}, 1 thread | ours {d}, 2 threads |"
head += " ours (best) | peer (best) | peer's best variant | ours / peer |"
print(head)
print("|---|" + "---:|---:|" * len(dtypes) + "---:|---:|---|---:|")
for c in configs:
    line, best, best_of = f"| {c} |", 0.0, "-"
    for d in dtypes:
        for th in (1, 2):
            v = med.get((c, "ours", f"{d}/t{th}"), 0.0)
            line += f" {v:.2f} |"
            if v > best:
                best, best_of = v, f"{d}, {th} thread{'s' if th == 2 else ''}"
    peers = {k[2]: v for k, v in med.items() if k[0] == c and k[1] == "peer"}
    pv, pb = max(((v, k) for k, v in peers.items()), default=(0.0, "-"))
    ratio = f"{best / pv:.2f}" if pv > 0 else "n/a"
    line += f" {best:.2f} ({best_of}) | {pv:.2f} | {pb} | {ratio} |"
    print(line)
print()
extra = f" and of the {peak512:.1f} GFLOP/s AVX-512 peak" if peak512 > 0 else ""
print(f"our training FLOP rate (GFLOP/s, median) and its fraction of the {peak:.1f} GFLOP/s float32 (AVX2) peak of the machine{extra}")
print()
print("| config | precision | 1 thread | 2 threads | 2 threads / AVX2 peak |" + (" 2 threads / AVX-512 peak |" if peak512 > 0 else ""))
print("|---|---|---:|---:|---:|" + ("---:|" if peak512 > 0 else ""))
for c in configs:
    for d in dtypes:
        g1, g2 = med.get((c, "gflops", f"{d}/t1"), 0.0), med.get((c, "gflops", f"{d}/t2"), 0.0)
        print(f"| {c} | {d} | {g1:.1f} | {g2:.1f} | {g2 / peak:.1%} |" + (f" {g2 / peak512:.1%} |" if peak512 > 0 else ""))
PY
