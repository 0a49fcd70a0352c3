"""16 MLPs 784-128-10 on the offline MNIST digits: trained as one batched ensemble (`fit_ensemble`, torch.func) against
one after another (`fit`), same seeds, same batches, in one run. Prints one JSON object.

    OMP_NUM_THREADS=2 python bench/ensembles.py [--models 16] [--width 128] [--epochs 3] [--batch-size 128] [--threads 2]
"""
import argparse, json, time
import torch
from weightsym.data import mnist5k
from weightsym.models import mlp
from weightsym.train import fit
from weightsym.train import fit_ensemble

p = argparse.ArgumentParser()
p.add_argument('--models', type=int, default=16)
p.add_argument('--width', type=int, default=128)
p.add_argument('--epochs', type=int, default=3)
p.add_argument('--batch-size', type=int, default=128)
p.add_argument('--threads', type=int, default=2)
p.add_argument('--fused', action='store_true', help='both sides use the fused Adam kernel (torch >= 2.4 on CPU)')
a = p.parse_args()
torch.set_num_threads(a.threads)
data = mnist5k()
seeds = list(range(a.models))
make = lambda: [mlp(784, (a.width,), 10, seed=s) for s in seeds]
fit_ensemble(make()[:2], data, epochs=1, progress=False)   # warm-up: torch.func's first call sets itself up
fit(make()[0], data, epochs=1, progress=False)

def timed(f):
    t0 = time.perf_counter(); r = f(); return time.perf_counter() - t0, r

nets_b, nets_s = make(), make()
kw = dict(fused=True) if a.fused else {}
t_batched, hb = timed(lambda: fit_ensemble(nets_b, data, epochs=a.epochs, batch_size=a.batch_size, seeds=seeds, progress=False, **kw))
t_serial, hs = timed(lambda: [fit(n, data, epochs=a.epochs, batch_size=a.batch_size, seed=s, progress=False, **kw) for n, s in zip(nets_s, seeds)])
diff = max((x - y).abs().max().item() for n, m in zip(nets_b, nets_s) for x, y in zip(n.parameters(), m.parameters()))
print(json.dumps(dict(models=a.models, fused_adam=a.fused, width=a.width, epochs=a.epochs, batch_size=a.batch_size, threads=torch.get_num_threads(),
                      one_after_another_s=round(t_serial, 3), batched_s=round(t_batched, 3), speedup=round(t_serial / t_batched, 2),
                      max_param_diff=diff, mean_test_acc_batched=sum(h[-1]['test_acc'] for h in hb) / len(hb),
                      mean_test_acc_one_by_one=sum(h[-1]['test_acc'] for h in hs) / len(hs))))
