#include "store/render_repository.h"

#include "store/column_values.h"
#include "store/queries.h"
#include "store/session_repository.h"

namespace avatar_voice::store {
namespace {

constexpr const char* kColumns =
    "id, avatar_id, session_id, kind, mime, width, height, length(bytes), metadata, created_at";

Render readRender(const Statement& row) {
  Render render;
  render.id = row.columnInt64(0);
  render.avatarId = row.columnInt64(1);
  render.sessionId = row.columnOptionalInt64(2);
  render.kind = row.columnText(3);
  render.mime = row.columnText(4);
  render.width = row.columnInt64(5);
  render.height = row.columnInt64(6);
  render.size = row.columnInt64(7);
  render.metadata = jsonFromColumn(row.columnText(8));
  render.createdAt = row.columnInt64(9);
  return render;
}

std::string notFound(int64_t id) { return "render " + std::to_string(id) + " not found"; }

}  // namespace

Render RenderRepository::create(const NewRender& fields, const std::vector<uint8_t>& bytes) {
  requireText(fields.kind, "kind");
  requireText(fields.mime, "mime");
  requireJsonObject(fields.metadata, "metadata");
  if (fields.width <= 0 || fields.height <= 0) {
    throw Error(ErrorCode::kInvalidArgument, "width and height must be positive");
  }
  return db_.transaction([&] {
    SessionRepository(db_).checkAttachable(fields.avatarId, fields.sessionId);
    Statement insert = db_.prepare(
        std::string("INSERT INTO renders(avatar_id, session_id, kind, mime, width, height, bytes,"
                    " metadata, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING ") +
        kColumns);
    insert.bindInt64(1, fields.avatarId).bindOptionalInt64(2, fields.sessionId);
    insert.bindText(3, fields.kind).bindText(4, fields.mime);
    insert.bindInt64(5, fields.width).bindInt64(6, fields.height).bindBlob(7, bytes);
    insert.bindText(8, jsonColumnText(fields.metadata, "metadata")).bindInt64(9, db_.nowMs());
    insert.step();
    Render render = readRender(insert);
    insert.run();
    return render;
  });
}

Render RenderRepository::get(int64_t id) {
  Statement select = db_.prepare(std::string("SELECT ") + kColumns + " FROM renders WHERE id = ?");
  select.bindInt64(1, id);
  if (!select.step()) throw Error(ErrorCode::kNotFound, notFound(id));
  return readRender(select);
}

std::vector<uint8_t> RenderRepository::getBytes(int64_t id) {
  Statement select = db_.prepare("SELECT bytes FROM renders WHERE id = ?");
  select.bindInt64(1, id);
  if (!select.step()) throw Error(ErrorCode::kNotFound, notFound(id));
  return select.columnBlob(0);
}

std::vector<Render> RenderRepository::list(const RenderFilter& filter) {
  ListQuery query(std::string("SELECT ") + kColumns + " FROM renders");
  if (filter.avatarId) query.where("avatar_id = ?", *filter.avatarId);
  if (filter.sessionId) query.where("session_id = ?", *filter.sessionId);
  if (filter.kind) query.where("kind = ?", *filter.kind);
  Statement select = query.prepare(db_, filter.page);
  std::vector<Render> renders;
  while (select.step()) renders.push_back(readRender(select));
  return renders;
}

Render RenderRepository::update(int64_t id, const RenderUpdate& update) {
  UpdateQuery query("renders");
  if (update.kind) {
    requireText(*update.kind, "kind");
    query.set("kind = ?", *update.kind);
  }
  if (update.metadata) {
    requireJsonObject(*update.metadata, "metadata");
    query.set("metadata = ?", jsonColumnText(*update.metadata, "metadata"));
  }
  if (query.empty()) return get(id);
  return query.run(db_, id, kColumns, notFound(id), readRender);
}

void RenderRepository::remove(int64_t id) {
  Statement remove = db_.prepare("DELETE FROM renders WHERE id = ?");
  remove.bindInt64(1, id).run();
  if (db_.changes() == 0) throw Error(ErrorCode::kNotFound, notFound(id));
}

int64_t RenderRepository::count() { return db_.queryInt64("SELECT count(*) FROM renders"); }

}  // namespace avatar_voice::store
