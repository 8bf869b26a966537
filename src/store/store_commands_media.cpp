// StoreCommands methods for the entities that carry bytes (renders, audios, assets) and for the
// phoneme timeline. Bytes travel in blobIn/blobOut, never inside the JSON.
#include "store/entity_json.h"
#include "store/packed_phoneme_rows.h"
#include "store/store_commands.h"

namespace avatar_voice::store {

using nlohmann::json;

namespace {

std::vector<NewPhoneme> parsePhonemeRows(const CommandRequest& request, const json& rows) {
  std::vector<NewPhoneme> parsed;
  parsed.reserve(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    const CommandParams row(request.method + ": rows[" + std::to_string(i) + "]", rows[i]);
    NewPhoneme phoneme;
    // idx defaults to the position, so a plain timeline needs no explicit numbering.
    phoneme.idx = row.optionalInt64("idx").value_or(static_cast<int64_t>(i));
    phoneme.phoneme = row.requiredString("phoneme");
    phoneme.startMs = row.requiredDouble("startMs");
    phoneme.endMs = row.requiredDouble("endMs");
    phoneme.viseme = row.optionalString("viseme").value_or("");
    parsed.push_back(std::move(phoneme));
  }
  return parsed;
}

}  // namespace

void StoreCommands::addMediaCommands() {
  // ---- renders
  add("renders.create", {"avatarId", "sessionId", "kind", "mime", "width", "height", "metadata"},
      [this](CommandRequest& r) {
        NewRender fields;
        fields.avatarId = r.params.requiredInt64("avatarId");
        fields.sessionId = r.params.optionalInt64("sessionId");
        fields.kind = r.params.requiredString("kind");
        fields.mime = r.params.requiredString("mime");
        fields.width = r.params.requiredInt64("width");
        fields.height = r.params.requiredInt64("height");
        fields.metadata = r.params.optionalObject("metadata").value_or(json::object());
        return toJson(store_.renders().create(fields, r.requireBlobIn()));
      });
  add("renders.get", {"id"}, [this](CommandRequest& r) {
    return toJson(store_.renders().get(r.params.requiredInt64("id")));
  });
  add("renders.getBytes", {"id"}, [this](CommandRequest& r) {
    std::vector<uint8_t>& out = r.requireBlobOut();
    const int64_t id = r.params.requiredInt64("id");
    const Render render = store_.renders().get(id);
    out = store_.renders().getBytes(id);
    return json{{"size", out.size()}, {"mime", render.mime}};
  });
  add("renders.list", {"avatarId", "sessionId", "kind", "limit", "offset", "order"},
      [this](CommandRequest& r) {
        RenderFilter filter;
        filter.avatarId = r.params.optionalInt64("avatarId");
        filter.sessionId = r.params.optionalInt64("sessionId");
        filter.kind = r.params.optionalString("kind");
        filter.page = r.params.page();
        return toJson(store_.renders().list(filter));
      });
  add("renders.update", {"id", "kind", "metadata"}, [this](CommandRequest& r) {
    RenderUpdate update;
    update.kind = r.params.optionalString("kind");
    update.metadata = r.params.optionalObject("metadata");
    return toJson(store_.renders().update(r.params.requiredInt64("id"), update));
  });
  add("renders.delete", {"id"}, [this](CommandRequest& r) {
    store_.renders().remove(r.params.requiredInt64("id"));
    return json(nullptr);
  });

  // ---- audios
  add("audios.create",
      {"avatarId", "sessionId", "text", "voiceId", "sampleRate", "durationMs", "format", "metadata",
       "phonemes", "phonemeBytes"},
      [this](CommandRequest& r) {
        NewAudio fields;
        fields.avatarId = r.params.optionalInt64("avatarId");
        fields.sessionId = r.params.optionalInt64("sessionId");
        fields.text = r.params.requiredString("text");
        fields.voiceId = r.params.requiredString("voiceId");
        fields.sampleRate = r.params.requiredInt64("sampleRate");
        fields.durationMs = r.params.requiredInt64("durationMs");
        fields.format = r.params.requiredString("format");
        fields.metadata = r.params.optionalObject("metadata").value_or(json::object());
        std::vector<NewPhoneme> phonemes;
        const std::optional<json> rows = r.params.optionalJson("phonemes");
        if (rows && !rows->is_null()) {
          if (!rows->is_array()) r.params.fail("param 'phonemes' must be an array");
          phonemes = parsePhonemeRows(r, *rows);
        }
        const std::vector<uint8_t>& blob = r.requireBlobIn();
        // phonemeBytes: the blob ends with that many bytes of packed rows (one blob per call).
        const std::optional<int64_t> packed = r.params.optionalInt64("phonemeBytes");
        std::vector<uint8_t> audioBytes;
        if (packed) {
          if (rows && !rows->is_null())
            r.params.fail("params 'phonemes' and 'phonemeBytes' exclude each other");
          if (*packed < 0 || static_cast<uint64_t>(*packed) > blob.size())
            r.params.fail("param 'phonemeBytes' (" + std::to_string(*packed) + ") is outside the " +
                          std::to_string(blob.size()) + " bytes given");
          const size_t audioSize = blob.size() - static_cast<size_t>(*packed);
          phonemes = unpackPhonemeRows(blob.data() + audioSize, static_cast<size_t>(*packed));
          audioBytes.assign(blob.begin(), blob.begin() + static_cast<std::ptrdiff_t>(audioSize));
        }
        const std::vector<uint8_t>& bytes = packed ? audioBytes : blob;
        // The audio and its timeline are saved together or not at all.
        return store_.database().transaction([&] {
          json audio = toJson(store_.audios().create(fields, bytes));
          const int64_t id = audio["id"].get<int64_t>();
          audio["phonemeCount"] = store_.phonemes().insertBatch(id, phonemes);
          return audio;
        });
      });
  add("audios.get", {"id"}, [this](CommandRequest& r) {
    return toJson(store_.audios().get(r.params.requiredInt64("id")));
  });
  addGetMany("audios", [this](int64_t id) { return toJson(store_.audios().get(id)); });
  add("audios.getBytes", {"id"}, [this](CommandRequest& r) {
    std::vector<uint8_t>& out = r.requireBlobOut();
    const int64_t id = r.params.requiredInt64("id");
    const Audio audio = store_.audios().get(id);
    out = store_.audios().getBytes(id);
    return json{{"size", out.size()}, {"format", audio.format}, {"sampleRate", audio.sampleRate}};
  });
  add("audios.list", {"avatarId", "sessionId", "voiceId", "limit", "offset", "order"},
      [this](CommandRequest& r) {
        AudioFilter filter;
        filter.avatarId = r.params.optionalInt64("avatarId");
        filter.sessionId = r.params.optionalInt64("sessionId");
        filter.voiceId = r.params.optionalString("voiceId");
        filter.page = r.params.page();
        return toJson(store_.audios().list(filter));
      });
  add("audios.update", {"id", "metadata"}, [this](CommandRequest& r) {
    AudioUpdate update;
    update.metadata = r.params.optionalObject("metadata");
    return toJson(store_.audios().update(r.params.requiredInt64("id"), update));
  });
  add("audios.delete", {"id"}, [this](CommandRequest& r) {
    store_.audios().remove(r.params.requiredInt64("id"));
    return json(nullptr);
  });

  // ---- phonemes
  add("phonemes.insertBatch", {"audioId", "rows"}, [this](CommandRequest& r) {
    const int64_t audioId = r.params.requiredInt64("audioId");
    const std::vector<NewPhoneme> rows = parsePhonemeRows(r, r.params.requiredArray("rows"));
    return json{{"inserted", store_.phonemes().insertBatch(audioId, rows)}};
  });
  add("phonemes.insertPacked", {"audioId"}, [this](CommandRequest& r) {
    const int64_t audioId = r.params.requiredInt64("audioId");
    const std::vector<uint8_t>& blob = r.requireBlobIn();
    const std::vector<NewPhoneme> rows = unpackPhonemeRows(blob.data(), blob.size());
    return json{{"inserted", store_.phonemes().insertBatch(audioId, rows)}};
  });
  add("phonemes.listPacked", {"audioId"}, [this](CommandRequest& r) {
    std::vector<uint8_t>& out = r.requireBlobOut();
    const std::vector<Phoneme> rows = store_.phonemes().list(r.params.requiredInt64("audioId"));
    out = packPhonemeRows(rows);
    return json{{"count", rows.size()}};
  });
  add("phonemes.get", {"audioId", "idx"}, [this](CommandRequest& r) {
    return toJson(
        store_.phonemes().get(r.params.requiredInt64("audioId"), r.params.requiredInt64("idx")));
  });
  add("phonemes.list", {"audioId"}, [this](CommandRequest& r) {
    return toJson(store_.phonemes().list(r.params.requiredInt64("audioId")));
  });
  add("phonemes.update", {"audioId", "idx", "phoneme", "startMs", "endMs", "viseme"},
      [this](CommandRequest& r) {
        PhonemeUpdate update;
        update.phoneme = r.params.optionalString("phoneme");
        update.startMs = r.params.optionalDouble("startMs");
        update.endMs = r.params.optionalDouble("endMs");
        update.viseme = r.params.optionalString("viseme");
        return toJson(store_.phonemes().update(r.params.requiredInt64("audioId"),
                                               r.params.requiredInt64("idx"), update));
      });
  add("phonemes.delete", {"audioId", "idx"}, [this](CommandRequest& r) {
    store_.phonemes().remove(r.params.requiredInt64("audioId"), r.params.requiredInt64("idx"));
    return json(nullptr);
  });
  add("phonemes.deleteAll", {"audioId"}, [this](CommandRequest& r) {
    return json{{"deleted", store_.phonemes().removeAll(r.params.requiredInt64("audioId"))}};
  });

  // ---- assets
  add("assets.create", {"name", "mime"}, [this](CommandRequest& r) {
    return toJson(store_.assets().create(r.params.requiredString("name"),
                                         r.params.requiredString("mime"), r.requireBlobIn()));
  });
  add("assets.get", {"id"}, [this](CommandRequest& r) {
    return toJson(store_.assets().get(r.params.requiredInt64("id")));
  });
  add("assets.getByName", {"name"}, [this](CommandRequest& r) {
    const std::string name = r.params.requiredString("name");
    std::optional<Asset> asset = store_.assets().findByName(name);
    if (!asset) throw Error(ErrorCode::kNotFound, "asset '" + name + "' not found");
    return toJson(*asset);
  });
  add("assets.getBytes", {"id"}, [this](CommandRequest& r) {
    std::vector<uint8_t>& out = r.requireBlobOut();
    const int64_t id = r.params.requiredInt64("id");
    const Asset asset = store_.assets().get(id);
    out = store_.assets().getBytes(id);
    return json{{"size", out.size()}, {"mime", asset.mime}, {"sha256", asset.sha256}};
  });
  add("assets.list", {"limit", "offset", "order"},
      [this](CommandRequest& r) { return toJson(store_.assets().list(r.params.page())); });
  // With blobIn, the bytes are replaced too, in the same transaction as the rename.
  add("assets.update", {"id", "name", "mime"}, [this](CommandRequest& r) {
    const int64_t id = r.params.requiredInt64("id");
    AssetUpdate update;
    update.name = r.params.optionalString("name");
    update.mime = r.params.optionalString("mime");
    return store_.database().transaction([&] {
      Asset asset = store_.assets().update(id, update);
      if (r.blobIn != nullptr) asset = store_.assets().replaceBytes(id, *r.blobIn);
      return toJson(asset);
    });
  });
  add("assets.delete", {"id"}, [this](CommandRequest& r) {
    store_.assets().remove(r.params.requiredInt64("id"));
    return json(nullptr);
  });
}

}  // namespace avatar_voice::store
