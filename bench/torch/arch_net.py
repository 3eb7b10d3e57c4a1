"""PyTorch reference of a resolved nas architecture, for benchmarks only (never for tests).

Usage: python arch_net.py request.json

The request is {"inputShape": [H, W, C], "batch": B, "steps": S, "warmup": W,
"nodes": [{"id", "node", "inputShapes", "shape"}, ...], "outputs": ["id"]}, the primitive nodes of a
ResolvedArch in topological order (shapes per sample, channels last, without the batch axis). The
network is built in NCHW, trained with SGD (lr 0.01, momentum 0.9) on random data for W untimed and S
timed steps, and one JSON line is printed:
{"imagesPerSecond": n, "params": trainable, "torch": version, "threads": n}.
TORCH_THREADS, when set, is passed to torch.set_num_threads.
"""

import json
import math
import os
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

INPUT_ID = "input"


# ---------------------------------------------------------------- attributes


def pair(value, fallback):
    """A Pair attribute (n or [h, w]) as (h, w)."""
    v = fallback if value is None else value
    if isinstance(v, (int, float)):
        return (int(v), int(v))
    return (int(v[0]), int(v[1]))


def explicit_sides(v):
    """p, [ph, pw] or [[top, bottom], [left, right]] as ((top, bottom), (left, right))."""
    if isinstance(v, (int, float)):
        return ((int(v), int(v)), (int(v), int(v)))
    a, b = v
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return ((int(a), int(a)), (int(b), int(b)))
    return ((int(a[0]), int(a[1])), (int(b[0]), int(b[1])))


def same_sides(size, kernel, stride, dilation):
    """TensorFlow's SAME padding along one axis: out = ceil(size / stride), odd extra at the end."""
    out = math.ceil(size / stride)
    total = max((out - 1) * stride + dilation * (kernel - 1) + 1 - size, 0)
    before = total // 2
    return (before, total - before)


def window(node, in_shape, stride_default):
    """Resolved kernel, stride, dilation and explicit sides ((top, bottom), (left, right)) of a window op."""
    kernel = pair(node.get("kernel"), 1)
    stride = pair(node.get("stride"), 1 if stride_default == "one" else kernel)
    dilation = pair(node.get("dilation"), 1)
    padding = node.get("padding")
    h, w = int(in_shape[0]), int(in_shape[1])
    if padding is None or padding == "valid":
        sides = ((0, 0), (0, 0))
    elif padding == "same":
        sides = (same_sides(h, kernel[0], stride[0], dilation[0]), same_sides(w, kernel[1], stride[1], dilation[1]))
    else:
        sides = explicit_sides(padding)
    return kernel, stride, dilation, sides


def symmetric(sides):
    return sides[0][0] == sides[0][1] and sides[1][0] == sides[1][1]


def any_pad(sides):
    return sides[0][0] + sides[0][1] + sides[1][0] + sides[1][1] > 0


def f_pad(sides):
    """F.pad's order for the last two axes: (left, right, top, bottom)."""
    return (sides[1][0], sides[1][1], sides[0][0], sides[0][1])


# ---------------------------------------------------------------- modules


class Padded(nn.Module):
    """An op with padding=0 after an explicit F.pad (asymmetric 'same' padding, or −∞ for max pooling)."""

    def __init__(self, inner, sides, value=0.0):
        super().__init__()
        self.inner = inner
        self.pad = f_pad(sides)
        self.value = value

    def forward(self, x):
        return self.inner(F.pad(x, self.pad, value=self.value))


def conv_module(in_ch, out_ch, kernel, stride, dilation, sides, groups, bias):
    """nn.Conv2d with TensorFlow-style padding: symmetric in the layer, asymmetric with F.pad first."""
    if symmetric(sides):
        return nn.Conv2d(in_ch, out_ch, kernel, stride=stride, padding=(sides[0][0], sides[1][0]),
                         dilation=dilation, groups=groups, bias=bias)
    inner = nn.Conv2d(in_ch, out_ch, kernel, stride=stride, padding=0, dilation=dilation, groups=groups, bias=bias)
    return Padded(inner, sides)


class SeparableConv(nn.Module):
    """Depthwise k×k (no bias) then pointwise 1×1 with the one bias (tfjs SeparableConv2D)."""

    def __init__(self, depthwise, pointwise):
        super().__init__()
        self.depthwise = depthwise
        self.pointwise = pointwise

    def forward(self, x):
        return self.pointwise(self.depthwise(x))


