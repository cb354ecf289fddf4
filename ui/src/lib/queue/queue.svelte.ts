// Today's queue: the list, the selected touch, and the actions on it. Actions
// are optimistic: the next touch is on screen before the engine has written
// the last one, and a refused action is put back with the reason.
import { SvelteSet } from 'svelte/reactivity';
import { api, explain } from '../api/client';
import type { Channel, OutcomeInput, QueueDto, QueueItemDto, SnoozeInput, TodayStatsDto, TouchDto } from '../api/types';
import { painted, trace } from '../trace';

const PAGE = 500;

const sameStep = (i: QueueItemDto, s: { sequence: string; step: number }) => i.channel === 'email' && i.sequence === s.sequence && i.step === s.step;

export class QueueState {
  data = $state<QueueDto | null>(null);
  error = $state<string | null>(null);
  filter = $state<Channel | null>(null);
  selectedId = $state<number | null>(null);
  detail = $state<TouchDto | null>(null);
  detailError = $state<string | null>(null);
  focus = $state(false);
  /** Touches worked in this sitting, and when the sitting began. */
  worked = $state(0);
  startedAt = Date.now();
  /** Worked here and not yet gone from the engine's list. */
  #hidden = new SvelteSet<number>();
  /** Hidden touches whose write has finished: a list read after that lacks them. */
  #written = new Set<number>();
  #cache = new Map<number, TouchDto>();
  #loads = 0;
  /** Called once the touch with this id is the one on screen. */
  #shown = new Map<number, () => void>();
  /** Touches picked for a bulk action (ctrl/shift-click, Space, Shift+j/k). */
  picked = new SvelteSet<number>();
  /** Emails whose draft has been on screen in this sitting: only these may be approved in bulk. */
  read = new SvelteSet<number>();
  #anchor: number | null = null;

  /** Review mode: only the drafts of one step of one sequence, one at a time. */
  review = $state<{ sequence: string; step: number } | null>(null);

