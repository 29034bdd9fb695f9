"""Plain-torch reference of a LLaMA-family causal LM (llama, mistral, qwen2), written after Hugging
Face's modeling_llama.py / modeling_mistral.py / modeling_qwen2.py (eager attention path) and
generation/beam_search.py. It reads a Hugging Face folder (config.json, model.safetensors or a
sharded index) with its own safetensors reader and answers one request:

  python3 reference.py request.json response.json

request: {"mode": "logits" | "generate" | "lora_step", "folder": path, ...}; see main().
"""
import json
import math
import os
import struct
import sys

import numpy as np
import torch

torch.set_grad_enabled(False)


# ---------------------------------------------------------------- weights

def read_safetensors(path):
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n].decode("utf-8"))
    data = raw[8 + n:]
    out = {}
    for name, meta in header.items():
        if name == "__metadata__":
            continue
        begin, end = meta["data_offsets"]
        buf = data[begin:end]
        shape = meta["shape"]
        if meta["dtype"] == "F32":
            arr = np.frombuffer(buf, dtype="<f4").copy()
        elif meta["dtype"] == "F16":
            arr = np.frombuffer(buf, dtype="<f2").astype(np.float32)
        elif meta["dtype"] == "BF16":
            arr = (np.frombuffer(buf, dtype="<u2").astype(np.uint32) << 16).view(np.float32)
        else:
            raise ValueError("dtype " + meta["dtype"])
        out[name] = torch.from_numpy(arr.reshape(shape).astype(np.float32))
    return out


def read_folder(folder):
    with open(os.path.join(folder, "config.json")) as f:
        config = json.load(f)
    single = os.path.join(folder, "model.safetensors")
    if os.path.exists(single):
        weights = read_safetensors(single)
    else:
        with open(os.path.join(folder, "model.safetensors.index.json")) as f:
            index = json.load(f)
        weights = {}
        for shard in sorted(set(index["weight_map"].values())):
            weights.update(read_safetensors(os.path.join(folder, shard)))
    return config, weights


# ---------------------------------------------------------------- model

def inv_frequencies(config):
    head_dim = config.get("head_dim") or config["hidden_size"] // config["num_attention_heads"]
    base = config.get("rope_theta", 10000.0)
    inv_freq = 1.0 / (base ** (torch.arange(0, head_dim, 2, dtype=torch.int64).float() / head_dim))
    scaling = config.get("rope_scaling")
    if scaling and (scaling.get("rope_type") or scaling.get("type")) == "llama3":
        # _compute_llama3_parameters
        factor = scaling["factor"]
        low = scaling["low_freq_factor"]
        high = scaling["high_freq_factor"]
        old = scaling["original_max_position_embeddings"]
        low_wavelen = old / low
        high_wavelen = old / high
        wavelen = 2 * math.pi / inv_freq
        scaled = torch.where(wavelen > low_wavelen, inv_freq / factor, inv_freq)
        smooth = (old / wavelen - low) / (high - low)
        smoothed = (1 - smooth) * scaled / factor + smooth * scaled
        medium = ~(wavelen < high_wavelen) * ~(wavelen > low_wavelen)
        inv_freq = torch.where(medium, smoothed, scaled)
    return inv_freq


def rotate_half(x):
    half = x.shape[-1] // 2
    return torch.cat((-x[..., half:], x[..., :half]), dim=-1)


def rms_norm(x, weight, eps):
    variance = x.pow(2).mean(-1, keepdim=True)
    return weight * (x * torch.rsqrt(variance + eps))


def repeat_kv(x, n_rep):
    b, kv, t, d = x.shape
    if n_rep == 1:
        return x
    return x[:, :, None, :, :].expand(b, kv, n_rep, t, d).reshape(b, kv * n_rep, t, d)


