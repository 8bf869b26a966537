// Embind surface for synthesis: a voice handle (WasmVoice), the speech stream of one utterance
// (WasmSpeechStream: model input out, model output in, chunk out; or, for a split voice, part A's
// durations in, windows out, each window's audio in, its chunk out), the model timing patch and
// WAV encoding. Same conventions as bindings.cpp: values in, values out, typed errors as {__error}.
// Result shapes are Embind value objects (declared once here; wasm/avatar_voice_core.d.ts types
// them for the web layer).
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "audio/wav_encoder.h"
#include "core/error.h"
#include "core/limits.h"
#include "phonemize/espeak_engine.h"
#include "synth/piper_voice.h"
#include "synth/speech_stream.h"
#include "voice/onnx_timing_patch.h"
#include "wasm_values.h"

using emscripten::val;

namespace avatar_voice::wasm {
namespace {

// --- result shapes (value objects) ---

struct VisemeValue {
  std::string viseme;  // the set's name for the id
  int id = 0;
  double startMs = 0;
  double endMs = 0;
  double weight = 0;
};

// One sentence of ids, for callers that only want the model input (phonemizeToIds).
struct SentenceIdsValue {
  val ids = val::undefined();       // Int32Array
  val phonemes = val::undefined();  // string[]
  int textStart = 0;                // UTF-8 byte span in the text
  int textEnd = 0;
  val warnings = val::undefined();  // string[]
};

struct ModelRequestValue {
  int sentence = 0;
  double sampleOffset = 0;
  bool endsSentence = true;
  double pauseSamples = 0;     // > 0: a <break>, no model run (finish with empty audio)
  val ids = val::undefined();  // Int32Array
  double noiseScale = 0;
  double lengthScale = 0;
  double noiseW = 0;
  double speakerId = 0;
};

struct SpeechChunkValue {
  int sentence = 0;
  double sampleOffset = 0;
  bool endsSentence = true;
  double sentenceSamples = 0;
  int textStart = 0;  // UTF-8 byte span of the sentence in the text
  int textEnd = 0;
  val warnings = val::undefined();  // string[]
  val samples = val::undefined();   // Float32Array
  int sampleRate = 0;
  val phonemes = val::undefined();            // string[]
  val phonemeStartSample = val::undefined();  // Int32Array
  val phonemeEndSample = val::undefined();    // Int32Array
  val phonemeTextStart = val::undefined();    // Int32Array (UTF-8 bytes, -1 for ^ / $)
  val phonemeTextEnd = val::undefined();      // Int32Array
  val visemes = val::undefined();             // VisemeValue[]
  std::string timing;                         // "model" | "estimated"
  bool timingExact = true;
  val marks = val::undefined();               // MarkValue[]
  bool pause = false;                         // an SSML <break>: silence only
};

// A <mark> in a chunk (SpeechChunk::marks).
struct MarkValue {
  std::string name;
  double sample = 0;   // relative to the chunk's first sample
  int textOffset = 0;  // UTF-8 bytes in the text
};

// One window of a sentence's decoder frames (SpeechStream::beginWindows).
struct FrameWindowValue {
  double startFrame = 0;
  double endFrame = 0;
};

struct ModelPatchValue {
  val model = val::undefined();  // Uint8Array
  std::string timing;            // "model" | "estimated"
  std::string durationOutput;
  bool alreadyPatched = false;
};

val stringsOut(const std::vector<std::string>& items) {
  val list = val::array();
  for (const std::string& s : items) list.call<void>("push", s);
  return list;
}

val requestValue(const ModelRequest& r) {
  ModelRequestValue out;
  out.sentence = r.sentence;
  out.sampleOffset = static_cast<double>(r.sampleOffset);
  out.endsSentence = r.endsSentence;
  out.pauseSamples = static_cast<double>(r.pauseSamples);
  out.ids = copyOut(std::vector<int32_t>(r.ids.begin(), r.ids.end()));
  out.noiseScale = r.noiseScale;
  out.lengthScale = r.lengthScale;
  out.noiseW = r.noiseW;
  out.speakerId = static_cast<double>(r.speakerId);
  return val(std::move(out));
}

val chunkValue(const SpeechChunk& chunk) {
  std::vector<int32_t> starts, ends, textStarts, textEnds;
  std::vector<std::string> symbols;
  for (const AlignedPhoneme& a : chunk.alignment.phonemes) {
    symbols.push_back(a.phoneme);
    starts.push_back(static_cast<int32_t>(a.startSample));
    ends.push_back(static_cast<int32_t>(a.endSample));
    textStarts.push_back(a.textStart);
    textEnds.push_back(a.textEnd);
  }
  val visemes = val::array();
  for (const VisemeEvent& e : chunk.visemes) {
    visemes.call<void>("push", val(VisemeValue{visemeName(chunk.visemeSet, e.viseme), e.viseme,
                                               e.startMs, e.endMs, e.weight}));
  }
  SpeechChunkValue out;
  out.sentence = chunk.sentence;
  out.sampleOffset = static_cast<double>(chunk.sampleOffset);
  out.endsSentence = chunk.endsSentence;
  out.sentenceSamples = static_cast<double>(chunk.sentenceSamples);
  out.textStart = chunk.textStart;
  out.textEnd = chunk.textEnd;
  out.warnings = stringsOut(chunk.warnings);
  out.samples = copyOut(chunk.samples);
  out.sampleRate = chunk.sampleRate;
  out.phonemes = stringsOut(symbols);
  out.phonemeStartSample = copyOut(starts);
  out.phonemeEndSample = copyOut(ends);
  out.phonemeTextStart = copyOut(textStarts);
  out.phonemeTextEnd = copyOut(textEnds);
  out.visemes = visemes;
  out.timing = chunk.estimatedTiming ? "estimated" : "model";
  out.timingExact = chunk.alignment.exact;
  val marks = val::array();
  for (const ChunkMark& m : chunk.marks)
    marks.call<void>("push", val(MarkValue{m.name, static_cast<double>(m.sample), m.textOffset}));
  out.marks = marks;
  out.pause = chunk.pause;
  return val(std::move(out));
}

// --- options in ---

std::optional<double> numberOption(const val& options, const char* name) {
  const val v = options[name];
  if (v.isUndefined() || v.isNull()) return std::nullopt;
  if (!v.isNumber()) throw Error(ErrorCode::kInvalidArgument, std::string(name) + " must be a number");
  return v.as<double>();
}

// {speaker, noiseScale, lengthScale, noiseW, maxChars, normalize, volume, visemeSet, minVisemeMs,
// ssml}
// (web/types.ts SynthesisOptions); absent fields keep the core's defaults.
SpeechOptions speechOptions(const val& options) {
  SpeechOptions out;
  if (options.isUndefined() || options.isNull()) return out;
  out.noiseScale = numberOption(options, "noiseScale");
  out.lengthScale = numberOption(options, "lengthScale");
  out.noiseW = numberOption(options, "noiseW");
  const val speaker = options["speaker"];
  // A number is its decimal text (JS String()), so names and ids go through one rule in the core.
  if (speaker.isString() || speaker.isNumber()) {
    out.speaker = val::global("String")(speaker).as<std::string>();
  } else if (!speaker.isUndefined() && !speaker.isNull()) {
    throw Error(ErrorCode::kInvalidArgument, "speaker must be a name or a numeric id");
  }
  const std::optional<double> maxChars = numberOption(options, "maxChars");
  if (maxChars && *maxChars > 0) out.maxChars = static_cast<size_t>(*maxChars);
  if (options["normalize"].isFalse()) out.finish.normalize = false;
  if (options["ssml"].isTrue()) out.ssml = true;
  if (const auto volume = numberOption(options, "volume")) out.finish.volume = static_cast<float>(*volume);
  if (const auto minMs = numberOption(options, "minVisemeMs")) out.finish.visemes.minDurationMs = *minMs;
  const val set = options["visemeSet"];
  if (set.isString() && set.as<std::string>() == "azure") out.finish.visemes.set = VisemeSet::kAzure22;
  return out;
}

// --- handles ---

// The speech stream of one utterance (src/synth/speech_stream.h). Holds its voice alive, so the
// WasmVoice may be deleted first. Must be delete()d by the web layer.
class WasmSpeechStream {
 public:
  WasmSpeechStream(std::shared_ptr<const PiperVoice> voice, std::unique_ptr<SpeechStream> stream)
      : voice_(std::move(voice)), stream_(std::move(stream)) {}

