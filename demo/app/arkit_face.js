// The second avatar: a 2.5D face on a canvas whose mouth is driven only by ARKit blendshape
// weights (the Player's 'blendshapes' event), the path a three.js / Babylon rig with ARKit morph
// targets would take. It proves that path end to end; the SVG face uses the viseme weights.
//
//   const face = new ArkitFace(canvas);
//   player.on('blendshapes', (e) => face.show(e.weights));
const W = 240;
const H = 280;

export class ArkitFace {
  constructor(canvas) {
    this.canvas = canvas;
    this.ctx = canvas.getContext('2d');
    canvas.width = W;
    canvas.height = H;
    this.show({});
  }

  /** Draws the face for one frame of weights (missing shapes are 0). */
  show(weights) {
    const w = (name) => Math.max(0, Math.min(1, Number(weights[name]) || 0));
    // Exposed for tests and curious developers: the rig's input, not a derived picture.
    this.canvas.dataset.jawOpen = w('jawOpen').toFixed(3);
    this.canvas.dataset.mouthPucker = w('mouthPucker').toFixed(3);
    const ctx = this.ctx;
    ctx.clearRect(0, 0, W, H);
    // Head and eyes.
    ctx.fillStyle = '#c9d7e8';
    ctx.beginPath();
    ctx.ellipse(W / 2, H / 2, 100, 125, 0, 0, Math.PI * 2);
    ctx.fill();
    ctx.fillStyle = '#1f2a3a';
    for (const x of [W / 2 - 38, W / 2 + 38]) {
      ctx.beginPath();
      ctx.ellipse(x, 110, 10, 12, 0, 0, Math.PI * 2);
      ctx.fill();
    }
    // Mouth: width from stretch/smile against pucker/funnel, opening from the jaw and the lips.
    const cx = W / 2;
    const cy = 195;
    const half = 34 * (1 + 0.35 * avg(w, 'mouthStretch') + 0.25 * avg(w, 'mouthSmile') - 0.5 * w('mouthPucker') - 0.3 * w('mouthFunnel'));
    const upper = -2 - 8 * avg(w, 'mouthUpperUp') + 3 * w('mouthRollUpper');
    const lower = 2 + 46 * w('jawOpen') + 10 * avg(w, 'mouthLowerDown') - 3 * w('mouthRollLower') - 2 * avg(w, 'mouthPress');
    const corner = -8 * avg(w, 'mouthSmile');
    const round = 0.6 * Math.max(w('mouthFunnel'), w('mouthPucker'));
    ctx.fillStyle = '#5a1f2b';
    ctx.beginPath();
    ctx.moveTo(cx - half, cy + corner);
    ctx.bezierCurveTo(cx - half * (1 - round), cy + upper * 1.6, cx + half * (1 - round), cy + upper * 1.6, cx + half, cy + corner);
    ctx.bezierCurveTo(cx + half * (1 - round), cy + lower * 1.3, cx - half * (1 - round), cy + lower * 1.3, cx - half, cy + corner);
    ctx.fill();
    if (w('tongueOut') > 0.05) {
      ctx.fillStyle = '#d9707f';
      ctx.beginPath();
      ctx.ellipse(cx, cy + lower * 0.6, half * 0.45, 4 + 10 * w('tongueOut'), 0, 0, Math.PI * 2);
      ctx.fill();
    }
    ctx.strokeStyle = '#8e3b4a';
    ctx.lineWidth = 3 + 3 * avg(w, 'mouthPress');
    ctx.stroke();
  }
}

function avg(w, base) {
  return (w(`${base}_L`) + w(`${base}_R`)) / 2;
}
