// Emotions the avatar can show: eyebrow pose and mouth-corner lift, blended like the mouth.
//   browLift  eyebrows up (+) / down (−), in px      browTilt  inner ends up (+) / down (−), in degrees
//   corner    mouth corners up (+) / down (−)        lids      upper lids lowered 0..1

export const EMOTIONS = {
  neutral: { label: 'Neutral', browLift: 0, browTilt: 0, corner: 0.15, lids: 0 },
  happy: { label: 'Happy', browLift: 2, browTilt: 4, corner: 1, lids: 0.1 },
  encouraging: { label: 'Encouraging', browLift: 3, browTilt: 8, corner: 0.6, lids: 0 },
  surprised: { label: 'Surprised', browLift: 7, browTilt: 0, corner: 0, lids: -0.15 },
  thinking: { label: 'Thinking', browLift: 1, browTilt: -6, corner: -0.1, lids: 0.25, asymmetric: true },
  sad: { label: 'Sad', browLift: 1, browTilt: 14, corner: -0.8, lids: 0.3 },
  stern: { label: 'Stern', browLift: -3, browTilt: -14, corner: -0.4, lids: 0.2 },
};

export function emotionOf(avatar) {
  const name = avatar?.state?.emotion;
  return typeof name === 'string' && name in EMOTIONS ? name : 'neutral';
}
