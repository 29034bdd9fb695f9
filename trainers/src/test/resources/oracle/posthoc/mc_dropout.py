"""Oracle for the MC-dropout predictive (Gal and Ghahramani 2016; method-spec.md section 9): the model
of peft_reference.py (Hugging Face BERT / RoBERTa with PEFT LoRA, float64) run S times with every
dropout on, each pass with the keep decisions Java drew, and p(y|x) = (1/S) sum_s softmax(f(x; mask_s)).

Each dropout applies torch.nn.functional.dropout's transform to Java's Bernoulli(1 - p) keep decisions:
y = x * keep / (1 - p). The masks are consumed in the order of the forward pass (embeddings; per layer
the adapted projections' LoRA inputs, attention probabilities, attention output, FFN output; the head),
each checked against its site's rate and its tensor's shape, and all of them must be used.

Usage: mc_dropout.py CASE_DIR, which holds spec.json (peft_reference's, plus "dropout": {site: rate},
"samples" S and "batches" B), init.safetensors, batches.safetensors ("<b>/input_ids", ... for the
evaluator's batches 0..B-1, in its order), masks.safetensors ("<i>": keep decisions, 0/1) and
masks.json (the rate of each mask). Prints JSON: the averaged probabilities (row-major, examples in
batch order), their NLL and 15-bin ECE, and two wrong predictives the comparison must tell apart
(softmax of the averaged logits; the masks without the 1 / (1 - p) scaling)."""
import json
import sys
from pathlib import Path

here = Path(__file__).resolve().parent
sys.path[:0] = [str(here), str(here.parent)]  # peft_reference.py: beside this file or one folder up

import numpy as np  # noqa: E402
import torch  # noqa: E402

from peft_reference import Reference, read_safetensors  # noqa: E402


class DropoutReplay(Reference):
    def __init__(self, case, keeps, rates, scale=True):
        super().__init__(case)
        self.site_rates = self.spec["dropout"]
        self.keeps, self.rates, self.scale = keeps, rates, scale
        self.used = 0

    def dropout(self, x, site):
        p = self.site_rates[site]
        if p <= 0:
            return x
        if self.used >= len(self.keeps):
            raise ValueError(f"the forward pass needs more than Java's {len(self.keeps)} masks")
        keep, rate = self.keeps[self.used], self.rates[self.used]
        if tuple(keep.shape) != tuple(x.shape) or abs(rate - p) > 1e-12:
            raise ValueError(f"mask {self.used}: shape {tuple(keep.shape)} rate {rate}, but site {site} has "
                             f"shape {tuple(x.shape)} rate {p}")
        self.used += 1
        return x * keep / (1 - p) if self.scale else x * keep  # F.dropout: bernoulli_(1 - p).div_(1 - p)


def passes(case, keeps, rates, scale):
    """Logits [S, n, k] of the S passes over the evaluator's batches."""
    ref = DropoutReplay(case, keeps, rates, scale)
    batches = read_safetensors(case / "batches.safetensors")
    out = []
    with torch.no_grad():
        for _ in range(ref.spec["samples"]):
            logits = []
            for b in range(ref.spec["batches"]):
                batch = {k.split("/", 1)[1]: v for k, v in batches.items() if k.startswith(f"{b}/")}
                logits.append(ref.forward(batch, training=True))
            out.append(torch.cat(logits))
    if ref.used != len(keeps):
        raise ValueError(f"Java drew {len(keeps)} masks, the reference used {ref.used}")
    return torch.stack(out), batches


def ece(probs, gold, bins=15):
    """Guo et al.: top-label confidence in bins (b/B, (b+1)/B], sum_b |acc_b - conf_b| n_b / n."""
    conf = probs.max(axis=1)
    correct = probs.argmax(axis=1) == gold
    idx = np.clip(np.ceil(conf * bins).astype(int) - 1, 0, bins - 1)
    return sum(abs(correct[idx == b].sum() - conf[idx == b].sum()) for b in range(bins)) / len(gold)


def main():
    case = Path(sys.argv[1])
    stored = read_safetensors(case / "masks.safetensors")
    keeps = [stored[str(i)] for i in range(len(stored))]
    rates = json.loads((case / "masks.json").read_text())
    logits, batches = passes(case, keeps, rates, scale=True)
    probs = torch.softmax(logits, dim=-1).mean(0)  # (1/S) sum_s softmax(f(x; mask_s))
    spec = json.loads((case / "spec.json").read_text())
    gold = torch.cat([batches[f"{b}/labels"] for b in range(spec["batches"])]).long()
    nll = -torch.log(probs[torch.arange(len(gold)), gold]).mean()
    unscaled, _ = passes(case, keeps, rates, scale=False)
    print(json.dumps({
        "probs": probs.flatten().tolist(),
        "nll": float(nll),
        "ece": float(ece(probs.numpy(), gold.numpy())),
        "masks": len(keeps),
        "probs_of_averaged_logits": torch.softmax(logits.mean(0), dim=-1).flatten().tolist(),
        "probs_without_scaling": torch.softmax(unscaled, dim=-1).mean(0).flatten().tolist(),
    }))


if __name__ == "__main__":
    main()
