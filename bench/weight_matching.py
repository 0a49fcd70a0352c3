"""Benchmark: weightsym's weight matching against a plain implementation of the published algorithm.

The reference follows Git Re-Basin's `weight_matching` step by step (Ainsworth et al. 2023, src/weight_matching.py):
every step rebuilds the cost matrix of one permutation from copies of B's tensors with all other current
permutations applied, then solves the assignment with scipy (`weightsym.mode_connectivity.weight_matching_reference`).
Both start from the identity (init='identity') with the same visiting order (same seed), so they follow the same path
and must reach the same objective; the objective from weightsym's default greedy start is reported beside them. Run by hand:  python bench/weight_matching.py
Prints one JSON object.
"""
import json, sys, time
import torch

from weightsym.models import mlp, resnet20
from weightsym.symmetries import builder_spec, permute
from weightsym.mode_connectivity import weight_matching, weight_matching_reference, alignment_objective, _NORM_STATS

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
        t0 = time.perf_counter(); ref = weight_matching_reference(spec, sa, sb); t_ref.append(time.perf_counter() - t0)
        t0 = time.perf_counter(); new = weight_matching(spec, sa, sb, history=False, init='identity'); t_new.append(time.perf_counter() - t0)
    greedy = weight_matching(spec, sa, sb, history=False)   # the default start (not the published one)
    obj_ref, obj_new = alignment_objective(sa, permute(sb, spec, ref), params), alignment_objective(sa, permute(sb, spec, new), params)
    return dict(model=name, parameters=sum(v.numel() for v in sa.values()), spaces=len(spec),
                reference_s=min(t_ref), weightsym_s=min(t_new), speedup=min(t_ref) / min(t_new),
                sweeps_reference=ref.info['sweeps'], sweeps_weightsym=new.info['sweeps'],
                objective_reference=obj_ref, objective_weightsym=obj_new, same_objective=abs(obj_ref - obj_new) <= 1e-9 * abs(obj_ref),
                weightsym_assignment_s=new.info['time_assignment'], weightsym_cost_s=new.info['time_cost'],
                objective_greedy_start=greedy.info['objective'], bound=greedy.info['bound'])

MAKERS = dict(mlp512=lambda s: mlp(784, (512,) * 3, 10, seed=s), mlp2048=lambda s: mlp(784, (2048,) * 3, 10, seed=s),
              resnet20x4=lambda s: resnet20(width=4, seed=s))

if __name__ == '__main__':
    torch.set_num_threads(max(1, torch.get_num_threads()))
    which = sys.argv[1:] or ['mlp512', 'mlp2048', 'resnet20x4']
    repeats = dict(mlp512=3, mlp2048=1, resnet20x4=5)
    out = [bench(n, MAKERS[n], repeats[n]) for n in which]
    print(json.dumps(dict(benchmark='weight_matching', threads=torch.get_num_threads(), results=out), indent=1))
