#!/usr/bin/env python3
"""PyTorch oracle for RobustSweep's trainers (issue 9, item 6), in plain torch (torch >= 1.13, numpy).

Follows Hugging Face transformers (models/bert/modeling_bert.py, models/roberta/modeling_roberta.py:
embeddings, post-LayerNorm encoder layers, BertForSequenceClassification's pooler + classifier and
RobertaClassificationHead), PEFT's layer code (tuners/lora/layer.py Linear.forward and merge,
tuners/lora/dora.py DoraLinearLayer and lora/variants.py DoraLinearVariant, tuners/adalora/layer.py
SVDLinear, tuners/adalora/model.py orthogonal regulariser and update_and_allocate, the RankAllocator),
PEFT's trainable set for task type SEQ_CLS (modules_to_save = classifier), Hugging Face Trainer's
weight-decay groups and linear schedule, torch.nn.utils.clip_grad_norm_ and torch.optim.AdamW, and
MonteCLoRA as method-spec.md section 3 writes it (noise fed in from Java).

Usage: peft_reference.py CASE_DIR [CASE_DIR ...]. Each case directory holds
  spec.json           model folder, method, hyper-parameters, optimizer settings, steps
  init.safetensors    Java's parameters after the method was applied (only the tensors that the model
                      folder does not hold are taken from it: the new head and the adapters)
  batches.safetensors "<step>/input_ids", "<step>/token_type_ids", "<step>/attention_mask", "<step>/labels"
                      for the training steps 1..S and "eval/..." for the evaluation batch
  noise.safetensors   MonteCLoRA only: "<step>/<module>/bartlett" [r, r], ".../pi_noise" [N],
                      ".../gaussians" [N, r * n_in]
and receives
  reference.safetensors  "loss/<s>", "extra/<s>/<term>", "grad_norm/<s>", "clip_coef/<s>",
                         "grad/<s>/<name>" (after clipping: what AdamW and AdaLoRA's allocator see),
                         "param/<s>/<name>" (after the step and its update_and_allocate),
                         "logits/merged" (evaluation batch, adapters merged into the weights) and
                         "logits/unmerged" (same, adapters kept separate)
  reference.json         trainable and weight-decay parameter names, AdaLoRA budgets
"""
import json
import math
import struct
import sys
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

# The reference computes in float64: it stands for exact arithmetic, so the comparison measures Java's
# float32 rounding only (a float32 reference would add its own, of the same size).
DTYPE = torch.float64
torch.set_default_dtype(DTYPE)
torch.set_num_threads(2)


# ---------------------------------------------------------------- safetensors (F32 only)

