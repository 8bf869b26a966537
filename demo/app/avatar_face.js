// The avatar: an SVG face drawn from a style (colors, hair) whose mouth, brows, eyes and lids are
// set once per frame by FaceAnimator. The mouth element carries the viseme shown in
// `data-viseme`, so a page (or a test) can read what the lips are doing.
import { svg } from './element.js';

const CX = 120;
const CY = 172; // mouth centre

export const STYLE_COLORS = [
  ['skin', 'Skin'],
  ['hair', 'Hair'],
  ['eyes', 'Eyes'],
  ['lips', 'Lips'],
  ['shirt', 'Shirt'],
  ['backdrop', 'Backdrop'],
];

export const HAIR_STYLES = ['short', 'long', 'bun', 'none'];
export const DEFAULT_STYLE = {
  skin: '#f1c7a1',
  hair: '#3a2a22',
  eyes: '#3f6fa3',
  lips: '#c45f6a',
  shirt: '#2f5d8a',
  backdrop: '#dfe8f5',
  hairStyle: 'short',
};

const HAIR_FRONT = {
  short: 'M62 128 Q56 58 120 50 Q184 58 178 128 Q172 92 150 84 Q124 96 96 86 Q72 94 62 128 Z',
  long: 'M60 130 Q52 54 120 46 Q188 54 180 130 Q176 90 152 80 Q128 100 100 84 Q70 92 60 130 Z',
  bun: 'M63 124 Q60 62 120 56 Q180 62 177 124 Q170 90 120 84 Q70 90 63 124 Z',
  none: '',
};
const HAIR_BACK = {
  long: 'M58 120 Q46 60 120 48 Q194 60 182 120 L192 214 Q176 226 160 206 L160 150 L80 150 L80 206 Q64 226 48 214 Z',
  bun: 'M120 22 a22 22 0 1 0 0.1 0 Z',
};

export class AvatarFace {
  constructor(host) {
    this.parts = {};
    const p = this.parts;
    p.backdrop = svg('rect', { x: 0, y: 0, width: 240, height: 260, rx: 28 });
    p.hairBack = svg('path', { d: '' });
    p.shirt = svg('path', { d: 'M34 260 Q40 212 120 204 Q200 212 206 260 Z' });
    p.collar = svg('path', { d: 'M100 207 Q120 228 140 207', fill: 'none', 'stroke-width': 3, 'stroke-linecap': 'round' });
    p.neck = svg('path', { d: 'M102 178 L102 212 Q120 222 138 212 L138 178 Z' });
    p.earL = svg('ellipse', { cx: 63, cy: 138, rx: 10, ry: 16 });
    p.earR = svg('ellipse', { cx: 177, cy: 138, rx: 10, ry: 16 });
    p.head = svg('ellipse', { cx: 120, cy: 128, rx: 58, ry: 70 });
    p.hairFront = svg('path', { d: '' });
    p.cheekL = svg('ellipse', { cx: 86, cy: 154, rx: 11, ry: 6, fill: '#e8737f', opacity: 0.22 });
    p.cheekR = svg('ellipse', { cx: 154, cy: 154, rx: 11, ry: 6, fill: '#e8737f', opacity: 0.22 });
    p.nose = svg('path', {
      d: 'M120 126 Q113 146 119 150 Q124 151 128 148',
      fill: 'none',
      'stroke-width': 2.4,
      'stroke-linecap': 'round',
      opacity: 0.55,
    });
    p.browL = svg('path', { d: 'M84 102 Q96 94 109 99', fill: 'none', 'stroke-width': 4.5, 'stroke-linecap': 'round' });
    p.browR = svg('path', { d: 'M131 99 Q144 94 156 102', fill: 'none', 'stroke-width': 4.5, 'stroke-linecap': 'round' });
    p.eyeL = this.eye(97, 121);
    p.eyeR = this.eye(143, 121);
    this.mouthParts();
    p.headGroup = svg(
      'g',
      {},
      p.earL,
      p.earR,
      p.head,
      p.hairFront,
      p.cheekL,
      p.cheekR,
      p.nose,
      p.browL,
      p.browR,
      p.eyeL.group,
      p.eyeR.group,
      p.mouth,
    );
    this.root = svg(
      'svg',
      { viewBox: '0 0 240 260', class: 'face', role: 'img', 'aria-label': 'Avatar' },
      svg('defs', {}, svg('clipPath', { id: 'av-mouth-clip' }, p.clip)),
      p.backdrop,
      p.hairBack,
      p.shirt,
      p.collar,
      p.neck,
      p.headGroup,
    );
    host.replaceChildren(this.root);
    this.setStyle(DEFAULT_STYLE);
  }

