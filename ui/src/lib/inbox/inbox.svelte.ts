// The Replies screen's state: mail Cadence read, newest first, the selected
// message, corrections (the engine undoes what it did and acts anew), and
// the rep's tag on each reply (positive, neutral, negative; a meeting booked).
import { SvelteSet } from 'svelte/reactivity';
import { api, explain, type Sentiment } from '../api/client';
import type { InboundDto, InboundKind } from '../api/types';

/** Every tag, in words, with its shortcut. Typed by the engine's tags. */
const TAGS: Record<Sentiment, { label: string; id: `replies.${Sentiment}` }> = {
  positive: { label: 'Positive', id: 'replies.positive' },
  neutral: { label: 'Neutral', id: 'replies.neutral' },
  negative: { label: 'Negative', id: 'replies.negative' },
};

export const SENTIMENTS: { sentiment: Sentiment; label: string; id: `replies.${Sentiment}` }[] = (Object.keys(TAGS) as Sentiment[]).map((sentiment) => ({ sentiment, ...TAGS[sentiment] }));

/** A tag in a word: "positive" → "Positive". */
export function sentimentLabel(s: string): string {
  return SENTIMENTS.find((x) => x.sentiment === s)?.label ?? s;
}

export class InboxState {
  items = $state<InboundDto[] | null>(null);
  error = $state<string | null>(null);
  /** The selected message's id. */
  selected = $state<number | null>(null);
  /** A correction on its way, by message id. */
  busy = $state<number | null>(null);
  /** Replies a meeting was booked from, as far as this screen knows (the
   * message list does not say). */
  meetings = new SvelteSet<number>();

  /** The selected message, when it is a reply (only replies are tagged). */
  selectedReply = $derived(this.items?.find((m) => m.id === this.selected && m.kind === 'reply') ?? null);

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
  async correct(id: number, kind: InboundKind): Promise<InboundDto> {
    this.busy = id;
    try {
      const fixed = await api.correctInbound(id, kind);
      this.items = (this.items ?? []).map((m) => (m.id === id ? fixed : m));
      return fixed;
    } finally {
      this.busy = null;
    }
  }

  /** Tags a reply; shown at once, put back if the engine refuses. */
  async tag(id: number, sentiment: Sentiment): Promise<InboundDto> {
    const before = this.items?.find((m) => m.id === id);
    this.#replace(id, (m) => ({ ...m, sentiment }));
    try {
      const tagged = await api.tagReply(id, sentiment);
      this.#replace(id, () => tagged);
      return tagged;
    } catch (e) {
      if (before) this.#replace(id, () => before);
      throw e;
    }
  }

  /** A meeting came of a reply: it counts for the email that drew the reply,
   * and the reply is tagged positive. */
  async meeting(id: number): Promise<InboundDto> {
    const before = this.items?.find((m) => m.id === id);
    this.meetings.add(id);
    this.#replace(id, (m) => ({ ...m, sentiment: 'positive' }));
    try {
      const m = await api.meetingFromReply(id);
      this.#replace(id, () => m);
      return m;
    } catch (e) {
      this.meetings.delete(id);
      if (before) this.#replace(id, () => before);
      throw e;
    }
  }

  #replace(id: number, f: (m: InboundDto) => InboundDto) {
    this.items = (this.items ?? []).map((m) => (m.id === id ? f(m) : m));
  }
}
