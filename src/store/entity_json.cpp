#include "store/entity_json.h"

namespace avatar_voice::store {
namespace {

nlohmann::json orNull(const std::optional<int64_t>& value) {
  return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

}  // namespace

nlohmann::json toJson(const Avatar& avatar) {
  return {{"id", avatar.id},
          {"name", avatar.name},
          {"state", avatar.state},
          {"createdAt", avatar.createdAt},
          {"updatedAt", avatar.updatedAt}};
}

nlohmann::json toJson(const Session& session) {
  return {{"id", session.id},
          {"avatarId", session.avatarId},
          {"kind", session.kind},
          {"title", session.title},
          {"metadata", session.metadata},
          {"createdAt", session.createdAt},
          {"updatedAt", session.updatedAt},
          {"deletedAt", orNull(session.deletedAt)}};
}

nlohmann::json toJson(const Preset& preset) {
  return {{"id", preset.id},     {"kind", preset.kind},           {"name", preset.name},
          {"data", preset.data}, {"createdAt", preset.createdAt}, {"updatedAt", preset.updatedAt}};
}

nlohmann::json toJson(const Render& render) {
  return {{"id", render.id},
          {"avatarId", render.avatarId},
          {"sessionId", orNull(render.sessionId)},
          {"kind", render.kind},
          {"mime", render.mime},
          {"width", render.width},
          {"height", render.height},
          {"size", render.size},
          {"metadata", render.metadata},
          {"createdAt", render.createdAt}};
}

nlohmann::json toJson(const Audio& audio) {
  return {{"id", audio.id},
          {"avatarId", orNull(audio.avatarId)},
          {"sessionId", orNull(audio.sessionId)},
          {"text", audio.text},
          {"voiceId", audio.voiceId},
          {"sampleRate", audio.sampleRate},
          {"durationMs", audio.durationMs},
          {"format", audio.format},
          {"size", audio.size},
          {"metadata", audio.metadata},
          {"createdAt", audio.createdAt}};
}

nlohmann::json toJson(const Phoneme& phoneme) {
  return {{"audioId", phoneme.audioId}, {"idx", phoneme.idx},     {"phoneme", phoneme.phoneme},
          {"startMs", phoneme.startMs}, {"endMs", phoneme.endMs}, {"viseme", phoneme.viseme}};
}

nlohmann::json toJson(const Asset& asset) {
  return {{"id", asset.id},
          {"name", asset.name},
          {"mime", asset.mime},
          {"size", asset.size},
          {"sha256", asset.sha256},
          {"createdAt", asset.createdAt},
          {"updatedAt", asset.updatedAt}};
}

nlohmann::json toJson(const ConfigEntry& entry) {
  return {
      {"key", entry.key},
      {"value", entry.value},
      {"isDefault", entry.isDefault},
      {"updatedAt", entry.isDefault ? nlohmann::json(nullptr) : nlohmann::json(entry.updatedAt)}};
}

namespace {

nlohmann::json formatsJson(const std::map<std::string, FormatUsage>& formats) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [format, usage] : formats)
    out[format] = {{"count", usage.count}, {"bytes", usage.bytes}};
  return out;
}

}  // namespace

nlohmann::json toJson(const StoreStats& stats) {
  return {{"rowCounts", stats.rowCounts},
          {"tableBytes", stats.tableBytes},
          {"audioFormats", formatsJson(stats.audioFormats)},
          {"deletedSessions", stats.deletedSessions},
          {"pageCount", stats.pageCount},
          {"pageSize", stats.pageSize},
          {"bytes", stats.bytes},
          {"freelistCount", stats.freelistCount},
          {"schemaVersion", stats.schemaVersion}};
}

nlohmann::json toJson(const StoreHealth& health) {
  return {{"ok", health.ok},
          {"quickCheck", health.quickCheck},
          {"schemaVersion", health.schemaVersion},
          {"latestSchemaVersion", health.latestSchemaVersion},
          {"journalMode", health.journalMode},
          {"sqliteVersion", health.sqliteVersion},
          {"tableBytes", health.tableBytes},
          {"audioFormats", formatsJson(health.audioFormats)}};
}

}  // namespace avatar_voice::store