class AvgPoolRealOnly(nn.Module):
    """Average pooling over the real elements only with asymmetric padding (TensorFlow's SAME)."""

    def __init__(self, kernel, stride, sides, in_hw):
        super().__init__()
        self.kernel, self.stride, self.pad = kernel, stride, f_pad(sides)
        ones = F.pad(torch.ones(1, 1, in_hw[0], in_hw[1]), self.pad)
        self.register_buffer("real", F.avg_pool2d(ones, kernel, stride), persistent=False)

    def forward(self, x):
        return F.avg_pool2d(F.pad(x, self.pad), self.kernel, self.stride) / self.real


def pool_module(fn, node, in_shape):
    kernel, stride, _, sides = window(node, in_shape, "kernel")
    fits = symmetric(sides) and sides[0][0] <= kernel[0] // 2 and sides[1][0] <= kernel[1] // 2
    padding = (sides[0][0], sides[1][0])
    if fn == "max":
        if fits:
            return nn.MaxPool2d(kernel, stride, padding=padding)
        return Padded(nn.MaxPool2d(kernel, stride, padding=0), sides, value=float("-inf"))
    # 'same' averages over the real elements (TensorFlow); explicit padding follows includePad.
    include_pad = node.get("includePad", True) if node.get("padding") != "same" else False
    if not any_pad(sides):
        return nn.AvgPool2d(kernel, stride, padding=0)
    if fits:
        return nn.AvgPool2d(kernel, stride, padding=padding, count_include_pad=include_pad)
    if include_pad:
        return Padded(nn.AvgPool2d(kernel, stride, padding=0), sides)
    return AvgPoolRealOnly(kernel, stride, sides, (int(in_shape[0]), int(in_shape[1])))


class Fn(nn.Module):
    """A parameter-free function as a module."""

    def __init__(self, fn, name):
        super().__init__()
        self.fn = fn
        self.name = name

    def forward(self, x):
        return self.fn(x)

    def extra_repr(self):
        return self.name


def activation(fn, alpha):
    if fn == "relu":
        return nn.ReLU()
    if fn == "relu6":
        return nn.ReLU6()
    if fn == "leaky_relu":
        return nn.LeakyReLU(0.01 if alpha is None else alpha)
    if fn == "elu":
        return nn.ELU(1.0 if alpha is None else alpha)
    if fn == "selu":
        return nn.SELU()
    if fn == "gelu":
        return nn.GELU()
    if fn == "sigmoid":
        return nn.Sigmoid()
    if fn == "tanh":
        return nn.Tanh()
    if fn == "swish":
        return nn.SiLU()
    if fn == "softplus":
        return nn.Softplus()
    if fn == "softmax":
        return nn.Softmax(dim=1)
    if fn == "linear":
        return nn.Identity()
    raise ValueError(f"unknown activation {fn!r}")


def flatten_channels_last(x):
    """Flatten in tfjs order: NCHW → NHWC first, so a following dense sees the same layout."""
    return x.permute(0, 2, 3, 1).flatten(1) if x.dim() == 4 else x.flatten(1)


def zero_op(stride):
    sh, sw = stride
    if sh == 1 and sw == 1:
        return Fn(lambda x: x.mul(0.0), "zero")
    return Fn(lambda x: x[:, :, ::sh, ::sw].mul(0.0), f"zero stride {sh}x{sw}")


def crop_op(crop, in_shape):
    (t, b), (l, r) = explicit_sides(crop)
    h, w = int(in_shape[0]), int(in_shape[1])
    return Fn(lambda x: x[:, :, t:h - b, l:w - r], f"crop {t},{b},{l},{r}")


def upsample_op(node):
    mode = node.get("interpolation", "nearest")
    scale = pair(node.get("scale"), 1)
    if mode == "bilinear":
        # align_corners=False (half-pixel centres); tfjs's resizeBilinear samples slightly differently.
        return nn.Upsample(scale_factor=scale, mode="bilinear", align_corners=False)
    return nn.Upsample(scale_factor=scale, mode="nearest")


