"The cost of one teleport (all its steps) as a multiple of one training step, on the ICLR paper's MLP (784-16-10-10)."
import json, sys, time
import torch
from torch import nn
from weightsym.models import mlp
from weightsym.data import mnist5k
from weightsym.teleportation import teleport, mlp_chain, make_group

def paper_mlp(seed=0):
    m = mlp(784, (16, 10), 10, act='leaky_relu', bias=False, seed=seed)
    for mod in m.modules():
        if isinstance(mod, nn.LeakyReLU): mod.negative_slope = 0.1
    return m

def timed(f, n):
    f(); t0 = time.perf_counter()
    for _ in range(n): f()
    return (time.perf_counter() - t0) / n

d = mnist5k()
m = paper_mlp()
opt = torch.optim.SGD(m.parameters(), lr=1e-2)
xb, yb = d.x_train[:20], d.y_train[:20]
def train_step():
    loss = nn.functional.cross_entropy(m(xb), yb); opt.zero_grad(); loss.backward(); opt.step()
step = timed(train_step, 200)
chain, out = mlp_chain(m), {}
for label, n, spaces, obj in [('gl, 16 samples, both layers, grad_norm', 16, None, 'grad_norm'),
                              ('gl, 200 samples, first layer, grad_norm', 200, ('fc0',), 'grad_norm'),
                              ('scale, 16 samples, grad_norm', 16, None, 'grad_norm'),
                              ('gl, 200 samples, first layer, sharpness', 200, ('fc0',), 'sharpness')]:
    x, y = d.x_train[:n], d.y_train[:n]
    grp = 'scale' if label.startswith('scale') else 'gl'
    t = timed(lambda: teleport(m, m.state_dict(), x, y, obj, make_group(grp, m, m.state_dict(), x, spaces, chain=chain), steps=10), 3)
    out[label] = dict(seconds=t, ratio_to_train_step=t / step)
print(json.dumps(dict(train_step_seconds=step, teleport_10_steps=out, torch=torch.__version__, threads=torch.get_num_threads()), indent=1))
