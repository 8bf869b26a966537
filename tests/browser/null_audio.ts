// A PulseAudio server with only a null sink, for a browser on a machine without a sound card:
// headless Firefox's AudioContext never starts without an audio device (its resume() stays
// pending even after a real click), so the Player could not be tested there. Debian's
// `pulseaudio` (scripts/setup.sh); a private socket per browser, stopped with it.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface NullAudio {
  /** PULSE_SERVER for the browser's environment. */
  env: { PULSE_SERVER: string };
  close(): Promise<void>;
}

export async function startNullAudio(): Promise<NullAudio> {
  const dir = mkdtempSync(join(tmpdir(), 'av-pulse-'));
  const socket = join(dir, 'native');
  const server: ChildProcess = spawn(
    'pulseaudio',
    [
      '-n',
      '--daemonize=no',
      '--exit-idle-time=-1',
      '--disable-shm=yes',
      '--load=module-null-sink sink_name=avatar_voice_null',
      `--load=module-native-protocol-unix auth-anonymous=1 socket=${socket}`,
    ],
    { stdio: 'ignore', env: { ...process.env, HOME: dir } },
  );
  let failed: Error | null = null;
  server.on('error', (e) => (failed = e));
  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
  const close = async () => {
    server.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
  };
  for (let i = 0; !existsSync(socket); i++) {
    if (failed || i > 100) {
      await close();
      throw new Error(`PulseAudio (null sink) did not start: ${failed ?? 'no socket after 10 s'}; scripts/setup.sh installs it`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { env: { PULSE_SERVER: `unix:${socket}` }, close };
}
