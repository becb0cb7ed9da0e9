"""bench/fourier-maps: Fourier features of the coordinates, accuracy and map artefacts.

Fits the same model with the coordinate columns' Fourier degree set to each of the given values
(default 0 and 5; time, when there is any, always 5), scores the held-out rows with
`bayesnf score`, predicts a regular grid and writes one PNG per case with the maps side by side
(left to right in the order of the degrees): the predictive mean and the width of the 95%
interval, each stretched to its own range (blue low, yellow high). Per-axis Fourier features show
as stripes along the axes and a tartan pattern.

Cases: meuse (bench/compare's meuse holdout, zinc in ppm, RD New), a simulated isotropic field
(a Gaussian field with exponential covariance, range 2.5 km, on a 10 km square; 200 training and
60 test points; seeded), and wind (wind-cpu's settings, a map of 1978-06-15). Debian's python3,
standard library only; it calls ./bayesnf (or $BAYESNF).

Usage: bench/fourier-maps [meuse|sim|wind ...] [--degrees 0,5] [--work DIR]
"""

import argparse
import csv
import math
import os
import random
import shlex
import struct
import subprocess
import sys
import zlib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def bayesnf():
    env = os.environ.get("BAYESNF")
    return shlex.split(env) if env else [os.path.join(ROOT, "bayesnf")]


def run(args):
    r = subprocess.run(bayesnf() + args, cwd=ROOT, capture_output=True, text=True)
    if r.returncode != 0:
        lines = r.stderr.strip().splitlines()
        sys.exit(f"fourier-maps: bayesnf {args[0]} failed: {lines[-1] if lines else ''}")
    return r.stdout


def read(path):
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    return rows[0], [r for r in rows[1:] if r]


