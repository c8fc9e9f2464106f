// A problem with a whole import file (unreadable, empty, wrong columns or kind): nothing is imported.

export class ImportFileError extends Error {
  constructor(
    readonly file: string,
    readonly detail: string,
    readonly detailZh: string,
  ) {
    super(`${file}: ${detailZh} / ${detail}`);
    this.name = 'ImportFileError';
  }
}
