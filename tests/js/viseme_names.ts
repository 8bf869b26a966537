/**
 * The viseme sets' names by id, written out by hand from docs/visemes.md (Meta's and Microsoft's
 * published tables), never read from the package: the oracle the viseme and store tests compare
 * the core's output with.
 */
// docs/visemes.md "Microsoft / Azure 22": names are the SAPI 5 comments, by id.
export const AZURE_NAMES = [
  'silence',
  'ae_ax_ah',
  'aa',
  'ao',
  'ey_eh_uh',
  'er',
  'y_iy_ih_ix',
  'w_uw',
  'ow',
  'aw',
  'oy',
  'ay',
  'h',
  'r',
  'l',
  's_z',
  'sh_ch_jh_zh',
  'th_dh',
  'f_v',
  'd_t_n',
  'k_g_ng',
  'p_b_m',
];

/** Meta/Oculus OVR 15, by id. */
export const OCULUS_NAMES = ['sil', 'PP', 'FF', 'TH', 'DD', 'kk', 'CH', 'SS', 'nn', 'RR', 'aa', 'E', 'ih', 'oh', 'ou'];
