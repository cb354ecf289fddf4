// The Outbox screen's state: approved emails not gone yet (with where they
// are in the send ledger and why they wait), failed ones, and sent ones.
import { api, explain } from '../api/client';
import type { OutboxDto, SendDto } from '../api/types';

export type Tab = 'waiting' | 'failed' | 'sent';
export const TABS: { tab: Tab; label: string }[] = [
  { tab: 'waiting', label: 'Waiting' },
  { tab: 'failed', label: 'Failed' },
  { tab: 'sent', label: 'Sent' },
];

/** The ledger state in a word. */
export function stateLabel(state: string): string {
  return ({ queued: 'Queued', sending: 'Sending', held: 'Held', failed: 'Failed', sent: 'Sent', cancelled: 'Cancelled' } as Record<string, string>)[state] ?? state;
}

/** Why an email waits, in words, when the engine gave no reason. */
export function why(o: OutboxDto): string {
  if (o.reason) return o.reason;
  if (o.state === 'sending') return 'going out now';
  return "waits for its send time in the prospect's window";
}

export const canRetry = (o: OutboxDto) => o.state === 'failed' || o.state === 'held';

export class OutboxState {
  items = $state<OutboxDto[] | null>(null);
  sent = $state<SendDto[] | null>(null);
  error = $state<string | null>(null);
  tab = $state<Tab>('waiting');
  selected = $state<number | null>(null);

  waiting = $derived((this.items ?? []).filter((o) => o.state !== 'failed'));
  failed = $derived((this.items ?? []).filter((o) => o.state === 'failed'));
  /** Touch ids on the open tab, top to bottom. */
  ids = $derived(this.tab === 'sent' ? (this.sent ?? []).map((s) => s.touch_id) : (this.tab === 'failed' ? this.failed : this.waiting).map((o) => o.touch_id));

  async load() {
    try {
      [this.items, this.sent] = await Promise.all([api.outbox(), api.sends('sent')]);
      this.error = null;
      this.#keepSelection();
    } catch (e) {
      this.error = explain(e);
    }
  }

  show(tab: Tab) {
    this.tab = tab;
    this.#keepSelection();
  }

  nextTab() {
    this.show(TABS[(TABS.findIndex((t) => t.tab === this.tab) + 1) % TABS.length].tab);
  }

  move(by: number) {
    if (!this.ids.length) return;
    const at = this.ids.indexOf(this.selected ?? -1);
    this.selected = this.ids[Math.max(0, Math.min(this.ids.length - 1, at + by))];
  }

  /** The selected email, when it is one that can be sent again. */
  retryable(): OutboxDto | null {
    const o = this.items?.find((i) => i.touch_id === this.selected);
    return o && canRetry(o) ? o : null;
  }

  /** Queues a failed or held email again; shown as queued at once. */
  async retry(id: number) {
    const before = this.items;
    this.items = (this.items ?? []).map((o) => (o.touch_id === id ? { ...o, state: 'queued', reason: 'the rep asked to send it again' } : o));
    try {
      await api.retrySend(id);
    } catch (e) {
      this.items = before;
      throw e;
    }
  }

  #keepSelection() {
    if (!this.ids.includes(this.selected ?? -1)) this.selected = this.ids[0] ?? null;
  }
}
