// Figures and results as the shell sends them, for the unit tests.
import type { FiguresDto, SequenceResultsDto, SequenceSummaryDto, VersionResultsDto } from '../api/types';

export function figures(over: Partial<FiguresDto> = {}): FiguresDto {
  return {
    enrolled: 0, emails_sent: 0, calls: 0, calls_connected: 0, linkedin: 0, tasks: 0, skipped: 0, replies: 0, positive_replies: 0,
    untagged_replies: 0, meetings: 0, bounces_hard: 0, bounces_soft: 0, unsubscribes: 0, complaints: 0, auto_replies: 0, exited: 0, finished: 0,
    reply_rate: null, positive_rate: null, meeting_rate: null, reply_rate_enrolled: null, positive_rate_enrolled: null,
    meeting_rate_enrolled: null, connect_rate: null, ...over,
  };
}

export function summary(slug: string, over: Partial<FiguresDto> = {}): SequenceSummaryDto {
  return { slug, name: `Sequence ${slug}`, figures: figures(over) };
}

export function version(v: number, over: Partial<FiguresDto> = {}): VersionResultsDto {
  return { version: v, figures: figures(over), exits: {}, steps: [] };
}

export function results(slug: string, versions: VersionResultsDto[], over: Partial<FiguresDto> = {}): SequenceResultsDto {
  return {
    slug, name: `Sequence ${slug}`, from: null, to: null, figures: figures(over), exits: {}, versions, trend: [], advice: [],
    opens: 'Opens are not tracked.',
    paths: [],
  };
}
