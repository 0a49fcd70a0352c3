"""Benchmark: weightsym's weight matching against the authors' own JAX implementation, on the same weights.

Git Re-Basin's `weight_matching` (Ainsworth, Hayase & Srinivasa 2023, github.com/samuela/git-re-basin, file
`src/weight_matching.py`) is imported from a checkout of that repository and run unchanged, in float32 as published,
on the two networks that `bench/weight_matching.py` trains. Its spec is built from weightsym's: every tensor gets the
names of the permutations acting on its axes. The two visit the permutations in different random orders (JAX's
generator against numpy's), so they may stop at different local optima (weightsym runs from the published start, init='identity', for
the comparison; the objective from its default greedy start is reported beside); both final objectives are reported, with the
number of sweeps and the time per sweep, as means over several seeds. weightsym is timed as called by default (which
owes `objective_bound`, a diagnostic the authors' code does not compute, until the result's `info` is first read), the
first read of `info` (the bound paid) separately, and again with `bound=False` (the same search, no bound owed). Needs `pip install jax` (not a weightsym dependency). Run by hand:

    git clone https://github.com/samuela/git-re-basin /tmp/git-re-basin
    python bench/weight_matching_jax.py --rebasin /tmp/git-re-basin [mlp512 mlp2048 resnet20x4]

Prints one JSON object.
"""
import argparse, importlib.util, json, sys, time, types
from pathlib import Path
import numpy as np
import torch
sys.path.insert(0, str(Path(__file__).parent))
from weight_matching import trained_pair, MAKERS
from weightsym.symmetries import builder_spec, permute
from weightsym.mode_connectivity import weight_matching, alignment_objective, _NORM_STATS

def load_rebasin(root):
    "The authors' `weight_matching` module. Its `utils` imports names that newer JAX removed, and it needs only `rngmix`."
    import jax
    src = Path(root) / 'src' / 'weight_matching.py'
    if not src.exists(): raise SystemExit(f"no {src}: pass --rebasin the root of a git-re-basin checkout")
    calls = []
    utils = types.ModuleType('utils')
    def rngmix(rng, x):   # as their utils.py defines it: fold a hash of `x` into the key (counted: one call per sweep)
        calls.append(x); return jax.random.fold_in(rng, hash(x))
    utils.rngmix = rngmix
    sys.modules['utils'] = utils
    spec = importlib.util.spec_from_file_location('rebasin_weight_matching', src)
    mod = importlib.util.module_from_spec(spec); spec.loader.exec_module(mod)
    return mod, calls

def their_spec(mod, spec, state, params):
    "Their PermutationSpec for our spec: each tensor's axes named by the permutation acting on them (None: no permutation)."
    axes = {k: [None] * state[k].ndim for k in sorted(params)}   # sorted: their visiting order follows this dict's order
    for name, s in spec.items():
        for a in s.axes:
            if a.param not in params: continue
            if a.offset or a.inner != 1: raise SystemExit(f"{a.param}: blocks of units (flattened layers) have no equivalent in their spec")
            axes[a.param][a.axis] = name
    return mod.permutation_spec_from_axes_to_perm({k: tuple(v) for k, v in axes.items()})

def bench(mod, calls, name, seeds):
    "Both algorithms from the same seeds (each its own random visiting order): mean time, sweeps and objective."
    import jax, jax.numpy as jnp
    model, (sa, sb) = trained_pair(MAKERS[name])
    spec = builder_spec(model)
    params = {a.param for s in spec.values() for a in s.axes if not a.param.endswith(_NORM_STATS)}
    ps = their_spec(mod, spec, sa, params)
    pa, pb = ({k: jnp.asarray(s[k].numpy()) for k in params} for s in (sa, sb))
    run_theirs = lambda seed: jax.block_until_ready(mod.weight_matching(jax.random.PRNGKey(seed), ps, pa, pb, silent=True))
    run_theirs(0); weight_matching(spec, sa, sb, history=False, init='identity')   # warm-up: JAX's first calls compile its operations
    obj = lambda perms: alignment_objective(sa, permute(sb, spec, perms), params)
    rows = []
    for seed in range(seeds):
        calls.clear(); t0 = time.perf_counter(); theirs = run_theirs(seed); t_theirs = time.perf_counter() - t0
        sweeps_theirs = len(calls)
        t0 = time.perf_counter(); ours = weight_matching(spec, sa, sb, seed=seed, history=False, init='identity'); t_ours = time.perf_counter() - t0
        t0 = time.perf_counter(); ours.info; t_info = time.perf_counter() - t0   # the owed bound, paid on the first read
        t0 = time.perf_counter()   # the same search without the objective bound (a diagnostic theirs does not compute)
        bare = weight_matching(spec, sa, sb, seed=seed, history=False, init='identity', bound=False)
        t_bare = time.perf_counter() - t0
        assert all(torch.equal(bare[p], ours[p]) for p in spec)
        theirs = {p: torch.tensor(np.asarray(v)).long() for p, v in theirs.items()}
        rows.append((t_theirs, sweeps_theirs, obj(theirs), t_ours, ours.info['sweeps'], obj(ours), t_bare, t_info))
    m = np.array(rows).mean(0)
    return dict(model=name, spaces=len(spec), seeds=seeds, authors_jax_s=m[0], weightsym_s=m[3], speedup=m[0] / m[3],
                weightsym_without_bound_s=m[6], speedup_without_bound=m[0] / m[6],
                weightsym_bound_read_s=m[7], speedup_with_bound_read=m[0] / (m[3] + m[7]),
                sweeps_authors=m[1], sweeps_weightsym=m[4], per_sweep_speedup=(m[0] / m[1]) / (m[6] / m[4]),
                objective_authors=m[2], objective_weightsym=m[5],
                objective_identity=obj({p: torch.arange(s.size) for p, s in spec.items()}),
                objective_weightsym_greedy_start=weight_matching(spec, sa, sb, history=False).info['objective'], runs=rows)

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--rebasin', required=True, help="root of a checkout of github.com/samuela/git-re-basin")
    ap.add_argument('--seeds', type=int, default=5, help="runs of each, from seeds 0, 1, …")
    ap.add_argument('models', nargs='*', default=['mlp512', 'resnet20x4'], help=f"any of {list(MAKERS)}")
    args = ap.parse_args()
    unknown = [m for m in args.models if m not in MAKERS]
    if unknown: ap.error(f"unknown models {unknown}; choose from {list(MAKERS)}")
    mod, calls = load_rebasin(args.rebasin)
    import jax
    out = [bench(mod, calls, n, args.seeds) for n in args.models]
    print(json.dumps(dict(benchmark='weight_matching vs the authors JAX code', jax=jax.__version__, jax_x64=bool(jax.config.jax_enable_x64),
                          torch=torch.__version__, torch_threads=torch.get_num_threads(), results=out), indent=1))
