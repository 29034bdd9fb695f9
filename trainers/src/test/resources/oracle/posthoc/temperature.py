"""Oracle for temperature scaling (Guo et al. 2017, their temperature_scaling.py): fits one T > 0 by
minimising the NLL of held-out logits with torch's LBFGS (on log T, so T stays positive), then prints
T and log_softmax(z / T) of the evaluation logits. Input: a JSON file {k, heldout: [...], gold: [...],
eval: [...]} with row-major logits. Plain torch, float64."""
import json
import sys

import torch

data = json.load(open(sys.argv[1]))
k = data["k"]
held = torch.tensor(data["heldout"], dtype=torch.float64).reshape(-1, k)
gold = torch.tensor(data["gold"], dtype=torch.long)
ev = torch.tensor(data["eval"], dtype=torch.float64).reshape(-1, k)

log_t = torch.zeros(1, dtype=torch.float64, requires_grad=True)
opt = torch.optim.LBFGS([log_t], lr=0.5, max_iter=500, tolerance_grad=1e-12, tolerance_change=1e-14,
                        line_search_fn="strong_wolfe")


def closure():
    opt.zero_grad()
    loss = torch.nn.functional.cross_entropy(held / log_t.exp(), gold)
    loss.backward()
    return loss


opt.step(closure)
t = float(log_t.exp())
scaled = torch.log_softmax(ev / t, dim=1)
print(json.dumps({"temperature": t, "eval_log_probs": scaled.flatten().tolist()}))
