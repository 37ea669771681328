/**
 * The sound of a new urgent report: a short two-tone chime generated with the Web Audio API
 * (no audio file is fetched). Browsers only start audio after a user gesture, so the context
 * is created after the login click and resumed on the first click or key press afterwards
 * (a reload keeps the session but not the permission). The button in the header shows when
 * sound is blocked, and mutes or unmutes; the choice is remembered.
 */

const MUTED_KEY = 'frontline.alarm.muted';
/** The longest the audio context waits for an idle moment after the sign-in click. */
const IDLE_UNLOCK_TIMEOUT_MS = 10_000;
/** Two alarms closer than this ring once. */
const MIN_GAP_MS = 1500;

export type AlarmState = 'on' | 'muted' | 'blocked';

type AudioContextClass = typeof AudioContext;

function audioContextClass(): AudioContextClass | null {
  const w = window as unknown as {
    AudioContext?: AudioContextClass;
    webkitAudioContext?: AudioContextClass;
  };
  return w.AudioContext ?? w.webkitAudioContext ?? null;
}

function readMuted(): boolean {
  try {
    return localStorage.getItem(MUTED_KEY) === '1';
  } catch {
    return false;
  }
}

class Alarm {
  private context: AudioContext | null = null;
  private muted = readMuted();
  private lastRingAt = 0;
  private readonly listeners = new Set<() => void>();
  private snapshot: { state: AlarmState; rings: number } = { state: 'blocked', rings: 0 };
  /** How many times the alarm sounded (or would have, when muted or blocked): for tests. */
  private rings = 0;

  constructor() {
    this.refresh();
  }

  /** Call from a user gesture (click, key): creates or resumes the audio context. */
  readonly unlock = (): void => {
    const Context = audioContextClass();
    if (!Context) return;
    try {
      this.context ??= new Context();
      this.context.onstatechange = () => this.refresh();
      if (this.context.state === 'suspended') void this.context.resume().then(() => this.refresh());
    } catch (error) {
      console.warn('alarm: no audio', error);
    }
    this.refresh();
  };

  /**
   * For the sign-in click: the click already allows sound (browsers remember that the page had
   * a gesture), so the audio context is created once the page is idle rather than inside the
   * click. Creating the first one can hold the page for hundreds of ms (460 ms measured in
   * headless Chromium without an audio device), and the console's first picture comes first.
   */
  readonly unlockWhenIdle = (): void => {
    if (this.context) {
      this.unlock();
      return;
    }
    if (typeof window.requestIdleCallback === 'function')
      window.requestIdleCallback(() => this.unlock(), { timeout: IDLE_UNLOCK_TIMEOUT_MS });
    else setTimeout(this.unlock, 0);
  };

  setMuted(muted: boolean): void {
    this.muted = muted;
    try {
      localStorage.setItem(MUTED_KEY, muted ? '1' : '0');
    } catch {
      // Not remembered without storage.
    }
    this.refresh();
  }

  /** Rings once for new urgent reports (at most every 1.5 s). */
  ring(): void {
    const now = Date.now();
    if (now - this.lastRingAt < MIN_GAP_MS) return;
    this.lastRingAt = now;
    this.rings += 1;
    this.refresh();
    const context = this.context;
    if (this.muted || !context || context.state !== 'running') return;
    const start = context.currentTime + 0.02;
    // Two falling tones, twice: noticeable, not harsh.
    [0, 0.5].forEach((offset) => {
      this.tone(context, 988, start + offset, 0.16);
      this.tone(context, 740, start + offset + 0.18, 0.22);
    });
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getSnapshot = (): { state: AlarmState; rings: number } => this.snapshot;

  private tone(context: AudioContext, frequency: number, at: number, duration: number): void {
    const oscillator = context.createOscillator();
    const gain = context.createGain();
    oscillator.type = 'sine';
    oscillator.frequency.value = frequency;
    gain.gain.setValueAtTime(0.0001, at);
    gain.gain.exponentialRampToValueAtTime(0.25, at + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, at + duration);
    oscillator.connect(gain).connect(context.destination);
    oscillator.start(at);
    oscillator.stop(at + duration + 0.02);
  }

  private refresh(): void {
    const state: AlarmState = this.muted
      ? 'muted'
      : this.context?.state === 'running'
        ? 'on'
        : 'blocked';
    if (state === this.snapshot.state && this.rings === this.snapshot.rings) return;
    this.snapshot = { state, rings: this.rings };
    for (const listener of this.listeners) listener();
  }
}

/** One alarm per page. */
export const alarm = new Alarm();
