// The History view: past sessions (newest first), each opening to its questions, answers,
// timings and replays; soft delete to "Recently deleted", restore, or remove for good.
import { byId, el } from './element.js';
import { describeError, formatDate } from './format.js';
import { checkedSession, invalidLabel } from './records.js';
import { buildSessionDetails, sessionSummary } from './session_details.js';
import { announce } from './status.js';

// Sessions come newest first, a page at a time: opening History costs one page (two store calls
// and PAGE list items) however long the history is, and "Show older sessions" adds the next.
const PAGE = 50;
// The newest `count` sessions matching `filter`, read in pages of at most 1,000 (the store's
// list limit), plus whether there are older ones.
async function newestSessions(store, filter, count) {
  const rows = [];
  while (rows.length <= count) {
    const page = await store.sessions.list({
      ...filter,
      order: 'desc',
      offset: rows.length,
      limit: Math.min(1000, count + 1 - rows.length),
    });
    rows.push(...page);
    if (page.length === 0 || rows.length > count) break;
  }
  return { rows: rows.slice(0, count), more: rows.length > count };
}

export class HistoryView {
  constructor(state) {
    this.state = state;
    this.shown = PAGE;
    state.on('sessions', () => this.refresh());
    state.on('data', () => this.refresh());
    state.on('avatars', () => this.refresh());
    byId('history-more').addEventListener('click', () => {
      this.shown += PAGE;
      this.refresh();
    });
  }

  async refresh(openId = null) {
    const { store } = this.state;
    const [live, deleted] = await Promise.all([newestSessions(store, {}, this.shown), newestSessions(store, { onlyDeleted: true }, 1000)]);
    const sessions = live.rows.map(checkedSession);
    // Only the avatars this page names, in one call.
    const avatarIds = [...new Set(sessions.map((s) => s.avatarId).filter(Number.isSafeInteger))];
    const avatars = avatarIds.length ? await store.avatars.getMany(avatarIds) : [];
    const names = new Map(avatars.filter(Boolean).map((a) => [a.id, a.name]));
    const trash = deleted.rows.map(checkedSession);
    byId('history-empty').hidden = sessions.length > 0;
    byId('trash-empty').hidden = trash.length > 0;
    byId('history-list').replaceChildren(...sessions.map((s) => this.sessionItem(s, names.get(s.avatarId), s.id === openId)));
    byId('history-more').hidden = !live.more;
    byId('trash-list').replaceChildren(...trash.map((s) => this.trashItem(s)));
  }

  sessionItem(session, avatarName, open) {
    const { status, text } = sessionSummary(session);
    const details = el(
      'details',
      { className: 'session-card', open },
      el(
        'summary',
        {},
        el('span', { className: 'session-title' }, session.title || 'Untitled session'),
        el('span', { className: 'badge badge-muted' }, status),
        invalidLabel(session) ? el('span', { className: 'badge badge-warn session-invalid' }, invalidLabel(session)) : null,
        el('span', { className: 'hint session-meta' }, `${formatDate(session.createdAt)} · ${avatarName ?? 'avatar removed'} · ${text}`),
      ),
    );
    // Built when first opened: a long history stays cheap.
    const fill = () => {
      if (details.open && details.childElementCount === 1) details.append(buildSessionDetails(this.state, session));
    };
    details.addEventListener('toggle', fill);
    if (open) fill();
    const remove = el(
      'button',
      {
        type: 'button',
        className: 'danger small',
        onclick: () => this.softDelete(session),
        attrs: { 'aria-label': `Delete ${session.title}` },
      },
      'Delete',
    );
    return el(
      'li',
      { className: 'session', dataset: { sessionId: session.id, ...(session.invalid.length && { invalid: 'true' }) } },
      details,
      el('div', { className: 'session-actions' }, remove),
    );
  }

  trashItem(session) {
    const purge = el(
      'button',
      { type: 'button', className: 'danger small', attrs: { 'aria-label': `Delete ${session.title} for good` } },
      'Delete for good',
    );
    // Two steps: the first click arms the button for a few seconds.
    purge.addEventListener('click', () => {
      if (purge.dataset.armed) return this.purge(session);
      purge.dataset.armed = 'true';
      purge.textContent = 'Click again to confirm';
      setTimeout(() => {
        delete purge.dataset.armed;
        purge.textContent = 'Delete for good';
      }, 4000);
    });
    return el(
      'li',
      { className: 'session is-deleted', dataset: { sessionId: session.id } },
      el(
        'div',
        { className: 'item-main' },
        el('strong', {}, session.title || 'Untitled session'),
        el('div', { className: 'hint' }, `Deleted ${formatDate(session.deletedAt)}`),
      ),
      el(
        'div',
        { className: 'session-actions' },
        el(
          'button',
          {
            type: 'button',
            className: 'secondary small',
            onclick: () => this.restore(session),
            attrs: { 'aria-label': `Restore ${session.title}` },
          },
          'Restore',
        ),
        purge,
      ),
    );
  }

  async softDelete(session) {
    await this.act(() => this.state.store.sessions.softDelete(session.id), `Moved “${session.title}” to Recently deleted.`);
  }

  async restore(session) {
    await this.act(() => this.state.store.sessions.restore(session.id), `Restored “${session.title}”.`);
  }

  async purge(session) {
    await this.act(() => this.state.store.sessions.purge(session.id), `Deleted “${session.title}” and its audio for good.`);
  }

  async act(change, message) {
    try {
      await change();
      await this.refresh();
      announce(message, 'success');
    } catch (error) {
      announce(describeError(error), 'error');
    }
  }
}
