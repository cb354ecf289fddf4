// The prospect table's data: a total and pages fetched as they scroll into
// view, so 100k rows cost what a screenful costs.
import { SvelteMap } from 'svelte/reactivity';
import { api, explain } from '../api/client';
import type { ProspectDto } from '../api/types';

export const PAGE = 200;

export class ProspectPages {
  search = $state('');
  total = $state<number | null>(null);
  error = $state<string | null>(null);
  #pages = new SvelteMap<number, ProspectDto[]>();
  #loading = new Set<number>();
  #generation = 0;

  row(i: number): ProspectDto | undefined {
    return this.#pages.get(Math.floor(i / PAGE))?.[i % PAGE];
  }

  /** Reads again from the top: a new search (`total` unknown until page 0
   * arrives), or the engine changed prospects (`keep`: the rows on screen
   * stay until their fresh copies arrive, so nothing jumps). */
  async reset(keep: { from: number; to: number } | null = null) {
    this.#generation += 1;
    this.#loading.clear();
    if (!keep) {
      this.#pages.clear();
      this.total = null;
      return this.ensure(0, PAGE);
    }
    // Pages off screen are dropped; those on screen are read again in place.
    const onScreen = [...this.#pages.keys()].filter((k) => k * PAGE <= keep.to && (k + 1) * PAGE >= keep.from);
    for (const k of [...this.#pages.keys()]) if (!onScreen.includes(k)) this.#pages.delete(k);
    const gen = this.#generation;
    await Promise.all((onScreen.length ? onScreen : [0]).map((p) => this.fetch(p, gen)));
  }

  private async fetch(p: number, gen: number) {
    this.#loading.add(p);
    try {
      const page = await api.prospects({ search: this.search || null, offset: p * PAGE, limit: PAGE });
      if (gen !== this.#generation) return;
      this.total = page.total;
      this.#pages.set(p, page.items);
      this.error = null;
    } catch (e) {
      this.error = explain(e);
    } finally {
      this.#loading.delete(p);
    }
  }

  /** Makes sure rows `from..to` are loaded or on their way. */
  async ensure(from: number, to: number) {
    const gen = this.#generation;
    const first = Math.floor(Math.max(0, from) / PAGE);
    const last = Math.floor(Math.max(0, to) / PAGE);
    const wanted = [];
    for (let p = first; p <= last; p++) {
      if (!this.#pages.has(p) && !this.#loading.has(p) && (this.total === null || p * PAGE < this.total)) wanted.push(p);
    }
    await Promise.all(wanted.map((p) => this.fetch(p, gen)));
  }
}
