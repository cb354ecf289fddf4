// The Replies screen's state: mail Cadence read, newest first, the selected
// message, and corrections (the engine undoes what it did and acts anew).
import { api, explain } from '../api/client';
import type { InboundDto } from '../api/types';

export class InboxState {
  items = $state<InboundDto[] | null>(null);
  error = $state<string | null>(null);
  /** The selected message's id. */
  selected = $state<number | null>(null);
  /** A correction on its way, by message id. */
  busy = $state<number | null>(null);

  async load() {
    try {
      this.items = await api.inbox();
      this.error = null;
      if (!this.items.some((m) => m.id === this.selected)) this.selected = this.items[0]?.id ?? null;
    } catch (e) {
      this.error = explain(e);
    }
  }

  /** Moves the selection by `by` rows. */
  move(by: number) {
    if (!this.items?.length) return;
    const at = this.items.findIndex((m) => m.id === this.selected);
    this.selected = this.items[Math.max(0, Math.min(this.items.length - 1, at + by))].id;
  }

  /** Says what a message really is. Returns the message as the engine left
   * it, or throws the engine's refusal (the list is then unchanged). */
  async correct(id: number, kind: string): Promise<InboundDto> {
    this.busy = id;
    try {
      const fixed = await api.correctInbound(id, kind);
      this.items = (this.items ?? []).map((m) => (m.id === id ? fixed : m));
      return fixed;
    } finally {
      this.busy = null;
    }
  }
}
