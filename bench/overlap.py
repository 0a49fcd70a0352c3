"""Benchmark: the overhead of recording pairwise-cosine histograms at every training step.

The thesis's overparametrised network, 784-20-500-10 on the offline MNIST digits, trained by SGD with momentum:
plain training steps against the same steps with an `OverlapTracker` that records the histogram of every tracked
layer after every step. Both run in this process, interleaved, on identical copies of the network and the same batch
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

def steps_time(model, data, batch_size, epochs, cbs):
    timer = StepTimer()   # last, so that its after_step comes after the tracker's
    hist = fit(model, data, epochs=epochs, lr=0.01, opt='sgd', momentum=0.9, batch_size=batch_size, cbs=cbs + [timer],
               progress=False, eval_test=False)
    return timer.total, hist[-1]['step']

def bench(data, batch_size, layers, epochs=2, repeats=5):
    base = mlp(784, (20, 500), 10, seed=0)
    plain, tracked = [], []
    for _ in range(repeats):
        t, n = steps_time(copy.deepcopy(base), data, batch_size, epochs, [])
        plain.append(t / n)
        tr = OverlapTracker(mlp_spec(base), layers=layers, snapshot_epochs=[0])
        t, n = steps_time(copy.deepcopy(base), data, batch_size, epochs, [tr])
        tracked.append(t / n)
        assert len(tr.steps) == n + 1
    p, q = min(plain), min(tracked)
    return dict(batch_size=batch_size, layers=layers or 'all', steps=n, plain_ms_per_step=1e3 * p,
                recorded_ms_per_step=1e3 * q, overhead=q / p - 1)

if __name__ == '__main__':
    d = mnist5k()
    out = [bench(d, bs, layers) for bs in (64, 512) for layers in (['fc1'], None)]
    print(json.dumps(dict(benchmark='overlap recording every step, MLP 784-20-500-10, mnist5k', torch=torch.__version__,
                          threads=torch.get_num_threads(), results=out), indent=1))
