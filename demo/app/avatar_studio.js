// The Avatar view: create and pick avatars, rename them, set their emotion (kept in the avatar's
// state with avatars.patchState), and dress them with styles (presets of kind "avatar_style").
import { STYLE_COLORS } from './avatar_face.js';
import { STYLE_KIND, listStyles, styleOf } from './avatar_styles.js';
import { byId, el } from './element.js';
import { EMOTIONS, emotionOf } from './emotions.js';
import { describeError } from './format.js';
import { checkedStyle, invalidLabel } from './records.js';
import { announce } from './status.js';

export class AvatarStudio {
  constructor(state, stage) {
    this.state = state;
    this.stage = stage;
    this.avatars = [];
    this.styles = [];
    this.draft = null;
    this.buildControls();
    byId('avatar-create-form').addEventListener('submit', (e) => {
      e.preventDefault();
      this.create(byId('avatar-new-name').value.trim());
    });
    byId('avatar-rename-form').addEventListener('submit', (e) => {
      e.preventDefault();
      this.rename(byId('avatar-name-input').value.trim());
    });
    byId('style-select').addEventListener('change', (e) => this.wearStyle(Number(e.target.value)));
    byId('style-hair').addEventListener('change', (e) => this.edit({ hairStyle: e.target.value }));
    byId('style-save').addEventListener('click', () => this.saveStyle());
    byId('style-save-new').addEventListener('click', () => this.saveStyleAs(byId('style-new-name').value.trim()));
    state.on('data', () => this.load());
  }

  buildControls() {
    byId('emotion-options').replaceChildren(
      ...Object.entries(EMOTIONS).map(([name, { label }]) =>
        el(
          'label',
          { className: 'chip' },
          el('input', { type: 'radio', name: 'emotion', value: name, onchange: () => this.setEmotion(name) }),
          el('span', {}, label),
        ),
      ),
    );
    byId('style-colors').replaceChildren(
      ...STYLE_COLORS.map(([key, label]) =>
        el(
          'label',
          { className: 'color-field' },
          el('input', { type: 'color', id: `style-color-${key}`, oninput: (e) => this.edit({ [key]: e.target.value }) }),
          el('span', {}, label),
        ),
      ),
    );
  }

  /** Loads avatars and styles; picks the remembered avatar (creating a first one if needed). */
  async load() {
    const { store } = this.state;
    this.styles = await listStyles(store);
    this.avatars = await store.avatars.list({ limit: 1000 });
    if (!this.avatars.length)
      this.avatars = [await store.avatars.create({ name: 'Ada', state: { emotion: 'encouraging', styleId: this.styles[0]?.id ?? null } })];
    const remembered = await this.state.setting('avatarId', null);
    const avatar = this.avatars.find((a) => a.id === remembered) ?? this.avatars[0];
    this.show(avatar);
  }

  show(avatar) {
    this.state.avatar = avatar;
    this.state.style = styleOf(avatar, this.styles);
    this.draft = { ...(this.state.style?.data ?? {}) };
    this.state.changed('avatar');
    this.state.changed('style');
    this.render();
  }

  render() {
    const current = this.state.avatar;
    byId('avatar-list').replaceChildren(
      ...this.avatars.map((a) =>
        el(
          'li',
          { className: `item${a.id === current.id ? ' is-current' : ''}` },
          el(
            'div',
            { className: 'item-main' },
            el('strong', {}, a.name),
            a.id === current.id ? el('span', { className: 'badge badge-ok' }, 'Selected') : null,
            el('div', { className: 'hint' }, `${EMOTIONS[emotionOf(a)].label} · ${styleOf(a, this.styles)?.name ?? 'no style'}`),
          ),
          el(
            'div',
            { className: 'item-actions' },
            el(
              'button',
              {
                type: 'button',
                className: 'secondary',
                disabled: a.id === current.id,
                onclick: () => this.select(a.id),
                attrs: { 'aria-label': `Select ${a.name}` },
              },
              'Select',
            ),
          ),
        ),
      ),
    );
    byId('avatar-name-input').value = current.name;
    for (const input of document.querySelectorAll('input[name="emotion"]')) input.checked = input.value === emotionOf(current);
    byId('style-select').replaceChildren(
      ...this.styles.map((s) =>
        el(
          'option',
          { value: String(s.id), dataset: s.invalid.length ? { invalid: 'true' } : {} },
          invalidLabel(s) ? `${s.name} (${invalidLabel(s)}: shown with default colours)` : s.name,
        ),
      ),
    );
    byId('style-select').value = String(this.state.style?.id ?? '');
    this.showDraft();
  }