  items: QueueItemDto[] = $derived((this.data?.items ?? []).filter((i) => !this.#hidden.has(i.touch_id) && (!this.review || sameStep(i, this.review))));
  selected: QueueItemDto | null = $derived(this.items.find((i) => i.touch_id === this.selectedId) ?? null);
  index = $derived(this.items.findIndex((i) => i.touch_id === this.selectedId));
  /** Due today across every channel, less what was just worked. */
  remaining = $derived(Math.max(0, (this.data?.total ?? 0) - (this.data?.items ?? []).filter((i) => this.#hidden.has(i.touch_id)).length));

  constructor(
    private onError: (text: string) => void,
    private onDone: (text: string) => void = () => {},
  ) {}

  /** A touch an undo brought back: shown in the list again and selected. */
  async restore(id: number) {
    this.#hidden.delete(id);
    this.#written.delete(id);
    this.#cache.delete(id);
    await this.load();
    if (this.items.some((i) => i.touch_id === id)) this.select(id);
  }

  /** Reads the queue again. `fresh`: drafts may read differently now (a
   * prospect or a setting changed), so nothing cached is kept. */
  async load(fresh = false) {
    const n = ++this.#loads;
    const written = new Set(this.#written);
    try {
      const q = await api.queue(this.filter, PAGE);
      if (n !== this.#loads) return;
      this.data = q;
      this.error = null;
      const present = new Set(q.items.map((i) => i.touch_id));
      for (const id of written) {
        if (!present.has(id)) {
          this.#hidden.delete(id);
          this.#written.delete(id);
        }
      }
      if (fresh) this.#cache.clear();
      for (const id of this.#cache.keys()) if (!present.has(id)) this.#cache.delete(id);
      if (this.selected === null) this.select(this.items[0]?.touch_id ?? null);
      else if (fresh) this.refreshDetail();
      this.prefetch();
    } catch (e) {
      this.error = explain(e);
    }
  }

  setFilter(c: Channel | null) {
    this.filter = c;
    this.selectedId = null;
    this.load();
  }

  /** All, then each channel with touches due, in the order of the count
   * buttons (the engine's: the order a day is worked in). */
  cycleFilter() {
    const present: (Channel | null)[] = [null, ...(this.data?.counts ?? []).filter((x) => x.due > 0).map((x) => x.channel)];
    const i = present.indexOf(this.filter);
    this.setFilter(present[(i + 1) % present.length]);
  }

  select(id: number | null) {
    this.selectedId = id;
    this.detailError = null;
    if (id === null) {
      this.detail = null;
      return;
    }
    const cached = this.#cache.get(id);
    this.detail = cached ?? (this.detail?.touch_id === id ? this.detail : null);
    if (this.detail) this.#shownNow(id);
    if (!cached) this.fetch(id, true);
    this.prefetch();
  }

  /** Picks or unpicks one touch; `range` picks everything from the last pick to it. */
  pick(id: number, range = false) {
    if (range && this.#anchor !== null) {
      const ids = this.items.map((i) => i.touch_id);
      const [a, b] = [ids.indexOf(this.#anchor), ids.indexOf(id)].sort((x, y) => x - y);
      if (a >= 0) for (const t of ids.slice(a, b + 1)) this.picked.add(t);
    } else if (this.picked.has(id)) {
      this.picked.delete(id);
    } else {
      this.picked.add(id);
    }
    this.#anchor = id;
  }

  /** Shift+j / Shift+k: the selection moves and takes the touches it passes. */
  extend(delta: number) {
    if (this.selectedId !== null) this.picked.add(this.selectedId);
    this.move(delta);
    if (this.selectedId !== null) this.picked.add(this.selectedId);
  }

  pickAll(ids: number[]) {
    const all = ids.every((id) => this.picked.has(id));
    for (const id of ids) (all ? this.picked.delete(id) : this.picked.add(id));
  }

  /** Runs one action on every picked touch; the engine does all or nothing. */
  async bulk(input: import('../api/types').BulkInput): Promise<number> {
    const ids = [...this.picked];
    const r = await api.bulk(ids, input);
    this.picked.clear();
    this.#cache.clear();
    await this.load(true);
    return r.changed;
  }

  /** The drafts due of the selected email's step (1 when it is alone). */
  stepDrafts(): number {
    const s = this.selected;
    if (!s || s.channel !== 'email') return 0;
    return (this.data?.items ?? []).filter((i) => !this.#hidden.has(i.touch_id) && sameStep(i, s)).length;
  }

  /** Walks every draft of the selected email's step, in focus mode; again to stop. */
  toggleReview() {
    if (this.review) {
      this.review = null;
      return;
    }
    const s = this.selected;
    if (!s || s.channel !== 'email') return;
    this.review = { sequence: s.sequence, step: s.step };
    this.focus = true;
  }

  move(delta: number) {
    const i = this.index < 0 ? 0 : this.index + delta;
    const next = this.items[Math.max(0, Math.min(this.items.length - 1, i))];
    if (next) this.select(next.touch_id);
  }

  private refreshDetail() {
    if (this.selectedId !== null) this.fetch(this.selectedId, true);
  }

  private async fetch(id: number, show: boolean) {
    try {
      const d = await api.touch(id);
      this.#cache.set(id, d);
      if (show && this.selectedId === id) {
        this.detail = d;
        this.#shownNow(id);
      }
    } catch (e) {
      if (show && this.selectedId === id) this.detailError = explain(e);
    }
  }

  #shownNow(id: number) {
    if (this.detail?.touch_id === id && this.detail.channel === 'email' && !this.detail.blocked) this.read.add(id);
    this.#shown.get(id)?.();
    this.#shown.delete(id);
  }

  /** Resolves when touch `id` is the one on screen. */
  private whenShown(id: number): Promise<void> {
    if (this.detail?.touch_id === id) return Promise.resolve();
    return new Promise((r) => this.#shown.set(id, r));
  }

  /** The touches either side are read ahead, so moving on is instant. */
  private prefetch() {
    for (const d of [1, 2, -1]) {
      const item = this.items[this.index + d];
      if (item && !this.#cache.has(item.touch_id)) this.fetch(item.touch_id, false);
    }
  }

  /** Forgets what is cached for a touch (its prospect was edited, say). */
  forget(id: number) {
    this.#cache.delete(id);
    if (this.selectedId === id) this.fetch(id, true);
  }

  /** Finishes a touch and moves to the next one at once. */
  async complete(id: number, outcome: OutcomeInput): Promise<boolean> {
    return this.optimistic(id, async () => {
      const done = await api.complete(id, outcome);
      // The engine's words for it, the same that undo uses.
      this.onDone(`${done?.what ?? 'Done'} · z to undo`);
    });
  }

  async snooze(id: number, preset: SnoozeInput): Promise<boolean> {
    return this.optimistic(id, async () => {
      await api.snooze(id, preset);
      this.onDone('Snoozed · z to undo');
    });
  }

  private async optimistic(id: number, write: () => Promise<unknown>): Promise<boolean> {
    const at = this.items.findIndex((i) => i.touch_id === id);
    const next = this.items[at + 1] ?? this.items[at - 1] ?? null;
    const started = performance.now();
    this.#hidden.add(id);
    this.worked += 1;
    if (this.selectedId === id) {
      this.select(next?.touch_id ?? null);
      if (next) {
        this.whenShown(next.touch_id)
          .then(painted)
          .then(() => trace('approve-next', performance.now() - started));
      }
    }
    try {
      await write();
      this.#cache.delete(id);
      this.#written.add(id);
      return true;
    } catch (e) {
      this.#hidden.delete(id);
      this.worked -= 1;
      this.select(id);
      this.onError(explain(e));
      return false;
    } finally {
      // A list read from now on no longer has it; that read un-hides it.
      await this.load();
    }
  }

  /** Minutes left at this sitting's pace (90 s a touch until there is one). */
  minutesLeft(): number {
    const perTouch = this.worked > 2 ? (Date.now() - this.startedAt) / this.worked / 1000 : 90;
    return Math.round((this.remaining * perTouch) / 60);
  }
}

/** The rep's own day so far, for the header line: touches worked and left,
 * emails sent and replies since midnight in the rep's zone. */
export class DayState {
  stats = $state<TodayStatsDto | null>(null);
  #reads = 0;

  async load() {
    const n = ++this.#reads;
    try {
      const s = await api.todayStats();
      if (n === this.#reads) this.stats = s;
    } catch {
      // A nicety beside the queue: the last figures stay until a read works.
    }
  }
}
