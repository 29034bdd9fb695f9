"""Reference for Bf16AutocastTest: torch.autocast("cpu", dtype=torch.bfloat16) around F.linear and
torch.matmul, with float32 leaves, as Hugging Face Trainer's bf16=True runs a model's multiplies.

Input (argv[1], JSON): x [n, t, k], w [m, k], b [m], a [2, 3, 4, 5], c [2, 1, 5, 6] as nested lists.
The loss is sum(y^2) + 0.5 sum(p^2) with y = linear(tanh(x), w, b), p = matmul(a, c); the tanh
before the linear checks that the gradient reaches an activation computed before the cast.
Output (stdout, JSON): y = linear(tanh(x), w, b) as float32, p = matmul(a, c) as float32, the loss,
and the gradients of x, w, b, a, c (float32, as autograd returns them to float32 leaves).
"""
import json
import sys

import torch

inp = json.load(open(sys.argv[1]))
t = {k: torch.tensor(v, dtype=torch.float32, requires_grad=True) for k, v in inp.items()}
with torch.autocast("cpu", dtype=torch.bfloat16):
    y = torch.nn.functional.linear(torch.tanh(t["x"]), t["w"], t["b"])
    p = torch.matmul(t["a"], t["c"])
# autocast returns bf16; the model continues in float32 (our Bf16Autocast returns float32 directly)
y = y.float()
p = p.float()
loss = (y * y).sum() + 0.5 * (p * p).sum()
loss.backward()
out = {"y": y.detach().flatten().tolist(), "p": p.detach().flatten().tolist(), "loss": loss.item()}
for k in ("x", "w", "b", "a", "c"):
    out["grad_" + k] = t[k].grad.flatten().tolist()
    assert t[k].grad.dtype == torch.float32
print(json.dumps(out))
