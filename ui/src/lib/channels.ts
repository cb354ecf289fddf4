import { CHANNEL_CAPABILITIES, type Channel, type WorkedBy } from './api/types';

/** How a touch on this channel is worked (approved, logged as a call, marked
 * done), from the engine's capability table: the window never decides by name. */
export function workedBy(c: Channel): WorkedBy {
  return CHANNEL_CAPABILITIES[c].worked_by;
}

export interface ChannelInfo {
  label: string;
  plural: string;
  glyph: string;
  /** CSS colour variable for the channel's small stripe or icon. */
  color: string;
}

const LINKEDIN = 'var(--ch-linkedin)';

export const CHANNELS: Record<Channel, ChannelInfo> = {
  email: { label: 'Email', plural: 'Emails', glyph: '✉', color: 'var(--ch-email)' },
  call: { label: 'Call', plural: 'Calls', glyph: '☎', color: 'var(--ch-call)' },
  linkedin_view: { label: 'LinkedIn view', plural: 'Profile views', glyph: 'in', color: LINKEDIN },
  linkedin_connect: { label: 'LinkedIn connect', plural: 'Connects', glyph: 'in', color: LINKEDIN },
  linkedin_message: { label: 'LinkedIn message', plural: 'LinkedIn messages', glyph: 'in', color: LINKEDIN },
  sms: { label: 'SMS', plural: 'Texts', glyph: '✆', color: 'var(--ch-task)' },
  task: { label: 'Task', plural: 'Tasks', glyph: '✓', color: 'var(--ch-task)' },
};

export function isLinkedin(c: Channel): boolean {
  return c.startsWith('linkedin');
}

/** What to do, in a few words, for a LinkedIn step or a task. */
export function actionWords(c: Channel): string {
  switch (c) {
    case 'linkedin_view':
      return 'View their LinkedIn profile';
    case 'linkedin_connect':
      return 'Send a LinkedIn connection request';
    case 'linkedin_message':
      return 'Send a LinkedIn message';
    case 'sms':
      return 'Send a text message';
    default:
      return 'Do this task';
  }
}
