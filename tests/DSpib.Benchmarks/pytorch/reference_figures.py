"""Side-by-side comparison figures in PyTorch for the DSpib benchmark harness.

The same computations as the .NET figures, written the way the reference implementation of D-SPIB does them in
PyTorch (every row embeds its own time and temperature; torch.optim.Adam), so that both can be timed in the same
minute on the same machine. It is a timing harness, not a reimplementation of the method: nothing is trained to
convergence. Run with Debian's PyTorch (apt install python3-torch):

    /usr/bin/python3 tests/DSpib.Benchmarks/pytorch/reference_figures.py [--threads N] [--figure NAME]

Prints one JSON object per figure: name, unit, median, quartiles and the raw samples.
"""
import argparse
import json
import math
import statistics
import time

import torch
import torch.nn as nn


class FourierEmbedding(nn.Module):
    """Gaussian random Fourier features of a scalar, then Linear and ReLU."""

    def __init__(self, dim=16, scale=100.0):
        super().__init__()
        self.register_buffer("w", torch.randn(dim // 2) * scale)
        self.linear = nn.Linear(dim, dim)

    def forward(self, x):
        angles = x[:, None] * self.w[None, :] * 2 * math.pi
        return torch.relu(self.linear(torch.cat([torch.sin(angles), torch.cos(angles)], dim=1)))


class ScoreNet(nn.Module):
    """D -> 16 -> 64 -> 64 -> 64 -> 64 -> 16 -> D, ReLU, residual 64 -> 64 layers, time and temperature terms added
    to every hidden layer."""

    def __init__(self, d=2, widths=(16, 64, 64, 64, 64, 16), emb=16):
        super().__init__()
        self.time = FourierEmbedding(emb)
        self.temperature = FourierEmbedding(emb)
        dims = (d,) + widths
        self.layers = nn.ModuleList(nn.Linear(dims[k], dims[k + 1]) for k in range(len(widths)))
        self.time_projections = nn.ModuleList(nn.Linear(emb, w) for w in widths)
        self.temperature_projections = nn.ModuleList(nn.Linear(emb, w) for w in widths)
        self.residual = [k > 0 and dims[k + 1] == dims[k] for k in range(len(widths))]
        self.output = nn.Linear(widths[-1], d)

    def forward(self, z, t, temperature):
        et = self.time(t)
        eT = self.temperature(temperature)
        h = z
        for k, layer in enumerate(self.layers):
            nxt = torch.relu(layer(h) + self.time_projections[k](et) + self.temperature_projections[k](eT))
            h = nxt + h if self.residual[k] else nxt
        return self.output(h)


def timed(fn, repeats, per):
    for _ in range(2):
        fn()
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) / per)
    return samples


def report(name, unit, samples, scale=1.0):
    values = sorted(s * scale for s in samples)
    quartiles = statistics.quantiles(values, n=4) if len(values) > 1 else [values[0]] * 3
    print(json.dumps({"name": name, "unit": unit, "median": statistics.median(values), "lower": quartiles[0],
                      "upper": quartiles[2], "min": values[0], "samples": values, "threads": torch.get_num_threads()}))


def diffusion_step(repeats=15, steps=20):
    net = ScoreNet()
    optimizer = torch.optim.Adam(net.parameters(), lr=1e-3)
    alpha_bar = torch.cumprod(1 - torch.linspace(1e-4, 0.2, 100), 0)
    latent = torch.randn(512, 2)

    def run():
        for _ in range(steps):
            z = latent.clone().requires_grad_(True).repeat_interleave(16, 0)
            step = torch.randint(0, 100, (z.shape[0],))
            a = alpha_bar[step][:, None]
            eps = torch.randn_like(z)
            noisy = a.sqrt() * z + (1 - a).sqrt() * eps
            loss = 0.5 * ((eps - net(noisy, step.float(), torch.full((z.shape[0],), 1.0))) ** 2).mean()
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()

    report("diffusion training step (fwd+bwd+adam)", "ms/step", timed(run, repeats, steps), 1000)


def sampler_forward(repeats=15, steps=20):
    net = ScoreNet()
    z = torch.randn(5000, 2)

    def run():
        with torch.no_grad():
            for s in range(steps):
                net(z, torch.full((5000,), float(s)), torch.full((5000,), 1.0))

    report("score-net forward, one sampler step", "ms/step", timed(run, repeats, steps), 1000)


def sampling(repeats=3, count=100_000, batch=20_000):
    net = ScoreNet()
    betas = torch.linspace(1e-4, 0.2, 100)
    alpha_bar = torch.cumprod(1 - betas, 0)

    def run():
        with torch.no_grad():
            for start in range(0, count, batch):
                z = torch.randn(batch, 2)
                for i in reversed(range(100)):
                    eps = net(z, torch.full((batch,), float(i)), torch.full((batch,), 1.0))
                    z = (z - betas[i] / (1 - alpha_bar[i]).sqrt() * eps) / (1 - betas[i]).sqrt()
                    if i > 0:
                        z = z + betas[i].sqrt() * torch.randn_like(z)

    report("sampling 100,000 x 100 ancestral steps", "s", timed(run, repeats, 1))


def matmul(repeats=15):
    for m, k, n in [(2048, 2048, 2048), (8192, 64, 64), (5000, 64, 64), (8192, 16, 64)]:
        a = torch.randn(m, k)
        b = torch.randn(k, n)
        flops = 2.0 * m * k * n
        products = max(1, int(1e9 / flops))

        def run():
            for _ in range(products):
                a @ b

        report(f"matmul {m}x{k}x{n}", "GFLOP/s", [flops * products / s / 1e9 for s in timed(run, repeats, 1)])


FIGURES = {"diffusion-step": diffusion_step, "score-forward": sampler_forward, "sampling": sampling, "matmul": matmul}

if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--figure", choices=sorted(FIGURES), action="append")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    for figure in args.figure or ["diffusion-step", "score-forward", "matmul"]:
        FIGURES[figure]()
