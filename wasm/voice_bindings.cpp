// Embind surface for synthesis: a voice handle (plan before inference, finish after it), the
// model timing patch and WAV encoding. Same conventions as bindings.cpp: values in, values out,
// typed errors as {__error}.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <memory>
#include <string>

#include "audio/wav_encoder.h"
#include "core/error.h"
#include "core/limits.h"
#include "phonemize/espeak_engine.h"
#include "synth/piper_voice.h"
#include "synth/sentence_plan_store.h"
#include "voice/onnx_timing_patch.h"
#include "wasm_values.h"

using emscripten::val;

namespace avatar_voice::wasm {
namespace {

val viseme(const VisemeEvent& e, VisemeSet set) {
  val v = val::object();
  v.set("viseme", std::string(visemeName(set, e.viseme)));
  v.set("id", e.viseme);
  v.set("startMs", e.startMs);
  v.set("endMs", e.endMs);
  v.set("weight", e.weight);
  return v;
}

// One voice: its parsed config and the sentence plans waiting for their model output.
class CoreVoice {
 public:
  val load(val configIn) {
    return guarded([&] {
      const std::string configJson = textIn(configIn, limits::kMaxVoiceConfigBytes,
                                            ErrorCode::kInvalidVoiceConfig, "voice config");
      voice_ = std::make_unique<PiperVoice>(PiperVoice::fromConfigJson(configJson));
      return val::global("JSON").call<val>("parse", voice_->config().toJson());
    });
  }

  // Text → sentences with model ids. The plan stays here until released (or evicted: see
  // SentencePlanStore); it is stored only once the reply is complete, so a throw leaks nothing.
  val plan(val textArg, double maxChars) {
    return guarded([&] {
      const size_t limit = maxChars > 0 ? static_cast<size_t>(maxChars) : limits::kMaxTextChars;
      const std::string text = textWithin(textArg, limit);
      Phonemizer phonemizer(EspeakEngine::instance());
      std::vector<SentencePlan> plans = voice().plan(phonemizer, text, limit);
      val sentences = val::array();
      for (const SentencePlan& s : plans) {
        voice().checkIds(s.ids);
        std::vector<int32_t> ids(s.ids.ids.begin(), s.ids.ids.end());
        val phonemes = val::array();
        for (const Phoneme& p : s.phonemes) phonemes.call<void>("push", p.symbol);
        val warnings = val::array();
        for (const std::string& w : s.ids.warnings) warnings.call<void>("push", w);
        val sentence = val::object();
        sentence.set("ids", copyOut(ids));
        sentence.set("phonemes", phonemes);
        sentence.set("textStart", s.textStart);
        sentence.set("textEnd", s.textEnd);
        sentence.set("warnings", warnings);
        sentences.call<void>("push", sentence);
      }
      val out = val::object();
      out.set("sentences", sentences);
      out.set("planId", plans_.add(std::move(plans)));  // last: nothing below can throw
      return out;
    });
  }

  // The inference scales of one synthesis, checked by the core before the web layer plans or
  // runs anything: {__error: INVALID_ARGUMENT} for NaN, ±Infinity, a negative or zero length.
  val checkScales(double noiseScale, double lengthScale, double noiseW) {
    return guarded([&] {
      PiperVoice::checkScales(noiseScale, lengthScale, noiseW);
      return val(true);
    });
  }

  // Plans held for this voice (a test and a leak check read it).
  int openPlans() const { return static_cast<int>(plans_.size()); }

  // Model output of sentence `index` of plan `planId` → chunk. `frames` is null/undefined when the
  // model has no timing output. options: {normalize, volume, modelTiming, visemeSet, minVisemeMs}.
  val finish(int planId, int index, val audio, val frames, val options) {
    return guarded([&] {
      const SentencePlan& plan = plans_.sentence(planId, index);
      FinishOptions opts;
      if (options["normalize"].isFalse()) opts.normalize = false;
      if (options["volume"].isNumber()) opts.volume = options["volume"].as<float>();
      if (options["minVisemeMs"].isNumber()) opts.visemes.minDurationMs = options["minVisemeMs"].as<double>();
      if (options["visemeSet"].isString() && options["visemeSet"].as<std::string>() == "azure")
        opts.visemes.set = VisemeSet::kAzure22;
      std::vector<float> framesIn;
      const bool haveFrames = !frames.isNull() && !frames.isUndefined();
      if (haveFrames)
        framesIn = copyIn<float>(frames, limits::kMaxSentenceSamples, ErrorCode::kInvalidArgument, "frames");
      std::vector<float> samples =
          copyIn<float>(audio, limits::kMaxSentenceSamples, ErrorCode::kInvalidArgument, "audio");
      SpeechChunk chunk = voice().finish(plan, std::move(samples),
                                         haveFrames ? framesIn.data() : nullptr, framesIn.size(), opts);
      return chunkValue(chunk, plan);
    });
  }

