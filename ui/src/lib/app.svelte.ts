// The app's own state: where the rep is, the workspace, the messages shown.
// One instance, made in App.svelte and passed down with a context.
import { createContext } from 'svelte';
import { api, explain, type View } from './api/client';
import type { MailboxStatusDto, StartupProblemDto, WorkspaceDto } from './api/types';
import { Keymap } from './shortcuts/keymap.svelte';
import { enableTrace } from './trace';

export type Route = 'today' | 'prospects' | 'sequences' | 'outbox' | 'replies' | 'signals' | 'results' | 'settings' | 'firstrun';

export interface Toast {
  id: number;
  text: string;
  kind: 'info' | 'error';
}

export class AppState {
  route = $state<Route>('today');
  workspace = $state<WorkspaceDto | null>(null);
  /** Whether the mailbox can be reached, as the shell last said. */
  mailbox = $state<MailboxStatusDto | null>(null);
  loadError = $state<string | null>(null);
  /** The database would not open (damaged, or from a newer Cadence): the window offers its backups instead. */
  startup = $state<StartupProblemDto | null>(null);
  toasts = $state<Toast[]>([]);
  overlay = $state<'help' | 'palette' | 'import' | null>(null);
  /** "/" was pressed elsewhere: the prospect search takes the cursor. */
  focusSearch = $state(false);
  /** Milliseconds to add to the machine's clock to get the engine's "now". */
  clockSkew = 0;
  keymap = new Keymap();
  #toastId = 0;
  /** Views to refresh when the engine says they changed. */
  #listeners = new Map<View, Set<() => void>>();

  async load() {
    try {
      const problem = await api.startupProblem();
      if (problem) {
        this.startup = problem;
        return;
      }
      const ws = await api.workspace();
      this.clockSkew = Date.parse(ws.now) - Date.now();
      enableTrace(ws.trace);
      this.workspace = ws;
      if (ws.prospects === 0) this.route = 'firstrun';
    } catch (e) {
      this.loadError = explain(e);
    }
  }

  now(): number {
    return Date.now() + this.clockSkew;
  }

  go(route: Route) {
    this.route = route;
    this.overlay = null;
  }

  toast(text: string, kind: Toast['kind'] = 'info') {
    const id = ++this.#toastId;
    this.toasts = [...this.toasts, { id, text, kind }].slice(-4);
    setTimeout(() => (this.toasts = this.toasts.filter((t) => t.id !== id)), kind === 'error' ? 9000 : 4000);
  }

  /** A prospect to open on the Prospects screen (from a reply, say). */
  prospectToOpen = $state<number | null>(null);

  showProspect(id: number) {
    this.prospectToOpen = id;
    this.go('prospects');
  }

  /** A touch for Today to put on screen: one an undo brought back, or a
   * pulled-back email to edit. */
  touchToShow = $state<number | null>(null);

  showTouch(id: number) {
    this.touchToShow = id;
    this.go('today');
  }

  /** Takes back the last action (`z`), within a few seconds of it. */
  async undo() {
    try {
      const u = await api.undo();
      this.touchToShow = u.touch_id;
      this.toast(`Undone: ${u.what}.`);
    } catch (e) {
      this.fail(e);
    }
  }

  fail(e: unknown) {
    this.toast(explain(e), 'error');
  }

  /** Runs `f` whenever the engine reports a change to `view`. */
  watch(view: View, f: () => void): () => void {
    const set = this.#listeners.get(view) ?? new Set();
    set.add(f);
    this.#listeners.set(view, set);
    return () => set.delete(f);
  }

  changed(what: View[]) {
    const run = new Set<() => void>();
    for (const v of what) this.#listeners.get(v)?.forEach((f) => run.add(f));
    run.forEach((f) => f());
    if (what.includes('prospects') && this.workspace) {
      api.workspace().then((ws) => (this.workspace = ws)).catch(() => {});
    }
  }
}

export const [getApp, setApp] = createContext<AppState>();
