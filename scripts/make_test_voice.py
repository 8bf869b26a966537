#!/usr/bin/python3
"""Generate a random-weight Piper-compatible test voice (VITS exported to ONNX).

The test suite must never need a real (downloaded) Piper voice. This script builds a
VITS generator with Piper's published inference architecture:

  * text encoder: embedding + transformer with relative-position multi-head attention
  * stochastic duration predictor (reverse flows: ElementwiseAffine + ConvFlow with
    rational-quadratic splines; Gaussian noise -> RandomNormalLike in the graph)
  * durations: w = exp(logw) * mask * length_scale, w_ceil = ceil(w)  (the ONE Ceil node)
  * monotonic path expansion, prior sampling (RandomNormalLike)
  * flow: residual coupling layers (mean only) with WaveNet-style WN blocks
  * HiFi-GAN decoder (resblock "2", upsample rates (8, 8, 4) -> hop length 256)

fills it with seeded random weights, and exports it exactly like Piper's export_onnx.py
(opset 15; inputs input/input_lengths/scales[/sid], output [1, 1, 1, T]). A matching
Piper `<name>.onnx.json` config is written next to it.

Usage:
  /usr/bin/python3 scripts/make_test_voice.py --preset tiny|medium [--speakers N]
      [--seed S] --out DIR [--name NAME] [--force]

Needs Debian's python3-torch (1.13), python3-onnx (1.12) and python3-numpy only.
The weights are random, so the audio is noise; timing (frames per phoneme id via the
Ceil node), shapes and compute cost are those of a real voice of the same size.
"""

import argparse
import collections
import hashlib
import json
import math
import os
import sys
import time
import warnings

# Bump when the generated graph or config changes in a way tests could notice.
GENERATOR_VERSION = 1
HOP_LENGTH = 256
SAMPLE_RATE = 22050
OPSET = 15

PRESETS = {
    # Small but structurally complete: every op type of a medium voice, same
    # (8, 8, 4) upsampling (hop 256), same flow / duration-predictor topology.
    "tiny": dict(
        quality="x_low",
        inter_channels=32,
        hidden_channels=32,
        filter_channels=96,
        n_heads=2,
        n_layers=2,
        kernel_size=3,
        window_size=4,
        resblock="2",
        resblock_kernel_sizes=(3, 5, 7),
        resblock_dilation_sizes=((1, 2), (2, 6), (3, 12)),
        upsample_rates=(8, 8, 4),
        upsample_kernel_sizes=(16, 16, 8),
        upsample_initial_channel=48,
        flow_layers=4,
        flow_kernel=5,
        n_flows=4,
        sdp_flows=4,
        gin_channels_multi=32,
    ),
    # Piper "medium" hyper-parameters (piper train vits config, ModelAudioConfig
    # .low_quality() audio settings, which medium voices use).
    "medium": dict(
        quality="medium",
        inter_channels=192,
        hidden_channels=192,
        filter_channels=768,
        n_heads=2,
        n_layers=6,
        kernel_size=3,
        window_size=4,
        resblock="2",
        resblock_kernel_sizes=(3, 5, 7),
        resblock_dilation_sizes=((1, 2), (2, 6), (3, 12)),
        upsample_rates=(8, 8, 4),
        upsample_kernel_sizes=(16, 16, 8),
        upsample_initial_channel=256,
        flow_layers=4,
        flow_kernel=5,
        n_flows=4,
        sdp_flows=4,
        gin_channels_multi=512,
    ),
}
N_VOCAB = 256

# Classic piper-phonemize espeak phoneme -> id map (ids 0..160, one codepoint each):
# the id of a symbol is its position in this sequence. Same as the first 161 entries
# of DEFAULT_PHONEME_ID_MAP in piper1-gpl src/piper/phoneme_ids.py (the later
# multi-codepoint diphthong entries 161-165 belong to its optional vowel clustering
# and are left out).
_PHONEME_SYMBOLS = (
    "_^$ !'(),-.:;?"  # 0-13: pad, bos, eos, space, punctuation
    "abcdefhijklmnopqrstuvwxyz"  # 14-38 (no 'g': that is 154)
    "\u00e6\u00e7\u00f0\u00f8\u0127\u014b\u0153"  # 39-45 æ ç ð ø ħ ŋ œ
    "\u01c0\u01c1\u01c2\u01c3"  # 46-49 clicks
    "\u0250\u0251\u0252\u0253\u0254\u0255\u0256\u0257\u0258\u0259"  # 50-59 ɐ..ə
    "\u025a\u025b\u025c\u025e\u025f\u0260\u0261\u0262\u0263\u0264"  # 60-69 ɚ..ɤ
    "\u0265\u0266\u0267\u0268\u026a\u026b\u026c\u026d\u026e\u026f"  # 70-79 ɥ..ɯ
    "\u0270\u0271\u0272\u0273\u0274\u0275\u0276\u0278\u0279\u027a"  # 80-89 ɰ..ɺ
    "\u027b\u027d\u027e\u0280\u0281\u0282\u0283\u0284\u0288\u0289"  # 90-99 ɻ..ʉ
    "\u028a\u028b\u028c\u028d\u028e\u028f\u0290\u0291\u0292\u0294"  # 100-109 ʊ..ʔ
    "\u0295\u0298\u0299\u029b\u029c\u029d\u029f\u02a1\u02a2\u02b2"  # 110-119 ʕ..ʲ
    "\u02c8\u02cc\u02d0\u02d1\u02de\u03b2\u03b8\u03c7\u1d7b\u2c71"  # 120-129 ˈ ˌ ː ˑ ˞ β θ χ ᵻ ⱱ
    "0123456789"  # 130-139 tones
    "\u0327\u0303\u032a\u032f\u0329"  # 140-144 combining cedilla, tilde, bridge, breve, line
    "\u02b0\u02e4\u03b5\u2193#\"\u2191"  # 145-151 ʰ ˤ ε ↓ # " ↑
    "\u033a\u033b"  # 152-153 combining (Basque)
    "g\u02a6X"  # 154-156 (Luxembourgish)
    "\u031d\u030a"  # 157-158 combining (Czech)
    "\u025d\u02b7"  # 159-160 ɝ ʷ
)
assert len(_PHONEME_SYMBOLS) == 161 and len(set(_PHONEME_SYMBOLS)) == 161


