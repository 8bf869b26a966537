#include "store/session_repository.h"

#include "store/column_values.h"
#include "store/queries.h"

namespace avatar_voice::store {
namespace {

constexpr const char* kColumns =
    "id, avatar_id, kind, title, metadata, created_at, updated_at, deleted_at";

Session readSession(const Statement& row) {
  Session session;
  session.id = row.columnInt64(0);
  session.avatarId = row.columnInt64(1);
  session.kind = row.columnText(2);
  session.title = row.columnText(3);
  session.metadata = jsonFromColumn(row.columnText(4));
  session.createdAt = row.columnInt64(5);
  session.updatedAt = row.columnInt64(6);
  session.deletedAt = row.columnOptionalInt64(7);
  return session;
}

std::string notFound(int64_t id) { return "session " + std::to_string(id) + " not found"; }

}  // namespace

Session SessionRepository::create(const NewSession& fields) {
  requireText(fields.kind, "kind");
  requireText(fields.title, "title", /*allowEmpty=*/true);
  requireJsonObject(fields.metadata, "metadata");
  const int64_t now = db_.nowMs();
  Statement insert = db_.prepare(
      std::string("INSERT INTO sessions(avatar_id, kind, title, metadata, created_at, updated_at)"
                  " SELECT ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM avatars WHERE id = ?)"
                  " RETURNING ") +
      kColumns);
  insert.bindInt64(1, fields.avatarId).bindText(2, fields.kind).bindText(3, fields.title);
  insert.bindText(4, jsonColumnText(fields.metadata, "metadata"));
  insert.bindInt64(5, now).bindInt64(6, now).bindInt64(7, fields.avatarId);
  // The EXISTS turns a missing avatar into "no row" and so into kNotFound naming the avatar,
  // instead of a bare "FOREIGN KEY constraint failed".
  if (!insert.step()) {
    throw Error(ErrorCode::kNotFound, "avatar " + std::to_string(fields.avatarId) + " not found");
  }
  Session session = readSession(insert);
  insert.run();
  return session;
}

Session SessionRepository::get(int64_t id) {
  Statement select = db_.prepare(std::string("SELECT ") + kColumns + " FROM sessions WHERE id = ?");
  select.bindInt64(1, id);
  if (!select.step()) throw Error(ErrorCode::kNotFound, notFound(id));
  return readSession(select);
}

Session SessionRepository::getLive(int64_t id) {
  Session session = get(id);
  if (session.deletedAt) {
    throw Error(ErrorCode::kNotFound,
                "session " + std::to_string(id) + " is deleted (restore it first)");
  }
  return session;
}

std::vector<Session> SessionRepository::list(const SessionFilter& filter) {
  ListQuery query(std::string("SELECT ") + kColumns + " FROM sessions");
  if (filter.avatarId) query.where("avatar_id = ?", *filter.avatarId);
  if (filter.kind) query.where("kind = ?", *filter.kind);
  if (filter.onlyDeleted)
    query.where("deleted_at IS NOT NULL");
  else if (!filter.includeDeleted)
    query.where("deleted_at IS NULL");
  Statement select = query.prepare(db_, filter.page);
  std::vector<Session> sessions;
  while (select.step()) sessions.push_back(readSession(select));
  return sessions;
}

Session SessionRepository::update(int64_t id, const SessionUpdate& update) {
  return db_.transaction([&] {
    Session current = getLive(id);
    UpdateQuery query("sessions");
    if (update.kind) {
      requireText(*update.kind, "kind");
      query.set("kind = ?", *update.kind);
    }
    if (update.title) {
      requireText(*update.title, "title", /*allowEmpty=*/true);
      query.set("title = ?", *update.title);
    }
    if (update.metadata) {
      requireJsonObject(*update.metadata, "metadata");
      query.set("metadata = ?", jsonColumnText(*update.metadata, "metadata"));
    }
    if (query.empty()) return current;
    query.set("updated_at = ?", db_.nowMs());
    return query.run(db_, id, kColumns, notFound(id), readSession);
  });
}

Session SessionRepository::softDelete(int64_t id) {
  UpdateQuery query("sessions");
  // coalesce keeps the first deletion time when called twice.
  query.set("deleted_at = coalesce(deleted_at, ?)", db_.nowMs());
  return query.run(db_, id, kColumns, notFound(id), readSession);
}

Session SessionRepository::restore(int64_t id) {
  UpdateQuery query("sessions");
  query.set("deleted_at = NULL");
  return query.run(db_, id, kColumns, notFound(id), readSession);
}

void SessionRepository::purge(int64_t id) {
  Statement remove = db_.prepare("DELETE FROM sessions WHERE id = ?");
  remove.bindInt64(1, id).run();
  if (db_.changes() == 0) throw Error(ErrorCode::kNotFound, notFound(id));
}

int64_t SessionRepository::count(bool includeDeleted) {
  return db_.queryInt64(includeDeleted ? "SELECT count(*) FROM sessions"
                                       : "SELECT count(*) FROM sessions WHERE deleted_at IS NULL");
}

void SessionRepository::checkAttachable(const std::optional<int64_t>& avatarId,
                                        const std::optional<int64_t>& sessionId) {
  if (avatarId) {
    Statement exists = db_.prepare("SELECT 1 FROM avatars WHERE id = ?");
    exists.bindInt64(1, *avatarId);
    if (!exists.step()) {
      throw Error(ErrorCode::kNotFound, "avatar " + std::to_string(*avatarId) + " not found");
    }
  }
  if (sessionId) {
    const Session session = getLive(*sessionId);
    if (avatarId && session.avatarId != *avatarId) {
      throw Error(ErrorCode::kConstraint, "session " + std::to_string(*sessionId) +
                                              " belongs to avatar " +
                                              std::to_string(session.avatarId) + ", not avatar " +
                                              std::to_string(*avatarId));
    }
  }
}

}  // namespace avatar_voice::store