  // The next model input, or null once every one was handed out.
  val next() {
    return guarded([&] {
      const std::optional<ModelRequest> request = stream_->next();
      return request ? requestValue(*request) : val::null();
    });
  }

  bool done() const { return stream_->done(); }

  // Model output of the request for `sentence` → its chunk. `frames` is null/undefined when the
  // model has no timing output.
  val finish(int sentence, val audio, val frames) {
    return guarded([&] {
      std::vector<float> framesIn;
      const bool haveFrames = !frames.isNull() && !frames.isUndefined();
      if (haveFrames)
        framesIn = copyIn<float>(frames, limits::kMaxSentenceSamples, ErrorCode::kInvalidArgument, "frames");
      std::vector<float> samples =
          copyIn<float>(audio, limits::kMaxSentenceSamples, ErrorCode::kInvalidArgument, "audio");
      return chunkValue(stream_->finish(sentence, std::move(samples),
                                        haveFrames ? framesIn.data() : nullptr, framesIn.size()));
    });
  }

  // Part A's durations (the Ceil output) and frame count of `sentence` → its windows
  // (FrameWindowValue[]); the stream keeps the sentence's timeline for finishWindow().
  // `decodeSpeed`: how many times faster than real time the caller decoded so far (2: unknown).
  val beginWindows(int sentence, val frames, double totalFrames, double decodeSpeed) {
    return guarded([&] {
      const std::vector<float> framesIn =
          copyIn<float>(frames, limits::kMaxSentenceSamples, ErrorCode::kInvalidArgument, "frames");
      if (!(totalFrames >= 0 && totalFrames <= static_cast<double>(limits::kMaxSentenceSamples)))
        throw Error(ErrorCode::kInvalidArgument, "totalFrames out of range");
      WindowPlanOptions plan;
      plan.decodeSpeed = decodeSpeed;
      val windows = val::array();
      for (const FrameWindow& w : stream_->beginWindows(sentence, framesIn.data(), framesIn.size(),
                                                        static_cast<int64_t>(totalFrames), plan)) {
        windows.call<void>("push", val(FrameWindowValue{static_cast<double>(w.startFrame),
                                                         static_cast<double>(w.endFrame)}));
      }
      return windows;
    });
  }

