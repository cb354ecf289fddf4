// What each kind of mailbox failure means for the rep and what to do about
// it. Keyed by the engine's error codes, so the nav, Settings and error
// messages say the same thing.
import type { ErrorCode } from '../api/types';

export interface Fault {
  /** The nav's short line. */
  title: string;
  /** What to do, in a sentence. */
  todo: string;
}

export const MAILBOX_FAULTS: Partial<Record<ErrorCode, Fault>> = {
  mailbox_not_set_up: { title: 'Mailbox not set up', todo: 'Add the address, servers and password in Settings → Mailbox.' },
  mailbox_auth: { title: 'Sign-in refused', todo: 'Check the user name and password in Settings → Mailbox; mail waits until then.' },
  mailbox_sign_in_again: { title: 'Sign in again — mail waits', todo: 'Your provider ended the sign-in (password changed or access withdrawn). Sign in again in Settings → Mailbox; nothing is lost.' },
  mailbox_unreachable: { title: 'Offline — mail waits', todo: 'Check your connection, or the server name and port in Settings → Mailbox.' },
  mailbox_tls: { title: 'Secure connection failed', todo: 'Check the security setting (STARTTLS or TLS) and the port in Settings → Mailbox.' },
  mailbox_rejected: { title: 'The server refused a message', todo: 'See why in the Outbox’s failed list; fix it and retry.' },
  mailbox_over_cap: { title: 'Sending limit reached — mail waits', todo: 'Your provider’s sending limit is used up for now; the rest goes out later by itself.' },
  mailbox: { title: 'Mailbox problem', todo: 'Check Settings → Mailbox; work goes on and mail waits.' },
};

export function fault(code: ErrorCode | 'ipc' | null | undefined): Fault | undefined {
  return code && code !== 'ipc' ? MAILBOX_FAULTS[code] : undefined;
}
