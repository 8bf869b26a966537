// Plain values the repositories read and write: one struct per stored row, a New* struct for
// what a caller supplies on create, an *Update struct whose empty optionals mean "leave as is".
//
//   Avatar ada = store.avatars().create("Ada", {{"emotion", "calm"}});
//   SessionFilter filter;
//   filter.avatarId = ada.id;
//   filter.includeDeleted = true;
//   std::vector<Session> sessions = store.sessions().list(filter);
//
// Everything here is owned by value; nothing points into the database. Timestamps are unix
// milliseconds. Bytes (audio, renders, assets) are not part of these rows: lists would otherwise
// drag megabytes along; read them with the repository's getBytes(id).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace avatar_voice::store {

// Window of a list, ordered by id ascending. limit is 1..kMaxListLimit, offset >= 0.
struct Page {
  static constexpr int64_t kMaxListLimit = 1000;
  int64_t limit = 100;
  int64_t offset = 0;
  bool newestFirst = false;  // ORDER BY id DESC: the newest rows on the first page
};

struct Avatar {
  int64_t id = 0;
  std::string name;
  nlohmann::json state = nlohmann::json::object();  // free-form, e.g. {"emotion":"happy"}
  int64_t createdAt = 0;
  int64_t updatedAt = 0;
};

struct AvatarUpdate {
  std::optional<std::string> name;
  std::optional<nlohmann::json> state;  // replaces the whole state; see patchState to merge
};

struct Session {
  int64_t id = 0;
  int64_t avatarId = 0;
  std::string kind;  // e.g. "interview"
  std::string title;
  nlohmann::json metadata = nlohmann::json::object();
  int64_t createdAt = 0;
  int64_t updatedAt = 0;
  std::optional<int64_t> deletedAt;  // set by softDelete, cleared by restore
};

struct NewSession {
  int64_t avatarId = 0;
  std::string kind;
  std::string title;
  nlohmann::json metadata = nlohmann::json::object();
};

struct SessionUpdate {
  std::optional<std::string> kind;
  std::optional<std::string> title;
  std::optional<nlohmann::json> metadata;
};

struct SessionFilter {
  std::optional<int64_t> avatarId;
  std::optional<std::string> kind;
  bool includeDeleted = false;
  bool onlyDeleted = false;  // the "recently deleted" list (overrides includeDeleted)
  Page page;
};

struct Preset {
  int64_t id = 0;
  std::string kind;                                // e.g. "question_set", "avatar_style"
  std::string name;                                // unique within its kind
  nlohmann::json data = nlohmann::json::object();  // any JSON value
  int64_t createdAt = 0;
  int64_t updatedAt = 0;
};

struct PresetUpdate {
  std::optional<std::string> name;
  std::optional<nlohmann::json> data;
};

struct PresetFilter {
  std::optional<std::string> kind;
  Page page;
};

struct Render {
  int64_t id = 0;
  int64_t avatarId = 0;
  std::optional<int64_t> sessionId;
  std::string kind;  // e.g. "thumbnail", "frame"
  std::string mime;  // e.g. "image/png"
  int64_t width = 0;
  int64_t height = 0;
  int64_t size = 0;  // length of the bytes
  nlohmann::json metadata = nlohmann::json::object();
  int64_t createdAt = 0;
};

struct NewRender {
  int64_t avatarId = 0;
  std::optional<int64_t> sessionId;  // when set, must belong to avatarId
  std::string kind;
  std::string mime;
  int64_t width = 0;
  int64_t height = 0;
  nlohmann::json metadata = nlohmann::json::object();
};

// The bytes of a render or an audio are immutable: a different image or sound is a new row.
struct RenderUpdate {
  std::optional<std::string> kind;
  std::optional<nlohmann::json> metadata;
};

struct RenderFilter {
  std::optional<int64_t> avatarId;
  std::optional<int64_t> sessionId;
  std::optional<std::string> kind;
  Page page;
};

struct Audio {
  int64_t id = 0;
  std::optional<int64_t> avatarId;
  std::optional<int64_t> sessionId;
  std::string text;  // what was spoken
  std::string voiceId;
  int64_t sampleRate = 0;
  int64_t durationMs = 0;
  std::string format;  // "wav" (RIFF/WAVE file) or "pcm_f32" (raw little-endian float32 mono)
  int64_t size = 0;
  nlohmann::json metadata = nlohmann::json::object();
  int64_t createdAt = 0;
};

struct NewAudio {
  std::optional<int64_t> avatarId;
  std::optional<int64_t> sessionId;  // when set with avatarId, must belong to it
  std::string text;
  std::string voiceId;
  int64_t sampleRate = 0;
  int64_t durationMs = 0;
  std::string format;
  nlohmann::json metadata = nlohmann::json::object();
};

struct AudioUpdate {
  std::optional<nlohmann::json> metadata;
};

struct AudioFilter {
  std::optional<int64_t> avatarId;
  std::optional<int64_t> sessionId;
  std::optional<std::string> voiceId;
  Page page;
};

// One timed phoneme of an audio; (audioId, idx) is the key, idx is the caller's order (0-based).
struct Phoneme {
  int64_t audioId = 0;
  int64_t idx = 0;
  std::string phoneme;  // IPA symbol(s) as produced by the phonemizer
  double startMs = 0;   // REAL: boundaries come from sample counts, rounding would open gaps
  double endMs = 0;
  std::string viseme;
};

// A row of PhonemeRepository::insertBatch; the audio is named once for the whole batch.
struct NewPhoneme {
  int64_t idx = 0;
  std::string phoneme;
  double startMs = 0;
  double endMs = 0;
  std::string viseme;
};

struct PhonemeUpdate {
  std::optional<std::string> phoneme;
  std::optional<double> startMs;
  std::optional<double> endMs;
  std::optional<std::string> viseme;
};

struct Asset {
  int64_t id = 0;
  std::string name;  // a file name: no path separator, no leading dot, no control character
  std::string mime;
  int64_t size = 0;
  std::string sha256;  // lowercase hex of the bytes
  int64_t createdAt = 0;
  int64_t updatedAt = 0;
};

struct AssetUpdate {
  std::optional<std::string> name;
  std::optional<std::string> mime;
};

struct ConfigEntry {
  std::string key;
  nlohmann::json value;
  bool isDefault = false;  // true: not stored, the built-in default
  int64_t updatedAt = 0;   // 0 for defaults
};

}  // namespace avatar_voice::store