def build_module(node, in_shapes):
    """The nn.Module of one primitive node (per-sample shapes are channels last: [H, W, C] or [N])."""
    op = node["op"]
    first = in_shapes[0] if in_shapes else []
    channels = int(first[-1]) if first else 0
    if op == "conv":
        kernel, stride, dilation, sides = window(node, first, "one")
        return conv_module(channels, int(node["filters"]), kernel, stride, dilation, sides,
                           int(node.get("groups", 1)), bool(node.get("bias", True)))
    if op == "dwconv":
        kernel, stride, dilation, sides = window(node, first, "one")
        m = int(node.get("multiplier", 1))
        return conv_module(channels, channels * m, kernel, stride, dilation, sides, channels, bool(node.get("bias", True)))
    if op == "sepconv":
        kernel, stride, dilation, sides = window(node, first, "one")
        m = int(node.get("multiplier", 1))
        dw = conv_module(channels, channels * m, kernel, stride, dilation, sides, channels, False)
        pw = nn.Conv2d(channels * m, int(node["filters"]), 1, bias=bool(node.get("bias", True)))
        return SeparableConv(dw, pw)
    if op == "deconv":
        raise NotImplementedError(f"deconv (node {node['id']!r}) is not translated to PyTorch yet")
    if op == "mix":
        raise NotImplementedError(f"mix (node {node['id']!r}) is a supernet op; the PyTorch reference builds discrete networks only")
    if op == "maxpool":
        return pool_module("max", node, first)
    if op == "avgpool":
        return pool_module("avg", node, first)
    if op == "gap":
        return Fn(lambda x: x.mean(dim=(2, 3)), "gap")
    if op == "gmp":
        return Fn(lambda x: x.amax(dim=(2, 3)), "gmp")
    if op == "channel_pool":
        if node["fn"] == "mean":
            return Fn(lambda x: x.mean(dim=1, keepdim=True), "channel mean")
        return Fn(lambda x: x.amax(dim=1, keepdim=True), "channel max")
    if op == "bn":
        eps = float(node.get("epsilon", 1e-5))
        momentum = 1.0 - float(node.get("momentum", 0.9))
        affine = bool(node.get("affine", True))
        norm = nn.BatchNorm2d if len(first) == 3 else nn.BatchNorm1d
        return norm(channels, eps=eps, momentum=momentum, affine=affine)
    if op == "act":
        return activation(node["fn"], node.get("alpha"))
    if op == "dropout":
        return nn.Dropout(float(node["rate"]))
    if op == "dense":
        units = node["units"]
        if not isinstance(units, int):
            raise ValueError(f"dense {node['id']!r}: units {units!r} is not resolved (give the class count)")
        if len(first) != 1:
            raise ValueError(f"dense {node['id']!r} expects a vector input, got shape {first}")
        return nn.Linear(channels, units, bias=bool(node.get("bias", True)))
    if op == "flatten":
        return Fn(flatten_channels_last, "flatten channels-last")
    if op == "identity":
        return None
    if op == "zero":
        return zero_op(pair(node.get("stride"), 1))
    if op == "crop":
        return crop_op(node["crop"], first)
    if op == "upsample":
        return upsample_op(node)
    if op in ("add", "concat", "mul"):
        return None  # merges are applied inline in ArchNet.forward
    raise NotImplementedError(f"op {op!r} (node {node['id']!r}) has no PyTorch translation")


def broadcast_gate(gate, gate_shape, map_shape):
    """The second input of mul shaped to broadcast against the first, in NCHW."""
    if len(map_shape) == 3 and len(gate_shape) == 1:
        return gate.view(gate.shape[0], -1, 1, 1)  # [C] (or [1]) against [H, W, C]
    return gate  # [H, W, 1] is (N, 1, H, W), which broadcasts; equal shapes need nothing