  // Part B's cropped audio of window `window` of `sentence` → its chunk.
  val finishWindow(int sentence, int window, val audio) {
    return guarded([&] {
      if (window < 0) throw Error(ErrorCode::kInvalidArgument, "window must be >= 0");
      std::vector<float> samples =
          copyIn<float>(audio, limits::kMaxSentenceSamples, ErrorCode::kInvalidArgument, "audio");
      return chunkValue(stream_->finishWindow(sentence, static_cast<size_t>(window), std::move(samples)));
    });
  }

 private:
  std::shared_ptr<const PiperVoice> voice_;  // declared first: outlives stream_
  std::unique_ptr<SpeechStream> stream_;
};

// One voice's parsed config (PiperVoice); makes the streams of its utterances.
class WasmVoice {
 public:
  // Parses a Piper .onnx.json; returns its summary (VoiceConfig::toJson).
  val load(val configIn) {
    return guarded([&] {
      const std::string configJson = textIn(configIn, limits::kMaxVoiceConfigBytes,
                                            ErrorCode::kInvalidVoiceConfig, "voice config");
      voice_ = std::make_shared<const PiperVoice>(PiperVoice::fromConfigJson(configJson));
      return val::global("JSON").call<val>("parse", voice_->config().toJson());
    });
  }

  // Text → sentences of model ids, nothing kept.
  val plan(val textArg, double maxChars) {
    return guarded([&] {
      const size_t limit = maxChars > 0 ? static_cast<size_t>(maxChars) : limits::kMaxTextChars;
      const std::string text = textWithin(textArg, limit);
      Phonemizer phonemizer(EspeakEngine::instance());
      val sentences = val::array();
      for (const SentencePlan& s : voice().plan(phonemizer, text, limit)) {
        std::vector<std::string> symbols;
        for (const Phoneme& p : s.phonemes) symbols.push_back(p.symbol);
        SentenceIdsValue out;
        out.ids = copyOut(std::vector<int32_t>(s.ids.ids.begin(), s.ids.ids.end()));
        out.phonemes = stringsOut(symbols);
        out.textStart = s.textStart;
        out.textEnd = s.textEnd;
        out.warnings = stringsOut(s.ids.warnings);
        sentences.call<void>("push", val(std::move(out)));
      }
      return sentences;
    });
  }

  // A stream for `text` with `options` (see speechOptions): scales, speaker and text are checked
  // here, before anything runs.
  val startStream(val textArg, val options) {
    return guarded([&] {
      SpeechOptions opts = speechOptions(options);
      const std::string text = textWithin(textArg, opts.maxChars);
      Phonemizer phonemizer(EspeakEngine::instance());
      auto stream = std::make_unique<SpeechStream>(voice(), phonemizer, text, opts);
      return val(WasmSpeechStream(voice_, std::move(stream)));
    });
  }

 private:
  const PiperVoice& voice() const {
    if (!voice_) throw Error(ErrorCode::kInvalidArgument, "voice not loaded");
    return *voice_;
  }

