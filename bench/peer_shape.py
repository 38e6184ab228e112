"""Runs one of the PyTorch peer's bench scripts at a model shape its arguments cannot give.

The peer's scripts (bench_torch.py, bench_torch_nano.py; not part of this repository) take
THREADS DTYPE D_MODEL N_LAYERS N_HEADS N_CTX BATCH [STEPS] and hard-code d_mlp = 4 d_model.
This wrapper reads the script's source, substitutes the MLP width (and, for bench_torch.py,
whose reference transformer takes the config keys of docs/engine.md, any extra config keys),
says on stderr what it changed, and runs the result in the peer's directory. Each substitution
must apply exactly as written, else the wrapper refuses (the peer changed; update this file).

usage: python3 peer_shape.py PEER_DIR SCRIPT D_MLP [KEY=VALUE,...|-] THREADS DTYPE D L H T B [STEPS]
  KEY=VALUE,...  extra torchref config keys for bench_torch.py, e.g.
                 positional_embedding_type=rotary,attention_dir=bidirectional ('-' for none;
                 bench_torch_nano.py takes none: it stays causal with learned positions)
"""
import os
import sys


def substitute(src, old, new, script):
    if src.count(old) != 1:
        sys.exit(f"peer_shape.py: {script} no longer contains {old!r} exactly once; update bench/peer_shape.py")
    return src.replace(old, new)


def main():
    if len(sys.argv) < 12:
        sys.exit(__doc__)
    peer, script, d_mlp, extra = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    args = sys.argv[5:]
    path = os.path.join(peer, script)
    with open(path) as f:
        src = f.read()
    changes = []
    if script == "bench_torch_nano.py":
        src = substitute(src, "nn.Linear(D, 4*D)", f"nn.Linear(D, {d_mlp})", script)
        src = substitute(src, "nn.Linear(4*D, D)", f"nn.Linear({d_mlp}, D)", script)
        changes.append(f"d_mlp {d_mlp}")
        if extra != "-":
            sys.exit("peer_shape.py: bench_torch_nano.py takes no extra config keys (it is written for one model)")
    elif script == "bench_torch.py":
        keys = [f"d_mlp={d_mlp}"]
        if extra != "-":
            for kv in extra.split(","):
                k, v = kv.split("=", 1)
                keys.append(f"{k}={v!r}")
        old = "n_layers=int(L)))"
        src = substitute(src, old, "n_layers=int(L), " + ", ".join(keys) + "))", script)
        changes.append(", ".join(keys))
    else:
        sys.exit(f"peer_shape.py: unknown peer script {script}")
    print(f"peer_shape.py: running {script} with {'; '.join(changes)} (substituted in its source)", file=sys.stderr)
    sys.argv = [path] + args
    sys.path.insert(0, peer)
    os.chdir(peer)
    exec(compile(src, path, "exec"), {"__name__": "__main__", "__file__": path})


if __name__ == "__main__":
    main()
