// The mailbox in words: the nav's connection line, the kinds of mail Cadence
// reads, and the toast when a prospect replies. Pure, so it is tested alone.
import type { InboundDto, InboundKind, MailboxStatusDto } from '../api/types';
import { hhmm } from '../time';
import { fault } from './faults';

export interface Indicator {
  text: string;
  /** What happens next ("retrying at 09:05"), when known. */
  then?: string;
  /** off: grey; busy: connecting; ok: green; warn: offline. */
  tone: 'off' | 'busy' | 'ok' | 'warn';
  /** The longer story, for a tooltip. */
  detail: string;
}

/** The indicator as one line. */
export function sentence(i: Indicator): string {
  return i.then ? `${i.text}; ${i.then}` : i.text;
}

/** What the nav says about the mailbox. `zone` is the rep's time zone. */
export function indicator(s: MailboxStatusDto | null, zone?: string): Indicator {
  switch (s?.state) {
    case 'online':
      return { text: 'Mailbox connected', tone: 'ok', detail: 'Approved emails go out at their send time; replies are read as they arrive.' };
    case 'connecting':
    case undefined:
      return { text: 'Connecting to the mailbox…', tone: 'busy', detail: 'Logging in to your mail servers.' };
    case 'offline': {
      const f = fault(s.code);
      return {
        text: f?.title ?? 'Offline — mail waits',
        then: s.retry_at ? `retrying at ${hhmm(s.retry_at, zone)}` : undefined,
        tone: 'warn',
        detail: `${s.message ? `${capital(s.message)}. ` : ''}${f && s.code !== 'mailbox_unreachable' ? `${f.todo} ` : ''}Everything else works; approved emails wait in the outbox and go when the mailbox is back.`,
      };
    }
    default:
      return { text: 'Mailbox not set up', tone: 'off', detail: `${s?.message ? `${capital(s.message)}. ` : ''}Until then nothing is sent or read; everything else works.` };
  }
}

function capital(t: string): string {
  return t.charAt(0).toUpperCase() + t.slice(1);
}

/** Every kind of mail Cadence tells apart, in words, in the order a rep
 * corrects them. Typed by the engine's kinds: a new one needs words here. */
const KIND_LABELS: Record<InboundKind, string> = {
  reply: 'Reply',
  auto_reply: 'Out of office',
  left_company: 'Left company',
  bounce: 'Bounce',
  notice: 'Delivery notice',
  unsubscribe: 'Unsubscribe',
  complaint: 'Spam complaint',
  other: 'Other',
  unreadable: 'Unreadable',
};

/** The kinds a rep can correct a message to (an unreadable one is not a choice). */
export const KINDS: readonly { kind: InboundKind; label: string }[] = (Object.keys(KIND_LABELS) as InboundKind[])
  .filter((kind) => kind !== 'unreadable')
  .map((kind) => ({ kind, label: KIND_LABELS[kind] }));

export function kindLabel(kind: InboundKind): string {
  return KIND_LABELS[kind] ?? kind.replace('_', ' ');
}

/** Who a message is from, as the rep knows them. */
export function sender(m: InboundDto): string {
  // Their own mail: the name the rep knows them by, and their company.
  if (m.prospect_name && m.from && m.from === m.prospect_email) return [m.prospect_name, m.prospect_company].filter(Boolean).join(' · ');
  return m.from ?? m.prospect_email ?? 'a prospect';
}

/** "Reply from lucia@nubaria.es — stopped 1 sequence": only replies pop up. */
export function replyToast(m: InboundDto): string | null {
  if (m.kind !== 'reply') return null;
  return `Reply from ${sender(m)} — ${m.action}`;
}
