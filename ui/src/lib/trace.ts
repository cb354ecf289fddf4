// Timings for the benchmarks (BENCHMARKS.md): only when the app runs with
// CADENCE_TRACE set. Kept in `window.__cadenceTimings` too, for WebDriver.
import { api } from './api/client';

let on = false;
const seen = new Set<string>();

export function enableTrace(enabled: boolean) {
  on = enabled;
}

/** Reports `event` at `ms`; `once` events only the first time. */
export function trace(event: string, ms: number, once = false) {
  if (!on || (once && seen.has(event))) return;
  seen.add(event);
  const w = window as unknown as { __cadenceTimings?: [string, number][] };
  (w.__cadenceTimings ??= []).push([event, ms]);
  api.trace(event, ms).catch(() => {});
}

/** Resolves after the browser has painted what the last state change drew. */
export function painted(): Promise<void> {
  return new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
}