  eye(cx, cy) {
    const iris = svg('circle', { cx, cy, r: 5.6 });
    const pupil = svg('circle', { cx, cy, r: 2.7, fill: '#15171c' });
    const glint = svg('circle', { cx: cx + 1.8, cy: cy - 2, r: 1.3, fill: '#fff' });
    const look = svg('g', {}, iris, pupil, glint);
    const white = svg('ellipse', { cx, cy, rx: 11, ry: 8, fill: '#fbfbfd' });
    const lid = svg('path', { d: '', 'stroke-width': 0 });
    const lash = svg('path', { d: '', fill: 'none', 'stroke-width': 2, 'stroke-linecap': 'round' });
    const group = svg('g', { class: 'eye' }, white, look, lid, lash);
    return { cx, cy, iris, look, lid, lash, group };
  }

  mouthParts() {
    const p = this.parts;
    p.clip = svg('path', { d: '' });
    p.lips = svg('path', { d: '' });
    p.inner = svg('path', { d: '', fill: '#5a1c25' });
    p.teeth = svg('rect', { fill: '#fbfaf5', 'clip-path': 'url(#av-mouth-clip)' });
    p.tongue = svg('ellipse', { fill: '#d8636f', 'clip-path': 'url(#av-mouth-clip)' });
    p.seam = svg('path', { d: '', fill: 'none', 'stroke-width': 1.8, 'stroke-linecap': 'round' });
    p.mouth = svg('g', { id: 'mouth', class: 'mouth', 'data-viseme': 'sil' }, p.lips, p.inner, p.tongue, p.teeth, p.seam);
  }

  /** The element whose `data-viseme` names the shape on screen. */
  get mouth() {
    return this.parts.mouth;
  }

  setLabel(text) {
    this.root.setAttribute('aria-label', text);
  }

  setStyle(style) {
    const s = { ...DEFAULT_STYLE, ...style };
    const p = this.parts;
    p.backdrop.setAttribute('fill', s.backdrop);
    for (const part of [p.head, p.earL, p.earR]) part.setAttribute('fill', s.skin);
    p.neck.setAttribute('fill', shade(s.skin, -0.12));
    p.nose.setAttribute('stroke', shade(s.skin, -0.35));
    p.shirt.setAttribute('fill', s.shirt);
    p.collar.setAttribute('stroke', shade(s.shirt, -0.25));
    for (const part of [p.hairFront, p.hairBack]) part.setAttribute('fill', s.hair);
    p.hairFront.setAttribute('d', HAIR_FRONT[s.hairStyle] ?? HAIR_FRONT.short);
    p.hairBack.setAttribute('d', HAIR_BACK[s.hairStyle] ?? '');
    for (const brow of [p.browL, p.browR]) brow.setAttribute('stroke', s.hairStyle === 'none' ? shade(s.skin, -0.5) : shade(s.hair, -0.1));
    for (const eye of [p.eyeL, p.eyeR]) {
      eye.iris.setAttribute('fill', s.eyes);
      eye.lid.setAttribute('fill', s.skin);
      eye.lash.setAttribute('stroke', shade(s.skin, -0.55));
    }
    p.lips.setAttribute('fill', s.lips);
    p.seam.setAttribute('stroke', shade(s.lips, -0.45));
  }

  /**
   * One frame. `mouth`: blended mouth parameters (viseme_shapes.js); `expression`: blended
   * emotion pose (emotions.js); `blink` 0 open..1 shut; `gaze` {x, y} px; `bob` px.
   */
  render({ mouth, expression, blink, gaze, bob }) {
    const p = this.parts;
    p.headGroup.setAttribute('transform', `translate(0 ${bob.toFixed(2)})`);
    const lift = -expression.browLift;
    const tiltL = -expression.browTilt;
    const tiltR = expression.asymmetric ? -expression.browTilt * 0.3 - 6 : expression.browTilt;
    p.browL.setAttribute('transform', `translate(0 ${lift.toFixed(2)}) rotate(${tiltL.toFixed(2)} 84 102)`);
    p.browR.setAttribute(
      'transform',
      `translate(0 ${(expression.asymmetric ? lift - 4 : lift).toFixed(2)}) rotate(${tiltR.toFixed(2)} 156 102)`,
    );
    const closed = Math.min(1, Math.max(0, blink + Math.max(0, expression.lids) * 0.5));
    const wide = Math.max(0, -expression.lids);
    for (const eye of [p.eyeL, p.eyeR]) this.renderEye(eye, closed, wide, gaze);
    this.renderMouth(mouth, expression.corner);
  }

