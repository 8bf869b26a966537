#!/usr/bin/python3
"""Writes the seed inputs of the fuzz targets into tests/fuzz/corpus/<target>/ (deterministic;
re-run after changing an input format). The store_import_fuzz seed is written by that target
itself, see README.md. Needs python3-onnx (Debian, already a project dependency).

Models and voice configs (MODEL_TARGETS) are generated files, not committed: they go to
build/fuzz/seeds/<target>/, where scripts/fuzz.sh writes them before every run with
`make_seeds.py --models build/fuzz/seeds` (that mode writes nothing else)."""
import json
import os
import sys
import shutil
import sqlite3
import struct
import tempfile

import onnx
from onnx import TensorProto, helper

HERE = os.path.dirname(os.path.abspath(__file__))
MODEL_TARGETS = {"onnx_timing_patch_fuzz", "model_split_fuzz", "voice_config_fuzz"}
MODELS_ONLY = "--models" in sys.argv
MODELS_DIR = (sys.argv[sys.argv.index("--models") + 1] if MODELS_ONLY
              else os.path.join(HERE, "..", "..", "..", "build", "fuzz", "seeds"))


def write(target, name, data):
    if target in MODEL_TARGETS:
        base = MODELS_DIR
    elif MODELS_ONLY:
        return
    else:
        base = HERE
    os.makedirs(os.path.join(base, target), exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    with open(os.path.join(base, target, name), "wb") as f:
        f.write(data)


# --- phonemizer_fuzz: user text ------------------------------------------------------------------
for name, text in {
    "sentences.txt": "Hello, world. How are you? I'm fine; thanks: really!",
    "numbers.txt": "Dr. Smith paid $3.50 on 12/05/2024 at 10:30am, room 221B.",
    "raw_phonemes.txt": "Say [[ h ə l ˈ oʊ ]] now.[[ɐ]]",
    "unicode.txt": "Café naïve ☃ 你好 😀👍🏽 e\u0301 \u200d\ufeff",
    "controls.txt": "a\u0007b\tc\r\n\u0085d  \u00a0 e",
    "brackets.txt": "((en)) [[ ]] [[ [[x]] ]] (word) ...?!",
    # Findings, kept so every run replays them (tests/native/fuzz_regression_test.cpp too):
    # espeak-ng read before the plural suffix's stack array (plural-suffix-underflow.patch).
    "regression_plural_suffix.txt": "HHLIFs\n\u0485e",
}.items():
    write("phonemizer_fuzz", name, text)

# --- ssml_parser_fuzz, ssml_speech_fuzz: SSML markup (valid, a fragment, malformed, every say-as, 70 deep) ----------
for name, text in {
    'entities.txt': 'a &lt;b&gt; &quot;c&quot; &apos;d&apos; &#233; &#xE9;&#x1F600; café 3 > 2 <voice name="x">&foo;</voice>',
    'fragment.txt': 'A fragment from a model: wait<break strength="strong"/> then <sub alias="World Wide Web">WWW</sub> &amp; <phoneme alphabet="ipa" ph="təˈmɑːtoʊ">tomato</phoneme> [[ h @ ]].',
    'malformed.ssml': '<speak><p>Hi</s></p><break time="5 minutes"/><prosody rate="500%">x',
    'say_as.ssml': '<speak><say-as interpret-as="characters">abc</say-as> <say-as interpret-as="spell-out">x&amp;é</say-as> <say-as interpret-as="digits">245</say-as> <say-as interpret-as="telephone">+1 (555) 123-4567</say-as> <say-as interpret-as="cardinal">1,234</say-as> <say-as interpret-as="ordinal">1,021</say-as> <say-as interpret-as="date">12/03/2026</say-as> <say-as interpret-as="date" format="ymd">2026-02-29</say-as> <say-as interpret-as="currency">$5</say-as></speak>',
    'speak_root.ssml': '<?xml version="1.0"?>\n<speak version="1.1" xmlns="http://www.w3.org/2001/10/synthesis" xml:lang="en-US">\n  <p><s>Hello <break time="300ms"/> there.</s><s>How <emphasis>are</emphasis> you?</s></p>\n  <!-- a comment -->\n  <prosody rate="150%">Fast <prosody rate="-20%" pitch="high">and slower</prosody></prosody>\n  <mark name="end"/>\n</speak>',
    "deep_nesting.ssml": "<x>" * 70 + "deep" + "</x>" * 70,
}.items():
    write("ssml_parser_fuzz", name, text)
    write("ssml_speech_fuzz", name, text)  # the same markup, through the phonemizer and plans

# --- packed_phoneme_rows_fuzz: "AVPH" | u32 version | u32 rows | u32 strings | f64 start[] | f64 end[] |
#     f64 idx[] | u32 phoneme[] | i32 viseme[] | u32 stringEnd[] | UTF-8 pool (src/store/packed_phoneme_rows.h)
def packed_rows(rows, strings):
    n = len(rows)
    out = b"AVPH" + struct.pack("<III", 1, n, len(strings))
    out += struct.pack(f"<{n}d", *[r[2] for r in rows]) + struct.pack(f"<{n}d", *[r[3] for r in rows])
    out += struct.pack(f"<{n}d", *[r[0] for r in rows])
    out += struct.pack(f"<{n}I", *[r[1] for r in rows]) + struct.pack(f"<{n}i", *[r[4] for r in rows])
    pool, ends = b"", []
    for s in strings:
        pool += s if isinstance(s, bytes) else s.encode("utf-8")
        ends.append(len(pool))
    return out + struct.pack(f"<{len(ends)}I", *ends) + pool


write("packed_phoneme_rows_fuzz", "two_rows.bin",
      packed_rows([(0, 0, 0.0, 41.25, 1), (1, 2, 41.25, 90.0, -1)], ["h", "sil", "ə"]))
write("packed_phoneme_rows_fuzz", "duplicate_idx.bin",
      packed_rows([(3, 0, 0.0, 1.0, -1), (3, 0, 1.0, 2.0, -1)], ["a"]))
write("packed_phoneme_rows_fuzz", "bad_times.bin",
      packed_rows([(0, 0, 5.0, 1.0, 0), (1, 1, -1.0, 2.0, -1)], [" ", "aa"]))
write("packed_phoneme_rows_fuzz", "empty.bin", packed_rows([], []))
# Finding (contract, not memory): a string that is not UTF-8 is INVALID_UTF8.
write("packed_phoneme_rows_fuzz", "regression_not_utf8.bin",
      packed_rows([(0, 0, 0.0, 41.25, 1), (1, 2, 41.25, 90.0, -1)], ["h", "sil", b"/\x99"]))

# --- wav_encoder_fuzz: i32 sample rate, then float32 samples ------------------------------------
write("wav_encoder_fuzz", "short.bin",
      struct.pack("<i4f", 22050, 0.0, 0.5, -1.0, 1.0))
write("wav_encoder_fuzz", "special.bin",
      struct.pack("<i", 16000) + struct.pack("<3f", 2.0, -3.0, 1e-40)
      + bytes.fromhex("0000c07f" "0000807f" "000080ff"))  # NaN, +inf, -inf
write("wav_encoder_fuzz", "bad_rate.bin", struct.pack("<if", 0, 0.25))


# --- espeak_data_pack_fuzz: "AVESPK01" | u32 count | (u16 len | path | u32 size | bytes)* --------
def pack(files):
    out = b"AVESPK01" + struct.pack("<I", len(files))
    for path, data in files:
        p = path.encode("utf-8")
        out += struct.pack("<H", len(p)) + p + struct.pack("<I", len(data)) + data
    return out


write("espeak_data_pack_fuzz", "two_files.pack",
      pack([("phontab", b"\x01\x02\x03"), ("lang/gmw/en-US", b"name English (America)\n")]))
write("espeak_data_pack_fuzz", "empty_file.pack", pack([("en_dict", b"")]))
write("espeak_data_pack_fuzz", "unsafe_path.pack", pack([("lang/../../etc/x", b"x")]))
write("espeak_data_pack_fuzz", "same_path_twice.pack", pack([("de_dict", b"a"), ("de_dict", b"b")]))


# Compiled dictionaries (issue #21 item 6): the real en_dict of the build, and a minimal one,
# each also with its rules offset pointing past the end (what LoadDictionary trusted).
def find_dictionary():
    root = os.path.normpath(os.path.join(HERE, "..", "..", ".."))
    for build in ("native", "asan"):
        path = os.path.join(root, "build", build, "espeak-data", "espeak-ng-data", "en_dict")
        if os.path.exists(path):
            with open(path, "rb") as f:
                return f.read()
    return None


minimal_dict = struct.pack("<II", 1024, 8 + 1024) + bytes(1024) + bytes([6, ord("a"), 0, 0, 7, 0])
write("espeak_data_pack_fuzz", "minimal_dict.pack", pack([("xx_dict", minimal_dict)]))
write("espeak_data_pack_fuzz", "minimal_dict_bad_offset.pack",
      pack([("xx_dict", minimal_dict[:4] + struct.pack("<I", 0x7FFFFFF) + minimal_dict[8:])]))
write("espeak_dictionary_fuzz", "minimal_dict", minimal_dict)
en_dict = find_dictionary()
if en_dict is not None:
    write("espeak_dictionary_fuzz", "en_dict", en_dict)
    write("espeak_data_pack_fuzz", "en_dict.pack", pack([("lang/gmw/xx", b"name xx\n"),
                                                          ("xx_dict", en_dict)]))

# --- phoneme_alignment_fuzz: flags | ... (see phoneme_alignment_fuzz.cpp) ------------------------
# flags 1: hop 256; audio u32; 6 phonemes; then frame bytes.
write("phoneme_alignment_fuzz", "mapped.bin",
      bytes([1]) + struct.pack("<I", 256 * 20) + bytes([6])
      + bytes([0, 2, 1, 7, 2, 3, 3, 0, 4, 4, 5, 1]) + bytes([2, 1, 3, 1, 2, 1, 4, 1, 2, 1, 1, 2, 1]))
write("phoneme_alignment_fuzz", "clusters.bin",
      bytes([1 | 8]) + struct.pack("<I", 5000) + bytes([3, 0, 0, 0, 1, 1, 1]) + bytes(range(1, 12)))
write("phoneme_alignment_fuzz", "raw.bin",
      bytes([1 | 4]) + struct.pack("<I", 3000) + bytes([2, 0, 0, 1, 1]) + bytes([3])
      + bytes([1, 0, 255, 0, 255, 255, 255, 0, 1, 255, 0, 255, 255, 255, 3, 2, 0, 1, 0, 0, 1, 2]))

# --- voice_config_fuzz: Piper .onnx.json ----------------------------------------------------------
config = {
    "audio": {"sample_rate": 22050, "quality": "medium"},
    "espeak": {"voice": "en-us"},
    "inference": {"noise_scale": 0.667, "length_scale": 1, "noise_w": 0.8},
    "phoneme_type": "espeak",
    "phoneme_id_map": {"_": [0], "^": [1], "$": [2], " ": [3], "a": [14], "ɪ": [74], "aɪ": [160]},
    "vowel_clusters": [["a", "ɪ"]],
    "num_symbols": 256,
    "num_speakers": 2,
    "speaker_id_map": {"amy": 0, "1": 1},
    "hop_length": 256,
}
write("voice_config_fuzz", "voice.onnx.json", json.dumps(config, ensure_ascii=False))
write("voice_config_fuzz", "minimal.onnx.json",
      '{"audio":{"sample_rate":16000},"espeak":{"voice":"de"},'
      '"phoneme_id_map":{"_":[0],"^":[1],"$":[2]}}')

# --- viseme_timeline_fuzz: flags, options, then (u16 symbol, u8 length) phonemes ------------------
write("viseme_timeline_fuzz", "oculus.bin", bytes([0, 20, 10, 128, 80, 0, 0])
      + bytes([5, 0, 4, 9, 0, 6, 12, 0, 3, 30, 0, 8]))
write("viseme_timeline_fuzz", "azure_gaps.bin", bytes([1 | 2 | 32 | 64 | 128, 5, 5, 40, 30, 200, 60])
      + bytes([100, 0, 2, 0, 7, 0, 3, 250, 22, 0, 9, 4]))


# --- onnx_timing_patch_fuzz: tiny ONNX graphs with 0, 1 and 2 Ceil nodes --------------------------
def model(nodes, outputs, value_info=()):
    graph = helper.make_graph(
        nodes, "g", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 1, None])],
        outputs, value_info=list(value_info))
    m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 15)])
    m.ir_version = 8
    return m.SerializeToString()


out = helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 1, None])
w = helper.make_tensor_value_info("w_ceil", TensorProto.FLOAT, [1, 1, None])
ceil = helper.make_node("Ceil", ["x"], ["w_ceil"])
write("onnx_timing_patch_fuzz", "one_ceil.onnx",
      model([ceil, helper.make_node("Relu", ["w_ceil"], ["y"])], [out], [w]))
write("onnx_timing_patch_fuzz", "patched.onnx",
      model([ceil, helper.make_node("Relu", ["w_ceil"], ["y"])], [out, w]))
write("onnx_timing_patch_fuzz", "no_ceil.onnx", model([helper.make_node("Relu", ["x"], ["y"])], [out]))
write("onnx_timing_patch_fuzz", "two_ceil.onnx",
      model([ceil, helper.make_node("Ceil", ["w_ceil"], ["y"])], [out]))


# --- model_split_fuzz: Piper's shape around the cut (as tests/native/model_split_test.cpp builds it)
def piper_like(multi_speaker=False, noise=True, expansion=False):
    f32 = lambda name, dims: helper.make_tensor(name, TensorProto.FLOAT, dims, [0.1] * int(numpy_prod(dims)))
    i64 = lambda name, vals: helper.make_tensor(name, TensorProto.INT64, [len(vals)], vals)
    inits = [f32("emb", [16, 4]), i64("zero_index", [0]), f32("conv_w", [4, 4, 3]), f32("up_w", [4, 1, 16]),
             i64("flip_start", [-1]), i64("flip_end", [-(2 ** 63)]), i64("axis1", [1]), i64("step_back", [-1])]
    inputs = [helper.make_tensor_value_info("input", TensorProto.INT64, [1, None]),
              helper.make_tensor_value_info("input_lengths", TensorProto.INT64, [1]),
              helper.make_tensor_value_info("scales", TensorProto.FLOAT, [3])]
    n = helper.make_node
    nodes = [n("Gather", ["emb", "input"], ["embedded"]), n("Transpose", ["embedded"], ["m"], perm=[0, 2, 1])]
    m = "m"
    if multi_speaker:
        inputs.append(helper.make_tensor_value_info("sid", TensorProto.INT64, [1]))
        inits += [f32("emb_g", [4, 2]), f32("cond_a", [4, 2, 1]), f32("cond_b", [4, 2, 1]), i64("axis2", [2])]
        nodes += [n("Gather", ["emb_g", "sid"], ["speaker_row"]), n("Unsqueeze", ["speaker_row", "axis2"], ["g"]),
                  n("Conv", ["g", "cond_a"], ["g_a"], kernel_shape=[1]), n("Add", ["m", "g_a"], ["m_cond"])]
        m = "m_cond"
    nodes += [n("Exp", [m], ["w"]), n("Ceil", ["w"], ["w_ceil"]), n("Sign", ["w_ceil"], ["mask_bool"]),
              n("Cast", ["mask_bool"], ["mask"], to=1), n("Mul", [m, "mask"], ["m_p"]),
              n("Gather", ["scales", "zero_index"], ["noise_scale"])]
    z_mean = "m_p"
    if expansion:  # VITS: m and log scale expanded to frames by path MatMuls, noise * Exp(log scale)
        nodes += [n("Neg", [m], ["logs_p"]), n("Transpose", ["w_ceil"], ["path"], perm=[0, 2, 1])]
        for x in (m, "logs_p"):
            nodes += [n("Transpose", [x], [x + "_t"], perm=[0, 2, 1]), n("MatMul", ["path", x + "_t"], [x + "_mm"]),
                      n("Transpose", [x + "_mm"], [x + "_f"], perm=[0, 2, 1])]
        z_mean = m + "_f"
        nodes += [n("RandomNormalLike", [z_mean], ["eps"]), n("Exp", ["logs_p_f"], ["scale_f"]),
                  n("Mul", ["eps", "scale_f"], ["eps_spread"]), n("Mul", ["eps_spread", "noise_scale"], ["eps_scaled"])]
    elif noise:
        nodes += [n("RandomNormalLike", ["m_p"], ["eps"]), n("Mul", ["eps", "noise_scale"], ["eps_scaled"])]
    else:
        nodes += [n("Mul", ["m_p", "noise_scale"], ["eps_scaled"])]
    nodes += [n("Add", [z_mean, "eps_scaled"], ["z_p"]),
              n("Conv", ["z_p", "conv_w"], ["h"], kernel_shape=[3], pads=[1, 1]), n("Mul", ["h", "mask"], ["h_masked"])]
    prev = "h_masked"
    if multi_speaker:
        nodes += [n("Conv", ["g", "cond_b"], ["g_b"], kernel_shape=[1]), n("Add", [prev, "g_b"], ["h_cond"])]
        prev = "h_cond"
    nodes += [n("Slice", [prev, "flip_start", "flip_end", "axis1", "step_back"], ["flipped"]),
              n("LeakyRelu", ["flipped"], ["act"]),
              n("ConvTranspose", ["act", "up_w"], ["up"], kernel_shape=[16], strides=[8], pads=[4, 4]),
              n("Tanh", ["up"], ["output"])]
    graph = helper.make_graph(nodes, "piper_like", inputs,
                              [helper.make_tensor_value_info("output", TensorProto.FLOAT, [1, 1, None])], inits)
    model_proto = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 15)])
    model_proto.ir_version = 8
    return model_proto.SerializeToString()