  std::shared_ptr<const PiperVoice> voice_;
};

val patchModel(val modelIn) {
  return guarded([&] {
    const std::vector<uint8_t> model =
        bytesIn(modelIn, limits::kMaxVoiceModelBytes, ErrorCode::kInvalidModel, "voice model");
    TimingPatch patch = patchModelForTimings(reinterpret_cast<const uint8_t*>(model.data()), model.size());
    ModelPatchValue out;
    out.model = copyOut(patch.model);
    out.timing = patch.timing == TimingSource::kModel ? "model" : "estimated";
    out.durationOutput = patch.durationOutput;
    out.alreadyPatched = patch.alreadyPatched;
    return val(std::move(out));
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
  using emscripten::value_object;
  value_object<VisemeValue>("VisemeValue")
      .field("viseme", &VisemeValue::viseme)
      .field("id", &VisemeValue::id)
      .field("startMs", &VisemeValue::startMs)
      .field("endMs", &VisemeValue::endMs)
      .field("weight", &VisemeValue::weight);
  value_object<SentenceIdsValue>("SentenceIdsValue")
      .field("ids", &SentenceIdsValue::ids)
      .field("phonemes", &SentenceIdsValue::phonemes)
      .field("textStart", &SentenceIdsValue::textStart)
      .field("textEnd", &SentenceIdsValue::textEnd)
      .field("warnings", &SentenceIdsValue::warnings);
  value_object<ModelRequestValue>("ModelRequestValue")
      .field("sentence", &ModelRequestValue::sentence)
      .field("sampleOffset", &ModelRequestValue::sampleOffset)
      .field("endsSentence", &ModelRequestValue::endsSentence)
      .field("pauseSamples", &ModelRequestValue::pauseSamples)
      .field("ids", &ModelRequestValue::ids)
      .field("noiseScale", &ModelRequestValue::noiseScale)
      .field("lengthScale", &ModelRequestValue::lengthScale)
      .field("noiseW", &ModelRequestValue::noiseW)
      .field("speakerId", &ModelRequestValue::speakerId);
  value_object<SpeechChunkValue>("SpeechChunkValue")
      .field("sentence", &SpeechChunkValue::sentence)
      .field("sampleOffset", &SpeechChunkValue::sampleOffset)
      .field("endsSentence", &SpeechChunkValue::endsSentence)
      .field("sentenceSamples", &SpeechChunkValue::sentenceSamples)
      .field("textStart", &SpeechChunkValue::textStart)
      .field("textEnd", &SpeechChunkValue::textEnd)
      .field("warnings", &SpeechChunkValue::warnings)
      .field("samples", &SpeechChunkValue::samples)
      .field("sampleRate", &SpeechChunkValue::sampleRate)
      .field("phonemes", &SpeechChunkValue::phonemes)
      .field("phonemeStartSample", &SpeechChunkValue::phonemeStartSample)
      .field("phonemeEndSample", &SpeechChunkValue::phonemeEndSample)
      .field("phonemeTextStart", &SpeechChunkValue::phonemeTextStart)
      .field("phonemeTextEnd", &SpeechChunkValue::phonemeTextEnd)
      .field("visemes", &SpeechChunkValue::visemes)
      .field("timing", &SpeechChunkValue::timing)
      .field("timingExact", &SpeechChunkValue::timingExact)
      .field("marks", &SpeechChunkValue::marks)
      .field("pause", &SpeechChunkValue::pause);
  value_object<MarkValue>("MarkValue")
      .field("name", &MarkValue::name)
      .field("sample", &MarkValue::sample)
      .field("textOffset", &MarkValue::textOffset);
  value_object<FrameWindowValue>("FrameWindowValue")
      .field("startFrame", &FrameWindowValue::startFrame)
      .field("endFrame", &FrameWindowValue::endFrame);
  value_object<ModelPatchValue>("ModelPatchValue")
      .field("model", &ModelPatchValue::model)
      .field("timing", &ModelPatchValue::timing)
      .field("durationOutput", &ModelPatchValue::durationOutput)
      .field("alreadyPatched", &ModelPatchValue::alreadyPatched);

  emscripten::class_<WasmSpeechStream>("WasmSpeechStream")
      .function("next", &WasmSpeechStream::next)
      .function("done", &WasmSpeechStream::done)
      .function("finish", &WasmSpeechStream::finish)
      .function("beginWindows", &WasmSpeechStream::beginWindows)
      .function("finishWindow", &WasmSpeechStream::finishWindow);
  emscripten::class_<WasmVoice>("WasmVoice")
      .constructor<>()
      .function("load", &WasmVoice::load)
      .function("plan", &WasmVoice::plan)
      .function("startStream", &WasmVoice::startStream);
  emscripten::function("patchModel", &patchModel);
  emscripten::function("encodeWav", &encodeWav);
}

}  // namespace avatar_voice::wasm
