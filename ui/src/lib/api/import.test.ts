import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { afterEach, describe, expect, it } from 'vitest';
import { api } from './client';

afterEach(() => clearMocks());

describe('importing a CSV', () => {
  it('names the file only by the token the shell handed out', async () => {
    const calls: [string, unknown][] = [];
    mockIPC((cmd, args) => {
      calls.push([cmd, args]);
      if (cmd === 'choose_import_file') return { token: 'ab'.repeat(16), file: 'leads.csv', size: 734 };
      if (cmd === 'preview_import') return { file: 'leads.csv', encoding: 'UTF-8', headers: ['Email'], mapping: [], sample: [], ready: 1, rejected: 0, problem: null, fields: [] };
      throw new Error(`unexpected ${cmd}`);
    });
    const file = await api.chooseImportFile();
    expect(file?.file).toBe('leads.csv');
    await api.previewImport({ token: file!.token, mapping: [['Email', 'email']], update: false });
    expect(calls[0]).toEqual(['choose_import_file', {}]);
    expect(calls[1]).toEqual(['preview_import', { input: { token: 'ab'.repeat(16), mapping: [['Email', 'email']], update: false } }]);
    expect(JSON.stringify(calls)).not.toMatch(/"path"|\//);
  });

  it('says nothing was chosen when the rep cancels the dialog', async () => {
    mockIPC((cmd) => (cmd === 'choose_import_file' ? null : Promise.reject(new Error(cmd))));
    expect(await api.chooseImportFile()).toBeNull();
  });
});
