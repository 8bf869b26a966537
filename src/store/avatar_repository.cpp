#include "store/avatar_repository.h"

#include "store/column_values.h"
#include "store/queries.h"

namespace avatar_voice::store {
namespace {

constexpr const char* kColumns = "id, name, state, created_at, updated_at";

Avatar readAvatar(const Statement& row) {
  Avatar avatar;
  avatar.id = row.columnInt64(0);
  avatar.name = row.columnText(1);
  avatar.state = jsonFromColumn(row.columnText(2));
  avatar.createdAt = row.columnInt64(3);
  avatar.updatedAt = row.columnInt64(4);
  return avatar;
}

std::string notFound(int64_t id) { return "avatar " + std::to_string(id) + " not found"; }

}  // namespace

Avatar AvatarRepository::create(const std::string& name, const nlohmann::json& state) {
  requireText(name, "name");
  requireJsonObject(state, "state");
  const int64_t now = db_.nowMs();
  Statement insert = db_.prepare(std::string("INSERT INTO avatars(name, state, created_at, "
                                             "updated_at) VALUES (?, ?, ?, ?) RETURNING ") +
                                 kColumns);
  insert.bindText(1, name).bindText(2, jsonColumnText(state, "state"));
  insert.bindInt64(3, now).bindInt64(4, now);
  insert.step();
  Avatar avatar = readAvatar(insert);
  insert.run();
  return avatar;
}

Avatar AvatarRepository::get(int64_t id) {
  Statement select = db_.prepare(std::string("SELECT ") + kColumns + " FROM avatars WHERE id = ?");
  select.bindInt64(1, id);
  if (!select.step()) throw Error(ErrorCode::kNotFound, notFound(id));
  return readAvatar(select);
}

std::optional<Avatar> AvatarRepository::findByName(const std::string& name) {
  Statement select =
      db_.prepare(std::string("SELECT ") + kColumns + " FROM avatars WHERE name = ?");
  select.bindText(1, name);
  if (!select.step()) return std::nullopt;
  return readAvatar(select);
}

Avatar AvatarRepository::getOrCreate(const std::string& name) {
  // One transaction: two callers racing on the same name both end up with the same row.
  return db_.transaction([&] {
    if (std::optional<Avatar> existing = findByName(name)) return *existing;
    return create(name);
  });
}

std::vector<Avatar> AvatarRepository::list(const Page& page) {
  Statement select =
      ListQuery(std::string("SELECT ") + kColumns + " FROM avatars").prepare(db_, page);
  std::vector<Avatar> avatars;
  while (select.step()) avatars.push_back(readAvatar(select));
  return avatars;
}

Avatar AvatarRepository::update(int64_t id, const AvatarUpdate& update) {
  UpdateQuery query("avatars");
  if (update.name) {
    requireText(*update.name, "name");
    query.set("name = ?", *update.name);
  }
  if (update.state) {
    requireJsonObject(*update.state, "state");
    query.set("state = ?", jsonColumnText(*update.state, "state"));
  }
  if (query.empty()) return get(id);
  query.set("updated_at = ?", db_.nowMs());
  return query.run(db_, id, kColumns, notFound(id), readAvatar);
}

Avatar AvatarRepository::patchState(int64_t id, const nlohmann::json& patch) {
  requireJsonObject(patch, "patch");
  UpdateQuery query("avatars");
  query.set("state = json_patch(state, ?)", jsonColumnText(patch, "patch"));
  query.set("updated_at = ?", db_.nowMs());
  return query.run(db_, id, kColumns, notFound(id), readAvatar);
}

void AvatarRepository::remove(int64_t id) {
  Statement remove = db_.prepare("DELETE FROM avatars WHERE id = ?");
  remove.bindInt64(1, id).run();
  if (db_.changes() == 0) throw Error(ErrorCode::kNotFound, notFound(id));
}

int64_t AvatarRepository::count() { return db_.queryInt64("SELECT count(*) FROM avatars"); }

}  // namespace avatar_voice::store