  void release(int planId) { plans_.release(planId); }

 private:
  PiperVoice& voice() {
    if (!voice_) throw Error(ErrorCode::kInvalidArgument, "voice not loaded");
    return *voice_;
  }

  static val chunkValue(const SpeechChunk& chunk, const SentencePlan& plan) {
    const auto& aligned = chunk.alignment.phonemes;
    std::vector<int32_t> starts, ends, textStarts, textEnds;
    val symbols = val::array();
    for (const AlignedPhoneme& a : aligned) {
      symbols.call<void>("push", a.phoneme);
      starts.push_back(static_cast<int32_t>(a.startSample));
      ends.push_back(static_cast<int32_t>(a.endSample));
      textStarts.push_back(a.textStart);
      textEnds.push_back(a.textEnd);
    }
    val visemes = val::array();
    for (const VisemeEvent& e : chunk.visemes.events())
      visemes.call<void>("push", viseme(e, chunk.visemes.visemeSet()));
    val out = val::object();
    out.set("samples", copyOut(chunk.samples));
    out.set("sampleRate", chunk.sampleRate);
    out.set("phonemes", symbols);
    out.set("phonemeStartSample", copyOut(starts));
    out.set("phonemeEndSample", copyOut(ends));
    out.set("phonemeTextStart", copyOut(textStarts));
    out.set("phonemeTextEnd", copyOut(textEnds));
    out.set("visemes", visemes);
    out.set("timing", std::string(chunk.estimatedTiming ? "estimated" : "model"));
    out.set("timingExact", chunk.alignment.exact);
    out.set("textStart", plan.textStart);
    out.set("textEnd", plan.textEnd);
    return out;
  }

  std::unique_ptr<PiperVoice> voice_;
  SentencePlanStore plans_;
};

val patchModel(val modelIn) {
  return guarded([&] {
    const std::vector<uint8_t> model =
        bytesIn(modelIn, limits::kMaxVoiceModelBytes, ErrorCode::kInvalidModel, "voice model");
    TimingPatch patch = patchModelForTimings(reinterpret_cast<const uint8_t*>(model.data()), model.size());
    val out = val::object();
    out.set("model", copyOut(patch.model));
    out.set("timing", std::string(patch.timing == TimingSource::kModel ? "model" : "estimated"));
    out.set("durationOutput", patch.durationOutput);
    out.set("alreadyPatched", patch.alreadyPatched);
    return out;
  });
}

val encodeWav(val samples, int sampleRate) {
  return guarded([&] {
    // Bounded before the copy: a WAV holds at most kMaxSentenceSamples 16-bit samples.
    const std::vector<float> in =
        copyIn<float>(samples, limits::kMaxSentenceSamples, ErrorCode::kInvalidArgument, "samples");
    return copyOut(encodeWav16(in.data(), in.size(), sampleRate));
  });
}

}  // namespace

EMSCRIPTEN_BINDINGS(avatar_voice_synthesis) {
  emscripten::class_<CoreVoice>("CoreVoice")
      .constructor<>()
      .function("load", &CoreVoice::load)
      .function("plan", &CoreVoice::plan)
      .function("finish", &CoreVoice::finish)
      .function("release", &CoreVoice::release)
      .function("checkScales", &CoreVoice::checkScales)
      .function("openPlans", &CoreVoice::openPlans);
  emscripten::function("patchModel", &patchModel);
  emscripten::function("encodeWav", &encodeWav);
}

}  // namespace avatar_voice::wasm
