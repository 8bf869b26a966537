// Interview Coach: the avatar-voice demo. Starts the engine (in its worker) and the store, seeds
// the first-run data, and wires the views. Every module under app/ does one thing; this file only
// puts them together. It uses the package's public API only, and never puts text in as HTML.
import { AvatarVoice } from 'avatar-voice';

import { AppState } from './app/app_state.js';
import { AvatarStudio } from './app/avatar_studio.js';
import { seedStyles } from './app/avatar_styles.js';
import { DataBackup } from './app/data_backup.js';
import { CatalogView } from './app/catalog_view.js';
import { byId } from './app/element.js';
import { describeError } from './app/format.js';
import { HistoryView } from './app/history_view.js';
import { InterviewView } from './app/interview_view.js';
import { setUpOffline } from './app/offline_support.js';
import { seedQuestionSets } from './app/question_sets.js';
import { SpeakView } from './app/speak_view.js';
import { SpeechPlayback } from './app/speech_playback.js';
import { Stage } from './app/stage.js';
import { StatsView } from './app/stats_view.js';
import { announce } from './app/status.js';
import { Tabs } from './app/tabs.js';
import { VoiceLibrary } from './app/voice_library.js';
import { restoreLastVoice } from './app/voice_sources.js';

async function boot() {
  const offline = await setUpOffline();
  // The demo restores its last voice at once: onnxruntime-web starts alongside the core.
  const av = await AvatarVoice.create({ ...(offline.workerUrl ? { workerUrl: offline.workerUrl } : {}), ort: { preload: true } });
  // The worker holds the database's OPFS handles: let them go as soon as the page does, so a
  // reload (or the next tab) can open it at once.
  addEventListener('pagehide', () => av.dispose());
  addEventListener('pageshow', (e) => e.persisted && location.reload());

  const { store, lockedByOtherTab } = await openStore(av);
  const storeKind = store.persistence.storage;
  if (lockedByOtherTab)
    showNotice(
      'This app is open in another tab, which holds its data. This tab works, but keeps nothing: close the other tab and reload to see your sessions.',
    );
  else if (!store.persistence.survivesReload)
    showNotice(`This browser cannot keep your data: ${store.persistence.reason}. Export it (Storage) before you leave.`);
  await seedStyles(store);
  await seedQuestionSets(store);

  const state = new AppState({ av, store, storeKind, playback: new SpeechPlayback() });
  const stage = new Stage(state);
  const tabs = new Tabs(document.querySelector('[role="tablist"]'));
  const speak = new SpeakView(state);
  const library = new VoiceLibrary(state);
  new CatalogView(state, library);
  const studio = new AvatarStudio(state, stage);
  const history = new HistoryView(state);
  const stats = new StatsView(state);
  new DataBackup(state);
  const interview = new InterviewView(state, {
    speed: () => speak.speedValue,
    openHistory: (sessionId) => {
      tabs.select('tab-history', { focus: true });
      history.refresh(sessionId);
    },
  });
  tabs.onSelect((id) => {
    if (id === 'tab-stats') stats.refresh();
    if (id === 'tab-history') history.refresh();
    if (id === 'tab-voices') library.refresh();
  });

  // Each view loads on its own: one that cannot read its data says so, and the rest still start.
  await viewStart('Avatar', () => studio.load());
  await Promise.all([
    viewStart('Speak', () => speak.init()),
    viewStart('Interview', () => interview.load()),
    viewStart('Voices', () => library.refresh()),
    viewStart('History', () => history.refresh()),
  ]);
  announce(`Ready: avatar-voice ${av.info.version}, espeak-ng ${av.info.espeakVersion}.`);

  try {
    const last = await restoreLastVoice(state);
    if (last) {
      await library.use(last.voice, last.name, last.speaker);
      announce(`Ready. Voice “${last.name}” loaded from this browser.`, 'success');
    } else {
      announce('Ready. Add a voice in Voices to hear the avatar speak.');
    }
  } catch (error) {
    announce(`The saved voice could not be loaded: ${describeError(error)}. Add it again in Voices.`, 'error');
  }
  document.body.dataset.ready = 'true';
  // For the console (and the browser tests): the app's state.
  window.demoApp = state;
}

/** The store (OPFS where the browser has it); retried briefly while a closing page still holds it, else in memory. */
async function openStore(av) {
  for (let attempt = 0; attempt < 6; attempt++) {
    try {
      return { store: await av.openStore(), lockedByOtherTab: false };
    } catch (error) {
      if (error?.code !== 'STORE_LOCKED') throw error;
      await new Promise((r) => setTimeout(r, 300));
    }
  }
  return { store: await av.openStore({ storage: 'memory' }), lockedByOtherTab: true };
}

async function viewStart(name, load) {
  try {
    await load();
  } catch (error) {
    console.error(error);
    showNotice(`The ${name} view could not load its data: ${describeError(error)}`);
  }
}

function showNotice(text) {
  const notice = byId('boot-error');
  notice.className = 'notice notice-warn';
  notice.textContent = text;
  notice.hidden = false;
}

boot().catch((error) => {
  console.error(error);
  const notice = byId('boot-error');
  notice.textContent = `The app could not start: ${describeError(error)}`;
  notice.hidden = false;
  announce('Start-up failed.', 'error');
});