def write_png(path, tiles, scale=3):
    """Tiles (2-D lists, row 0 at the bottom) side by side, each stretched to its own range."""
    height = len(tiles[0]) * scale
    rows = [bytearray() for _ in range(height)]
    for t, tile in enumerate(tiles):
        lo = min(min(r) for r in tile)
        hi = max(max(r) for r in tile)
        for y in range(height):
            src = tile[len(tile) - 1 - y // scale]
            for v in src:
                f = 0.0 if hi <= lo else (v - lo) / (hi - lo)
                px = bytes((int(255 * min(1, max(0, 1.5 * f - 0.3))), int(255 * f), int(255 * min(1, max(0, 1.3 - 1.2 * f)))))
                rows[y] += px * scale
            if t < len(tiles) - 1:
                rows[y] += b"\xff\xff\xff" * 6
    width = len(rows[0]) // 3
    raw = b"".join(b"\x00" + bytes(r) for r in rows)

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def simulate(work):
    """A Gaussian field, exponential covariance (range 2.5 km) on [0, 10 km]^2, plus noise."""
    rnd = random.Random(5)
    n = 260
    p = [(rnd.uniform(0, 10), rnd.uniform(0, 10)) for _ in range(n)]
    c = [[math.exp(-math.dist(a, b) / 2.5) + (1e-9 if i == j else 0) for j, b in enumerate(p)] for i, a in enumerate(p)]
    low = [[0.0] * n for _ in range(n)]
    for i in range(n):
        for j in range(i + 1):
            s = c[i][j] - sum(low[i][k] * low[j][k] for k in range(j))
            low[i][j] = math.sqrt(s) if i == j else s / low[j][j]
    z = [rnd.gauss(0, 1) for _ in range(n)]
    v = [50 + 10 * sum(low[i][k] * z[k] for k in range(i + 1)) + 2 * rnd.gauss(0, 1) for i in range(n)]
    paths = (os.path.join(work, "sim.train.csv"), os.path.join(work, "sim.test.csv"))
    for path, idx in zip(paths, (range(0, 200), range(200, n))):
        with open(path, "w", encoding="utf-8") as f:
            f.write("x,y,v\n")
            for i in idx:
                f.write(f"{p[i][0] * 1000!r},{p[i][1] * 1000!r},{v[i]!r}\n")
    return paths


CASES = {
    "meuse": dict(target="zinc", x="x", y="y", crs="EPSG:28992", time=None, bbox=(178500, 329600, 181600, 333700),
                  fit="--width 64 --ensemble 16 --epochs 2000 --batch full"),
    "sim": dict(target="v", x="x", y="y", crs="EPSG:32631", time=None, bbox=(0, 0, 10000, 10000),
                fit="--width 64 --ensemble 16 --epochs 2000 --batch full"),
    "wind": dict(target="wind", x="longitude", y="latitude", crs="EPSG:4326", time="datetime",
                 bbox=(-10.6, 51.3, -5.4, 55.5), map_time="1978-06-15",
                 fit="--freq D --seasonality 7,30.4375,365.25 --harmonics 3,10,10 --width 128 --ensemble 8"
                     " --epochs 100 --batch 4096"),
}


def case_files(name, work):
    if name == "meuse":
        train = os.path.join(ROOT, "bench", "work", "meuse", "meuse.train.csv")
        if not os.path.isfile(train):
            subprocess.run([sys.executable, os.path.join(ROOT, "bench", "compare.py"), "meuse", "--no-bayesnf",
                            "--no-kriging"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        return train, os.path.join(ROOT, "bench", "work", "meuse", "meuse.test.csv")
    if name == "sim":
        return simulate(work)
    return os.path.join(ROOT, "test-data", "wind.train.csv"), os.path.join(ROOT, "test-data", "wind.test.csv")


def main(argv):
    ap = argparse.ArgumentParser(prog="bench/fourier-maps")
    ap.add_argument("cases", nargs="*", default=["meuse", "sim"], choices=sorted(CASES))
    ap.add_argument("--degrees", default="0,5")
    ap.add_argument("--work", default=os.path.join(ROOT, "bench", "work", "fourier-maps"))
    ap.add_argument("--grid", type=int, default=80)
    a = ap.parse_args(argv)
    degrees = [int(d) for d in a.degrees.split(",")]
    os.makedirs(a.work, exist_ok=True)
    print("case    degree      MAE     RMSE     IS95  cov95  mean map / width map")
    for name in a.cases:
        c = CASES[name]
        train, test = case_files(name, a.work)
        g = a.grid
        grid = os.path.join(a.work, f"{name}.grid.csv")
        x0, y0, x1, y1 = c["bbox"]
        with open(grid, "w", encoding="utf-8") as f:
            f.write(("datetime," if c["time"] else "") + f"{c['x']},{c['y']}\n")
            for j in range(g):
                for i in range(g):
                    xv = x0 + (x1 - x0) * i / (g - 1)
                    yv = y0 + (y1 - y0) * j / (g - 1)
                    f.write((c["map_time"] + "," if c["time"] else "") + f"{xv!r},{yv!r}\n")
        means, widths = [], []
        for d in degrees:
            model = os.path.join(a.work, f"{name}-f{d}.bnf")
            feats = f"{c['y']},{c['x']}" if c["time"] else f"{c['x']},{c['y']}"
            fd = f"5,{d},{d}" if c["time"] else f"{d},{d}"
            run(["fit", "--data", train, "--target", c["target"], "--features", feats, "--standardize", feats,
                 "--coordinates", f"{c['x']},{c['y']}", "--crs", c["crs"], "--fourier-degrees", fd, "--quiet",
                 "--output", model] + (["--time", c["time"]] if c["time"] else []) + c["fit"].split())
            pred = os.path.join(a.work, f"{name}-f{d}.test.csv")
            run(["predict", "--model", model, "--data", test, "--output", pred])
            out = run(["score", "--truth", test, "--target", c["target"], "--predictions", pred]).strip().splitlines()
            s = dict(zip(out[0].split(","), out[1].split(",")))
            gp = os.path.join(a.work, f"{name}-f{d}.grid.pred.csv")
            run(["predict", "--model", model, "--data", grid, "--output", gp])
            h, rows = read(gp)
            im, il, ih = h.index("mean"), h.index("q0.025"), h.index("q0.975")
            mean = [[float(rows[j * g + i][im]) for i in range(g)] for j in range(g)]
            width = [[float(rows[j * g + i][ih]) - float(rows[j * g + i][il]) for i in range(g)] for j in range(g)]
            means.append(mean)
            widths.append(width)
            print(f"{name:7s} {d:6d} {float(s['mae']):8.3f} {float(s['rmse']):8.3f} {float(s['is95']):8.2f} "
                  f"{float(s['coverage95']):6.3f}")
        write_png(os.path.join(a.work, f"{name}-mean.png"), means)
        write_png(os.path.join(a.work, f"{name}-width.png"), widths)
        print(f"maps: {a.work}/{name}-mean.png, {a.work}/{name}-width.png (degrees {a.degrees}, left to right)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
