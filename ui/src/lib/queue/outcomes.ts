import type { CallOutcome, SnoozeInput } from '../api/types';
import type { ShortcutId } from '../shortcuts/table';

export const CALL_OUTCOMES: [ShortcutId, CallOutcome, string][] = [
  ['call.connected', 'connected', 'Connected'],
  ['call.voicemail', 'voicemail', 'Voicemail'],
  ['call.no_answer', 'no_answer', 'No answer'],
  ['call.wrong_number', 'wrong_number', 'Wrong number'],
  ['call.meeting_booked', 'meeting_booked', 'Meeting booked'],
  ['call.not_interested', 'not_interested', 'Not interested'],
];

export const SNOOZES: [string, SnoozeInput, string][] = [
  ['1', 'hour', 'An hour'],
  ['2', 'tomorrow', 'Tomorrow morning'],
  ['3', 'next_week', 'Next week'],
];

export const SKIP_REASONS: [string, string][] = [
  ['1', 'Not the right person'],
  ['2', 'Already in touch another way'],
  ['3', 'Not a good moment for this step'],
  ['4', 'No reason given'],
];