  renderEye(eye, closed, wide, gaze) {
    const { cx, cy } = eye;
    eye.look.setAttribute('transform', `translate(${gaze.x.toFixed(2)} ${gaze.y.toFixed(2)})`);
    // The upper lid's edge is a curve through both eye corners: open it traces the top of the
    // eye, shut it reaches the bottom. Everything above it is lid.
    const ctl = (cy - 16 - wide * 4 + 32 * closed).toFixed(2);
    eye.lid.setAttribute(
      'd',
      `M${cx - 13} ${cy - 16} L${cx + 13} ${cy - 16} L${cx + 13} ${cy} L${cx + 12} ${cy} Q${cx} ${ctl} ${cx - 12} ${cy} L${cx - 13} ${cy} Z`,
    );
    eye.lash.setAttribute('d', `M${cx - 12.5} ${cy + 0.5} Q${cx} ${ctl} ${cx + 12.5} ${cy + 0.5}`);
  }

  renderMouth(m, corner) {
    const p = this.parts;
    const hw = (13 + 16 * m.width) * (1 - 0.28 * m.round);
    const open = 22 * m.open * (1 - m.press);
    const yc = CY - corner * 5;
    const top = CY - open * 0.32;
    const bottom = CY + open * 0.68 - m.tuck * 1.5;
    const k = 0.5 + 0.42 * m.round;
    const ihw = Math.max(2, hw - 3 - m.round * 2);
    const ctl = (y) => ((8 * y - 2 * yc) / 6).toFixed(2);
    const f = (v) => v.toFixed(2);
    const inner = `M${f(CX - ihw)} ${f(yc)} C${f(CX - ihw * k)} ${ctl(top)} ${f(CX + ihw * k)} ${ctl(top)} ${f(CX + ihw)} ${f(yc)} C${f(CX + ihw * k)} ${ctl(bottom)} ${f(CX - ihw * k)} ${ctl(bottom)} ${f(CX - ihw)} ${f(yc)} Z`;
    const upper = 4.2 + 2.2 * m.round - 1.2 * m.press;
    const lower = 5.2 + 2.4 * m.round - 1 * m.press - 2 * m.tuck;
    const ot = top - upper;
    const ob = bottom + lower;
    const outer =
      `M${f(CX - hw)} ${f(yc)} Q${f(CX - hw * 0.75)} ${f(ot)} ${f(CX - hw * 0.3)} ${f(ot - 0.6)} ` +
      `Q${f(CX - hw * 0.1)} ${f(ot)} ${f(CX)} ${f(ot + 1.6)} Q${f(CX + hw * 0.1)} ${f(ot)} ${f(CX + hw * 0.3)} ${f(ot - 0.6)} ` +
      `Q${f(CX + hw * 0.75)} ${f(ot)} ${f(CX + hw)} ${f(yc)} C${f(CX + hw * 0.7)} ${ctl(ob)} ${f(CX - hw * 0.7)} ${ctl(ob)} ${f(CX - hw)} ${f(yc)} Z`;
    p.lips.setAttribute('d', outer);
    p.inner.setAttribute('d', inner);
    p.clip.setAttribute('d', inner);
    p.inner.setAttribute('opacity', open > 0.4 ? '1' : (open / 0.4).toFixed(2));
    p.teeth.setAttribute('x', f(CX - ihw));
    p.teeth.setAttribute('y', f(top - 2));
    p.teeth.setAttribute('width', f(ihw * 2));
    p.teeth.setAttribute('height', f(2 + 5 * m.teeth));
    p.teeth.setAttribute('opacity', Math.min(1, m.teeth * 1.6).toFixed(2));
    p.tongue.setAttribute('cx', f(CX));
    p.tongue.setAttribute('cy', f(bottom + 2 - m.tongue * open * 0.55));
    p.tongue.setAttribute('rx', f(ihw * 0.62));
    p.tongue.setAttribute('ry', f(3 + 4 * m.open));
    p.tongue.setAttribute('opacity', Math.min(1, m.tongue * 2).toFixed(2));
    p.seam.setAttribute('d', `M${f(CX - hw + 1.5)} ${f(yc)} Q${f(CX)} ${f(CY + 1.2 - corner * 1.5)} ${f(CX + hw - 1.5)} ${f(yc)}`);
    p.seam.setAttribute('opacity', open < 2 ? (1 - open / 2).toFixed(2) : '0');
  }
}

/** Lightens (+) or darkens (−) a #rrggbb color by a fraction. */
export function shade(hex, amount) {
  // Styles are checked when loaded (records.js); this only keeps a stray value from throwing.
  if (typeof hex !== 'string' || !/^#[0-9a-fA-F]{6}$/.test(hex)) return '#808080';
  const n = Number.parseInt(hex.slice(1), 16);
  const ch = (shift) => {
    const c = (n >> shift) & 255;
    const v = amount < 0 ? c * (1 + amount) : c + (255 - c) * amount;
    return Math.round(Math.min(255, Math.max(0, v)))
      .toString(16)
      .padStart(2, '0');
  };
  return `#${ch(16)}${ch(8)}${ch(0)}`;
}