def numpy_prod(dims):
    total = 1
    for d in dims:
        total *= d
    return total


write("model_split_fuzz", "piper_like.onnx", piper_like())
write("model_split_fuzz", "piper_like_multi.onnx", piper_like(multi_speaker=True))
write("model_split_fuzz", "no_noise.onnx", piper_like(noise=False))
write("model_split_fuzz", "expansion.onnx", piper_like(expansion=True))


# --- store_import_fuzz: small_store.sqlite edited into stores the API could not read -------------
# (issue #21 item 3; each is rejected by importDatabase, see tests/native/store_import_rows_test.cpp).
# small_store.sqlite itself is written by the target (README.md); run this after it exists.
def edited_store(name, sql):
    base = os.path.join(HERE, "store_import_fuzz", "small_store.sqlite")
    if not os.path.exists(base):
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "s.sqlite")
        shutil.copyfile(base, path)
        db = sqlite3.connect(path, isolation_level=None)
        db.executescript(sql)
        db.close()
        with open(path, "rb") as f:
            write("store_import_fuzz", name, f.read())


edited_store("bad_utf8_json.sqlite",
             "UPDATE avatars SET state = CAST(X'7B226D6F6F64223A2280FF227D' AS TEXT);")
edited_store("bad_utf8_text.sqlite", "UPDATE avatars SET name = CAST(X'41C0' AS TEXT);")
edited_store("runaway_sequence.sqlite",
             "UPDATE sqlite_sequence SET seq = 9223372036854775807 WHERE name = 'avatars';")
edited_store("id_beyond_2p53.sqlite",
             "INSERT INTO avatars(id, name, created_at, updated_at)"
             " VALUES (9007199254740993, 'B', 1, 1);")
edited_store("timestamp_beyond_2p53.sqlite", "UPDATE avatars SET updated_at = 9007199254740992;")
edited_store("asset_limit_off.sqlite",
             "INSERT INTO config VALUES ('assets.maxBytes', '-1', 1);")
edited_store("schema_sql_differs.sqlite",
             "PRAGMA writable_schema = ON; UPDATE sqlite_schema SET sql = replace(sql,"
             " 'CHECK (length(trim(name)) > 0)', 'CHECK (1)') WHERE name = 'avatars';")
