"""Benchmark: weightsym's weight matching against a plain implementation of the published algorithm.

The reference follows Git Re-Basin's `weight_matching` step by step (Ainsworth et al. 2023, src/weight_matching.py):
every step rebuilds the cost matrix of one permutation from copies of B's tensors with all other current
permutations applied, then solves the assignment with scipy. Both use the same visiting order (same seed), so they
follow the same path and must reach the same objective. Run by hand:  python bench/weight_matching.py
Prints one JSON object.
"""
import json, sys, time
import numpy as np
import torch
from scipy.optimize import linear_sum_assignment

from weightsym.models import mlp, resnet20
from weightsym.symmetries import builder_spec, permute, _axis_index
from weightsym.mode_connectivity import weight_matching, _alignment, _NORM_STATS

def reference_weight_matching(spec, state_a, state_b, seed=0, max_iter=100):
    "The published algorithm, written plainly (float64, torch tensors, scipy LAP)."
    params = {a.param for s in spec.values() for a in s.axes if not a.param.endswith(_NORM_STATS)}
    perms = {p: torch.arange(s.size) for p, s in spec.items()}
    rng, t_lap = np.random.default_rng(seed), 0.
    for it in range(max_iter):
        progress = False
        for p in rng.permutation(list(spec)):
            n = spec[p].size
            C = torch.zeros(n, n, dtype=torch.float64)
            for a in spec[p].axes:
                if a.param not in params: continue
                wa = state_a[a.param].double()
                wb = state_b[a.param].double()
                for q, s in spec.items():           # every other permutation on every other axis of this tensor
                    for b in s.axes:
                        if b.param == a.param and (q, b) != (p, a): wb = wb.index_select(b.axis, _axis_index(wb.shape[b.axis], b, perms[q]))
                wa = wa.movedim(a.axis, 0)[a.offset:a.offset + n * a.inner].reshape(n, -1)
                wb = wb.movedim(a.axis, 0)[a.offset:a.offset + n * a.inner].reshape(n, -1)
                C += wa @ wb.T
            t0 = time.perf_counter(); _, cols = linear_sum_assignment(C.numpy(), maximize=True); t_lap += time.perf_counter() - t0
            new = torch.from_numpy(cols).long()
            idx = torch.arange(n)
            if float(C[idx, new].sum()) > float(C[idx, perms[p]].sum()) + 1e-12: progress = True
            perms[p] = new
        if not progress: break
    return perms, it + 1, t_lap

def trained_pair(make, seeds=(0, 1), epochs=1):
    from weightsym.data import mnist5k
    from weightsym.train import fit
    states = []
    for s in seeds:
        m = make(s)
        if epochs:
            d = mnist5k(flatten=m.config['arch'] == 'mlp')
            if m.config['arch'] != 'mlp':   # ResNet-20 takes 3-channel 32×32 images: pad and repeat the digits
                x = torch.nn.functional.pad(d.x_train, (2, 2, 2, 2)).repeat(1, 3, 1, 1)[:1000]
                d = type(d)('mnist5k-rgb', x, d.y_train[:1000], x[:100], d.y_train[:100], 10)
            fit(m, d, epochs=epochs, seed=s, progress=False)
        states.append(m.state_dict())
    return m, states

def bench(name, make, repeats=3):
    model, (sa, sb) = trained_pair(make)
    spec = builder_spec(model)
    params = {a.param for s in spec.values() for a in s.axes if not a.param.endswith(_NORM_STATS)}
    t_ref, t_new = [], []
    for _ in range(repeats):
        t0 = time.perf_counter(); ref, sweeps_ref, lap_ref = reference_weight_matching(spec, sa, sb); t_ref.append(time.perf_counter() - t0)
        t0 = time.perf_counter(); new = weight_matching(spec, sa, sb, history=False); t_new.append(time.perf_counter() - t0)
    obj_ref, obj_new = _alignment(sa, permute(sb, spec, ref), params), _alignment(sa, permute(sb, spec, new), params)
    return dict(model=name, parameters=sum(v.numel() for v in sa.values()), spaces=len(spec),
                reference_s=min(t_ref), weightsym_s=min(t_new), speedup=min(t_ref) / min(t_new),
                sweeps_reference=sweeps_ref, sweeps_weightsym=new.info['sweeps'],
                objective_reference=obj_ref, objective_weightsym=obj_new, same_objective=abs(obj_ref - obj_new) <= 1e-9 * abs(obj_ref),
                weightsym_assignment_s=new.info['time_assignment'], weightsym_cost_s=new.info['time_cost'],
                reference_assignment_s=lap_ref)

MAKERS = dict(mlp512=lambda s: mlp(784, (512,) * 3, 10, seed=s), mlp2048=lambda s: mlp(784, (2048,) * 3, 10, seed=s),
              resnet20x4=lambda s: resnet20(width=4, seed=s))

if __name__ == '__main__':
    torch.set_num_threads(max(1, torch.get_num_threads()))
    which = sys.argv[1:] or ['mlp512', 'mlp2048', 'resnet20x4']
    repeats = dict(mlp512=3, mlp2048=1, resnet20x4=5)
    out = [bench(n, MAKERS[n], repeats[n]) for n in which]
    print(json.dumps(dict(benchmark='weight_matching', threads=torch.get_num_threads(), results=out), indent=1))
