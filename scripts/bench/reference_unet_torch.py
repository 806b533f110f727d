#!/usr/bin/python3
"""PyTorch twin of the reference UNet training benchmark (scripts/bench-train.ts).

Same architecture as packages/core/bench/reference_unet.ts: encoder blocks of widths 16, 32, 64, 128
(two 3x3 conv without bias -> batch norm -> ReLU, 2x2 max-pool after each), a 256-wide bottleneck block,
decoder of 2x2 stride-2 transposed convs (with bias) + skip concatenation + block, 1x1 conv to 4 classes,
softmax folded into the cross-entropy loss; Adam(1e-3). CPU, torch.set_num_threads(2) by default.

    /usr/bin/python3 scripts/bench/reference_unet_torch.py --json [--height 128] [--width H] [--batch 4] [--threads 2]

Prints one JSON line {"backend","height","width","batch","params","forwardMs","stepMs"} (medians).
"""
import argparse
import json
import statistics
import sys
import time

import torch
from torch import nn


def block(cin, cout):
    layers = []
    for i in range(2):
        layers += [nn.Conv2d(cin if i == 0 else cout, cout, 3, padding=1, bias=False),
                   nn.BatchNorm2d(cout, eps=1e-3, momentum=0.01), nn.ReLU(inplace=True)]
    return nn.Sequential(*layers)


class ReferenceUNet(nn.Module):
    def __init__(self, widths=(16, 32, 64, 128), classes=4):
        super().__init__()
        self.enc = nn.ModuleList()
        cin = 1
        for w in widths:
            self.enc.append(block(cin, w))
            cin = w
        self.pool = nn.MaxPool2d(2)
        self.bottleneck = block(cin, 2 * widths[-1])
        cin = 2 * widths[-1]
        self.up = nn.ModuleList()
        self.dec = nn.ModuleList()
        for w in reversed(widths):
            self.up.append(nn.ConvTranspose2d(cin, w, 2, stride=2))
            self.dec.append(block(2 * w, w))
            cin = w
        self.head = nn.Conv2d(cin, classes, 1)

    def forward(self, x):
        skips = []
        for enc in self.enc:
            x = enc(x)
            skips.append(x)
            x = self.pool(x)
        x = self.bottleneck(x)
        for up, dec, skip in zip(self.up, self.dec, reversed(skips)):
            x = dec(torch.cat([up(x), skip], dim=1))
        return self.head(x)  # logits; softmax is inside the loss (and applied for the forward timing)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--height', type=int, default=128)
    parser.add_argument('--width', type=int, default=None)
    parser.add_argument('--batch', type=int, default=4)
    parser.add_argument('--threads', type=int, default=2)
    parser.add_argument('--repeats', type=int, default=5)
    parser.add_argument('--json', action='store_true')
    args = parser.parse_args()
    width = args.width or args.height
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)

    model = ReferenceUNet()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    x = torch.randn(args.batch, 1, args.height, width)
    labels = torch.randint(0, 4, (args.batch, args.height, width))

    cpu = {'forward': [], 'step': []}

    def forward():
        start, cpu_start = time.perf_counter(), time.process_time()
        with torch.no_grad():
            model.eval()
            torch.softmax(model(x), dim=1)
            model.train()
        cpu['forward'].append((time.process_time() - cpu_start) * 1000)
        return (time.perf_counter() - start) * 1000

    def step():
        start, cpu_start = time.perf_counter(), time.process_time()
        optimizer.zero_grad()
        loss = loss_fn(model(x), labels)
        loss.backward()
        optimizer.step()
        loss.item()
        cpu['step'].append((time.process_time() - cpu_start) * 1000)
        return (time.perf_counter() - start) * 1000

    for _ in range(2):
        forward()
        step()
    cpu['forward'].clear()
    cpu['step'].clear()
    repeats = max(5, args.repeats)
    forward_ms = statistics.median(forward() for _ in range(repeats))
    step_ms = statistics.median(step() for _ in range(repeats))
    result = {
        'backend': f'torch-cpu-{args.threads}t',
        'height': args.height,
        'width': width,
        'batch': args.batch,
        'params': sum(p.numel() for p in model.parameters()),
        'forwardMs': round(forward_ms, 1),
        'stepMs': round(step_ms, 1),
    }
    # Process CPU time (all threads), to stderr: steadier than wall time on a loaded machine.
    print(f"threads {args.threads}; process CPU time per call (median): forward {statistics.median(cpu['forward']):.0f} ms, "
          f"step {statistics.median(cpu['step']):.0f} ms", file=sys.stderr)
    print(json.dumps(result, separators=(',', ':')))


if __name__ == '__main__':
    main()
