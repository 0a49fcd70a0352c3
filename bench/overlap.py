"""Benchmark: the overhead of recording pairwise-cosine histograms at every training step.

The thesis's overparametrised network, 784-20-500-10 on the offline MNIST digits, trained by SGD with momentum:
plain training steps against the same steps with an `OverlapTracker` that records the histogram of every tracked
layer after every step (binned in batches of set-aside copies, and the time of the last batch, binned after
training, is counted). Both run in this process, interleaved, on identical copies of the network and the same batch
order; the best of several repeats is kept. Run by hand:
    python bench/overlap.py
Prints one JSON object: the time per step with and without recording and the overhead ratio (target: under 10%).
"""
import copy, json, time
import torch
from weightsym.data import mnist5k
from weightsym.models import mlp
from weightsym.symmetries import mlp_spec
from weightsym.train import fit, Callback
from weightsym.overlap import OverlapTracker

class StepTimer(Callback):
    "Time spent in the training steps only (from the start of each epoch to its last step), not in evaluation."
    def before_fit(self, run): self.total = 0.
    def before_epoch(self, run): self.t0 = self.last = time.perf_counter()
    def after_step(self, run): self.last = time.perf_counter()
    def after_epoch(self, run): self.total += self.last - self.t0

class TimedTracker(OverlapTracker):
    """The tracker, timing the work it does outside the training steps: the snapshots at epoch starts and at the end,
    and binning the records still set aside when training ends. Counted as recording time, so nothing is hidden."""
    outside = 0.
    def before_epoch(self, run):
        t0 = time.perf_counter(); super().before_epoch(run); self.outside += time.perf_counter() - t0
    def after_fit(self, run):
        t0 = time.perf_counter(); super().after_fit(run); self.outside += time.perf_counter() - t0

def steps_time(model, data, batch_size, epochs, cbs):
    timer = StepTimer()   # last, so that its after_step comes after the tracker's
    hist = fit(model, data, epochs=epochs, lr=0.01, opt='sgd', momentum=0.9, batch_size=batch_size, cbs=cbs + [timer],
               progress=False, eval_test=False)
    return timer.total + sum(cb.outside for cb in cbs), hist[-1]['step']

def bench(data, batch_size, layers, steps=256, repeats=5):
    "Plain steps, and steps recorded with binning in the loop and on a background thread, interleaved in each repeat."
    base = mlp(784, (20, 500), 10, seed=0)
    epochs = -(-steps * batch_size // len(data.x_train))
    times = dict(plain=[], recorded=[], recorded_background=[])
    for _ in range(repeats):
        t, n = steps_time(copy.deepcopy(base), data, batch_size, epochs, [])
        times['plain'].append(t / n)
        for key, bg in (('recorded', False), ('recorded_background', True)):
            tr = TimedTracker(mlp_spec(base), layers=layers, snapshot_epochs=[0], background=bg)
            t, n = steps_time(copy.deepcopy(base), data, batch_size, epochs, [tr])
            times[key].append(t / n)
            assert len(tr.steps) == n + 1 and len(tr.histograms(tr.spaces[-1])) == n + 1
    p = min(times['plain'])
    out = dict(batch_size=batch_size, layers=layers or 'all', steps=n, plain_ms_per_step=1e3 * p)
    for key in ('recorded', 'recorded_background'):
        out[f'{key}_ms_per_step'] = 1e3 * min(times[key]); out[f'overhead{key[8:]}'] = min(times[key]) / p - 1
    return out

if __name__ == '__main__':
    import argparse
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--threads', type=int, nargs='+', default=[1, 2], help="torch threads for training (and for binning)")
    ap.add_argument('--batch-sizes', type=int, nargs='+', default=[64, 512])
    args = ap.parse_args()
    d = mnist5k()
    out = []
    for th in args.threads:
        torch.set_num_threads(th)
        out += [dict(threads=th, **bench(d, bs, layers)) for bs in args.batch_sizes for layers in (['fc1'], None)]
    print(json.dumps(dict(benchmark='overlap recording every step, MLP 784-20-500-10, mnist5k', torch=torch.__version__,
                          cpus=__import__('os').cpu_count(), results=out), indent=1))
