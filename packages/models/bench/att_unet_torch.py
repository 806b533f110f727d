#!/usr/bin/python3
"""PyTorch twin of att-unet-forward.ts: the same Att-UNet, forward pass at 256x256 on CPU, eval mode.

Architecture as packages/models/src/segmentation (buildAttentionUNet defaults): 4 levels of two
3x3 conv (no bias) -> BN -> ReLU blocks, widths 32, 64, 128, 256 and a 512 bottleneck, 2x2 max-pool;
decoder: 2x2 stride-2 transposed conv (with bias) to the level width, additive attention gate on the skip
(1x1 convs without bias + BN for theta_x, phi_g (F_int = skip/2) and psi (1 channel), ReLU, sigmoid),
concatenation [gated skip, up], two blocks; 1x1 conv head (with bias) to 4 classes, softmax.

    /usr/bin/python3 packages/models/bench/att_unet_torch.py [--threads 1] [--batch 1] [--size 256] [--repeats 5]

Prints one JSON line {"backend","threads","size","batch","params","forwardMs","msPerSlice","cpuMs"} (cpuMs: process
CPU time, all threads); params counts
parameters plus BN running statistics, like tfjs' countParams.
"""
import argparse
import json
import statistics
import time

import torch
from torch import nn


def conv_bn_relu(cin, cout):
    return [nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout, eps=1e-5), nn.ReLU(inplace=True)]


def double(cin, cout):
    return nn.Sequential(*conv_bn_relu(cin, cout), *conv_bn_relu(cout, cout))


class Gate(nn.Module):
    def __init__(self, cx, cg, f):
        super().__init__()
        self.theta = nn.Sequential(nn.Conv2d(cx, f, 1, bias=False), nn.BatchNorm2d(f, eps=1e-5))
        self.phi = nn.Sequential(nn.Conv2d(cg, f, 1, bias=False), nn.BatchNorm2d(f, eps=1e-5))
        self.psi = nn.Sequential(nn.Conv2d(f, 1, 1, bias=False), nn.BatchNorm2d(1, eps=1e-5))

    def forward(self, x, g):
        a = torch.sigmoid(self.psi(torch.relu(self.theta(x) + self.phi(g))))
        return x * a


class AttUNet(nn.Module):
    def __init__(self, widths=(32, 64, 128, 256, 512), classes=4):
        super().__init__()
        self.depth = len(widths) - 1
        self.enc = nn.ModuleList()
        cin = 1
        for w in widths[:-1]:
            self.enc.append(double(cin, w))
            cin = w
        self.bottleneck = double(cin, widths[-1])
        self.up = nn.ModuleList()
        self.gate = nn.ModuleList()
        self.dec = nn.ModuleList()
        cin = widths[-1]
        for w in reversed(widths[:-1]):
            self.up.append(nn.ConvTranspose2d(cin, w, 2, stride=2))
            self.gate.append(Gate(w, w, w // 2))
            self.dec.append(double(2 * w, w))
            cin = w
        self.head = nn.Conv2d(widths[0], classes, 1)

    def forward(self, x):
        skips = []
        for e in self.enc:
            x = e(x)
            skips.append(x)
            x = nn.functional.max_pool2d(x, 2)
        x = self.bottleneck(x)
        for up, gate, dec, skip in zip(self.up, self.gate, self.dec, reversed(skips)):
            u = up(x)
            x = dec(torch.cat([gate(skip, u), u], 1))
        return torch.softmax(self.head(x), 1)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--batch", type=int, default=1)
    p.add_argument("--size", type=int, default=256)
    p.add_argument("--repeats", type=int, default=5)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    model = AttUNet().eval()
    params = sum(t.numel() for t in model.parameters()) + sum(
        b.numel() for n, b in model.named_buffers() if not n.endswith("num_batches_tracked"))
    x = torch.randn(a.batch, 1, a.size, a.size)
    times = []
    cpu = []
    with torch.no_grad():
        for _ in range(2):
            model(x)
        for _ in range(max(3, a.repeats)):
            t, c = time.perf_counter(), time.process_time()
            model(x)
            times.append((time.perf_counter() - t) * 1000)
            cpu.append((time.process_time() - c) * 1000)
    ms = statistics.median(times)
    print(json.dumps({"backend": "torch-cpu " + torch.__version__, "threads": torch.get_num_threads(), "size": a.size,
                      "batch": a.batch, "params": params, "forwardMs": round(ms, 1), "msPerSlice": round(ms / a.batch, 1),
                      "cpuMs": round(statistics.median(cpu), 1)}))


if __name__ == "__main__":
    main()
