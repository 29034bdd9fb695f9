"""PyTorch eager reference for `benchmarks/run.sh training --torch`.

The training step that Hugging Face Trainer + PEFT run for BertForSequenceClassification, written in plain
torch (no transformers/peft packages here): the same checkpoint (the minilm-l6 folder the Java benchmark
uses), the same shapes (batch 32 x 128 tokens, no padding), the same dropout (0.1 hidden and
attention-probability, drawn by torch), exact GELU, eager attention (HF's "eager" path; torch 1.13 has no
scaled_dot_product_attention), cross-entropy, clip_grad_norm_(1.0), torch.optim.AdamW. LoRA as PEFT's
Linear: base(x) + lora_B(lora_A(lora_dropout(x))) * lora_alpha / r on query, key, value (RobustSweep's
defaults: r 8, lora_alpha 8, lora_dropout 0), the base frozen and the classifier trained (modules_to_save).

It prints the fp32 matmul rate of the projection shapes and each method's median step time, so its ratios
(full_ft / matmul rate, LoRA / full_ft) can be set beside the Java engine's, measured in the same run.
Usage: python3 torch_training.py MODEL_DIR ROUNDS THREADS
"""
import json
import math
import statistics
import struct
import sys
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

BATCH, SEQ = 32, 128


def load_safetensors(path):
    data = Path(path).read_bytes()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    tensors = {}
    for name, meta in header.items():
        if name != "__metadata__":
            begin, end = meta["data_offsets"]
            array = np.frombuffer(data, dtype="<f4", count=(end - begin) // 4, offset=8 + n + begin)
            tensors[name] = torch.from_numpy(array.copy()).reshape(meta["shape"])
    return tensors


class LoraLinear(nn.Module):
    """PEFT's lora.Linear forward (tuners/lora/layer.py): result = base(x) + lora_B(lora_A(dropout(x))) * scaling."""

    def __init__(self, base, r, alpha):
        super().__init__()
        self.base = base
        self.lora_A = nn.Linear(base.in_features, r, bias=False)
        self.lora_B = nn.Linear(r, base.out_features, bias=False)
        nn.init.kaiming_uniform_(self.lora_A.weight, a=math.sqrt(5))
        nn.init.zeros_(self.lora_B.weight)
        self.lora_dropout = nn.Identity()  # lora_dropout 0
        self.scaling = alpha / r

    def forward(self, x):
        return self.base(x) + self.lora_B(self.lora_A(self.lora_dropout(x))) * self.scaling


class Layer(nn.Module):
    """BertLayer with eager BertSelfAttention, post-LayerNorm."""

    def __init__(self, c):
        super().__init__()
        h = c["hidden_size"]
        self.heads = c["num_attention_heads"]
        self.query, self.key, self.value = nn.Linear(h, h), nn.Linear(h, h), nn.Linear(h, h)
        self.attention_output = nn.Linear(h, h)
        self.attention_norm = nn.LayerNorm(h, eps=c.get("layer_norm_eps", 1e-12))
        self.intermediate = nn.Linear(h, c["intermediate_size"])
        self.output = nn.Linear(c["intermediate_size"], h)
        self.output_norm = nn.LayerNorm(h, eps=c.get("layer_norm_eps", 1e-12))
        self.attention_dropout = nn.Dropout(c["attention_probs_dropout_prob"])
        self.hidden_dropout = nn.Dropout(c["hidden_dropout_prob"])

    def split(self, x):
        b, t, h = x.shape
        return x.view(b, t, self.heads, h // self.heads).permute(0, 2, 1, 3)

    def forward(self, x):
        q, k, v = self.split(self.query(x)), self.split(self.key(x)), self.split(self.value(x))
        scores = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(q.shape[-1])
        probs = self.attention_dropout(torch.softmax(scores, dim=-1))
        context = torch.matmul(probs, v).permute(0, 2, 1, 3).reshape(x.shape)
        x = self.attention_norm(self.hidden_dropout(self.attention_output(context)) + x)
        hidden = F.gelu(self.intermediate(x))
        return self.output_norm(self.hidden_dropout(self.output(hidden)) + x)


class Classifier(nn.Module):
    """BertForSequenceClassification: embeddings, encoder, pooler (dense + tanh on [CLS]), dropout, classifier."""

    def __init__(self, c, weights):
        super().__init__()
        h = c["hidden_size"]
        self.word = nn.Embedding(c["vocab_size"], h)
        self.position = nn.Embedding(c["max_position_embeddings"], h)
        self.token_type = nn.Embedding(c["type_vocab_size"], h)
        self.embedding_norm = nn.LayerNorm(h, eps=c.get("layer_norm_eps", 1e-12))
        self.dropout = nn.Dropout(c["hidden_dropout_prob"])
        self.layers = nn.ModuleList(Layer(c) for _ in range(c["num_hidden_layers"]))
        self.pooler = nn.Linear(h, h)
        self.classifier = nn.Linear(h, 2)
        self.load(weights)

    def load(self, w):
        def put(module, prefix):
            with torch.no_grad():
                module.weight.copy_(w[prefix + ".weight"])
                module.bias.copy_(w[prefix + ".bias"])

        with torch.no_grad():
            self.word.weight.copy_(w["embeddings.word_embeddings.weight"])
            self.position.weight.copy_(w["embeddings.position_embeddings.weight"])
            self.token_type.weight.copy_(w["embeddings.token_type_embeddings.weight"])
        put(self.embedding_norm, "embeddings.LayerNorm")
        for i, layer in enumerate(self.layers):
            p = f"encoder.layer.{i}."
            for module, name in [(layer.query, "attention.self.query"), (layer.key, "attention.self.key"),
                                 (layer.value, "attention.self.value"), (layer.attention_output, "attention.output.dense"),
                                 (layer.attention_norm, "attention.output.LayerNorm"), (layer.intermediate, "intermediate.dense"),
                                 (layer.output, "output.dense"), (layer.output_norm, "output.LayerNorm")]:
                put(module, p + name)
        if "pooler.dense.weight" in w:
            put(self.pooler, "pooler.dense")

    def forward(self, ids, positions, types):
        x = self.word(ids) + self.position(positions) + self.token_type(types)
        x = self.dropout(self.embedding_norm(x))
        for layer in self.layers:
            x = layer(x)
        return self.classifier(self.dropout(torch.tanh(self.pooler(x[:, 0]))))


def build(method, config, weights):
    torch.manual_seed(1)
    model = Classifier(config, weights)
    if method == "lora":
        model.requires_grad_(False)
        for layer in model.layers:
            layer.query, layer.key, layer.value = (LoraLinear(m, 8, 8) for m in (layer.query, layer.key, layer.value))
        model.classifier.requires_grad_(True)
    lr = 2e-5 if method == "full_ft" else 5e-4
    optimizer = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=lr, weight_decay=0.01)
    return model.train(), optimizer


def matmul_rate(m, k, n):
    a, b = torch.randn(m, k), torch.randn(k, n)
    for _ in range(3):
        a @ b
    reps = max(5, int(4e10 / (2.0 * m * k * n)))
    best = float("inf")
    for _ in range(3):
        t = time.perf_counter()
        for _ in range(reps):
            a @ b
        best = min(best, (time.perf_counter() - t) / reps)
    return 2.0 * m * k * n / best / 1e9


def main():
    model_dir, rounds, threads = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    torch.set_num_threads(threads)
    config = json.loads((model_dir / "config.json").read_text())
    weights = load_safetensors(model_dir / "model.safetensors")
    weights = {k[len("bert."):] if k.startswith("bert.") else k: v for k, v in weights.items()}
    rates = [matmul_rate(4096, 384, 384), matmul_rate(4096, 384, 1536), matmul_rate(4096, 1536, 384)]
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, BLAS {torch.backends.mkl.is_available() and 'MKL' or 'not MKL'}")
    print("matmul_rate_gflops %.1f" % (len(rates) / sum(1 / r for r in rates)))
    generator = torch.Generator().manual_seed(3)
    ids = torch.randint(1000, config["vocab_size"], (BATCH, SEQ), generator=generator)
    positions = torch.arange(SEQ).expand(BATCH, SEQ)
    types = torch.zeros(BATCH, SEQ, dtype=torch.long)
    labels = torch.randint(0, 2, (BATCH,), generator=generator)
    runners = {m: build(m, config, weights) for m in ("full_ft", "lora")}
    times = {m: [] for m in runners}

    def step(model, optimizer):
        loss = F.cross_entropy(model(ids, positions, types), labels)
        loss.backward()
        torch.nn.utils.clip_grad_norm_([p for p in model.parameters() if p.requires_grad], 1.0)
        optimizer.step()
        optimizer.zero_grad(set_to_none=False)

    for model, optimizer in runners.values():
        for _ in range(2):
            step(model, optimizer)
    for _ in range(rounds):
        for m, (model, optimizer) in runners.items():
            for _ in range(4):
                t = time.perf_counter()
                step(model, optimizer)
                times[m].append(time.perf_counter() - t)
    for m in runners:
        print("step_s %s %.4f" % (m, statistics.median(times[m])))


if __name__ == "__main__":
    main()