def read_safetensors(path):
    data = Path(path).read_bytes()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n].decode("utf-8"))
    out = {}
    for name, meta in header.items():
        if name == "__metadata__":
            continue
        if meta["dtype"] != "F32":
            raise ValueError(f"{path}: tensor {name}: dtype {meta['dtype']} (expected F32)")
        begin, end = meta["data_offsets"]
        arr = np.frombuffer(data, dtype="<f4", count=(end - begin) // 4, offset=8 + n + begin)
        out[name] = torch.from_numpy(arr.copy().reshape(meta["shape"])).to(DTYPE)
    return out


def write_safetensors(path, tensors):
    header, blobs, offset = {}, [], 0
    for name, t in tensors.items():
        a = t.detach().to(torch.float32).contiguous().numpy().astype("<f4")
        b = a.tobytes()
        header[name] = {"dtype": "F32", "shape": list(a.shape), "data_offsets": [offset, offset + len(b)]}
        blobs.append(b)
        offset += len(b)
    h = json.dumps(header).encode("utf-8")
    h += b" " * ((8 - len(h) % 8) % 8)
    Path(path).write_bytes(struct.pack("<Q", len(h)) + h + b"".join(blobs))


# ---------------------------------------------------------------- the model

TARGETS = {  # RobustSweep target-module name -> module path inside encoder.layer.i
    "query": "attention.self.query", "key": "attention.self.key", "value": "attention.self.value",
    "attention_output": "attention.output.dense", "intermediate": "intermediate.dense", "output": "output.dense",
}


class Reference:
    def __init__(self, case):
        self.case = case
        spec = json.loads((case / "spec.json").read_text())
        self.spec = spec
        cfg = json.loads((Path(spec["model_dir"]) / "config.json").read_text())
        self.cfg = cfg
        self.roberta = cfg["model_type"] == "roberta"
        self.method = spec["method"]
        # pretrained weights straight from the Hugging Face folder (prefix bert. / roberta. dropped)
        folder = {}
        for name, t in read_safetensors(Path(spec["model_dir"]) / "model.safetensors").items():
            for prefix in ("bert.", "roberta."):
                if name.startswith(prefix):
                    name = name[len(prefix):]
            folder[name] = t
        java = read_safetensors(case / "init.safetensors")
        self.P = {}
        for name, t in folder.items():
            self.P[name] = t.clone()
        # what the folder lacks is new: the head (HF initialises it randomly; we take Java's draw) and adapters
        for name, t in java.items():
            if name not in self.P:
                self.P[name] = t.clone()
        self.adapted = {}  # module path -> kind
        if self.method != "full_ft":
            layers = cfg["num_hidden_layers"]
            for i in range(layers):
                for t in spec["lora"]["target_modules"]:
                    self.adapted[f"encoder.layer.{i}.{TARGETS[t]}"] = self.method
        for m in self.adapted:
            for suffix in self.adapter_suffixes():
                if m + suffix not in self.P:
                    raise KeyError(f"{case}: Java's init has no {m + suffix}")
        if self.method == "adalora":  # PEFT's lora_E is [r, 1]
            for m in self.adapted:
                self.P[m + ".lora_E.weight"] = self.P[m + ".lora_E.weight"].reshape(-1, 1)
        lora = spec["lora"]
        r = lora["r"]
        self.scaling = lora["lora_alpha"] / (math.sqrt(r) if lora.get("use_rslora") else r)
        if self.method == "adalora":
            init_r = spec["adalora"]["init_r"]
            self.scaling = lora["lora_alpha"] if lora["lora_alpha"] > 0 else float(init_r)
            self.ranknum = float(init_r)
        self.trainable = self.peft_trainable_set()
        for name, t in self.P.items():
            t.requires_grad_(name in self.trainable)
        self.noise = None
        self.merged = None

    def adapter_suffixes(self):
        return {
            "lora": [".lora_A.weight", ".lora_B.weight"],
            "dora": [".lora_A.weight", ".lora_B.weight", ".lora_magnitude_vector"],
            "adalora": [".lora_A.weight", ".lora_B.weight", ".lora_E.weight"],
            "monteclora": [".lora_A.weight", ".lora_B.weight", ".monteclora.wishart_log_scale",
                           ".monteclora.dirichlet_log_concentration"],
        }[self.method]

    def peft_trainable_set(self):
        """full_ft: every parameter. Adapters (PEFT, task type SEQ_CLS): the adapter tensors and the whole
        `classifier` module (modules_to_save); everything else, BERT's pooler included, frozen."""
        if self.method == "full_ft":
            return set(self.P)
        out = {m + s for m in self.adapted for s in self.adapter_suffixes()}
        out |= {n for n in self.P if n.startswith("classifier.")}
        return out

    @staticmethod
    def hf_decay(name):
        """Hugging Face Trainer.get_decay_parameter_names: no decay for biases and LayerNorm weights."""
        return not (name.endswith("bias") or "LayerNorm" in name)

    # -------------------------------------------------------------- layers

    def dropout(self, x, site):
        """Dropout at one of Hugging Face's and PEFT's sites: "hidden" (embeddings, attention output, FFN
        output: hidden_dropout_prob), "attention" (attention probabilities), "classifier" (the head) and
        "lora" (the adapter's input, lora_dropout). Off here (the training comparison runs without
        dropout); posthoc/mc_dropout.py replays Java's masks through it."""
        return x

    def linear(self, module, x, training, step):
        w, b = self.P[module + ".weight"], self.P.get(module + ".bias")
        if self.merged is not None and module in self.merged:
            return F.linear(x, self.merged[module], b)
        result = F.linear(x, w, b)  # base_layer(x)
        kind = self.adapted.get(module)
        if kind is None:
            return result
        A, B = self.P[module + ".lora_A.weight"], self.P[module + ".lora_B.weight"]
        s = self.scaling
        if kind == "lora":  # lora/layer.py Linear.forward: result + lora_B(lora_A(dropout(x))) * scaling
            return result + F.linear(F.linear(self.dropout(x, "lora"), A), B) * s
        if kind == "dora":  # variants.py DoraLinearVariant.forward, dora.py DoraLinearLayer.forward (no dropout)
            m = self.P[module + ".lora_magnitude_vector"]
            lora_weight = B @ A
            weight_norm = torch.linalg.norm(w + s * lora_weight.detach(), dim=1).detach()
            mag_norm_scale = (m / weight_norm).view(1, -1)
            lora_result = F.linear(F.linear(x, A), B)
            base_result = result - b
            return result + (mag_norm_scale - 1) * base_result + mag_norm_scale * lora_result * s
        if kind == "adalora":  # adalora/layer.py SVDLinear.forward
            E = self.P[module + ".lora_E.weight"]
            return result + (self.dropout(x, "lora") @ (A * E).T @ B.T) * s / (self.ranknum + 1e-5)
        if kind == "monteclora":  # method-spec.md section 3, Algorithm 1
            if training:
                A = A + self.spec["monteclora"]["sample_scaler"] * self.monteclora_sample(module, step)
            return result + F.linear(F.linear(self.dropout(x, "lora"), A), B) * s
        raise ValueError(kind)

    def monteclora_sample(self, module, step):
        """W = sum_k pi_k S_k with S_k = L T Z_k (Sigma = L T T^T L^T ~ Wishart_r(V, nu)) and
        pi = softmax(mu + sqrt(var) z) (Laplace approximation of Dirichlet(alpha)); records what the
        step's losses need."""
        key = f"{step}/{module}"
        T = self.noise[key + "/bartlett"]
        z = self.noise[key + "/pi_noise"]
        Z = self.noise[key + "/gaussians"]
        v = self.P[module + ".monteclora.wishart_log_scale"]
        log_alpha = self.P[module + ".monteclora.dirichlet_log_concentration"]
        r = T.shape[0]
        n = log_alpha.shape[0]
        A = self.P[module + ".lora_A.weight"]
        L = torch.diag(torch.exp(v).sqrt())
        C = L @ T
        Sigma = C @ C.T
        alpha = torch.exp(log_alpha)
        mu = torch.log(alpha) - torch.log(alpha).mean()
        var = (1.0 / alpha) * (1 - 2.0 / n) + (1.0 / n ** 2) * (1.0 / alpha).sum()
        pi = torch.softmax(mu + var.sqrt() * z, dim=0)
        S = torch.stack([C @ Z[k].reshape(r, A.shape[1]) for k in range(n)])
        W = (pi.view(-1, 1, 1) * S).sum(0)
        self.draws.append((Sigma, v, alpha, pi))
        return W

    @staticmethod
    def layer_norm(x, w, b, eps):
        return F.layer_norm(x, (x.shape[-1],), w, b, eps)

    def forward(self, batch, training, step=None):
        cfg, P = self.cfg, self.P
        ids = batch["input_ids"].long()
        mask = batch["attention_mask"]
        bsz, t = ids.shape
        eps = cfg["layer_norm_eps"]
        if self.roberta:
            # modeling_roberta.create_position_ids_from_input_ids; token types: the zeros buffer
            pad = cfg["pad_token_id"]
            m = ids.ne(pad).int()
            positions = (torch.cumsum(m, dim=1).type_as(m) * m).long() + pad
            types = torch.zeros_like(ids)
        else:
            positions = torch.arange(t).unsqueeze(0).expand(bsz, t)
            types = batch["token_type_ids"].long()
        emb = P["embeddings.word_embeddings.weight"][ids] + P["embeddings.token_type_embeddings.weight"][types]
        emb = emb + P["embeddings.position_embeddings.weight"][positions]
        h = self.dropout(self.layer_norm(emb, P["embeddings.LayerNorm.weight"], P["embeddings.LayerNorm.bias"], eps), "hidden")
        # get_extended_attention_mask: (1 - mask) * finfo(float32).min, broadcast over heads and queries
        ext = (1.0 - mask)[:, None, None, :] * torch.finfo(DTYPE).min
        heads = cfg["num_attention_heads"]
        d = cfg["hidden_size"] // heads
        for i in range(cfg["num_hidden_layers"]):
            p = f"encoder.layer.{i}."

            def split(x):
                return x.view(bsz, t, heads, d).permute(0, 2, 1, 3)

            q = split(self.linear(p + "attention.self.query", h, training, step))
            k = split(self.linear(p + "attention.self.key", h, training, step))
            v = split(self.linear(p + "attention.self.value", h, training, step))
            scores = q @ k.transpose(-1, -2) / math.sqrt(d) + ext
            ctx = (self.dropout(torch.softmax(scores, dim=-1), "attention") @ v).permute(0, 2, 1, 3).reshape(bsz, t, heads * d)
            a = self.layer_norm(self.dropout(self.linear(p + "attention.output.dense", ctx, training, step), "hidden") + h,
                                P[p + "attention.output.LayerNorm.weight"], P[p + "attention.output.LayerNorm.bias"], eps)
            inter = F.gelu(self.linear(p + "intermediate.dense", a, training, step))
            h = self.layer_norm(self.dropout(self.linear(p + "output.dense", inter, training, step), "hidden") + a,
                                P[p + "output.LayerNorm.weight"], P[p + "output.LayerNorm.bias"], eps)
        first = h[:, 0]
        if self.roberta:  # RobertaClassificationHead: dropout, dense, tanh, dropout, out_proj
            x = torch.tanh(self.linear("classifier.dense", self.dropout(first, "classifier"), training, step))
            return self.linear("classifier.out_proj", self.dropout(x, "classifier"), training, step)
        pooled = torch.tanh(self.linear("pooler.dense", first, training, step))  # BertPooler
        return self.linear("classifier", self.dropout(pooled, "classifier"), training, step)  # BertForSequenceClassification

    # -------------------------------------------------------------- extra losses

    def extra_losses(self):
        out = {}
        if self.method == "adalora":  # adalora/model.py AdaLoraModel.forward
            w = self.spec["adalora"]["orth_reg_weight"]
            regu, num = 0.0, 0
            for m in self.adapted:
                for n in ("lora_A", "lora_B"):
                    p = self.P[f"{m}.{n}.weight"]
                    cov = p @ p.T if n == "lora_A" else p.T @ p
                    regu = regu + torch.norm(cov - torch.eye(*cov.size()), p="fro")
                    num += 1
            out["orthogonal_regularizer"] = w * (regu / num)
        if self.method == "monteclora":  # method-spec.md section 3, eq. 19-22, averaged over layers
            mc = self.spec["monteclora"]
            nu = mc["wishart_dof"] if mc.get("wishart_dof") is not None else self.spec["lora"]["r"]
            a0 = mc["dirichlet_prior"]
            kl, coop = 0.0, 0.0
            for Sigma, v, alpha, pi in self.draws:
                r = Sigma.shape[0]
                n = alpha.shape[0]
                kl_n = 0.5 * (torch.trace(Sigma) - torch.logdet(Sigma) - r)
                V = torch.exp(v)
                kl_w = 0.5 * (-nu * torch.log(V).sum() + nu * V.sum() - nu * r)
                a = alpha
                prior = torch.full_like(a, a0)
                kl_d = (torch.lgamma(a.sum()) - torch.lgamma(prior.sum()) + (torch.lgamma(prior) - torch.lgamma(a)).sum()
                        + ((a - prior) * (torch.digamma(a) - torch.digamma(a.sum()))).sum())
                kl = kl + kl_n + kl_w + kl_d
                coop = coop + (pi ** 2).sum()
            layers = len(self.draws)
            out["kl"] = mc["kl_weight"] * kl / layers
            if mc["cooperative_loss"]:
                out["cooperative"] = coop / layers
        return out

    # -------------------------------------------------------------- AdaLoRA's RankAllocator (PEFT)

    def adalora_setup(self):
        a = self.spec["adalora"]
        self.ipt, self.exp_avg_ipt, self.exp_avg_unc = {}, {}, {}
        self.init_bgt = a["init_r"] * len(self.adapted)
        self.target_bgt = a["target_r"] * len(self.adapted)
        self.rank_pattern = None
        self.budgets = []

    def budget_schedule(self, step):
        a = self.spec["adalora"]
        tinit, tfinal, total = a["tinit"], a["tfinal"], self.spec["total_steps"]
        if step <= tinit:
            return self.init_bgt, False
        if step > total - tfinal:
            return self.target_bgt, True
        mul_coeff = 1 - (step - tinit) / (total - tfinal - tinit)
        budget = int((self.init_bgt - self.target_bgt) * (mul_coeff ** 3) + self.target_bgt)
        return budget, step % a["deltaT"] == 0

    def lora_names(self):
        return [n for n in self.P if any(f".{x}." in n for x in ("lora_A", "lora_B", "lora_E"))]

    def update_ipt(self):
        b1, b2 = self.spec["adalora"]["beta1"], self.spec["adalora"]["beta2"]
        with torch.no_grad():
            for n in self.lora_names():
                p = self.P[n]
                if n not in self.ipt:
                    self.ipt[n] = torch.zeros_like(p)
                    self.exp_avg_ipt[n] = torch.zeros_like(p)
                    self.exp_avg_unc[n] = torch.zeros_like(p)
                self.ipt[n] = (p * p.grad).abs().detach()
                self.exp_avg_ipt[n] = b1 * self.exp_avg_ipt[n] + (1 - b1) * self.ipt[n]
                self.exp_avg_unc[n] = b2 * self.exp_avg_unc[n] + (1 - b2) * (self.ipt[n] - self.exp_avg_ipt[n]).abs()

    def mask_to_budget(self, budget):
        score = lambda n: self.exp_avg_ipt[n] * self.exp_avg_unc[n]
        triplet, all_score = {}, []
        for m in self.adapted:
            ipt_a = torch.mean(score(m + ".lora_A.weight"), dim=1, keepdim=True)
            ipt_b = torch.mean(score(m + ".lora_B.weight"), dim=0, keepdim=False).view(-1, 1)
            ipt_e = score(m + ".lora_E.weight")
            ipt_ab = torch.cat([ipt_a, ipt_b], dim=1).sum(dim=1, keepdim=False)  # _combine_ipt
            s = ipt_e.view(-1) + ipt_ab.view(-1)
            triplet[m] = s.view(-1, 1)
            all_score.append(s.view(-1))
        threshold = torch.kthvalue(torch.cat(all_score), k=self.init_bgt - budget)[0].item()
        pattern = {}
        with torch.no_grad():
            for m in self.adapted:
                self.P[m + ".lora_E.weight"].masked_fill_(triplet[m] <= threshold, 0.0)
                pattern[m] = (~(triplet[m] <= threshold)).view(-1).tolist()
        return pattern

    def update_and_allocate(self, step):
        """AdaLoraModel.update_and_allocate(global_step) with RankAllocator.update_and_allocate, called after
        each optimizer step with the 1-based step count (Hugging Face Trainer's state.global_step after the step)."""
        a = self.spec["adalora"]
        final = self.spec["total_steps"] - a["tfinal"]
        budget, mask_ind = self.budget_schedule(step)
        if step < final:
            self.update_ipt()
            if mask_ind:
                self.rank_pattern = self.mask_to_budget(budget)
        elif step == final:
            self.rank_pattern = self.mask_to_budget(budget)  # force_mask
            self.ipt, self.exp_avg_ipt, self.exp_avg_unc = {}, {}, {}  # reset_ipt
        else:
            with torch.no_grad():  # mask_using_rank_pattern
                for m in self.adapted:
                    keep = torch.tensor(self.rank_pattern[m]).view(-1, 1)
                    self.P[m + ".lora_E.weight"].masked_fill_(~keep, 0.0)
        self.budgets.append(budget)

    # -------------------------------------------------------------- merge (PEFT merge / get_delta_weight)

    def merged_weights(self):
        out = {}
        with torch.no_grad():
            for m, kind in self.adapted.items():
                w = self.P[m + ".weight"]
                A, B = self.P[m + ".lora_A.weight"], self.P[m + ".lora_B.weight"]
                if kind in ("lora", "monteclora"):
                    out[m] = w + (B @ A) * self.scaling
                elif kind == "dora":  # DoraLinearVariant.merge_safe
                    delta = (B @ A) * self.scaling
                    weight_norm = torch.linalg.norm(w + delta, dim=1)
                    out[m] = (self.P[m + ".lora_magnitude_vector"] / weight_norm).view(-1, 1) * (w + delta)
                elif kind == "adalora":  # SVDLinear.get_delta_weight
                    E = self.P[m + ".lora_E.weight"]
                    out[m] = w + B @ (A * E) * self.scaling / (self.ranknum + 1e-5)
        return out

    # -------------------------------------------------------------- one case

    def run(self):
        spec, o = self.spec, self.spec["optimizer"]
        batches = read_safetensors(self.case / "batches.safetensors")
        if self.method == "monteclora":
            self.noise = read_safetensors(self.case / "noise.safetensors")
        if self.method == "adalora":
            self.adalora_setup()
        names = [n for n in self.P if n in self.trainable]
        decay = [n for n in names if self.hf_decay(n)]
        no_decay = [n for n in names if not self.hf_decay(n)]
        opt = torch.optim.AdamW([
            {"params": [self.P[n] for n in decay], "weight_decay": o["weight_decay"]},
            {"params": [self.P[n] for n in no_decay], "weight_decay": 0.0},
        ], lr=o["learning_rate"], betas=(o["adam_beta1"], o["adam_beta2"]), eps=o["adam_epsilon"])
        total, warmup = spec["total_steps"], o["warmup_steps"]

        def lr_lambda(s):  # transformers.get_linear_schedule_with_warmup
            if s < warmup:
                return float(s) / float(max(1, warmup))
            return max(0.0, float(total - s) / float(max(1, total - warmup)))

        sched = torch.optim.lr_scheduler.LambdaLR(opt, lr_lambda)
        out = {}
        for step in range(1, spec["steps"] + 1):
            batch = {k.split("/", 1)[1]: v for k, v in batches.items() if k.startswith(f"{step}/")}
            self.draws = []
            logits = self.forward(batch, training=True, step=step)
            loss = F.cross_entropy(logits, batch["labels"].long())
            extras = self.extra_losses()
            for term in extras.values():
                loss = loss + term
            opt.zero_grad()
            loss.backward()
            params = [self.P[n] for n in names]
            norm = torch.nn.utils.clip_grad_norm_(params, o["max_grad_norm"])
            out[f"loss/{step}"] = loss.detach().reshape(1)
            for k, term in extras.items():
                out[f"extra/{step}/{k}"] = term.detach().reshape(1)
            out[f"grad_norm/{step}"] = norm.detach().reshape(1)
            out[f"clip_coef/{step}"] = torch.clamp(o["max_grad_norm"] / (norm.detach() + 1e-6), max=1.0).reshape(1)
            for n in names:
                out[f"grad/{step}/{n}"] = self.P[n].grad.detach().clone().reshape(self.java_shape(n))
            opt.step()
            sched.step()
            if self.method == "adalora":
                self.update_and_allocate(step)
            for n in names:
                out[f"param/{step}/{n}"] = self.P[n].detach().clone().reshape(self.java_shape(n))
        ev = {k.split("/", 1)[1]: v for k, v in batches.items() if k.startswith("eval/")}
        with torch.no_grad():
            out["logits/unmerged"] = self.forward(ev, training=False)
            self.merged = self.merged_weights()
            out["logits/merged"] = self.forward(ev, training=False)
        write_safetensors(self.case / "reference.safetensors", out)
        info = {"trainable": sorted(names), "decay": sorted(decay)}
        if self.method == "adalora":
            info["budgets"] = self.budgets
            info["rank_pattern"] = self.rank_pattern
        (self.case / "reference.json").write_text(json.dumps(info, indent=1))
        worst = (out["logits/merged"] - out["logits/unmerged"]).abs().max() / out["logits/unmerged"].abs().max()
        norms = " ".join(f"{out[f'grad_norm/{s}'].item():.3g}" for s in range(1, spec["steps"] + 1))
        return f"{self.case.name}: loss/1 {out['loss/1'].item():.6f} gradient norms {norms} merge self-check {worst.item():.2e}"

    def java_shape(self, name):
        return (-1,) if name.endswith(".lora_E.weight") else self.P[name].shape


def main():
    for case in sys.argv[1:]:
        print(Reference(Path(case)).run(), flush=True)


if __name__ == "__main__":
    main()
