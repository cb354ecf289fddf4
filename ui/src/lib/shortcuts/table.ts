// The one shortcut table. It drives the key handling (keymap.ts), the hints on
// buttons, the `?` overlay and the command palette; nothing else names a key.

export type Scope = 'Anywhere' | 'Today queue' | 'Email' | 'Call' | 'LinkedIn and tasks' | 'Prospects' | 'Outbox' | 'Replies' | 'Signals' | 'Results';

export interface Shortcut {
  id: string;
  /** Alternatives; "Mod" is Ctrl (⌘ on a Mac); "g t" is g then t. */
  keys: string[];
  title: string;
  description: string;
  scope: Scope;
}

export const SHORTCUTS = [
  { id: 'go.today', keys: ['g t'], title: 'Go to Today', description: "Today's queue", scope: 'Anywhere' },
  { id: 'go.prospects', keys: ['g p'], title: 'Go to Prospects', description: 'The prospect table', scope: 'Anywhere' },
  { id: 'go.sequences', keys: ['g s'], title: 'Go to Sequences', description: 'Playbooks, their timelines and advice', scope: 'Anywhere' },
  { id: 'go.outbox', keys: ['g o'], title: 'Go to Outbox', description: 'Approved emails waiting for their send time, failed and sent', scope: 'Anywhere' },
  { id: 'go.replies', keys: ['g i'], title: 'Go to Replies', description: 'Mail Cadence read in your mailbox and what it did', scope: 'Anywhere' },
  { id: 'go.signals', keys: ['g n'], title: 'Go to Signals', description: 'Buying signals: proposals to accept, the rules, the watched folder', scope: 'Anywhere' },
  { id: 'go.results', keys: ['g r'], title: 'Go to Results', description: 'Replies, meetings and A/B tests per sequence and step; CSV exports', scope: 'Anywhere' },
  { id: 'go.settings', keys: ['Mod+,', 'g ,'], title: 'Go to Settings', description: 'Mailbox, sending rules and signature', scope: 'Anywhere' },
  { id: 'palette', keys: ['Mod+k'], title: 'Command palette', description: 'Find any action by name', scope: 'Anywhere' },
  { id: 'help', keys: ['?'], title: 'Keyboard shortcuts', description: 'This list', scope: 'Anywhere' },
  { id: 'search', keys: ['/'], title: 'Search', description: 'Search prospects', scope: 'Anywhere' },
  { id: 'undo', keys: ['z'], title: 'Undo', description: 'Take back the last action within a few seconds: an approval (if the email has not gone), a call logged, done, skip, snooze or bulk action', scope: 'Anywhere' },
  { id: 'import', keys: ['i'], title: 'Import a CSV', description: 'Add prospects from a file', scope: 'Anywhere' },

  { id: 'queue.next', keys: ['j', 'ArrowDown'], title: 'Next touch', description: 'Move down the queue', scope: 'Today queue' },
  { id: 'queue.prev', keys: ['k', 'ArrowUp'], title: 'Previous touch', description: 'Move up the queue', scope: 'Today queue' },
  { id: 'queue.pick', keys: ['Space'], title: 'Pick', description: 'Pick the touch for a bulk action (or ctrl-click; shift-click picks a range)', scope: 'Today queue' },
  { id: 'queue.pick_down', keys: ['Shift+J'], title: 'Pick down', description: 'Pick this touch and the next', scope: 'Today queue' },
  { id: 'queue.pick_up', keys: ['Shift+K'], title: 'Pick up', description: 'Pick this touch and the one above', scope: 'Today queue' },
  { id: 'queue.open', keys: ['Enter'], title: 'Open', description: 'Put the touch in focus mode', scope: 'Today queue' },
  { id: 'queue.focus', keys: ['f'], title: 'Focus mode', description: 'One touch at a time, the list hidden', scope: 'Today queue' },
  { id: 'queue.review', keys: ['r'], title: 'Review drafts', description: "Walk every draft of this email's step with j/k, approving as you go; r again to stop", scope: 'Today queue' },
  { id: 'queue.filter', keys: ['v'], title: 'Next filter', description: 'All, then emails, calls, LinkedIn, tasks', scope: 'Today queue' },
  { id: 'touch.primary', keys: ['Mod+Enter'], title: 'Approve / done, then next', description: 'Approve the email (or mark the task done) and move on', scope: 'Today queue' },
  { id: 'touch.snooze', keys: ['s'], title: 'Snooze', description: 'Then 1 an hour, 2 tomorrow, 3 next week', scope: 'Today queue' },
  { id: 'touch.skip', keys: ['x'], title: 'Skip this step', description: 'Then one key for why', scope: 'Today queue' },
  { id: 'touch.open', keys: ['o'], title: 'Open profile', description: 'LinkedIn profile in the browser, or the prospect', scope: 'Today queue' },
  { id: 'touch.copy', keys: ['c'], title: 'Copy the text', description: 'Copy the message or script', scope: 'LinkedIn and tasks' },
  { id: 'email.edit', keys: ['e'], title: 'Edit the draft', description: 'Esc leaves the editor and keeps the edit', scope: 'Email' },
  { id: 'call.connected', keys: ['1'], title: 'Connected', description: 'Log the call: spoke to them', scope: 'Call' },
  { id: 'call.voicemail', keys: ['2'], title: 'Voicemail', description: 'Log the call: left a voicemail', scope: 'Call' },
  { id: 'call.no_answer', keys: ['3'], title: 'No answer', description: 'Log the call: nobody picked up', scope: 'Call' },
  { id: 'call.wrong_number', keys: ['4'], title: 'Wrong number', description: 'Log the call: wrong number', scope: 'Call' },
  { id: 'call.meeting_booked', keys: ['5'], title: 'Meeting booked', description: 'Log the call and end the sequence', scope: 'Call' },
  { id: 'call.not_interested', keys: ['6'], title: 'Not interested', description: 'Log the call and end the sequence', scope: 'Call' },
  { id: 'call.notes', keys: ['n'], title: 'Notes', description: 'Write call notes', scope: 'Call' },
  { id: 'prospects.select', keys: ['Space'], title: 'Select', description: 'Select the prospect under the cursor', scope: 'Prospects' },
  { id: 'prospects.close', keys: ['Escape'], title: 'Close the prospect', description: 'Close the timeline panel', scope: 'Prospects' },
  { id: 'prospects.enroll', keys: ['Shift+E'], title: 'Enroll selection', description: 'Enroll the selected prospects in a sequence', scope: 'Prospects' },
  { id: 'outbox.tab', keys: ['v'], title: 'Next list', description: 'Waiting, then failed, then sent', scope: 'Outbox' },
  { id: 'outbox.read', keys: ['Enter'], title: 'Read the email', description: 'Open or close the selected email: the text as it will go', scope: 'Outbox' },
  { id: 'outbox.pull_back', keys: ['b'], title: 'Pull back', description: 'Take the selected email back before it goes: a draft again in Today, to read or edit', scope: 'Outbox' },
  { id: 'outbox.retry', keys: ['r'], title: 'Send again', description: 'Retry the selected failed or held email', scope: 'Outbox' },
  { id: 'replies.open', keys: ['Enter'], title: 'Read the message', description: 'Open or close the selected message: what they wrote, and the email it answers', scope: 'Replies' },
  { id: 'replies.prospect', keys: ['p'], title: 'Open the prospect', description: 'The prospect the selected message is about: fields, sequences, timeline', scope: 'Replies' },
  { id: 'replies.correct', keys: ['c'], title: 'Correct the kind', description: 'Say what the selected message really is; Cadence redoes what it did', scope: 'Replies' },
  { id: 'replies.positive', keys: ['1'], title: 'Positive', description: 'Tag the selected reply positive: they are interested', scope: 'Replies' },
  { id: 'replies.neutral', keys: ['2'], title: 'Neutral', description: 'Tag the selected reply neutral: a question, a referral, not now', scope: 'Replies' },
  { id: 'replies.negative', keys: ['3'], title: 'Negative', description: 'Tag the selected reply negative: not interested', scope: 'Replies' },
  { id: 'replies.referral', keys: ['n'], title: 'Add the referral', description: 'Add the person a “left the company” reply names as a new prospect at the same company', scope: 'Replies' },
  { id: 'replies.keep', keys: ['s'], title: 'Keep in sequence', description: 'A tagged reply whose email branches on its tag: the prospect stays in the sequence and goes down that branch', scope: 'Replies' },
  { id: 'replies.meeting', keys: ['m'], title: 'Meeting booked', description: 'A meeting came of the selected reply; it counts for the email that drew it', scope: 'Replies' },
  { id: 'signals.next', keys: ['j', 'ArrowDown'], title: 'Next proposal', description: 'Move down the proposals', scope: 'Signals' },
  { id: 'signals.prev', keys: ['k', 'ArrowUp'], title: 'Previous proposal', description: 'Move up the proposals', scope: 'Signals' },
  { id: 'signals.accept', keys: ['a'], title: 'Accept', description: 'Enroll the selected proposal’s prospect in its sequence; the first draft quotes the signal', scope: 'Signals' },
  { id: 'signals.accept_all', keys: ['Shift+A'], title: 'Accept all', description: 'Accept every proposal waiting', scope: 'Signals' },
  { id: 'signals.dismiss', keys: ['d'], title: 'Dismiss', description: 'Not this one: the proposal goes, nobody is enrolled', scope: 'Signals' },
  { id: 'results.next', keys: ['j', 'ArrowDown'], title: 'Next sequence', description: 'Move down the sequence list', scope: 'Results' },
  { id: 'results.prev', keys: ['k', 'ArrowUp'], title: 'Previous sequence', description: 'Move up the sequence list', scope: 'Results' },
  { id: 'results.days7', keys: ['1'], title: 'Last 7 days', description: 'Figures for the last 7 days', scope: 'Results' },
  { id: 'results.days30', keys: ['2'], title: 'Last 30 days', description: 'Figures for the last 30 days', scope: 'Results' },
  { id: 'results.days90', keys: ['3'], title: 'Last 90 days', description: 'Figures for the last 90 days', scope: 'Results' },
  { id: 'results.all', keys: ['4'], title: 'All time', description: 'Figures since the sequence began', scope: 'Results' },
  { id: 'results.version', keys: ['v'], title: 'Next version', description: 'Steps, chart and A/B tests of the next version of the sequence', scope: 'Results' },
  { id: 'results.thresholds', keys: ['t'], title: 'Advice thresholds', description: 'Edit the reply-rate floor and the window the advice looks at', scope: 'Results' },
  { id: 'results.export', keys: ['e'], title: 'Export figures', description: "Save this sequence's figures per step and variant as CSV", scope: 'Results' },
  { id: 'results.copyPath', keys: ['c'], title: 'Copy the export path', description: 'Copy where the last export was saved', scope: 'Results' },
  { id: 'results.exportActivity', keys: ['a'], title: 'Export activity', description: "Save every touch, reply and bounce in the period as CSV", scope: 'Results' },
] as const satisfies readonly Shortcut[];

export type ShortcutId = (typeof SHORTCUTS)[number]['id'];

export function shortcut(id: ShortcutId): Shortcut {
  return SHORTCUTS.find((s) => s.id === id)!;
}

const isMac = typeof navigator !== 'undefined' && /Mac/.test(navigator.platform);

/** How a key is written on a button: "Ctrl+↵", "g t", "?". */
export function keyLabel(key: string): string {
  return key
    .replace('Mod', isMac ? '⌘' : 'Ctrl')
    .replace('Enter', '↵')
    .replace('ArrowDown', '↓')
    .replace('ArrowUp', '↑');
}

/** The first key of a shortcut, for a hint on its button. */
export function hint(id: ShortcutId): string {
  return keyLabel(shortcut(id).keys[0]);
}