def phoneme_id_map():
    return {sym: [i] for i, sym in enumerate(_PHONEME_SYMBOLS)}


# ---------------------------------------------------------------------------------
# Model (torch is imported lazily so that `--help` and the skip path stay instant)
# ---------------------------------------------------------------------------------


def build_model_classes():
    import torch
    from torch import nn
    from torch.nn import functional as F

    def seq_mask(lengths, max_len):
        """[b] lengths -> [b, max_len] bool."""
        steps = torch.arange(max_len, dtype=lengths.dtype, device=lengths.device)
        return steps.unsqueeze(0) < lengths.unsqueeze(1)

    class ChannelNorm(nn.Module):
        """LayerNorm over the channel axis of [b, c, t]."""

        def __init__(self, channels, eps=1e-5):
            super().__init__()
            self.channels = channels
            self.eps = eps
            self.gamma = nn.Parameter(torch.ones(channels))
            self.beta = nn.Parameter(torch.zeros(channels))

        def forward(self, x):
            y = F.layer_norm(x.transpose(1, -1), (self.channels,), self.gamma, self.beta, self.eps)
            return y.transpose(1, -1)

    # ----------------------------- text encoder ---------------------------------

    class RelativeSelfAttention(nn.Module):
        """Multi-head self-attention with shared relative-position key/value embeddings
        (window +-window_size), as in VITS/Piper's attentions.MultiHeadAttention."""

        def __init__(self, channels, n_heads, window_size):
            super().__init__()
            assert channels % n_heads == 0
            self.n_heads = n_heads
            self.head_dim = channels // n_heads
            self.window = window_size
            self.q = nn.Conv1d(channels, channels, 1)
            self.k = nn.Conv1d(channels, channels, 1)
            self.v = nn.Conv1d(channels, channels, 1)
            self.o = nn.Conv1d(channels, channels, 1)
            std = self.head_dim ** -0.5
            self.rel_k = nn.Parameter(torch.randn(1, 2 * window_size + 1, self.head_dim) * std)
            self.rel_v = nn.Parameter(torch.randn(1, 2 * window_size + 1, self.head_dim) * std)
            for conv in (self.q, self.k, self.v):
                nn.init.xavier_uniform_(conv.weight)

        def _window_embeddings(self, table, length):
            # Pad (or, for short inputs, crop via negative padding) the 2w+1 table to
            # 2*length-1 relative positions without data-dependent control flow.
            pad = max(length - (self.window + 1), 0)
            start = max((self.window + 1) - length, 0)
            table = F.pad(table, (0, 0, pad, pad, 0, 0))
            return table[:, start:start + 2 * length - 1]

        @staticmethod
        def _relative_to_absolute(x):
            # [b, h, l, 2l-1] -> [b, h, l, l]
            b, h, l, _ = x.size()
            x = F.pad(x, (0, 1, 0, 0, 0, 0, 0, 0))
            x = x.view([b, h, l * 2 * l])
            x = F.pad(x, (0, l - 1, 0, 0, 0, 0))
            return x.view([b, h, l + 1, 2 * l - 1])[:, :, :l, l - 1:]

        @staticmethod
        def _absolute_to_relative(x):
            # [b, h, l, l] -> [b, h, l, 2l-1]
            b, h, l, _ = x.size()
            x = F.pad(x, (0, l - 1, 0, 0, 0, 0, 0, 0))
            x = x.view([b, h, l * l + l * (l - 1)])
            x = F.pad(x, (l, 0, 0, 0, 0, 0))
            return x.view([b, h, l, 2 * l])[:, :, :, 1:]

        def forward(self, x, attn_mask):
            b, c, t = x.size()
            q = self.q(x).view(b, self.n_heads, self.head_dim, t).transpose(2, 3)
            k = self.k(x).view(b, self.n_heads, self.head_dim, t).transpose(2, 3)
            v = self.v(x).view(b, self.n_heads, self.head_dim, t).transpose(2, 3)
            q = q / math.sqrt(self.head_dim)
            scores = torch.matmul(q, k.transpose(-2, -1))
            rel_k = self._window_embeddings(self.rel_k, t)
            rel_logits = torch.matmul(q, rel_k.unsqueeze(0).transpose(-2, -1))
            scores = scores + self._relative_to_absolute(rel_logits)
            scores = scores.masked_fill(attn_mask == 0, -1e4)
            probs = F.softmax(scores, dim=-1)
            out = torch.matmul(probs, v)
            rel_v = self._window_embeddings(self.rel_v, t)
            out = out + torch.matmul(self._absolute_to_relative(probs), rel_v.unsqueeze(0))
            out = out.transpose(2, 3).contiguous().view(b, c, t)
            return self.o(out)

    class ConvFFN(nn.Module):
        def __init__(self, channels, filter_channels, kernel_size):
            super().__init__()
            self.kernel_size = kernel_size
            self.conv_1 = nn.Conv1d(channels, filter_channels, kernel_size)
            self.conv_2 = nn.Conv1d(filter_channels, channels, kernel_size)

        def _same(self, x):
            if self.kernel_size == 1:
                return x
            return F.pad(x, ((self.kernel_size - 1) // 2, self.kernel_size // 2, 0, 0, 0, 0))

        def forward(self, x, mask):
            x = torch.relu(self.conv_1(self._same(x * mask)))
            x = self.conv_2(self._same(x * mask))
            return x * mask

    class TextEncoder(nn.Module):
        def __init__(self, n_vocab, out_ch, hidden, filter_ch, n_heads, n_layers, kernel, window):
            super().__init__()
            self.hidden = hidden
            self.out_ch = out_ch
            self.emb = nn.Embedding(n_vocab, hidden)
            nn.init.normal_(self.emb.weight, 0.0, hidden ** -0.5)
            self.attn = nn.ModuleList()
            self.norm_1 = nn.ModuleList()
            self.ffn = nn.ModuleList()
            self.norm_2 = nn.ModuleList()
            for _ in range(n_layers):
                self.attn.append(RelativeSelfAttention(hidden, n_heads, window))
                self.norm_1.append(ChannelNorm(hidden))
                self.ffn.append(ConvFFN(hidden, filter_ch, kernel))
                self.norm_2.append(ChannelNorm(hidden))
            self.proj = nn.Conv1d(hidden, 2 * out_ch, 1)

        def forward(self, ids, lengths):
            x = self.emb(ids) * math.sqrt(self.hidden)  # [b, t, h]
            x = torch.transpose(x, 1, -1)  # [b, h, t]
            mask = torch.unsqueeze(seq_mask(lengths, x.size(2)), 1).type_as(x)
            attn_mask = mask.unsqueeze(2) * mask.unsqueeze(-1)
            x = x * mask
            for attn, n1, ffn, n2 in zip(self.attn, self.norm_1, self.ffn, self.norm_2):
                x = n1(x + attn(x, attn_mask))
                x = n2(x + ffn(x, mask))
            x = x * mask
            stats = self.proj(x) * mask
            m, logs = torch.split(stats, self.out_ch, dim=1)
            return x, m, logs, mask

    # ------------------------ stochastic duration predictor ---------------------

    class DilatedDepthSepConv(nn.Module):
        def __init__(self, channels, kernel, n_layers):
            super().__init__()
            self.sep = nn.ModuleList()
            self.pointwise = nn.ModuleList()
            self.norm_a = nn.ModuleList()
            self.norm_b = nn.ModuleList()
            for i in range(n_layers):
                dil = kernel ** i
                self.sep.append(nn.Conv1d(channels, channels, kernel, groups=channels,
                                          dilation=dil, padding=(kernel * dil - dil) // 2))
                self.pointwise.append(nn.Conv1d(channels, channels, 1))
                self.norm_a.append(ChannelNorm(channels))
                self.norm_b.append(ChannelNorm(channels))

        def forward(self, x, mask, g=None):
            if g is not None:
                x = x + g
            for sep, pw, na, nb in zip(self.sep, self.pointwise, self.norm_a, self.norm_b):
                y = F.gelu(na(sep(x * mask)))
                y = F.gelu(nb(pw(y)))
                x = x + y
            return x * mask

    MIN_BIN_W = 1e-3
    MIN_BIN_H = 1e-3
    MIN_DERIV = 1e-3

    def _bin_index(edges, values, eps=1e-6):
        # nudge the last edge so values equal to the bound land in the last bin
        edges[..., edges.size(-1) - 1] += eps
        return torch.sum(values[..., None] >= edges, dim=-1) - 1

    def _knots(unnorm, lo, hi, min_size):
        n = unnorm.shape[-1]
        sizes = F.softmax(unnorm, dim=-1)
        sizes = min_size + (1 - min_size * n) * sizes
        cum = torch.cumsum(sizes, dim=-1)
        cum = F.pad(cum, pad=(1, 0), mode="constant", value=0.0)
        cum = (hi - lo) * cum + lo
        cum[..., 0] = lo
        cum[..., cum.size(-1) - 1] = hi
        return cum, cum[..., 1:] - cum[..., :-1]

    def rq_spline_inverse(y, w_un, h_un, d_un, bound):
        """Inverse of the monotonic rational-quadratic spline on [-bound, bound] with
        linear (identity) tails (Durkan et al. 2019; VITS/Piper transforms.py)."""
        inside = (y >= -bound) & (y <= bound)
        outside = ~inside
        out = torch.zeros_like(y)
        d_un = F.pad(d_un, pad=(1, 1))
        tail_const = math.log(math.exp(1 - MIN_DERIV) - 1)
        d_un[..., 0] = tail_const
        d_un[..., d_un.size(-1) - 1] = tail_const
        out[outside] = y[outside]

        yi = y[inside]
        cumw, widths = _knots(w_un[inside, :], -bound, bound, MIN_BIN_W)
        cumh, heights = _knots(h_un[inside, :], -bound, bound, MIN_BIN_H)
        derivs = MIN_DERIV + F.softplus(d_un[inside, :])

        idx = _bin_index(cumh, yi)[..., None]
        x_k = cumw.gather(-1, idx)[..., 0]
        w_k = widths.gather(-1, idx)[..., 0]
        y_k = cumh.gather(-1, idx)[..., 0]
        slope = heights / widths
        s_k = slope.gather(-1, idx)[..., 0]
        d_k = derivs.gather(-1, idx)[..., 0]
        d_k1 = derivs[..., 1:].gather(-1, idx)[..., 0]
        h_k = heights.gather(-1, idx)[..., 0]

        dy = yi - y_k
        curv = d_k + d_k1 - 2 * s_k
        qa = dy * curv + h_k * (s_k - d_k)
        qb = h_k * d_k - dy * curv
        qc = -s_k * dy
        disc = qb.pow(2) - 4 * qa * qc
        theta = (2 * qc) / (-qb - torch.sqrt(disc))
        out[inside] = theta * w_k + x_k
        return out

    class ConvFlow(nn.Module):
        def __init__(self, channels, filter_ch, kernel, n_layers, num_bins=10, tail_bound=5.0):
            super().__init__()
            self.half = channels // 2
            self.filter_ch = filter_ch
            self.num_bins = num_bins
            self.tail_bound = tail_bound
            self.pre = nn.Conv1d(self.half, filter_ch, 1)
            self.convs = DilatedDepthSepConv(filter_ch, kernel, n_layers)
            # Zero-initialised in Piper (identity at start of training); randomised later.
            self.proj = nn.Conv1d(filter_ch, self.half * (num_bins * 3 - 1), 1)

        def reverse(self, x, mask, g):
            x0, x1 = torch.split(x, [self.half, self.half], 1)
            h = self.convs(self.pre(x0), mask, g=g)
            h = self.proj(h) * mask
            b, c, t = x0.shape
            h = h.reshape(b, c, -1, t).permute(0, 1, 3, 2)  # [b, c, t, 3*bins-1]
            scale = math.sqrt(self.filter_ch)
            nb = self.num_bins
            x1 = rq_spline_inverse(x1, h[..., :nb] / scale, h[..., nb:2 * nb] / scale,
                                   h[..., 2 * nb:], self.tail_bound)
            return torch.cat([x0, x1], 1) * mask

    class ElementwiseAffine(nn.Module):
        def __init__(self, channels):
            super().__init__()
            self.m = nn.Parameter(torch.zeros(channels, 1))
            self.logs = nn.Parameter(torch.zeros(channels, 1))

        def reverse(self, x, mask):
            return (x - self.m) * torch.exp(-self.logs) * mask

    class StochasticDurationPredictor(nn.Module):
        """Inference (reverse) path of VITS' stochastic duration predictor. The
        posterior flows and the first ConvFlow are only used in training (Piper's
        reverse pass drops that 'useless vflow'), so they are not built here."""

        def __init__(self, channels, kernel, n_flows, gin_channels):
            super().__init__()
            self.pre = nn.Conv1d(channels, channels, 1)
            self.convs = DilatedDepthSepConv(channels, kernel, 3)
            self.proj = nn.Conv1d(channels, channels, 1)
            if gin_channels:
                self.cond = nn.Conv1d(gin_channels, channels, 1)
            self.affine = ElementwiseAffine(2)
            # flows used in reverse: n_flows - 1 ConvFlows (each followed by Flip)
            self.conv_flows = nn.ModuleList(
                [ConvFlow(2, channels, kernel, n_layers=3) for _ in range(n_flows - 1)])

        def condition(self, x, mask, g=None):
            x = self.pre(x)
            if g is not None:
                x = x + self.cond(g)
            x = self.convs(x, mask)
            return self.proj(x) * mask

        def reverse(self, x, mask, g=None, noise_scale=1.0, calib=False):
            c = self.condition(x, mask, g)
            z = torch.randn(x.size(0), 2, x.size(2)).type_as(x) * noise_scale
            # training order: affine, (cf, flip) * n; reverse: (flip, cf) * (n-1), flip, affine
            for cf in reversed(self.conv_flows):
                z = torch.flip(z, [1])
                z = cf.reverse(z, mask, c)
            z = torch.flip(z, [1])
            if calib:
                return z
            z = self.affine.reverse(z, mask)
            logw, _ = torch.split(z, [1, 1], 1)
            return logw

    # ------------------------------- flow ---------------------------------------

    class WN(nn.Module):
        """WaveNet-like gated dilated conv stack (weight-normalised like Piper's; the
        normalisation is constant-folded away at export)."""

        def __init__(self, hidden, kernel, dilation_rate, n_layers, gin_channels=0):
            super().__init__()
            wn = torch.nn.utils.weight_norm
            self.hidden = hidden
            self.n_layers = n_layers
            self.cond_layer = wn(nn.Conv1d(gin_channels, 2 * hidden * n_layers, 1)) if gin_channels else None
            self.in_layers = nn.ModuleList()
            self.res_skip = nn.ModuleList()
            for i in range(n_layers):
                dil = dilation_rate ** i
                self.in_layers.append(wn(nn.Conv1d(hidden, 2 * hidden, kernel, dilation=dil,
                                                   padding=(kernel * dil - dil) // 2)))
                out_ch = 2 * hidden if i < n_layers - 1 else hidden
                self.res_skip.append(wn(nn.Conv1d(hidden, out_ch, 1)))

        def forward(self, x, mask, g=None):
            out = torch.zeros_like(x)
            if g is not None:
                g = self.cond_layer(g)
            h = self.hidden
            for i in range(self.n_layers):
                a = self.in_layers[i](x)
                if g is not None:
                    a = a + g[:, 2 * h * i:2 * h * (i + 1), :]
                acts = torch.tanh(a[:, :h, :]) * torch.sigmoid(a[:, h:, :])
                rs = self.res_skip[i](acts)
                if i < self.n_layers - 1:
                    x = (x + rs[:, :h, :]) * mask
                    out = out + rs[:, h:, :]
                else:
                    out = out + rs
            return out * mask

    class CouplingLayer(nn.Module):
        """Mean-only residual affine coupling layer."""

        def __init__(self, channels, hidden, kernel, dilation_rate, n_layers, gin_channels):
            super().__init__()
            self.half = channels // 2
            self.pre = nn.Conv1d(self.half, hidden, 1)
            self.enc = WN(hidden, kernel, dilation_rate, n_layers, gin_channels)
            # Zero-initialised in Piper; randomised later.
            self.post = nn.Conv1d(hidden, self.half, 1)

        def reverse(self, x, mask, g=None):
            x0, x1 = torch.split(x, [self.half, self.half], 1)
            h = self.enc(self.pre(x0) * mask, mask, g=g)
            m = self.post(h) * mask
            logs = torch.zeros_like(m)
            x1 = (x1 - m) * torch.exp(-logs) * mask
            return torch.cat([x0, x1], 1)

    class Flow(nn.Module):
        def __init__(self, channels, hidden, kernel, dilation_rate, n_layers, n_flows, gin_channels):
            super().__init__()
            self.layers = nn.ModuleList([
                CouplingLayer(channels, hidden, kernel, dilation_rate, n_layers, gin_channels)
                for _ in range(n_flows)])

        def reverse(self, x, mask, g=None):
            for layer in reversed(self.layers):
                x = torch.flip(x, [1])
                x = layer.reverse(x, mask, g=g)
            return x

    # ----------------------------- HiFi-GAN decoder ------------------------------

    LRELU = 0.1

    class ResBlock2(nn.Module):
        def __init__(self, ch, kernel, dilations):
            super().__init__()
            self.convs = nn.ModuleList([
                nn.Conv1d(ch, ch, kernel, 1, dilation=d, padding=(kernel * d - d) // 2)
                for d in dilations])
            for c in self.convs:
                nn.init.normal_(c.weight, 0.0, 0.01)  # Piper's init_weights

        def forward(self, x):
            for c in self.convs:
                x = x + c(F.leaky_relu(x, LRELU))
            return x

    class Generator(nn.Module):
        def __init__(self, in_ch, kernels, dilations, rates, init_ch, up_kernels, gin_channels):
            super().__init__()
            self.n_kernels = len(kernels)
            self.conv_pre = nn.Conv1d(in_ch, init_ch, 7, 1, padding=3)
            self.ups = nn.ModuleList()
            self.resblocks = nn.ModuleList()
            ch = init_ch
            for i, (u, k) in enumerate(zip(rates, up_kernels)):
                up = nn.ConvTranspose1d(init_ch // 2 ** i, init_ch // 2 ** (i + 1), k, u,
                                        padding=(k - u) // 2)
                nn.init.normal_(up.weight, 0.0, 0.01)
                self.ups.append(up)
                ch = init_ch // 2 ** (i + 1)
                for k2, d in zip(kernels, dilations):
                    self.resblocks.append(ResBlock2(ch, k2, d))
            self.conv_post = nn.Conv1d(ch, 1, 7, 1, padding=3, bias=False)
            if gin_channels:
                self.cond = nn.Conv1d(gin_channels, init_ch, 1)

        def forward(self, x, g=None, pre_tanh=False):
            x = self.conv_pre(x)
            if g is not None:
                x = x + self.cond(g)
            for i, up in enumerate(self.ups):
                x = up(F.leaky_relu(x, LRELU))
                blocks = self.resblocks[i * self.n_kernels:(i + 1) * self.n_kernels]
                xs = blocks[0](x)
                for blk in blocks[1:]:
                    xs = xs + blk(x)
                x = xs / self.n_kernels
            x = self.conv_post(F.leaky_relu(x))
            return x if pre_tanh else torch.tanh(x)

    # ------------------------------ synthesizer ---------------------------------

    def generate_path(duration, mask):
        """duration [b, 1, tx], mask [b, 1, ty, tx] -> hard monotonic alignment."""
        b, _, ty, tx = mask.shape
        cum = torch.cumsum(duration, -1)
        path = seq_mask(cum.view(b * tx), ty).type_as(mask)
        path = path.view(b, tx, ty)
        path = path - F.pad(path, (0, 0, 1, 0, 0, 0))[:, :-1]
        return path.unsqueeze(1).transpose(2, 3) * mask

    class Synthesizer(nn.Module):
        def __init__(self, p, n_speakers):
            super().__init__()
            self.n_speakers = n_speakers
            gin = p["gin_channels_multi"] if n_speakers > 1 else 0
            self.enc_p = TextEncoder(N_VOCAB, p["inter_channels"], p["hidden_channels"],
                                     p["filter_channels"], p["n_heads"], p["n_layers"],
                                     p["kernel_size"], p["window_size"])
            self.dp = StochasticDurationPredictor(p["hidden_channels"], 3, p["sdp_flows"], gin)
            self.flow = Flow(p["inter_channels"], p["hidden_channels"], p["flow_kernel"], 1,
                             p["flow_layers"], p["n_flows"], gin)
            self.dec = Generator(p["inter_channels"], p["resblock_kernel_sizes"],
                                 p["resblock_dilation_sizes"], p["upsample_rates"],
                                 p["upsample_initial_channel"], p["upsample_kernel_sizes"], gin)
            if n_speakers > 1:
                self.emb_g = nn.Embedding(n_speakers, gin)

        def infer(self, ids, lengths, sid=None, noise_scale=0.667, length_scale=1.0,
                  noise_w=0.8, pre_tanh=False):
            x, m_p, logs_p, x_mask = self.enc_p(ids, lengths)
            g = self.emb_g(sid).unsqueeze(-1) if self.n_speakers > 1 else None
            logw = self.dp.reverse(x, x_mask, g=g, noise_scale=noise_w)
            w = torch.exp(logw) * x_mask * length_scale
            w_ceil = torch.ceil(w)  # frames per phoneme id: the graph's only Ceil
            y_lengths = torch.clamp_min(torch.sum(w_ceil, [1, 2]), 1).long()
            y_mask = torch.unsqueeze(seq_mask(y_lengths, y_lengths.max()), 1).type_as(x_mask)
            attn_mask = torch.unsqueeze(x_mask, 2) * torch.unsqueeze(y_mask, -1)
            attn = generate_path(w_ceil, attn_mask)
            m_p = torch.matmul(attn.squeeze(1), m_p.transpose(1, 2)).transpose(1, 2)
            logs_p = torch.matmul(attn.squeeze(1), logs_p.transpose(1, 2)).transpose(1, 2)
            z_p = m_p + torch.randn_like(m_p) * torch.exp(logs_p) * noise_scale
            z = self.flow.reverse(z_p, y_mask, g=g)
            return self.dec(z * y_mask, g=g, pre_tanh=pre_tanh)

    class PiperExport(nn.Module):
        """Piper's export signature: (input, input_lengths, scales[, sid]) -> [b,1,1,T]."""

        def __init__(self, synth):
            super().__init__()
            self.synth = synth

        def forward(self, ids, lengths, scales, sid=None):
            audio = self.synth.infer(ids, lengths, sid=sid, noise_scale=scales[0],
                                     length_scale=scales[1], noise_w=scales[2])
            return audio.unsqueeze(1)

    return Synthesizer, PiperExport


# ---------------------------------------------------------------------------------
# Weight initialisation / calibration
# ---------------------------------------------------------------------------------


def randomise_and_calibrate(model, seed, n_speakers):
    """Piper zero-initialises the coupling layers' `post` and the ConvFlows' `proj`
    (so a fresh flow is the identity); give them small random weights so every
    branch does real work. Then set the duration predictor's elementwise affine
    so random voices speak at a realistic rate (~3.7 frames per phoneme id), and
    make the last decoder conv DC-free and scaled so audio has a speech-like level
    (not ~0, not clipped)."""
    import torch

    for layer in model.flow.layers:
        torch.nn.init.normal_(layer.post.weight, 0.0, 0.02)
        torch.nn.init.normal_(layer.post.bias, 0.0, 0.02)
    for cf in model.dp.conv_flows:
        torch.nn.init.normal_(cf.proj.weight, 0.0, 0.1)
        torch.nn.init.normal_(cf.proj.bias, 0.0, 0.1)

    gen = torch.Generator().manual_seed(seed + 1)
    n_ids = 60
    batches = []
    for i in range(8):
        ids = torch.randint(0, 161, (1, n_ids), generator=gen)
        sid = torch.LongTensor([i % n_speakers]) if n_speakers > 1 else None
        batches.append((ids, sid))

    with torch.no_grad():
        # duration statistics before the final affine (noise_w = 0.8, Piper's default)
        zs = []
        for ids, sid in batches:
            lengths = torch.LongTensor([ids.size(1)])
            x, _, _, x_mask = model.enc_p(ids, lengths)
            g = model.emb_g(sid).unsqueeze(-1) if n_speakers > 1 else None
            zs.append(model.dp.reverse(x, x_mask, g=g, noise_scale=0.8, calib=True))
        z = torch.cat(zs, 2)  # [1, 2, n]
        mu = z.mean(dim=2, keepdim=True)[0]  # [2, 1]
        sd = z.std(dim=2, keepdim=True)[0].clamp_min(1e-3)
        # Real voices speak ~25-30 ids/s (phonemes plus interspersed pads) at 86 frames/s,
        # i.e. ~3-3.5 frames per id: exp(logw) ~3.2 on average, ~3.7 after ceil.
        target_mu, target_sd = math.log(2.8), 0.5
        # reverse affine: logw = (z - m) * exp(-logs)
        logs = torch.log(sd / target_sd)
        model.dp.affine.logs.copy_(logs)
        model.dp.affine.m.copy_(mu - target_mu * torch.exp(logs))

        # output level: leaky_relu feeds conv_post a positive mean, so a random
        # conv_post gives a large DC offset that saturates tanh. Make each input
        # channel's taps sum to zero (no DC response), then set pre-tanh RMS to 0.2.
        w = model.dec.conv_post.weight
        w.sub_(w.mean(dim=2, keepdim=True))
        outs = []
        for ids, sid in batches[:2]:
            lengths = torch.LongTensor([ids.size(1)])
            outs.append(model.infer(ids, lengths, sid=sid, pre_tanh=True).flatten())
        rms = torch.cat(outs).pow(2).mean().sqrt().item()
        if rms > 0 and math.isfinite(rms):
            w.mul_(0.2 / rms)


# ---------------------------------------------------------------------------------
# Export + config
# ---------------------------------------------------------------------------------


def voice_config(preset, n_speakers, record):
    multi = n_speakers > 1
    return {
        "audio": {"sample_rate": SAMPLE_RATE, "quality": PRESETS[preset]["quality"]},
        "espeak": {"voice": "en-us"},
        "inference": {"noise_scale": 0.667, "length_scale": 1, "noise_w": 0.8},
        "phoneme_type": "espeak",
        "phoneme_map": {},
        "phoneme_id_map": phoneme_id_map(),
        "num_symbols": N_VOCAB,
        "num_speakers": n_speakers,
        "speaker_id_map": {f"speaker_{i}": i for i in range(n_speakers)} if multi else {},
        "piper_version": "1.0.0",
        "language": {
            "code": "en_US",
            "family": "en",
            "region": "US",
            "name_native": "English",
            "name_english": "English",
            "country_english": "United States",
        },
        "dataset": "avatar-voice-test",
        "avatar_voice_test_voice": record,
    }


def export_voice(preset, n_speakers, seed, onnx_path):
    import torch

    torch.set_num_threads(2)
    torch.manual_seed(seed)
    Synthesizer, PiperExport = build_model_classes()
    p = PRESETS[preset]
    model = Synthesizer(p, n_speakers)
    model.eval()
    randomise_and_calibrate(model, seed, n_speakers)
    wrapper = PiperExport(model).eval()
    t_export = time.time()

    torch.manual_seed(seed)
    n_ids = 50  # like Piper's export (must exceed window_size + 1)
    ids = torch.randint(low=0, high=N_VOCAB, size=(1, n_ids), dtype=torch.long)
    lengths = torch.LongTensor([n_ids])
    scales = torch.FloatTensor([0.667, 1.0, 0.8])
    if n_speakers > 1:
        args = (ids, lengths, scales, torch.LongTensor([0]))
        input_names = ["input", "input_lengths", "scales", "sid"]
    else:
        args = (ids, lengths, scales)
        input_names = ["input", "input_lengths", "scales"]

    tmp_path = onnx_path + ".tmp"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # tracer warnings about python ints/bools are expected
        with torch.no_grad():
            torch.onnx.export(
                wrapper,
                args,
                tmp_path,
                verbose=False,
                opset_version=OPSET,
                do_constant_folding=True,
                input_names=input_names,
                output_names=["output"],
                dynamic_axes={
                    "input": {0: "batch_size", 1: "phonemes"},
                    "input_lengths": {0: "batch_size"},
                    "output": {0: "batch_size", 3: "time"},
                },
            )
    os.replace(tmp_path, onnx_path)
    return sum(t.numel() for t in model.parameters()), time.time() - t_export


def self_check(onnx_path, n_speakers):
    import onnx

    model = onnx.load(onnx_path)
    onnx.checker.check_model(model)
    ops = collections.Counter(n.op_type for n in model.graph.node)
    assert ops["Ceil"] == 1, f"expected exactly one Ceil node, found {ops['Ceil']}"
    assert ops["RandomNormalLike"] >= 1, "missing RandomNormalLike (stochastic nodes)"
    names = [i.name for i in model.graph.input]
    want = ["input", "input_lengths", "scales"] + (["sid"] if n_speakers > 1 else [])
    assert names == want, f"inputs {names} != {want}"
    assert [o.name for o in model.graph.output] == ["output"]
    rank = len(model.graph.output[0].type.tensor_type.shape.dim)
    assert rank == 4, f"output rank {rank} != 4"
    ceil = next(n for n in model.graph.node if n.op_type == "Ceil")
    return ops, ceil.output[0]


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--preset", choices=sorted(PRESETS), required=True)
    ap.add_argument("--speakers", type=int, default=1, help="number of speakers (>1: multi-speaker, adds `sid`)")
    ap.add_argument("--seed", type=int, default=1234)
    ap.add_argument("--out", required=True, help="output directory")
    ap.add_argument("--name", help="file base name (default test-<preset>[-multi])")
    ap.add_argument("--force", action="store_true", help="regenerate even if up to date")
    args = ap.parse_args(argv)
    if args.speakers < 1:
        ap.error("--speakers must be >= 1")

    name = args.name or f"test-{args.preset}" + ("-multi" if args.speakers > 1 else "")
    os.makedirs(args.out, exist_ok=True)
    onnx_path = os.path.join(args.out, name + ".onnx")
    json_path = onnx_path + ".json"
    record = {
        "generator_version": GENERATOR_VERSION,
        "preset": args.preset,
        "speakers": args.speakers,
        "seed": args.seed,
        "hyper_parameters": {k: v for k, v in PRESETS[args.preset].items() if k != "quality"},
    }

    if not args.force and os.path.exists(onnx_path) and os.path.exists(json_path):
        try:
            with open(json_path, encoding="utf-8") as f:
                old = json.load(f).get("avatar_voice_test_voice", {})
        except (OSError, ValueError):
            old = {}
        # round-trip through JSON so tuples compare equal to the stored lists
        if {k: old.get(k) for k in record} == json.loads(json.dumps(record)) and old.get("onnx_bytes") == os.path.getsize(onnx_path):
            print(f"up to date: {onnx_path} ({os.path.getsize(onnx_path) / 1e6:.2f} MB), use --force to regenerate")
            return 0

    t0 = time.time()
    n_params, t_export = export_voice(args.preset, args.speakers, args.seed, onnx_path)
    ops, ceil_output = self_check(onnx_path, args.speakers)

    record = dict(record, onnx_bytes=os.path.getsize(onnx_path), onnx_sha256=sha256_file(onnx_path),
                  ceil_output=ceil_output, hop_length=HOP_LENGTH)
    tmp_json = json_path + ".tmp"
    with open(tmp_json, "w", encoding="utf-8") as f:
        json.dump(voice_config(args.preset, args.speakers, record), f, ensure_ascii=False, indent=2)
        f.write("\n")
    os.replace(tmp_json, json_path)

    size = os.path.getsize(onnx_path)
    print(f"made {onnx_path} ({size / 1e6:.2f} MB, {n_params:,} params) and {os.path.basename(json_path)}"
          f" in {time.time() - t0:.1f} s (torch.onnx.export {t_export:.1f} s)")
    print(f"  preset={args.preset} speakers={args.speakers} seed={args.seed} sha256={record['onnx_sha256'][:16]}")
    print(f"  Ceil output (frames per id): {ceil_output}")
    print(f"  {len(ops)} op types, {sum(ops.values())} nodes: "
          + ", ".join(f"{k}x{v}" for k, v in sorted(ops.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