class ArchNet(nn.Module):
    """Evaluates the resolved DAG in its given (topological) order; node "input" is the input."""

    def __init__(self, request):
        super().__init__()
        self.layers = nn.ModuleList()
        self.steps = []  # (id, kind, input ids, layer index or None, extra)
        self.outputs = list(request["outputs"])
        owner_of = {}  # node id → index of its layer, for weightsOf
        for resolved in request["nodes"]:
            node = resolved["node"]
            nid = resolved["id"]
            in_shapes = resolved["inputShapes"]
            inputs = list(node["inputs"])
            op = node["op"]
            if op in ("add", "concat"):
                self.steps.append((nid, op, inputs, None, None))
                continue
            if op == "mul":
                self.steps.append((nid, op, inputs, None, (in_shapes[1], in_shapes[0])))
                continue
            shared = node.get("weightsOf")
            if shared is not None:
                if shared not in owner_of:
                    raise ValueError(f"node {nid!r} shares the weights of {shared!r}, which has no layer before it")
                index = owner_of[shared]
            else:
                module = build_module(node, in_shapes)
                if module is None:
                    self.steps.append((nid, "identity", inputs, None, None))
                    continue
                index = len(self.layers)
                self.layers.append(module)
            owner_of[nid] = index
            self.steps.append((nid, "layer", inputs, index, None))

    def forward(self, x, record=None):
        values = {INPUT_ID: x}
        layers = list(self.layers)
        for nid, kind, inputs, index, extra in self.steps:
            if kind == "layer":
                values[nid] = layers[index](values[inputs[0]])
            elif kind == "identity":
                values[nid] = values[inputs[0]]
            elif kind == "add":
                y = values[inputs[0]]
                for ref in inputs[1:]:
                    y = y + values[ref]
                values[nid] = y
            elif kind == "concat":
                values[nid] = torch.cat([values[ref] for ref in inputs], dim=1)
            else:  # mul
                gate_shape, map_shape = extra
                values[nid] = values[inputs[0]] * broadcast_gate(values[inputs[1]], gate_shape, map_shape)
            if record is not None:
                record[nid] = tuple(values[nid].shape[1:])
        outs = [values[o] for o in self.outputs]
        return outs[0] if len(outs) == 1 else outs


# ---------------------------------------------------------------- benchmark


def nchw(shape):
    """A per-sample channels-last shape in PyTorch's layout: [H, W, C] → (C, H, W)."""
    shape = tuple(int(v) for v in shape)
    return (shape[2], shape[0], shape[1]) if len(shape) == 3 else shape


def check_shapes(model, request):
    """One batch-1 forward in eval mode; every node's shape must be the resolved one (a translation check)."""
    h, w, c = (int(v) for v in request["inputShape"])
    record = {}
    model.eval()
    with torch.no_grad():
        model(torch.zeros(1, c, h, w), record)
    model.train()
    for resolved in request["nodes"]:
        got, want = record.get(resolved["id"]), nchw(resolved["shape"])
        if got != want:
            raise RuntimeError(f"node {resolved['id']!r} ({resolved['node']['op']}): PyTorch shape {got}, expected {want} (NCHW of {resolved['shape']})")


def classes_of(request):
    dense = [n["node"] for n in request["nodes"] if n["node"]["op"] == "dense"]
    if not dense:
        raise ValueError("no dense node: cannot tell the class count")
    return int(dense[-1]["units"])


def main(argv):
    if len(argv) != 2:
        sys.stderr.write("usage: python arch_net.py request.json\n")
        return 2
    with open(argv[1], "r", encoding="utf-8") as f:
        request = json.load(f)
    threads = os.environ.get("TORCH_THREADS")
    if threads:
        torch.set_num_threads(int(threads))
    torch.manual_seed(0)

    h, w, c = (int(v) for v in request["inputShape"])
    batch = int(request["batch"])
    steps = int(request["steps"])
    warmup = int(request.get("warmup", 2))
    classes = classes_of(request)

    model = ArchNet(request)
    check_shapes(model, request)
    params = sum(p.numel() for p in model.parameters() if p.requires_grad)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, nesterov=False, weight_decay=0.0)
    x = torch.randn(batch, c, h, w)
    y = torch.randint(0, classes, (batch,))

    def step():
        optimizer.zero_grad(set_to_none=True)
        out = model(x)
        logits = out[0] if isinstance(out, list) else out
        loss = F.cross_entropy(logits, y)
        loss.backward()
        optimizer.step()
        return loss

    for _ in range(warmup):
        step()
    start = time.perf_counter()
    for _ in range(steps):
        step().item()  # CPU ops are synchronous; this only reads the loss
    elapsed = time.perf_counter() - start
    result = {
        "imagesPerSecond": batch * steps / elapsed if steps > 0 and elapsed > 0 else 0.0,
        "params": params,
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
    }
    sys.stdout.write(json.dumps(result) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
