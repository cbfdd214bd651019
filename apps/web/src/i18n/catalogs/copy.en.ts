/** Copying files and folders: the toast that follows a folder copy on the server. */
export const copyEn = {
  copy: {
    copiedFiles_one: 'Copied {{count, number}} file.',
    copiedFiles_other: 'Copied {{count, number}} files.',
    waiting: 'Copying “{{name}}”: waiting to start…',
    progress:
      'Copying “{{name}}”: {{filesDone, number}} of {{filesTotal, number}} files · {{bytesDone}} of {{bytesTotal}}',
    done: 'Copied “{{name}}”.',
    failed: 'Copying “{{name}}” failed: {{error}}',
    stopped: 'The copy stopped.',
  },
};