  showDraft() {
    for (const [key] of STYLE_COLORS) byId(`style-color-${key}`).value = this.draft[key] ?? '#000000';
    byId('style-hair').value = this.draft.hairStyle ?? 'short';
    const saved = JSON.stringify(this.state.style?.data ?? {}) === JSON.stringify(this.draft);
    byId('style-dirty').textContent = saved ? '' : 'Unsaved changes to this style.';
  }

  async select(id) {
    this.show(this.avatars.find((a) => a.id === id));
    await this.state.saveSetting('avatarId', id);
    announce(`${this.state.avatar.name} is your interviewer now.`, 'success');
  }

  async create(name) {
    if (!name) return;
    try {
      const avatar = await this.state.store.avatars.create({ name, state: { emotion: 'neutral', styleId: this.state.style?.id ?? null } });
      this.avatars.push(avatar);
      byId('avatar-new-name').value = '';
      await this.select(avatar.id);
      this.state.changed('avatars');
    } catch (error) {
      announce(
        error?.code === 'CONSTRAINT'
          ? `There is already an avatar called “${name}”.`
          : `Could not create the avatar: ${describeError(error)}`,
        'error',
      );
    }
  }

  async rename(name) {
    const avatar = this.state.avatar;
    if (!name || name === avatar.name) return;
    try {
      this.replace(await this.state.store.avatars.update(avatar.id, { name }));
      announce(`Renamed to ${name}.`, 'success');
      this.state.changed('avatars');
    } catch (error) {
      announce(
        error?.code === 'CONSTRAINT' ? `There is already an avatar called “${name}”.` : `Could not rename: ${describeError(error)}`,
        'error',
      );
    }
  }

  async setEmotion(emotion) {
    this.replace(await this.state.store.avatars.patchState(this.state.avatar.id, { emotion }));
    announce(`${this.state.avatar.name} looks ${EMOTIONS[emotion].label.toLowerCase()}.`);
  }

  async wearStyle(styleId) {
    this.replace(await this.state.store.avatars.patchState(this.state.avatar.id, { styleId }));
  }

  /** Keeps the list and the state in step with an updated avatar row. */
  replace(avatar) {
    this.avatars = this.avatars.map((a) => (a.id === avatar.id ? avatar : a));
    this.show(avatar);
  }

  edit(change) {
    Object.assign(this.draft, change);
    this.stage.preview(this.draft);
    this.showDraft();
  }

  async saveStyle() {
    const style = this.state.style;
    if (!style) return this.saveStyleAs('My style');
    const updated = await this.state.store.presets.update(style.id, { data: { ...this.draft } });
    this.styles = this.styles.map((s) => (s.id === updated.id ? checkedStyle(updated) : s));
    this.show(this.state.avatar);
    announce(`Saved the style “${updated.name}”.`, 'success');
  }

  async saveStyleAs(name) {
    if (!name) {
      announce('Give the new style a name first.', 'error');
      byId('style-new-name').focus();
      return;
    }
    try {
      const created = await this.state.store.presets.create({ kind: STYLE_KIND, name, data: { ...this.draft } });
      this.styles.push(checkedStyle(created));
      byId('style-new-name').value = '';
      await this.wearStyle(created.id);
      announce(`Saved the new style “${name}”.`, 'success');
    } catch (error) {
      announce(
        error?.code === 'CONSTRAINT' ? `A style called “${name}” exists already.` : `Could not save: ${describeError(error)}`,
        'error',
      );
    }
  }
}
