#include "store/preset_repository.h"

#include "store/column_values.h"
#include "store/queries.h"

namespace avatar_voice::store {
namespace {

constexpr const char* kColumns = "id, kind, name, data, created_at, updated_at";

Preset readPreset(const Statement& row) {
  Preset preset;
  preset.id = row.columnInt64(0);
  preset.kind = row.columnText(1);
  preset.name = row.columnText(2);
  preset.data = jsonFromColumn(row.columnText(3));
  preset.createdAt = row.columnInt64(4);
  preset.updatedAt = row.columnInt64(5);
  return preset;
}

std::string notFound(int64_t id) { return "preset " + std::to_string(id) + " not found"; }

}  // namespace

Preset PresetRepository::create(const std::string& kind, const std::string& name,
                                const nlohmann::json& data) {
  requireText(kind, "kind");
  requireText(name, "name");
  const int64_t now = db_.nowMs();
  Statement insert = db_.prepare(std::string("INSERT INTO presets(kind, name, data, created_at, "
                                             "updated_at) VALUES (?, ?, ?, ?, ?) RETURNING ") +
                                 kColumns);
  insert.bindText(1, kind).bindText(2, name).bindText(3, jsonColumnText(data, "data"));
  insert.bindInt64(4, now).bindInt64(5, now);
  insert.step();
  Preset preset = readPreset(insert);
  insert.run();
  return preset;
}

Preset PresetRepository::get(int64_t id) {
  Statement select = db_.prepare(std::string("SELECT ") + kColumns + " FROM presets WHERE id = ?");
  select.bindInt64(1, id);
  if (!select.step()) throw Error(ErrorCode::kNotFound, notFound(id));
  return readPreset(select);
}

std::vector<Preset> PresetRepository::list(const PresetFilter& filter) {
  ListQuery query(std::string("SELECT ") + kColumns + " FROM presets");
  if (filter.kind) query.where("kind = ?", *filter.kind);
  Statement select = query.prepare(db_, filter.page);
  std::vector<Preset> presets;
  while (select.step()) presets.push_back(readPreset(select));
  return presets;
}

Preset PresetRepository::update(int64_t id, const PresetUpdate& update) {
  UpdateQuery query("presets");
  if (update.name) {
    requireText(*update.name, "name");
    query.set("name = ?", *update.name);
  }
  if (update.data) query.set("data = ?", jsonColumnText(*update.data, "data"));
  if (query.empty()) return get(id);
  query.set("updated_at = ?", db_.nowMs());
  return query.run(db_, id, kColumns, notFound(id), readPreset);
}

void PresetRepository::remove(int64_t id) {
  Statement remove = db_.prepare("DELETE FROM presets WHERE id = ?");
  remove.bindInt64(1, id).run();
  if (db_.changes() == 0) throw Error(ErrorCode::kNotFound, notFound(id));
}

int64_t PresetRepository::count() { return db_.queryInt64("SELECT count(*) FROM presets"); }

}  // namespace avatar_voice::store
