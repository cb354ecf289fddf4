// Backups as the rep reads them: why each was taken, how big it is.
import type { BackupDto } from '../api/types';

const KIND_WORDS: Record<BackupDto['kind'], string> = {
  daily: 'Daily, at start-up',
  import: 'After an import',
  manual: 'Taken by you',
  before_restore: 'Before a restore',
};

export function kindWords(kind: BackupDto['kind']): string {
  return KIND_WORDS[kind] ?? kind;
}

/** "340 KB", "12.4 MB", "1.2 GB". */
export function size(bytes: number): string {
  if (bytes < 1_000_000) return `${Math.max(1, Math.round(bytes / 1000))} KB`;
  if (bytes < 1_000_000_000) return `${(bytes / 1_000_000).toFixed(1)} MB`;
  return `${(bytes / 1_000_000_000).toFixed(1)} GB`;
}
