"""Benchmark: evaluating 25 points of a linear path, batched (weightsym) vs one load_state_dict per point.

Both compute the mean loss and accuracy at every α on the same data with the same batch size. weightsym runs as
`barrier` calls it (`line=`: the layers that read the input are evaluated at both ends and interpolated), and also
without `line=` (every layer at every point), to show what each part gives. Run by hand:
    python bench/barrier.py
Prints one JSON object with the ratio for each setting.
"""
import json, time
import torch
from weightsym.data import mnist5k, two_moons, teacher_student
from weightsym.models import mlp, vgg
from weightsym.train import evaluate
from weightsym.mode_connectivity import stack_path, path_metrics, interpolate

def loop(model, sa, sb, alphas, x, y, batch_size):
    out = []
    for a in alphas:
        model.load_state_dict(interpolate(sa, sb, float(a))); out.append(evaluate(model.eval(), x, y, batch_size=batch_size))
    return out

def batched(model, sa, sb, alphas, x, y, batch_size, line=True):
    return path_metrics(model, stack_path(sa, sb, alphas), x, y, batch_size=batch_size, line=(sa, sb, alphas) if line else None)

def bench(name, make, x, y, batch_size, repeats=3, n_alpha=25):
    a, b = make(0), make(1)
    sa, sb, alphas = a.state_dict(), b.state_dict(), torch.linspace(0, 1, n_alpha)
    t_loop, t_batch, t_plain = [], [], []
    for _ in range(repeats):   # interleaved
        t0 = time.perf_counter(); r1 = loop(a, sa, sb, alphas, x, y, batch_size); t_loop.append(time.perf_counter() - t0)
        t0 = time.perf_counter(); r2 = batched(a, sa, sb, alphas, x, y, batch_size); t_batch.append(time.perf_counter() - t0)
        t0 = time.perf_counter(); r3 = batched(a, sa, sb, alphas, x, y, batch_size, line=False); t_plain.append(time.perf_counter() - t0)
    diff = max(abs(r1[i]['loss'] - float(r['loss'][i])) for i in range(n_alpha) for r in (r2, r3))
    return dict(setting=name, samples=len(x), batch_size=batch_size, alphas=n_alpha, loop_s=min(t_loop), batched_s=min(t_batch),
                speedup=min(t_loop) / min(t_batch), batched_without_line_s=min(t_plain), speedup_without_line=min(t_loop) / min(t_plain),
                max_loss_difference=diff)

if __name__ == '__main__':
    d, moons, ts = mnist5k(flatten=True), two_moons(), teacher_student()
    img = mnist5k()
    out = [bench('MLP 2-64-2, two moons (1,000 points)', lambda s: mlp(2, (64,), 2, seed=s), moons.x_train, moons.y_train, 1000),
           bench('MLP 10-16-1 teacher-student regression (2,000 points)', lambda s: mlp(10, (16,), 1, seed=s), ts.x_train, ts.y_train, 500),
           bench('MLP 784-128-10, mnist5k (4,000 digits, batch 250)', lambda s: mlp(784, (128,), 10, seed=s), d.x_train, d.y_train, 250),
           bench('MLP 784-512-512-512-10, mnist5k (4,000 digits)', lambda s: mlp(784, (512,) * 3, 10, seed=s), d.x_train, d.y_train, 1000),
           bench('VGG tiny (BatchNorm), mnist5k (1,000 images)', lambda s: vgg('tiny', seed=s), img.x_train[:1000], img.y_train[:1000], 500)]
    print(json.dumps(dict(benchmark='barrier evaluation over 25 alphas', threads=torch.get_num_threads(), results=out), indent=1))