class Model:
    def __init__(self, config, weights, lora=None):
        self.c = config
        self.w = weights
        self.lora = lora or {}  # module name -> (A, B, scaling)
        self.heads = config["num_attention_heads"]
        self.kv = config.get("num_key_value_heads") or self.heads
        self.head_dim = config.get("head_dim") or config["hidden_size"] // self.heads
        self.eps = config.get("rms_norm_eps", 1e-6)
        self.inv_freq = inv_frequencies(config)
        mt = config["model_type"]
        window = config.get("sliding_window")
        if mt == "mistral" and window:
            self.window = window
        elif mt == "qwen2" and window and config.get("use_sliding_window"):
            self.window = window
        else:
            self.window = 0

    def linear(self, name, x):
        y = x @ self.w[name + ".weight"].t()
        if name + ".bias" in self.w:
            y = y + self.w[name + ".bias"]
        if name in self.lora:
            a, b, scaling = self.lora[name]
            y = y + (x @ a.t() @ b.t()) * scaling
        return y

    def forward(self, input_ids, attention_mask, position_ids, cache=None):
        """input_ids [b, t]; attention_mask [b, past + t]; cache: list of (k, v) per layer or None."""
        b, t = input_ids.shape
        h = self.w["model.embed_tokens.weight"][input_ids]
        past = 0 if cache is None or cache[0] is None else cache[0][0].shape[2]
        total = past + t
        # eager 4-d mask: causal (key index <= query index), padding, sliding window; finfo.min where hidden
        q_idx = torch.arange(past, total)[:, None]
        k_idx = torch.arange(total)[None, :]
        allowed = (k_idx <= q_idx)
        if self.window:
            allowed = allowed & (q_idx - k_idx < self.window)
        allowed = allowed[None, None, :, :] & attention_mask[:, None, None, :].bool()
        mask = torch.zeros(allowed.shape).masked_fill(~allowed, torch.finfo(torch.float32).min)
        freqs = position_ids[:, :, None].float() * self.inv_freq[None, None, :]
        emb = torch.cat((freqs, freqs), dim=-1)
        cos = emb.cos()[:, None, :, :]
        sin = emb.sin()[:, None, :, :]
        for i in range(self.c["num_hidden_layers"]):
            p = "model.layers.%d." % i
            x = rms_norm(h, self.w[p + "input_layernorm.weight"], self.eps)
            q = self.linear(p + "self_attn.q_proj", x).view(b, t, self.heads, self.head_dim).transpose(1, 2)
            k = self.linear(p + "self_attn.k_proj", x).view(b, t, self.kv, self.head_dim).transpose(1, 2)
            v = self.linear(p + "self_attn.v_proj", x).view(b, t, self.kv, self.head_dim).transpose(1, 2)
            q = q * cos + rotate_half(q) * sin
            k = k * cos + rotate_half(k) * sin
            if cache is not None:
                if cache[i] is not None:
                    k = torch.cat((cache[i][0], k), dim=2)
                    v = torch.cat((cache[i][1], v), dim=2)
                cache[i] = (k, v)
            k = repeat_kv(k, self.heads // self.kv)
            v = repeat_kv(v, self.heads // self.kv)
            scores = q @ k.transpose(2, 3) * (self.head_dim ** -0.5) + mask
            probs = torch.softmax(scores, dim=-1, dtype=torch.float32)
            ctx = (probs @ v).transpose(1, 2).reshape(b, t, self.heads * self.head_dim)
            h = h + self.linear(p + "self_attn.o_proj", ctx)
            x = rms_norm(h, self.w[p + "post_attention_layernorm.weight"], self.eps)
            gate = self.linear(p + "mlp.gate_proj", x)
            h = h + self.linear(p + "mlp.down_proj", torch.nn.functional.silu(gate) * self.linear(p + "mlp.up_proj", x))
        h = rms_norm(h, self.w["model.norm.weight"], self.eps)
        head = self.w["lm_head.weight"] if "lm_head.weight" in self.w else self.w["model.embed_tokens.weight"]
        return h @ head.t()


def position_ids_from_mask(mask):
    # generate's rule: cumsum(mask) - 1, 1 at pads
    pos = mask.long().cumsum(-1) - 1
    return pos.masked_fill(mask == 0, 1)


def left_pad(prompts, pad):
    n = max(len(p) for p in prompts)
    ids = torch.full((len(prompts), n), pad, dtype=torch.long)
    mask = torch.zeros((len(prompts), n), dtype=torch.long)
    for r, p in enumerate(prompts):
        ids[r, n - len(p):] = torch.tensor(p)
        mask[r, n - len(p):] = 1
    return ids, mask


# ---------------------------------------------------------------- generation

def greedy(model, prompts, max_new, eos, pad, use_cache):
    ids, mask = left_pad(prompts, pad)
    cache = [None] * model.c["num_hidden_layers"] if use_cache else None
    finished = [False] * len(prompts)
    out = [[] for _ in prompts]
    fresh = ids
    for _ in range(max_new):
        pos = position_ids_from_mask(mask)
        if use_cache:
            logits = model.forward(fresh, mask, pos[:, -fresh.shape[1]:], cache)
        else:
            logits = model.forward(ids, mask, pos)
        nxt = logits[:, -1, :].argmax(-1)
        tokens = []
        for r in range(len(prompts)):
            tok = pad if finished[r] else int(nxt[r])
            if not finished[r]:
                out[r].append(tok)
                if tok in eos:
                    finished[r] = True
            tokens.append(tok)
        col = torch.tensor(tokens)[:, None]
        ids = torch.cat((ids, col), dim=1)
        mask = torch.cat((mask, torch.ones_like(col)), dim=1)
        fresh = col
        if all(finished):
            break
    return out


def beam_search(model, prompt, max_new, eos, beams, length_penalty, use_cache):
    """BeamSearchScorer with early_stopping=False, one prompt, num_beams rows."""
    plen = len(prompt)
    ids = torch.tensor([prompt] * beams)
    mask = torch.ones_like(ids)
    scores = torch.zeros(beams)
    scores[1:] = -1e9
    hyps = []  # (score, tokens)
    cache = [None] * model.c["num_hidden_layers"] if use_cache else None
    fresh = ids
    keep = max(1, 1 + len(eos)) * beams
    done = False
    while ids.shape[1] < plen + max_new and not done:
        pos = position_ids_from_mask(mask)
        if use_cache:
            logits = model.forward(fresh, mask, pos[:, -fresh.shape[1]:], cache)
        else:
            logits = model.forward(ids, mask, pos)
        logp = torch.log_softmax(logits[:, -1, :], dim=-1)
        vocab = logp.shape[-1]
        nxt = (logp + scores[:, None]).view(-1)
        top, idx = torch.topk(nxt, keep, largest=True, sorted=True)
        gen_len = ids.shape[1] + 1 - plen
        new = []
        for rank in range(keep):
            beam = int(idx[rank]) // vocab
            tok = int(idx[rank]) % vocab
            if tok in eos:
                if rank >= beams:
                    continue
                add(hyps, beams, float(top[rank]) / gen_len ** length_penalty, ids[beam, plen:].tolist() + [tok])
            else:
                new.append((float(top[rank]), tok, beam))
            if len(new) == beams:
                break
        if len(hyps) >= beams:
            done = min(s for s, _ in hyps) >= float(top.max()) / gen_len ** length_penalty
        src = torch.tensor([b for _, _, b in new])
        col = torch.tensor([t for _, t, _ in new])[:, None]
        ids = torch.cat((ids[src], col), dim=1)
        mask = torch.cat((mask, torch.ones_like(col)), dim=1)
        scores = torch.tensor([s for s, _, _ in new])
        if use_cache:
            for i in range(len(cache)):
                cache[i] = (cache[i][0][src], cache[i][1][src])
        fresh = col
    if not done:
        for r in range(beams):
            add(hyps, beams, float(scores[r]) / (ids.shape[1] - plen) ** length_penalty, ids[r, plen:].tolist())
    return max(hyps, key=lambda h: h[0])[1]


def add(hyps, beams, score, tokens):
    if len(hyps) < beams or score > min(s for s, _ in hyps):
        hyps.append((score, tokens))
        if len(hyps) > beams:
            hyps.remove(min(hyps, key=lambda h: h[0]))


# ---------------------------------------------------------------- training step

def lora_step(config, weights, req):
    """Loss and gradients of one LoRA step: HF's shifted cross entropy with -100 labels ignored."""
    torch.set_grad_enabled(True)
    lora = {}
    params = {}
    for name, spec in req["lora"].items():
        a = torch.tensor(spec["A"], dtype=torch.float32, requires_grad=True)
        b = torch.tensor(spec["B"], dtype=torch.float32, requires_grad=True)
        lora[name] = (a, b, spec["scaling"])
        params[name + ".lora_A.weight"] = a
        params[name + ".lora_B.weight"] = b
    model = Model(config, weights, lora)
    ids = torch.tensor(req["input_ids"])
    mask = torch.tensor(req["attention_mask"])
    labels = torch.tensor(req["labels"])
    logits = model.forward(ids, mask, position_ids_from_mask(mask))
    loss = torch.nn.functional.cross_entropy(
        logits[:, :-1, :].reshape(-1, logits.shape[-1]), labels[:, 1:].reshape(-1), ignore_index=-100)
    loss.backward()
    return {"loss": float(loss), "grads": {k: v.grad.reshape(-1).tolist() for k, v in params.items()}}


def main():
    with open(sys.argv[1]) as f:
        req = json.load(f)
    config, weights = read_folder(req["folder"])
    if req["mode"] == "logits":
        model = Model(config, weights)
        ids = torch.tensor(req["input_ids"])
        mask = torch.tensor(req["attention_mask"])
        logits = model.forward(ids, mask, position_ids_from_mask(mask))
        resp = {"shape": list(logits.shape), "logits": logits.reshape(-1).tolist()}
    elif req["mode"] == "generate":
        model = Model(config, weights)
        eos = req["eos"]
        if req["num_beams"] == 1:
            tokens = greedy(model, req["prompts"], req["max_new_tokens"], eos, req["pad"], req["use_cache"])
        else:
            tokens = [beam_search(model, p, req["max_new_tokens"], eos, req["num_beams"], 1.0, req["use_cache"])
                      for p in req["prompts"]]
        resp = {"tokens": tokens}
    elif req["mode"] == "lora_step":
        resp = lora_step(config, weights, req)
    else:
        raise ValueError("mode " + req["mode"])
    with open(sys.argv[2], "w") as f:
        json.dump(resp, f)


if __name__ == "__main__":
    main()
