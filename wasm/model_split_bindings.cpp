// Embind face of src/voice/model_split.h: split a Piper voice into part A (text -> z_p, mask,
// speaker embedding, durations) and part B (flow + decoder, local in time) for windowed decoding.
//
//   const r = core.splitModel(modelBytes, true, true, 600); // copied in; cut B; expand outside A; chain A
//   if ('__error' in r) throw ...;                    // INVALID_MODEL: not ONNX, truncated, ...
//   if (!r.ok) useSentenceMode(r.failure, r.reason);  // the model does not split
//   const a = await ort.InferenceSession.create(r.partA);
//   const b = await ort.InferenceSession.create(r.partB);   // or r.decoderCut's flow and decoder
//
// Result shape (the caller owns every typed array: each is a copy, safe after the call):
//   { ok: true,
//     partA: Uint8Array, partB: Uint8Array,   // ONNX models
//     partAInputs: string[],                  // the voice's inputs A reads: input, input_lengths, scales[, sid]
//     partAChain: null | { model: Uint8Array, inputs: string[], outputs: string[] }[],
//                                             // A as a chain of ~chainNodes-node links (src/voice/graph_chain.h):
//                                             //   run in order, each fed the voice's inputs and earlier outputs
//     partAChainReason: string,               // why partAChain is null ("" when not asked)
//     zInput: string,                         // z_p [1, C, T] float: B's input; A's output unless expansion
//     expansion: null | {                     // A stops before the expansion to frames (src/voice/prior_expansion.h):
//       mean: string, logScale: string,       //   A's outputs m_p, logs_p [1, C, n_ids]
//       noiseFactors: string[] },             //   A's scalar outputs multiplying the noise (noise_scale)
//     expansionReason: string,                // why expansion is null ("" when it is not, or not asked)
//     maskInput: string,                      // frame mask [1, 1, T] float: A's output, B's input
//     gInput: string,                         // speaker embedding [1, G, 1]: A's output, B's input; "" if single-speaker
//     durationOutput: string,                 // A's Ceil output [1, 1, n_ids]: frames per id; "" if none
//     audioOutputs: string[],                 // B's outputs (Piper: ["output"], [1, 1, 1, T * hopLength])
//     receptiveFieldFrames: number,           // M: margin in frames each side of a window of B
//     receptiveLeftFrames: number, receptiveRightFrames: number,  // exact reach (M = ceil of max)
//     hopLength: number,                      // samples per frame (256 for Piper)
//     decoderCut: null | {                    // B cut between flow and decoder (src/voice/decoder_cut.h);
//       flow: Uint8Array, decoder: Uint8Array,  //   then partB is empty: flow + decoder are B
//       decoderInput: string,                 //   flow's output, decoder's input [1, C, T]
//       flowInputs: string[], decoderInputs: string[],  // what each reads (names above)
//       flowMarginFrames: number, decoderMarginFrames: number },  // Mf, Md
//     decoderCutReason: string }              // why decoderCut is null ("" when it is not, or not asked)
// | { ok: false, failure: 'no_prior_noise' | 'ambiguous_prior_noise' | 'unexpected_boundary'
//                        | 'non_local_operator' | 'unsupported_graph', reason: string }
// | { __error: { code, message } }           // via guarded(), like the other bindings
//
// Windowed decoding with B: for frames [s, e) take [s0, e0) = [max(0, s - M), min(T, e + M)),
// run B on zInput/maskInput sliced to [s0, e0) on the last axis (and gInput whole), keep the
// audio samples [(s - s0) * hop, (e - s0) * hop). With decoderCut: the decoder on
// [d0, d1) = [max(0, s - Md), min(T, e + Md)), the flow on [max(0, d0 - Mf), min(T, d1 + Mf)),
// its output cropped to [d0, d1) for the decoder.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <algorithm>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/limits.h"
#include "voice/model_split.h"
#include "wasm_values.h"

namespace avatar_voice::wasm {
namespace {

using emscripten::val;

val stringArray(const std::vector<std::string>& items) {
  val out = val::array();
  for (const std::string& s : items) out.call<void>("push", s);
  return out;
}

val splitModel(val modelIn, bool cutDecoder, bool expandOutside, int chainNodes) {
  return guarded([&] {
    std::vector<uint8_t> model =
        bytesIn(modelIn, limits::kMaxVoiceModelBytes, ErrorCode::kInvalidModel, "voice model");
    ModelSplit split = splitPiperModel(model.data(), model.size(),
                                       SplitOptions{cutDecoder, expandOutside, static_cast<size_t>(std::max(chainNodes, 0))});
    // The input copy is no longer needed: free it before the parts are copied out to JS, so a
    // large voice is not held three times in the wasm heap.
    std::vector<uint8_t>().swap(model);
    val out = val::object();
    out.set("ok", split.ok());
    if (!split.ok()) {
      out.set("failure", std::string(splitFailureName(split.failure)));
      out.set("reason", split.reason);
      return out;
    }
    out.set("partA", copyOut(split.partA));
    std::vector<uint8_t>().swap(split.partA);
    out.set("partB", copyOut(split.partB));
    std::vector<uint8_t>().swap(split.partB);
    out.set("partAInputs", stringArray(split.partAInputs));
    out.set("partAChainReason", split.partAChainReason);
    if (split.partAChain.empty()) {
      out.set("partAChain", val::null());
    } else {
      val links = val::array();
      for (ChainLink& l : split.partAChain) {
        val link = val::object();
        link.set("model", copyOut(l.model));
        std::vector<uint8_t>().swap(l.model);
        link.set("inputs", stringArray(l.inputs));
        link.set("outputs", stringArray(l.outputs));
        links.call<void>("push", link);
      }
      out.set("partAChain", links);
    }
    out.set("zInput", split.zInput);
    out.set("maskInput", split.maskInput);
    out.set("gInput", split.speakerInput);
    out.set("durationOutput", split.durationOutput);
    out.set("audioOutputs", stringArray(split.audioOutputs));
    out.set("receptiveFieldFrames", split.receptiveFieldFrames);
    out.set("receptiveLeftFrames", split.receptiveLeftFrames);
    out.set("receptiveRightFrames", split.receptiveRightFrames);
    out.set("hopLength", split.hopLength);
    out.set("decoderCutReason", split.decoderCutReason);
    out.set("expansionReason", split.expansionReason);
    if (split.expandsOutside()) {
      val expansion = val::object();
      expansion.set("mean", split.priorMean);
      expansion.set("logScale", split.priorLogScale);
      expansion.set("noiseFactors", stringArray(split.noiseFactors));
      out.set("expansion", expansion);
    } else {
      out.set("expansion", val::null());
    }
    if (split.flow.empty()) {
      out.set("decoderCut", val::null());
      return out;
    }
    val cut = val::object();
    cut.set("flow", copyOut(split.flow));
    std::vector<uint8_t>().swap(split.flow);
    cut.set("decoder", copyOut(split.decoder));
    std::vector<uint8_t>().swap(split.decoder);
    cut.set("decoderInput", split.decoderInput);
    cut.set("flowInputs", stringArray(split.flowInputs));
    cut.set("decoderInputs", stringArray(split.decoderInputs));
    cut.set("flowMarginFrames", split.flowMarginFrames);
    cut.set("decoderMarginFrames", split.decoderMarginFrames);
    out.set("decoderCut", cut);
    return out;
  });
}

}  // namespace

EMSCRIPTEN_BINDINGS(avatar_voice_model_split) {
  emscripten::function("splitModel", &splitModel);
}

}  // namespace avatar_voice::wasm
